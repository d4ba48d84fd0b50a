import { Template } from 'aws-cdk-lib/assertions';
import { AddonVersion, KubeProxyAddon, PlatformCluster } from '../../../lib';
import { newStack } from '../../helpers';

describe('KubeProxyAddon', () => {
  test('installs the pinned kube-proxy version before the nodes', () => {
    const stack = newStack();
    const platform = new PlatformCluster(stack, 'Platform', { kubectl: false, nodegroups: [{ id: 'N' }] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'kube-proxy', AddonVersion: 'v1.36.0-eksbuild.25' });
    const nodegroupId = stack.getLogicalId(platform.nodegroups[0].node.defaultChild as any);
    expect(template.toJSON().Resources[nodegroupId].DependsOn).toContain(stack.getLogicalId(platform.kubeProxy!.node.defaultChild as any));
  });

  test('installs a given version', () => {
    const stack = newStack();
    new PlatformCluster(stack, 'Platform', { kubectl: false, coreAddons: { kubeProxy: new KubeProxyAddon({ version: AddonVersion.of('v1.36.0-eksbuild.21') }) } });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', { AddonName: 'kube-proxy', AddonVersion: 'v1.36.0-eksbuild.21' });
  });

  test('returns an installation whose add-on is defined', () => {
    const stack = newStack();
    const platform = new PlatformCluster(stack, 'Platform', { kubectl: false });
    expect(platform.kubeProxy!.addon.addonName).toBe('kube-proxy');
  });

  test('fails when the version is not an EKS add-on version', () => {
    expect(() => new KubeProxyAddon({ version: AddonVersion.of('1.36.0') })).toThrow(/^version: not an EKS add-on version, got '1\.36\.0'/);
  });
});
