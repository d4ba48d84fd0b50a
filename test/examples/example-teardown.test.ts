import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EXAMPLES } from '../../examples';
import { EcsFargateWebStack } from '../../examples/ecs-fargate-web';
import { DELETION_PROTECTION_CONTEXT } from '../../examples/example-teardown';
import { complianceRuleIds, newApp } from '../helpers';

const ECS_EXAMPLES = ['EcsFargateWeb', 'EcsEc2Binpack', 'EcsSharedAlb'];

/** The deletion_protection.enabled attribute of every load balancer of a stack. */
function deletionProtectionOf(stack: Stack): string[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::ElasticLoadBalancingV2::LoadBalancer')).map((lb: any) =>
    lb.Properties.LoadBalancerAttributes.find((a: any) => a.Key === 'deletion_protection.enabled').Value);
}

describe('ECS examples and cdk destroy', () => {
  test.each(ECS_EXAMPLES)('the example app builds %s without load balancer deletion protection, so cdk destroy succeeds', (id) => {
    const stack = EXAMPLES.find((e) => e.id === id)!.create(newApp(), id);
    expect(deletionProtectionOf(stack)).toEqual(['false']);
  });

  test('the context value exampleDeletionProtection=true turns protection on in the example app', () => {
    const app = newApp();
    app.node.setContext(DELETION_PROTECTION_CONTEXT, 'true');
    const stacks = ECS_EXAMPLES.map((id) => EXAMPLES.find((e) => e.id === id)!.create(app, id));
    expect(stacks.map(deletionProtectionOf)).toEqual([['true'], ['true'], ['true']]);
  });

  test('an example stack class used on its own keeps the library default: protected, nothing acknowledged', () => {
    const copied = new EcsFargateWebStack(newApp(), 'Copied');
    expect(deletionProtectionOf(copied)).toEqual(['true']);
    expect(complianceRuleIds(copied)).toEqual([]);
  });

  test('acknowledges the NIST and HIPAA deletion-protection findings in the example, with a reason naming the prop', () => {
    const copied = new EcsFargateWebStack(newApp(), 'Copied', { deletionProtection: false });
    expect(complianceRuleIds(copied)).toEqual([]);
    const acknowledged = JSON.stringify(copied.web.loadBalancer!.loadBalancer.node.metadata.map((m) => m.data));
    expect(acknowledged).toMatch(/NIST\.800\.53\.R5-ELBDeletionProtectionEnabled.*deletionProtection: false because the example app/);
    expect(acknowledged).toMatch(/HIPAA\.Security-ELBDeletionProtectionEnabled/);
  });
});
