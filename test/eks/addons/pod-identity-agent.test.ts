import { Template } from 'aws-cdk-lib/assertions';
import { AddonVersion, PlatformCluster, PodIdentityAgentAddon } from '../../../lib';
import { newStack } from '../../helpers';

describe('PodIdentityAgentAddon', () => {
  const stack = newStack();
  const platform = new PlatformCluster(stack, 'Platform', { kubectl: false });
  const template = Template.fromStack(stack);

  test('installs the pinned eks-pod-identity-agent version', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', AddonVersion: 'v1.4.0-eksbuild.2' });
  });

  test('is the one agent of the cluster, without writing aws-eks-v2\'s private agent slot', () => {
    template.resourceCountIs('AWS::EKS::Addon', 4);
    expect((platform.cluster as any)._eksPodIdentityAgent).toBeUndefined();
  });

  test('fails at synth when aws-eks-v2 creates a second agent (a Pod Identity service account of aws-eks-v2)', () => {
    const s = newStack();
    const other = new PlatformCluster(s, 'Platform', { kubectl: false });
    void other.cluster.eksPodIdentityAgent;
    expect(() => Template.fromStack(s)).toThrow(/coreAddons: aws-eks-v2 created a second eks-pod-identity-agent add-on on Test\/Platform/);
  });

  test('fails when the version is not an EKS add-on version', () => {
    expect(() => new PodIdentityAgentAddon({ version: AddonVersion.of('latest') })).toThrow(/^version: not an EKS add-on version, got 'latest'/);
  });
});
