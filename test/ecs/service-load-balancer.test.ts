import { Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ServiceFirewall, ServiceLoadBalancer, ServiceLoadBalancerOptions } from '../../lib';
import { complianceRuleIds, expectNoComplianceFindings, newStack } from '../helpers';

const CERT_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

function build(options: ServiceLoadBalancerOptions = {}, withCertificate = true): { stack: Stack; lb: ServiceLoadBalancer } {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, restrictDefaultSecurityGroup: false });
  const certificate = withCertificate ? acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN) : undefined;
  const lb = new ServiceLoadBalancer(stack, 'Lb', { vpc, certificate, ...options });
  return { stack, lb };
}

function targetGroup(lb: ServiceLoadBalancer, id: string): elbv2.ApplicationTargetGroup {
  return new elbv2.ApplicationTargetGroup(lb.node.scope!, id, { vpc: lb.vpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
}

describe('ServiceLoadBalancer with a certificate (the compliant configuration)', () => {
  const { stack, lb } = build();
  const template = Template.fromStack(stack);

  test('serves HTTPS with a TLS 1.2+ policy and answers unknown paths with 404', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS', Port: 443, SslPolicy: Match.stringLikeRegexp('TLS13-1-2'),
      Certificates: [{ CertificateArn: CERT_ARN }],
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
  });

  test('only redirects on port 80', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP', Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }) })],
    });
  });

  test('drops invalid header fields, keeps deletion protection on and logs access', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
    });
    const attributes = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0].Properties.LoadBalancerAttributes;
    expect(attributes).toEqual(expect.arrayContaining([
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'deletion_protection.enabled', Value: 'true' },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: { Ref: stack.getLogicalId(lb.accessLogBucket!.node.defaultChild as any) } },
    ]));
  });

  test('keeps access logs in a retained, SSE-S3, SSL-only bucket that ELB log delivery may write to', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({ Sid: 'ElbAccessLogDelivery', Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }, Action: 's3:PutObject' }),
      ]) },
    });
  });

  test('admits clients on 443 and 80 only, and opens no egress by default', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
      ],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
  });

  test('puts a WAF web ACL with AWS managed rule groups in front, logging to a KMS-encrypted, retained log group', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } })]),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { 'Fn::GetAtt': [stack.getLogicalId(lb.webAcl!), 'Arn'] } });
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: Match.objectLike({ LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'), KmsKeyId: Match.anyValue(), RetentionInDays: 365 }),
    });
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(lb);
  });
});

describe('ServiceLoadBalancer routes', () => {
  test('gives each route its priority and conditions, and weights 100/0 with an alternate group', () => {
    const { stack, lb } = build();
    lb.addRoute(lb.node.scope!, 'Api', { priority: 10, pathPatterns: ['/api/*'], targetGroup: targetGroup(lb, 'Blue'), alternateTargetGroup: targetGroup(lb, 'Green') });
    lb.addRoute(lb.node.scope!, 'WebRoute', { priority: 20, hostHeaders: ['www.example.com'], targetGroup: targetGroup(lb, 'Web') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
      Actions: [Match.objectLike({ ForwardConfig: { TargetGroups: [Match.objectLike({ Weight: 100 }), Match.objectLike({ Weight: 0 })] } })],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 20, Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['www.example.com'] } }] });
  });

  test('fails when two routes share a priority', () => {
    const { lb } = build();
    lb.addRoute(lb.node.scope!, 'First', { priority: 10, targetGroup: targetGroup(lb, 'A') });
    expect(() => lb.addRoute(lb.node.scope!, 'Second', { priority: 10, targetGroup: targetGroup(lb, 'B') })).toThrow(/priority: 10 is already used on .* by .*; give each service on a shared load balancer its own priority/);
  });

  test('fails when a priority is outside 1-50000', () => {
    const { lb } = build();
    expect(() => lb.addRoute(lb.node.scope!, 'R', { priority: 0, targetGroup: targetGroup(lb, 'A') })).toThrow(/priority: listener rule priorities are whole numbers from 1 to 50000, got 0/);
  });

  test('fails when a path pattern does not start with /', () => {
    const { lb } = build();
    expect(() => lb.addRoute(lb.node.scope!, 'R', { priority: 1, pathPatterns: ['api/*'], targetGroup: targetGroup(lb, 'A') })).toThrow(/^pathPatterns: ALB path patterns start with '\/' \(or a wildcard\) and have at most 128 characters, got 'api\/\*'/);
  });

  test('routes path patterns that start with a wildcard, which match any path prefix', () => {
    const { stack, lb } = build();
    lb.addRoute(lb.node.scope!, 'R', { priority: 1, pathPatterns: ['*.png'], targetGroup: targetGroup(lb, 'A') });
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['*.png'] } }],
    });
  });

  test('fails when a route has more condition values or wildcards than an ALB rule takes', () => {
    const { lb } = build();
    const tg = targetGroup(lb, 'A');
    expect(() => lb.addRoute(lb.node.scope!, 'R1', { priority: 1, pathPatterns: ['/a', '/b', '/c', '/d'], targetGroup: tg })).toThrow(/pathPatterns: an ALB rule condition takes at most 3 values, got 4/);
    expect(() => lb.addRoute(lb.node.scope!, 'R2', { priority: 2, pathPatterns: ['/a', '/b', '/c'], hostHeaders: ['a.example.com', 'b.example.com', 'c.example.com'], targetGroup: tg })).toThrow(/pathPatterns and hostHeaders: an ALB rule takes at most 5 condition values in total, got 6/);
    expect(() => lb.addRoute(lb.node.scope!, 'R3', { priority: 3, hostHeaders: ['*.*.example.com', '*.*.example.org', '*.*.example.net'], targetGroup: tg })).toThrow(/pathPatterns and hostHeaders: an ALB rule takes at most 5 wildcards/);
  });

  test('accepts three paths and two hosts with five wildcards', () => {
    const { stack, lb } = build();
    lb.addRoute(lb.node.scope!, 'R', { priority: 1, pathPatterns: ['/a/*', '/b/*', '/c/*'], hostHeaders: ['*.example.com', '*.example.org'], targetGroup: targetGroup(lb, 'A') });
    Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
  });

  test('fails when a host header is not a host name', () => {
    const { lb } = build();
    expect(() => lb.addRoute(lb.node.scope!, 'R', { priority: 1, hostHeaders: ['https://x'], targetGroup: targetGroup(lb, 'A') })).toThrow(/hostHeaders: not a host name pattern, got 'https:\/\/x'/);
  });
});

