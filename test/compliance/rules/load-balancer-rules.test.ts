import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { newStack } from '../../helpers';
import { findingsOf } from '../platform-findings';

const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555';

function albStack(props: Partial<elbv2.ApplicationLoadBalancerProps> = {}): { stack: Stack; alb: elbv2.ApplicationLoadBalancer } {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true, ...props });
  return { stack, alb };
}

function httpsListener(alb: elbv2.ApplicationLoadBalancer, sslPolicy?: elbv2.SslPolicy): void {
  alb.addListener('Https', { port: 443, certificates: [elbv2.ListenerCertificate.fromArn(CERTIFICATE_ARN)], sslPolicy, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
}

describe('ContainerPlatform-ELB1 (drop invalid header fields)', () => {
  test('passes an ALB that drops invalid header fields', () => {
    expect(findingsOf(albStack({ dropInvalidHeaderFields: true }).stack, 'ContainerPlatform-ELB1')).toEqual([]);
  });

  test('flags an ALB that forwards them', () => {
    expect(findingsOf(albStack().stack, 'ContainerPlatform-ELB1')).toEqual(['ContainerPlatform-ELB1 Test/Alb/Resource']);
  });

  test('does not judge network load balancers, which do not parse HTTP', () => {
    const stack = newStack();
    new elbv2.CfnLoadBalancer(stack, 'Nlb', { type: 'network' });
    expect(findingsOf(stack, 'ContainerPlatform-ELB1')).toEqual([]);
  });
});

describe('ContainerPlatform-ELB2 (TLS 1.2 or later)', () => {
  test.each([elbv2.SslPolicy.RECOMMENDED_TLS, elbv2.SslPolicy.TLS13_13, elbv2.SslPolicy.TLS12, elbv2.SslPolicy.FORWARD_SECRECY_TLS12_RES_GCM])('passes an HTTPS listener with %s', (policy) => {
    const { stack, alb } = albStack();
    httpsListener(alb, policy);
    expect(findingsOf(stack, 'ContainerPlatform-ELB2')).toEqual([]);
  });

  test('passes the post-quantum TLS 1.2+ policy aws-cdk-lib picks under the usePostQuantumTlsPolicy flag', () => {
    const { stack, alb } = albStack();
    httpsListener(alb);
    expect(findingsOf(stack, 'ContainerPlatform-ELB2')).toEqual([]);
  });

  test('flags an HTTPS listener without a policy, which gets ELBSecurityPolicy-2016-08 (TLS 1.0)', () => {
    const stack = newStack();
    new elbv2.CfnListener(stack, 'Https', { loadBalancerArn: 'arn', port: 443, protocol: 'HTTPS', defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }] });
    expect(findingsOf(stack, 'ContainerPlatform-ELB2')).toEqual(['ContainerPlatform-ELB2 Test/Https']);
  });

  test('flags an NLB TLS listener that allows TLS 1.0', () => {
    const stack = newStack();
    new elbv2.CfnListener(stack, 'Tls', { loadBalancerArn: 'arn', port: 443, protocol: 'TLS', sslPolicy: 'ELBSecurityPolicy-TLS13-1-0-2021-06', defaultActions: [{ type: 'forward', targetGroupArn: 'tg' }] });
    expect(findingsOf(stack, 'ContainerPlatform-ELB2')).toEqual(['ContainerPlatform-ELB2 Test/Tls']);
  });

  test.each([elbv2.SslPolicy.TLS11, elbv2.SslPolicy.RECOMMENDED, elbv2.SslPolicy.TLS13_10])('flags an HTTPS listener with %s', (policy) => {
    const { stack, alb } = albStack();
    httpsListener(alb, policy);
    expect(findingsOf(stack, 'ContainerPlatform-ELB2')).toEqual(['ContainerPlatform-ELB2 Test/Alb/Https/Resource']);
  });
});

