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

  test('is the one agent of the cluster, also for aws-eks-v2\'s own Pod Identity service accounts', () => {
    expect(platform.cluster.eksPodIdentityAgent).toBe(platform.podIdentityAgent);
    template.resourceCountIs('AWS::EKS::Addon', 4);
  });

  test('fails when the version is not an EKS add-on version', () => {
    expect(() => new PodIdentityAgentAddon({ version: AddonVersion.of('latest') })).toThrow(/^version: not an EKS add-on version, got 'latest'/);
  });
});
