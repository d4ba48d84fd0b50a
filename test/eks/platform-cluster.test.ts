import { Construct } from 'constructs';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AddonVersion, ClusterSupportType, CoreDnsAddon, KubeProxyAddon, NamespaceAccessLevel, PlatformCluster, PlatformClusterProps, PlatformVpc, PodIdentityAgentAddon, VpcCniAddon, VpcLayout } from '../../lib';
import { ClusterAddon } from '../../lib/eks/addons/cluster-addon';
import { dependsOn } from './addons/addon-test-cluster';
import { complianceRuleIds, expectNoComplianceFindings, newStack } from '../helpers';

function build(props: PlatformClusterProps = {}) {
  const stack = newStack();
  const platform = new PlatformCluster(stack, 'Platform', props);
  return { stack, platform, template: Template.fromStack(stack) };
}

/** The properties of the access entry of a principal. */
function accessEntryOf(template: Template, principalArn: string): any {
  const entries = Object.values<any>(template.findResources('AWS::EKS::AccessEntry')).filter((r) => r.Properties.PrincipalArn === principalArn);
  expect(entries).toHaveLength(1);
  return entries[0].Properties;
}

describe('PlatformCluster, default configuration with a node group and a Fargate profile', () => {
  const admin = iam.Role.fromRoleArn(newStack(), 'A', 'arn:aws:iam::111122223333:role/admin');
  const { stack, platform, template } = build({
    admins: [admin],
    nodegroups: [{ id: 'General' }],
    fargateProfiles: [{ id: 'Batch', selectors: [{ namespace: 'batch' }] }],
  });
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild);

  test('pins Kubernetes 1.36 and bundles its kubectl layer', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { Version: '1.36' });
    template.hasResourceProperties('AWS::Lambda::LayerVersion', { Description: Match.stringLikeRegexp('kubectl') });
  });

  test('keeps the API endpoint private', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }) });
  });

  test('places the control plane in the private subnets only', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ SubnetIds: platform.vpc.privateSubnets.map((s) => ({ Ref: id(s) })) }),
    });
  });

  test('creates a public+private PlatformVpc when no VPC is given', () => {
    expect(platform.network).toBeInstanceOf(PlatformVpc);
    expect(platform.network!.layout).toBe(VpcLayout.PUBLIC_AND_PRIVATE);
  });

  test('envelope-encrypts secrets with a rotated, retained key the control plane may use', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [id(platform.secretsKey), 'Arn'] } }, Resources: ['secrets'] }] });
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('Kubernetes secrets') }), DeletionPolicy: 'RetainExceptOnCreate' });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: id(platform.cluster.role) }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: Match.arrayWith(['kms:CreateGrant', 'kms:Decrypt']), Resource: { 'Fn::GetAtt': [id(platform.secretsKey), 'Arn'] } })] },
    });
  });

  test('enables all five control-plane log types', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((t) => ({ Type: t })) } } });
  });

  test('creates the control-plane log group before the cluster, named, encrypted, kept a year and retained', () => {
    const name = (platform.cluster.node.defaultChild as eks.CfnCluster).name;
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: `/aws/eks/${name}/cluster`, RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [id(platform.logKey!), 'Arn'] } },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    expect(template.toJSON().Resources[id(platform.cluster)].DependsOn).toContain(stack.getLogicalId(platform.logGroup.node.defaultChild as any));
  });

  test('stays on standard support and uses access entries without an implicit creator admin', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      UpgradePolicy: { SupportType: 'STANDARD' },
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
    });
  });

  test('turns Auto Mode and the self-managed networking add-ons off', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: { Enabled: false }, BootstrapSelfManagedAddons: false });
  });

  test('makes the admins cluster admins through an access entry', () => {
    const entry = accessEntryOf(template, admin.roleArn);
    expect(entry.AccessPolicies).toEqual([{ AccessScope: { Type: 'cluster' }, PolicyArn: expect.anything() }]);
    expect(JSON.stringify(entry.AccessPolicies[0].PolicyArn)).toContain(':cluster-access-policy/AmazonEKSClusterAdminPolicy');
  });

  test('runs the kubectl handler in the private subnets', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'onEvent handler for EKS kubectl resource provider',
      VpcConfig: Match.objectLike({ SubnetIds: platform.vpc.privateSubnets.map((s) => ({ Ref: id(s) })) }),
    });
    expect(platform.kubectlEnabled).toBe(true);
  });

  test('installs the four core add-ons first, in order', () => {
    expect(platform.addons.map((a) => a.name)).toEqual(['eks-pod-identity-agent', 'vpc-cni', 'kube-proxy', 'coredns']);
    template.resourceCountIs('AWS::EKS::Addon', 4);
  });

  test('gives the node group a launch template requiring IMDSv2 with hop limit 1 (pods cannot reach the node role) and an encrypted 50 GiB gp3 disk', () => {
    const lt = platform.launchTemplates[0];
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 50, VolumeType: 'gp3', DeleteOnTermination: true } }],
      }),
    });
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      LaunchTemplate: { Id: { Ref: stack.getLogicalId(lt.node.defaultChild as any) }, Version: Match.anyValue() },
    });
  });

  test('turns on detailed monitoring of the nodes by default, and off when asked', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ Monitoring: { Enabled: true } }) });
    const other = newStack();
    const cluster = new PlatformCluster(other, 'Platform', { nodegroups: [{ id: 'Quiet', detailedMonitoring: false }] });
    expect(cluster.launchTemplates).toHaveLength(1);
    Template.fromStack(other).hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ Monitoring: { Enabled: false } }) });
  });

  test('sets the node group defaults: AL2023 x86, on-demand, 2..4 nodes, one unavailable, no force update, auto repair, private subnets', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      AmiType: 'AL2023_x86_64_STANDARD',
      CapacityType: 'ON_DEMAND',
      InstanceTypes: ['m7i.large'],
      ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 4 },
      UpdateConfig: { MaxUnavailable: 1 },
      ForceUpdateEnabled: false,
      NodeRepairConfig: { Enabled: true },
      Subnets: platform.vpc.privateSubnets.map((s) => ({ Ref: id(s) })),
    });
  });

  test('gives nodes a role without the CNI policy (the VPC CNI has its own)', () => {
    const role = template.toJSON().Resources[stack.getLogicalId(platform.nodegroups[0].role.node.defaultChild as any)];
    const policies = JSON.stringify(role.Properties.ManagedPolicyArns);
    expect(policies).toContain('AmazonEKSWorkerNodePolicy');
    expect(policies).toContain('AmazonEC2ContainerRegistryPullOnly');
    expect(policies).not.toContain('AmazonEKS_CNI_Policy');
  });

  test('starts nodes only after vpc-cni, the Pod Identity agent and kube-proxy exist', () => {
    expect(dependsOn(template, id(platform.nodegroups[0]))).toEqual(expect.arrayContaining([id(platform.vpcCni), id(platform.podIdentityAgent), id(platform.kubeProxy)]));
  });

  test('creates vpc-cni, the Pod Identity agent and kube-proxy in parallel: none waits for another add-on', () => {
    const addonIds = [platform.podIdentityAgent, platform.vpcCni, platform.kubeProxy, platform.coreDns].map(id);
    for (const prerequisite of [platform.vpcCni, platform.podIdentityAgent, platform.kubeProxy]) {
      expect(dependsOn(template, id(prerequisite)).filter((d) => addonIds.includes(d))).toEqual([]);
    }
  });

  test('creates CoreDNS after all compute', () => {
    const deps = template.toJSON().Resources[id(platform.coreDns)].DependsOn;
    expect(deps).toEqual(expect.arrayContaining([id(platform.nodegroups[0]), id(platform.fargateProfiles[0])]));
  });

  test('puts Fargate pods in the private subnets with an exposed pod execution role', () => {
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      Selectors: [{ Namespace: 'batch', Labels: [] }],
      Subnets: platform.vpc.privateSubnets.map((s) => ({ Ref: id(s) })),
      PodExecutionRoleArn: { 'Fn::GetAtt': [stack.getLogicalId(platform.fargateProfiles[0].podExecutionRole.node.defaultChild as any), 'Arn'] },
    });
  });

  test('is not Fargate-only while it has a node group', () => {
    expect(platform.fargateOnly).toBe(false);
  });

  test('has no unacknowledged finding in the four cdk-nag packs', () => {
    expectNoComplianceFindings(stack);
  });
});