describe('ServiceLoadBalancer choices', () => {
  test('serves plain HTTP without a certificate and leaves its findings visible', () => {
    const { stack, lb } = build({}, false);
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80, DefaultActions: [Match.objectLike({ Type: 'fixed-response' })] });
    expect(complianceRuleIds(lb)).toEqual(expect.arrayContaining(['NIST.800.53.R5-ALBHttpToHttpsRedirection', 'PCI.DSS.321-ALBHttpToHttpsRedirection', 'NIST.800.53.R5-ELBv2ACMCertificateRequired']));
  });

  test('is internal, admits only the given ranges and associates an existing web ACL', () => {
    const arn = 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/platform/11111111-2222-3333-4444-555555555555';
    const { stack } = build({ internetFacing: false, allowedClientCidrs: ['10.1.0.0/16'], firewall: ServiceFirewall.fromWebAclArn(arn) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '10.1.0.0/16', FromPort: 443 })]) });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  test('leaves the WAF findings visible without a firewall, and the deletion protection finding when it is off', () => {
    const { lb } = build({ firewall: ServiceFirewall.none(), deletionProtection: false });
    expect(complianceRuleIds(lb)).toEqual(expect.arrayContaining(['NIST.800.53.R5-ALBWAFEnabled', 'PCI.DSS.321-ALBWAFEnabled', 'NIST.800.53.R5-ELBDeletionProtectionEnabled']));
  });

  test('names the web ACL in the open-ingress acknowledgement only when one is attached', () => {
    const ec23 = (lb: ServiceLoadBalancer) => JSON.stringify(lb.securityGroup.node.metadata.filter((m) => JSON.stringify(m.data).includes('AwsSolutions-EC23')).map((m) => m.data));
    expect(ec23(build().lb)).toMatch(/set allowedClientCidrs to narrow it, and the WAF web ACL filters requests/);
    const withoutWaf = ec23(build({ firewall: ServiceFirewall.none() }).lb);
    expect(withoutWaf).toMatch(/admits any client address by design; set allowedClientCidrs to narrow it/);
    expect(withoutWaf).not.toMatch(/WAF/);
  });

  test('fails when an internet-facing load balancer is put in a VPC without public subnets', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }], restrictDefaultSecurityGroup: false });
    expect(() => new ServiceLoadBalancer(stack, 'Lb', { vpc })).toThrow(/internetFacing: an internet-facing load balancer needs public subnets, got a VPC without any .*; set internetFacing: false/);
    expect(new ServiceLoadBalancer(stack, 'Internal', { vpc, internetFacing: false }).loadBalancer).toBeDefined();
  });

  test('fails when the access log retention is not a whole number of days', () => {
    expect(() => build({ accessLogRetention: Duration.hours(36) })).toThrow(/accessLogRetention: S3 expires objects after a whole number of days, at least one, got 1 day 12 hours/);
    expect(() => build({ accessLogRetention: Duration.hours(12) })).toThrow(/accessLogRetention: .*got 12 hours/);
  });

  test('keeps access logs for a retention given in hours that make whole days', () => {
    const { stack } = build({ accessLogRetention: Duration.hours(48) });
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 2 })] } });
  });

  test('fails when a certificate is combined with the HTTP-only choice', () => {
    expect(() => build({ protocol: elbv2.ApplicationProtocol.HTTP })).toThrow(/protocol and certificate: a certificate needs an HTTPS listener, got protocol HTTP with a certificate/);
  });

  test('fails when HTTPS is asked for without a certificate', () => {
    expect(() => build({ protocol: elbv2.ApplicationProtocol.HTTPS }, false)).toThrow(/protocol: an HTTPS listener needs a certificate/);
  });

  test('fails when the TLS policy accepts TLS 1.0 or 1.1', () => {
    expect(() => build({ sslPolicy: elbv2.SslPolicy.TLS11 })).toThrow(/sslPolicy: the policy accepts TLS versions older than 1.2, got ELBSecurityPolicy-TLS-1-1-2017-01/);
  });

  test('fails when a TLS policy is given for plain HTTP', () => {
    expect(() => build({ sslPolicy: elbv2.SslPolicy.TLS13_RES }, false)).toThrow(/sslPolicy: a plain HTTP listener has no TLS/);
  });

  test('fails when a client range is not an IPv4 CIDR', () => {
    expect(() => build({ allowedClientCidrs: ['10.0.0.0'] })).toThrow(/allowedClientCidrs: not an IPv4 CIDR block, got '10.0.0.0'/);
  });

  test('fails when no client range is allowed', () => {
    expect(() => build({ allowedClientCidrs: [] })).toThrow(/allowedClientCidrs: an empty list admits no client/);
  });
});