describe('ContainerPlatform-ELB3 (HTTP only redirects)', () => {
  test('passes an HTTP listener that redirects to HTTPS', () => {
    const { stack, alb } = albStack();
    alb.addRedirect();
    expect(findingsOf(stack, 'ContainerPlatform-ELB3')).toEqual([]);
  });

  test('flags an HTTP listener that serves traffic', () => {
    const { stack, alb } = albStack();
    alb.addListener('Http', { port: 80, open: false, defaultAction: elbv2.ListenerAction.fixedResponse(200) });
    expect(findingsOf(stack, 'ContainerPlatform-ELB3')).toEqual(['ContainerPlatform-ELB3 Test/Alb/Http/Resource']);
  });

  test('flags a listener rule that forwards on a redirecting HTTP listener', () => {
    const { stack, alb } = albStack();
    const http = alb.addRedirect();
    new elbv2.ApplicationListenerRule(stack, 'Rule', {
      listener: http as elbv2.ApplicationListener,
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/admin'])],
      action: elbv2.ListenerAction.fixedResponse(200),
    });
    expect(findingsOf(stack, 'ContainerPlatform-ELB3')).toEqual(['ContainerPlatform-ELB3 Test/Rule/Resource']);
  });
});

describe('load balancer rule variants', () => {
  test('ELB1 flags the attribute that one branch turns off, or a parameter without default', () => {
    const stack = newStack();
    new elbv2.CfnLoadBalancer(stack, 'Branch', { loadBalancerAttributes: [{ key: 'routing.http.drop_invalid_header_fields.enabled', value: Fn.conditionIf('Strict', 'true', 'false').toString() }] });
    new elbv2.CfnLoadBalancer(stack, 'Param', { loadBalancerAttributes: [{ key: 'routing.http.drop_invalid_header_fields.enabled', value: new CfnParameter(stack, 'Drop').valueAsString }] });
    new elbv2.CfnLoadBalancer(stack, 'ByDefault', { loadBalancerAttributes: [{ key: 'routing.http.drop_invalid_header_fields.enabled', value: new CfnParameter(stack, 'DropDefault', { default: 'true' }).valueAsString }] });
    expect(findingsOf(stack, 'ContainerPlatform-ELB1')).toEqual(['ContainerPlatform-ELB1 Test/Branch', 'ContainerPlatform-ELB1 Test/Param']);
  });

  test('ELB2 flags a TLS 1.0 policy in one branch, an allowed value, or a policy only known at deploy time', () => {
    const stack = newStack();
    const listener = (id: string, sslPolicy: string) => new elbv2.CfnListener(stack, id, { loadBalancerArn: 'arn', port: 443, protocol: 'HTTPS', sslPolicy, defaultActions: [] });
    listener('Branch', Fn.conditionIf('Modern', 'ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-2016-08').toString());
    listener('Allowed', new CfnParameter(stack, 'Policy', { default: 'ELBSecurityPolicy-TLS13-1-2-2021-06', allowedValues: ['ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-0-2021-06'] }).valueAsString);
    listener('Unknown', new CfnParameter(stack, 'Any').valueAsString);
    listener('ByDefault', new CfnParameter(stack, 'Modern', { default: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }).valueAsString);
    expect(findingsOf(stack, 'ContainerPlatform-ELB2')).toEqual(['ContainerPlatform-ELB2 Test/Allowed', 'ContainerPlatform-ELB2 Test/Branch', 'ContainerPlatform-ELB2 Test/Unknown']);
  });

  test('ELB3 flags an HTTP listener that forwards in one branch, and judges a protocol from a parameter default', () => {
    const stack = newStack();
    const redirect = { type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } };
    new elbv2.CfnListener(stack, 'Branch', { loadBalancerArn: 'arn', port: 80, protocol: 'HTTP', defaultActions: Fn.conditionIf('Redirect', [redirect], [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '200' } }]) as any });
    new elbv2.CfnListener(stack, 'Param', { loadBalancerArn: 'arn', port: 80, protocol: new CfnParameter(stack, 'Protocol', { default: 'HTTP' }).valueAsString, defaultActions: [{ type: 'forward', targetGroupArn: 'tg' }] });
    new elbv2.CfnListener(stack, 'Safe', { loadBalancerArn: 'arn', port: 80, protocol: 'HTTP', defaultActions: [redirect] });
    expect(findingsOf(stack, 'ContainerPlatform-ELB3')).toEqual(['ContainerPlatform-ELB3 Test/Branch', 'ContainerPlatform-ELB3 Test/Param']);
  });
});
