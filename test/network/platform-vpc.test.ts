import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NatGateways, PlatformVpc, PlatformVpcProps, VpcLayout } from '../../lib';
import { complianceRuleIds, expectNoComplianceFindings, newStack, resourcesOfType } from '../helpers';

function build(props?: PlatformVpcProps): { stack: Stack; net: PlatformVpc; template: Template } {
  const stack = newStack();
  const net = new PlatformVpc(stack, 'Net', props);
  return { stack, net, template: Template.fromStack(stack) };
}

function subnetsWithTag(template: Template, key: string): Array<[string, any]> {
  return resourcesOfType(template, 'AWS::EC2::Subnet').filter(([, r]) => (r.Properties.Tags ?? []).some((t: any) => t.Key === key && t.Value === '1'));
}

describe('PlatformVpc, public and private layout (default)', () => {
  const { stack, net, template } = build();

  test('spans three zones with a public and a private subnet in each', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    expect(net.vpc.publicSubnets).toHaveLength(3);
    expect(net.vpc.privateSubnets).toHaveLength(3);
  });

  test('puts one NAT gateway in every zone', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('tags public subnets for internet-facing and private subnets for internal load balancers', () => {
    expect(subnetsWithTag(template, 'kubernetes.io/role/elb').map(([id]) => id).sort())
      .toEqual(net.vpc.publicSubnets.map((s) => stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet)).sort());
    expect(subnetsWithTag(template, 'kubernetes.io/role/internal-elb').map(([id]) => id).sort())
      .toEqual(net.vpc.privateSubnets.map((s) => stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet)).sort());
  });

  test('assigns no public address on launch in any subnet', () => {
    for (const [, subnet] of resourcesOfType(template, 'AWS::EC2::Subnet')) {
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('sizes private subnets for pods (/19) and public ones for load balancers (/22)', () => {
    const masks = resourcesOfType(template, 'AWS::EC2::Subnet').map(([, r]) => r.Properties.CidrBlock.split('/')[1]).sort();
    expect(masks).toEqual(['19', '19', '19', '22', '22', '22']);
  });

  test('closes the default security group', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('chooses zones at deploy time, without a context lookup', () => {
    const azs = resourcesOfType(template, 'AWS::EC2::Subnet').map(([, r]) => r.Properties.AvailabilityZone);
    expect(azs[0]).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
    expect(stack.node.tryGetContext('availability-zones:account=unknown-account:region=unknown-region')).toBeUndefined();
  });

  test('logs all traffic to a KMS-encrypted log group kept for a year and retained', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC', LogDestinationType: 'cloud-watch-logs' });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(net.flowLogKey!.node.defaultChild as any), 'Arn'] } },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
  });

  test('lets the CloudWatch Logs service of the region use the flow log key, which rotates', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Action: Match.arrayWith(['kms:Decrypt*', 'kms:GenerateDataKey*']),
      })]) },
    });
  });

  test('delivers flow logs with a managed policy limited to the log group, not an inline one', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [stack.getLogicalId(net.flowLogGroup!.node.defaultChild as logs.CfnLogGroup), 'Arn'] } })] },
    });
  });

  test('adds a free S3 gateway endpoint and no interface endpoint while NAT gateways exist', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
  });

  test('runs workloads in the private subnets', () => {
    expect(net.vpc.selectSubnets(net.workloadSubnets).subnets).toEqual(net.vpc.privateSubnets);
  });

  test('has no unacknowledged finding in the four cdk-nag packs', () => {
    expectNoComplianceFindings(stack);
  });
});

