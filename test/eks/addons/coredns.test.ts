import { Template } from 'aws-cdk-lib/assertions';
import { AddonVersion, CoreDnsAddon, PlatformCluster } from '../../../lib';
import { newStack } from '../../helpers';

describe('CoreDnsAddon', () => {
  test('installs the pinned coredns version without configuration on a cluster with nodes', () => {
    const stack = newStack();
    new PlatformCluster(stack, 'Platform', { kubectl: false, nodegroups: [{ id: 'N' }] });
    const [addon] = Object.values<any>(Template.fromStack(stack).findResources('AWS::EKS::Addon', { Properties: { AddonName: 'coredns' } }));
    expect(addon.Properties.AddonVersion).toBe('v1.14.3-eksbuild.24');
    expect(addon.Properties.ConfigurationValues).toBeUndefined();
  });

  test('runs on Fargate on a Fargate-only cluster, merged with the given configuration', () => {
    const stack = newStack();
    new PlatformCluster(stack, 'Platform', {
      kubectl: false,
      coreAddons: { coreDns: new CoreDnsAddon({ configurationValues: { replicaCount: 3 } }) },
      fargateProfiles: [{ id: 'Dns', selectors: [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }] }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', { AddonName: 'coredns', ConfigurationValues: '{"computeType":"Fargate","replicaCount":3}' });
  });

  test('stays on nodes when a node group is added after the Fargate profiles', () => {
    const stack = newStack();
    const platform = new PlatformCluster(stack, 'Platform', { kubectl: false, fargateProfiles: [{ id: 'Apps', selectors: [{ namespace: 'apps' }] }] });
    platform.addNodegroup('Late', {});
    const [addon] = Object.values<any>(Template.fromStack(stack).findResources('AWS::EKS::Addon', { Properties: { AddonName: 'coredns' } }));
    expect(addon.Properties.ConfigurationValues).toBeUndefined();
  });

  test('fails when the version is not an EKS add-on version', () => {
    expect(() => new CoreDnsAddon({ version: AddonVersion.of('v1.14') })).toThrow(/^version: not an EKS add-on version, got 'v1\.14'/);
  });
});