describe('ServiceFirewall', () => {
  test('fails when a web ACL ARN is not a regional WAFv2 ARN', () => {
    expect(() => ServiceFirewall.fromWebAclArn('arn:aws:wafv2:us-east-1:111122223333:global/webacl/x/y')).toThrow(/webAclArn: expected a regional AWS WAFv2 web ACL ARN/);
  });

  test('fails when the web ACL would have no rule', () => {
    expect(() => ServiceFirewall.managedRules({ managedRuleGroups: [] })).toThrow(/managedRuleGroups: a web ACL without rules allows everything/);
  });

  test('fails when a rule group is listed twice', () => {
    expect(() => ServiceFirewall.managedRules({ managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesCommonRuleSet'] })).toThrow(/managedRuleGroups: each rule group may appear once/);
  });

  test('fails when the WAF log retention is a number CloudWatch Logs does not accept', () => {
    expect(() => ServiceFirewall.managedRules({ logRetention: 100 as logs.RetentionDays })).toThrow(/logRetention: CloudWatch Logs keeps logs for one of .* days \(or INFINITE\), got 100/);
  });

  test('accepts every logs.RetentionDays value', () => {
    for (const days of Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number')) {
      expect(ServiceFirewall.managedRules({ logRetention: days }).managedRulesOptions?.logRetention).toBe(days);
    }
  });

  test('fails when the rate limit is below WAF\'s floor', () => {
    expect(() => ServiceFirewall.managedRules({ rateLimitPerFiveMinutes: 5 })).toThrow(/rateLimitPerFiveMinutes: AWS WAF needs a whole number of at least 10, got 5/);
  });
});

describe('ServiceLoadBalancer inside the VPC (internetFacing: false)', () => {
  const { stack, lb } = build({ internetFacing: false });
  const template = Template.fromStack(stack);

  test('admits the VPC\'s range as a literal, so the packs can judge its ingress rules', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('Clients to the load balancer'),
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 443, Description: 'Clients from the VPC' }),
        Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 80, Description: 'HTTP redirect from the VPC' }),
      ],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  });

  test('has no unacknowledged finding in the five packs', () => {
    expectNoComplianceFindings(lb);
  });

  test('warns and keeps the deploy-time range when the VPC\'s range is unknown at synth', () => {
    const s = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Imported', {
      vpcId: 'vpc-12345678', vpcCidrBlock: Fn.importValue('VpcCidr'), availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-12345678'],
    });
    new ServiceLoadBalancer(s, 'Lb', { vpc, internetFacing: false, certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERT_ARN) });
    Annotations.fromStack(s).hasWarning('/Test/Lb', Match.stringLikeRegexp('allowedClientCidrs: the range of .* is only known at deploy time, .*, got no allowedClientCidrs for an internal load balancer; pass allowedClientCidrs'));
    Template.fromStack(s).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: { 'Fn::ImportValue': 'VpcCidr' } })]),
    });
  });
});