describe('PlatformVpc, private-only layout', () => {
  const { stack, net, template } = build({ layout: VpcLayout.PRIVATE_ONLY, azCount: 2 });

  test('has isolated subnets only, with no internet gateway and no NAT', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(net.vpc.isolatedSubnets).toHaveLength(2);
    expect(net.vpc.publicSubnets).toHaveLength(0);
  });

  test('tags the isolated subnets for internal load balancers', () => {
    expect(subnetsWithTag(template, 'kubernetes.io/role/internal-elb')).toHaveLength(2);
  });

  test('creates every container endpoint behind one security group that admits HTTPS from the VPC', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', PlatformVpc.CONTAINER_ENDPOINTS.length + 1);
    for (const name of ['ecr.api', 'ecr.dkr', 'logs', 'sts', 'eks', 'eks-auth', 'ec2', 'elasticloadbalancing', 'lambda']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${name}`]] },
        PrivateDnsEnabled: true,
      });
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'HTTPS from the VPC' }],
    });
    expect(net.endpointSecurityGroup).toBeDefined();
  });

  test('has no unacknowledged finding in the four cdk-nag packs', () => {
    expectNoComplianceFindings(stack);
  });
});

describe('PlatformVpc, other choices', () => {
  test('uses one NAT gateway for all zones when asked', () => {
    build({ natGateways: NatGateways.SINGLE }).template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('isolates private subnets and adds the endpoints when NAT gateways are turned off', () => {
    const { net, template } = build({ natGateways: NatGateways.NONE });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(net.vpc.isolatedSubnets).toHaveLength(3);
    expect(net.interfaceEndpoints).toHaveLength(PlatformVpc.CONTAINER_ENDPOINTS.length);
  });

  test('creates only the interface endpoints named', () => {
    const { template } = build({ layout: VpcLayout.PRIVATE_ONLY, interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER] });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
  });

  test('public-only layout gives workloads the public subnets and keeps its route findings visible', () => {
    const { stack, net, template } = build({ layout: VpcLayout.PUBLIC_ONLY });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(net.vpc.selectSubnets(net.workloadSubnets).subnets).toEqual(net.vpc.publicSubnets);
    expect(complianceRuleIds(stack)).toEqual([
      'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
      'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'PCI.DSS.321-VPCNoUnrestrictedRouteToIGW',
    ]);
  });

  test('uses the zones named', () => {
    const { template } = build({ availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const azs = resourcesOfType(template, 'AWS::EC2::Subnet').map(([, r]) => r.Properties.AvailabilityZone);
    expect([...new Set(azs)].sort()).toEqual(['us-east-1a', 'us-east-1b']);
  });

  test('accepts zones of one region, Local Zones and zones of the stack\'s own region', () => {
    expect(build({ availabilityZones: ['us-gov-west-1a', 'us-gov-west-1b'] }).net.vpc.availabilityZones).toEqual(['us-gov-west-1a', 'us-gov-west-1b']);
    expect(build({ availabilityZones: ['us-west-2a', 'us-west-2-lax-1a'] }).net.vpc.availabilityZones).toHaveLength(2);
    expect(build({ availabilityZones: ['ap-southeast-5a', 'ap-southeast-5b'] }).net.vpc.availabilityZones).toHaveLength(2);
    expect(build({ availabilityZones: ['eusc-de-east-1a', 'eusc-de-east-1b'] }).net.vpc.availabilityZones).toEqual(['eusc-de-east-1a', 'eusc-de-east-1b']);
    const stack = new Stack(newStack().node.root as any, 'InRegion', { env: { region: 'ap-southeast-2' } });
    expect(new PlatformVpc(stack, 'Net', { availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'] }).vpc.availabilityZones).toHaveLength(3);
  });

  test('uses the CIDR given and the retention given', () => {
    const { template } = build({ cidr: '172.20.0.0/18', flowLogRetention: logs.RetentionDays.THREE_MONTHS });
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '172.20.0.0/18' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('leaves the VPC7 finding visible when flow logs are turned off', () => {
    const { stack, template } = build({ flowLogs: false });
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
    expect(complianceRuleIds(stack)).toContain('AwsSolutions-VPC7');
  });
});

describe('PlatformVpc, bad input', () => {
  test.each([0, 1, 4, 2.5])('fails when azCount is %p', (azCount) => {
    expect(() => build({ azCount })).toThrow(/^azCount: a container platform VPC spans 2 or 3 availability zones, got/);
  });

  test('fails when azCount is a token (subnets are laid out at synth)', () => {
    const stack = newStack();
    const azCount = new CfnParameter(stack, 'AzCount', { type: 'Number' }).valueAsNumber;
    expect(() => new PlatformVpc(stack, 'Net', { azCount })).toThrow(/^azCount: the number of zones must be known at synth to lay out subnets, got a token; pass 2 or 3$/);
  });

  test('fails when azCount and availabilityZones disagree', () => {
    expect(() => build({ azCount: 3, availabilityZones: ['eu-west-1a', 'eu-west-1b'] })).toThrow(/^azCount and availabilityZones: the count must match the zones named, got azCount 3 with 2 zones \(eu-west-1a, eu-west-1b\); omit azCount/);
  });

  test('fails when one zone is named', () => {
    expect(() => build({ availabilityZones: ['eu-west-1a'] })).toThrow(/availabilityZones: give 2 or 3 zone names, got 1/);
  });

  test('fails when a zone is named twice', () => {
    expect(() => build({ availabilityZones: ['eu-west-1a', 'eu-west-1a'] })).toThrow(/availabilityZones: zone names must be distinct/);
  });

  test('fails when the zones belong to two regions', () => {
    expect(() => build({ availabilityZones: ['us-east-1a', 'us-east-2b'] })).toThrow(/availabilityZones: a VPC lives in one region, got zones of us-east-1 and us-east-2 \(us-east-1a, us-east-2b\); name zones of one region only/);
    expect(() => build({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-central-1c'] })).toThrow(/availabilityZones: a VPC lives in one region, got zones of eu-west-1 and eu-central-1/);
  });

  test('fails when the zones belong to another region than the stack', () => {
    const stack = new Stack(newStack().node.root as any, 'InRegion', { env: { region: 'eu-west-1' } });
    expect(() => new PlatformVpc(stack, 'Net', { availabilityZones: ['us-east-1a', 'us-east-1b'] })).toThrow(/availabilityZones: the stack deploys to eu-west-1, got zones of us-east-1/);
  });

  test('fails when zone IDs or other strings are given instead of zone names', () => {
    expect(() => build({ availabilityZones: ['use1-az1', 'use1-az2'] })).toThrow(/availabilityZones: 'use1-az1' is a zone ID, and a VPC subnet takes a zone name/);
    expect(() => build({ availabilityZones: ['us-east-1', 'us-east-1b'] })).toThrow(/availabilityZones: 'us-east-1' is not an availability zone name/);
  });

  test('fails when an interface endpoint service is listed twice', () => {
    expect(() => build({ interfaceEndpoints: [ec2.InterfaceVpcEndpointAwsService.ECR, ec2.InterfaceVpcEndpointAwsService.STS, ec2.InterfaceVpcEndpointAwsService.ECR] }))
      .toThrow(/interfaceEndpoints: each service may appear once, got ecr.api twice/);
  });

  test('fails when the flow log retention is a number CloudWatch Logs does not accept', () => {
    expect(() => build({ flowLogRetention: 366 as logs.RetentionDays })).toThrow(/flowLogRetention: CloudWatch Logs keeps logs for one of .* days \(or INFINITE\), got 366/);
  });

  test.each(['10.0.0.0', '10.0.0/16', '300.0.0.0/16', 'ten/16'])('fails when cidr is not an IPv4 block: %p', (cidr) => {
    expect(() => build({ cidr })).toThrow(/cidr: not an IPv4 CIDR block, got/);
  });

  test.each(['10.0.0.0/8', '10.0.0.0/24'])('fails when cidr %p is too large or too small', (cidr) => {
    expect(() => build({ cidr })).toThrow(/cidr: the prefix must be \/16 to \/21/);
  });

  test('fails when cidr is a token (subnets are laid out at synth)', () => {
    const stack = newStack();
    const cidr = new CfnParameter(stack, 'Cidr').valueAsString;
    expect(() => new PlatformVpc(stack, 'Net', { cidr })).toThrow(/^cidr: the VPC range must be known at synth to lay out subnets, got a token/);
  });

  test('fails when cidr has host bits set', () => {
    expect(() => build({ cidr: '10.0.1.0/16' })).toThrow(/^cidr: the block has host bits set, got '10.0.1.0\/16'; use the network address/);
  });

  test.each([
    [VpcLayout.PRIVATE_ONLY, NatGateways.SINGLE],
    [VpcLayout.PRIVATE_ONLY, NatGateways.ONE_PER_AZ],
    [VpcLayout.PUBLIC_ONLY, NatGateways.SINGLE],
  ])('fails when the %s layout is given NAT gateways (%s)', (layout, natGateways) => {
    expect(() => build({ layout, natGateways })).toThrow(new RegExp(`natGateways: the ${layout} layout has no private subnets .* got NatGateways.${natGateways}`));
  });
});
