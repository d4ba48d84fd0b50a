import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AddonVersion, PlatformCluster, VpcCniAddon } from '../../../lib';
import { newStack } from '../../helpers';

describe('VpcCniAddon', () => {
  const stack = newStack();
  const vpcCni = new VpcCniAddon();
  const platform = new PlatformCluster(stack, 'Platform', { kubectl: false, coreAddons: { vpcCni }, nodegroups: [{ id: 'N' }] });
  const template = Template.fromStack(stack);
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild);

  test('installs the pinned vpc-cni version and overwrites drifted fields', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', AddonVersion: 'v1.23.1-eksbuild.1', ResolveConflicts: 'OVERWRITE' });
  });

  test('gives aws-node a Pod Identity role with AmazonEKS_CNI_Policy', () => {
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      PodIdentityAssociations: [{ ServiceAccount: 'aws-node', RoleArn: { 'Fn::GetAtt': [id(platform.vpcCni!.role), 'Arn'] } }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } })] },
      ManagedPolicyArns: [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':iam::aws:policy/AmazonEKS_CNI_Policy'])]) })],
    });
    expect(platform.vpcCniRole).toBe(platform.vpcCni!.role);
  });

  test('is created beside the Pod Identity agent, not after it; the nodes wait for both', () => {
    expect(template.toJSON().Resources[id(platform.vpcCni!)].DependsOn ?? []).not.toContain(id(platform.podIdentityAgent!));
    expect(template.toJSON().Resources[id(platform.nodegroups[0])].DependsOn).toEqual(expect.arrayContaining([id(platform.vpcCni!), id(platform.podIdentityAgent!)]));
  });

  test('uses a given role', () => {
    const s = newStack();
    const role = iam.Role.fromRoleArn(s, 'Cni', 'arn:aws:iam::111122223333:role/cni');
    new PlatformCluster(s, 'Platform', { kubectl: false, coreAddons: { vpcCni: new VpcCniAddon({ role }) } });
    Template.fromStack(s).hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', PodIdentityAssociations: [{ ServiceAccount: 'aws-node', RoleArn: 'arn:aws:iam::111122223333:role/cni' }] });
  });

  test('fails when the version is not an EKS add-on version', () => {
    expect(() => new VpcCniAddon({ version: AddonVersion.of('1.22') })).toThrow(/^version: not an EKS add-on version, got '1.22'; pass a version such as/);
  });

  test('installs one add-on object on two clusters, each with its own role', () => {
    const shared = new VpcCniAddon();
    const a = new PlatformCluster(newStack(), 'A', { kubectl: false, coreAddons: { vpcCni: shared } });
    const b = new PlatformCluster(newStack(), 'B', { kubectl: false, coreAddons: { vpcCni: shared } });
    expect(a.vpcCni!.role).not.toBe(b.vpcCni!.role);
    expect(b.vpcCni!.addon.addonName).toBe('vpc-cni');
  });
});