describe('PlatformCluster, choices', () => {
  test('creates Fargate profiles one after another', () => {
    const { stack, platform, template } = build({
      fargateProfiles: [
        { id: 'A', selectors: [{ namespace: 'kube-system' }] },
        { id: 'B', selectors: [{ namespace: 'b' }] },
      ],
    });
    const [a, b] = platform.fargateProfiles.map((p) => stack.getLogicalId(p.node.defaultChild as any));
    expect(template.toJSON().Resources[b].DependsOn).toContain(a);
  });

  test('makes a node group added after the constructor wait for vpc-cni, the Pod Identity agent and kube-proxy', () => {
    const stack = newStack();
    const platform = new PlatformCluster(stack, 'Platform', { kubectl: false });
    const late = platform.addNodegroup('Late', {});
    const id = (c: any) => stack.getLogicalId(c.node.defaultChild);
    expect(dependsOn(Template.fromStack(stack), id(late))).toEqual(expect.arrayContaining([id(platform.vpcCni), id(platform.podIdentityAgent), id(platform.kubeProxy)]));
  });

  test('makes a construct given to waitForManagedAddons wait for every managed add-on, including one registered later', () => {
    const stack = newStack();
    const platform = new PlatformCluster(stack, 'Platform', { kubectl: false, nodegroups: [{ id: 'N' }] });
    const waiter = new iam.Role(stack, 'Waiter', { assumedBy: new iam.AccountRootPrincipal() });
    platform.waitForManagedAddons(waiter);
    const late = new eks.CfnAddon(stack, 'Late', { addonName: 'snapshot-controller', clusterName: platform.cluster.clusterName });
    platform.registerManagedAddon(late);
    // Template.fromStack also fails on a dependency cycle ("Template is undeployable").
    const template = Template.fromStack(stack);
    const id = (c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);
    expect(dependsOn(template, id(waiter))).toEqual(expect.arrayContaining([platform.podIdentityAgent, platform.vpcCni, platform.kubeProxy, platform.coreDns, late].map(id)));
  });

  test('keeps imdsHopLimit: 2 as an explicit choice', () => {
    const { template } = build({ kubectl: false, nodegroups: [{ id: 'N', imdsHopLimit: 2 }] });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ MetadataOptions: Match.objectLike({ HttpPutResponseHopLimit: 2 }) }) });
  });

  test('makes CoreDNS wait for compute added after the constructor', () => {
    const stack = newStack();
    const platform = new PlatformCluster(stack, 'Platform');
    const late = platform.addNodegroup('Late', {});
    const template = Template.fromStack(stack);
    expect(template.toJSON().Resources[stack.getLogicalId(platform.coreDns!.node.defaultChild as any)].DependsOn).toContain(stack.getLogicalId(late.node.defaultChild as any));
  });

  test('restricts a public endpoint to the given CIDRs', () => {
    const { template } = build({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24') });
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] }),
    });
  });

  test('warns about an endpoint open to the internet', () => {
    const { stack } = build({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE });
    Annotations.fromStack(stack).hasWarning('/Test/Platform', Match.stringLikeRegexp('open to the whole internet'));
  });

  test('uses a given secrets key and log retention, and extended support', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    new PlatformCluster(stack, 'Platform', { secretsKey: key, logRetention: 90, supportType: ClusterSupportType.EXTENDED });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [Match.objectLike({ Provider: { KeyArn: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] } } })],
      UpgradePolicy: { SupportType: 'EXTENDED' },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/aws/eks/'), RetentionInDays: 90 });
  });

  test('gives a role access to its namespaces only', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'Team', 'arn:aws:iam::111122223333:role/team');
    new PlatformCluster(stack, 'Platform', { namespaceAccess: [{ role, namespaces: ['team-a'], level: NamespaceAccessLevel.VIEW }] });
    const entry = accessEntryOf(Template.fromStack(stack), 'arn:aws:iam::111122223333:role/team');
    expect(entry.AccessPolicies).toEqual([{ AccessScope: { Type: 'namespace', Namespaces: ['team-a'] }, PolicyArn: expect.anything() }]);
    expect(JSON.stringify(entry.AccessPolicies[0].PolicyArn)).toContain(':cluster-access-policy/AmazonEKSViewPolicy');
  });

  test('creates no kubectl handler with kubectl: false', () => {
    const { platform, template } = build({ kubectl: false, nodegroups: [{ id: 'N' }] });
    expect(platform.kubectlEnabled).toBe(false);
    template.resourceCountIs('AWS::Lambda::Function', 1); // only the VPC's default-security-group handler
  });

  test('accepts another Kubernetes version with the user\'s kubectl layer', () => {
    const stack = newStack();
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:us-east-1:111122223333:layer:kubectl:1');
    const platform = new PlatformCluster(stack, 'Platform', { version: eks.KubernetesVersion.V1_35, kubectlLayer: layer, coreAddons: {
      vpcCni: new VpcCniAddon({ version: AddonVersion.of('v1.21.1-eksbuild.1') }),
      coreDns: new CoreDnsAddon({ version: AddonVersion.of('v1.13.2-eksbuild.1') }),
      kubeProxy: new KubeProxyAddon({ version: AddonVersion.of('v1.35.0-eksbuild.2') }),
      podIdentityAgent: new PodIdentityAgentAddon({ version: AddonVersion.of('v1.3.10-eksbuild.3') }),
    } });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', { Version: '1.35' });
    expect(platform.version.version).toBe('1.35');
  });

  test('derives an ARM AMI from Graviton instance types and uses Bottlerocket\'s data volume', () => {
    const { template } = build({ nodegroups: [
      { id: 'Arm', instanceTypes: [new ec2.InstanceType('m7g.large')] },
      { id: 'Br', amiType: eks.NodegroupAmiType.BOTTLEROCKET_X86_64, diskSize: 80 },
    ] });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: 'AL2023_ARM_64_STANDARD', InstanceTypes: ['m7g.large'] });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ BlockDeviceMappings: [
      Match.objectLike({ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true }) }),
      Match.objectLike({ DeviceName: '/dev/xvdb', Ebs: Match.objectLike({ Encrypted: true, VolumeSize: 80 }) }),
    ] }) });
  });

  test('warns when a node group runs in public subnets, and the audit still sees it', () => {
    // Public subnets that assign public IPs on launch (aws-cdk-lib's default), the only ones EKS accepts for nodes.
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1, restrictDefaultSecurityGroup: false });
    new PlatformCluster(stack, 'Platform', { vpc, nodegroups: [{ id: 'Edge', subnets: { subnetType: ec2.SubnetType.PUBLIC } }] });
    Annotations.fromStack(stack).hasWarning('/Test/Platform', Match.stringLikeRegexp("node group 'Edge' runs nodes in public subnets"));
    expect(complianceRuleIds(stack)).toContain('ContainerPlatform-EKS5');
  });

  test('leaves an unrestricted endpoint visible to the container-platform pack', () => {
    const { stack } = build({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE, nodegroups: [{ id: 'N' }] });
    // The only finding of the five packs is the platform pack's endpoint rule: the standard packs miss it.
    expect(complianceRuleIds(stack)).toEqual(['ContainerPlatform-EKS1']);
  });

  test('installs further add-ons after node groups and profiles', () => {
    const seen: number[] = [];
    const addon: ClusterAddon = { name: 'probe', install: (scope, c) => { seen.push((c as PlatformCluster).nodegroups.length); return new Construct(scope, 'Probe'); } };
    const { platform } = build({ nodegroups: [{ id: 'N' }], addons: [addon] });
    expect(seen).toEqual([1]);
    expect(platform.addons.map((a) => a.name)).toContain('probe');
  });

  test('works in a private-only VPC', () => {
    const stack = newStack();
    const net = new PlatformVpc(stack, 'Net', { layout: VpcLayout.PRIVATE_ONLY });
    new PlatformCluster(stack, 'Platform', { vpc: net.vpc, nodegroups: [{ id: 'N' }] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Cluster', { ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, SubnetIds: net.vpc.isolatedSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as any) })) }) });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: 'onEvent handler for EKS kubectl resource provider', VpcConfig: Match.anyValue() });
  });
});
