import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AutoModeNodePool, AwsLoadBalancerController, ClusterCompute, ContainerInsights, CoreDnsAddon, EbsCsiDriver, EfsCsiDriver,
  KubeProxyAddon, MetricsServer, PlatformCluster, PlatformClusterProps, PodIdentityAgentAddon, VpcCniAddon,
} from '../../lib';
import { Construct } from 'constructs';
import { ClusterAddon } from '../../lib/eks/addons/cluster-addon';
import type { IPlatformCluster } from '../../lib/eks/platform-cluster-ref';
import { expectNoComplianceFindings, newStack } from '../helpers';

function build(props: PlatformClusterProps = {}) {
  const stack = newStack();
  const platform = new PlatformCluster(stack, 'Platform', { compute: ClusterCompute.autoMode(), ...props });
  return { stack, platform };
}

/** An add-on known only by its name, as the Karpenter and Cluster Autoscaler add-ons of other files are. */
function namedAddon(name: string): ClusterAddon {
  return new (class extends ClusterAddon {
    public readonly name = name;
    public install(scope: Construct, cluster: IPlatformCluster): Construct {
      const installation = new Construct(scope, name);
      cluster.registerAddon(name, installation);
      return installation;
    }
  })();
}

/** The managed policy ARNs of a role in the template, rendered as `arn:<partition>:iam::aws:policy/<name>` names. */
function managedPolicyNames(template: Template, roleId: string): string[] {
  const arns: any[] = template.toJSON().Resources[roleId].Properties.ManagedPolicyArns ?? [];
  return arns.map((arn) => JSON.stringify(arn).replace(/.*:iam::aws:policy\/([^"]+)".*/, '$1')).sort();
}

describe('PlatformCluster with EKS Auto Mode, default node pools', () => {
  const { stack, platform } = build();
  const template = Template.fromStack(stack);
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild);

  test('turns on Auto Mode compute with both built-in node pools, block storage and load balancing', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ComputeConfig: { Enabled: true, NodePools: ['system', 'general-purpose'], NodeRoleArn: { 'Fn::GetAtt': [id(platform.autoModeNodeRole), 'Arn'] } },
      StorageConfig: { BlockStorage: { Enabled: true } },
      KubernetesNetworkConfig: { ElasticLoadBalancing: { Enabled: true } },
      BootstrapSelfManagedAddons: false,
    });
  });

  test('keeps the secure defaults: private endpoint, encrypted secrets, all control-plane logs, access entries only', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      EncryptionConfig: [Match.objectLike({ Resources: ['secrets'] })],
      Logging: { ClusterLogging: { EnabledTypes: Match.arrayWith([{ Type: 'audit' }, { Type: 'authenticator' }]) } },
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
    });
  });

  test('gives the nodes a role with the two policies the EKS User Guide names for Auto Mode nodes', () => {
    expect(platform.autoModeNodeRole).toBeDefined();
    expect(managedPolicyNames(template, id(platform.autoModeNodeRole))).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSWorkerNodeMinimalPolicy']);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } })] },
      Description: Match.stringLikeRegexp('EKS Auto Mode built-in node pools'),
    });
  });

  test('creates no access entry for the node role (EKS Auto Mode creates it)', () => {
    const entries = Object.values<any>(template.findResources('AWS::EKS::AccessEntry'));
    expect(entries.map((e) => JSON.stringify(e.Properties.PrincipalArn))).not.toContainEqual(expect.stringContaining(id(platform.autoModeNodeRole)));
  });

  test('gives the cluster role the four Auto Mode policies and sts:TagSession for eks.amazonaws.com', () => {
    const roleId = id(platform.cluster.role);
    expect(managedPolicyNames(template, roleId)).toEqual([
      'AmazonEKSBlockStoragePolicy', 'AmazonEKSClusterPolicy', 'AmazonEKSComputePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy',
    ]);
    expect(template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' } },
    ]);
  });

  test('installs none of the core add-ons, creates no node group and no Fargate profile', () => {
    template.resourceCountIs('AWS::EKS::Addon', 0);
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    template.resourceCountIs('AWS::EKS::FargateProfile', 0);
    expect([platform.vpcCni, platform.coreDns, platform.kubeProxy, platform.podIdentityAgent, platform.vpcCniRole]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(platform.compute.isAutoMode).toBe(true);
  });

  test('does not warn that the cluster has no compute', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('no node group and no Fargate profile'));
  });

  test('has no unacknowledged finding in the four cdk-nag packs and the ContainerPlatform pack', () => {
    expectNoComplianceFindings(stack);
  });
});

describe('PlatformCluster with EKS Auto Mode, choices', () => {
  test('stays on managed compute by default', () => {
    const stack = newStack();
    const platform = new PlatformCluster(stack, 'Platform', { nodegroups: [{ id: 'General' }] });
    expect(platform.compute.isAutoMode).toBe(false);
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: { Enabled: false } });
  });

  test('turns on only the system node pool when asked', () => {
    const { stack } = build({ compute: ClusterCompute.autoMode({ nodePools: [AutoModeNodePool.SYSTEM] }) });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: Match.objectLike({ NodePools: ['system'] }) });
  });

  test('uses a given node role and creates none', () => {
    const stack = newStack();
    const nodeRole = iam.Role.fromRoleArn(stack, 'NodeRole', 'arn:aws:iam::111122223333:role/AmazonEKSAutoNodeRole');
    const platform = new PlatformCluster(stack, 'Platform', { compute: ClusterCompute.autoMode({ nodeRole }) });
    expect(platform.autoModeNodeRole).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: Match.objectLike({ NodeRoleArn: 'arn:aws:iam::111122223333:role/AmazonEKSAutoNodeRole' }) });
  });

  test('with no built-in node pool, renders no node role and creates none', () => {
    const { stack, platform } = build({ compute: ClusterCompute.autoMode({ nodePools: [] }) });
    expect(platform.autoModeNodeRole).toBeUndefined();
    const cluster = Object.values<any>(Template.fromStack(stack).findResources('AWS::EKS::Cluster'))[0];
    expect(cluster.Properties.ComputeConfig).toEqual({ Enabled: true, NodePools: [] });
  });

  test('allows the add-ons Auto Mode does not run: EFS CSI driver, CloudWatch observability, metrics-server', () => {
    const { stack } = build({ addons: [new EfsCsiDriver(), new ContainerInsights(), new MetricsServer()] });
    const template = Template.fromStack(stack);
    for (const name of ['aws-efs-csi-driver', 'amazon-cloudwatch-observability', 'metrics-server']) {
      template.hasResourceProperties('AWS::EKS::Addon', { AddonName: name });
    }
  });

  test('fails when a built-in node pool is listed twice', () => {
    expect(() => ClusterCompute.autoMode({ nodePools: [AutoModeNodePool.SYSTEM, AutoModeNodePool.SYSTEM] }))
      .toThrow(/^nodePools: each built-in node pool may be listed once, got 'system' twice in \[system, system\]; list it once$/);
  });

  test('fails when a node role is given with no built-in node pool', () => {
    const nodeRole = iam.Role.fromRoleArn(newStack(), 'R', 'arn:aws:iam::111122223333:role/nodes');
    expect(() => ClusterCompute.autoMode({ nodePools: [], nodeRole })).toThrow(/^nodeRole: the node role belongs to the built-in node pools, got a nodeRole with nodePools: \[\]/);
  });
});

describe('PlatformCluster with EKS Auto Mode, refusals', () => {
  test('fails when core add-ons are passed, naming them', () => {
    expect(() => build({ coreAddons: { vpcCni: new VpcCniAddon(), coreDns: new CoreDnsAddon() } }))
      .toThrow(/^coreAddons: EKS Auto Mode runs the VPC CNI, kube-proxy, CoreDNS and the Pod Identity agent on its nodes itself, got coreAddons.vpcCni, coreAddons.coreDns with compute: ClusterCompute.autoMode\(\); remove coreAddons, or use compute: ClusterCompute.managed\(\)$/);
  });

  test.each([
    ['the AWS Load Balancer Controller', () => new AwsLoadBalancerController(), /addons: EKS Auto Mode runs load balancing: Ingresses of an IngressClass with controller eks.amazonaws.com\/alb .*, got the aws-load-balancer-controller add-on on Test\/Platform/],
    ['the EBS CSI driver', () => new EbsCsiDriver(), /addons: EKS Auto Mode runs EBS block storage: a StorageClass with provisioner ebs.csi.eks.amazonaws.com .*, got the aws-ebs-csi-driver add-on/],
    ['Karpenter', () => namedAddon('karpenter'), /addons: EKS Auto Mode runs node autoscaling \(Karpenter-based\).*, got the karpenter add-on/],
    ['the Cluster Autoscaler', () => namedAddon('cluster-autoscaler'), /addons: EKS Auto Mode runs node autoscaling \(Karpenter-based\).*, got the cluster-autoscaler add-on/],
  ])('fails at synth on %s, naming what replaces it', (_what, addon, message) => {
    const { stack } = build({ addons: [addon()] });
    expect(() => Template.fromStack(stack)).toThrow(message);
  });

  test.each([
    ['vpc-cni', () => new VpcCniAddon(), /pod networking/],
    ['kube-proxy', () => new KubeProxyAddon(), /service networking/],
    ['coredns', () => new CoreDnsAddon(), /cluster DNS/],
    ['eks-pod-identity-agent', () => new PodIdentityAgentAddon(), /the Pod Identity agent/],
  ])('fails at synth on the %s add-on installed after the constructor', (name, addon, replacement) => {
    const { stack, platform } = build();
    platform.addAddon(addon());
    expect(() => Template.fromStack(stack)).toThrow(new RegExp(`addons: EKS Auto Mode runs ${replacement.source}.*, got the ${name} add-on on Test/Platform with compute: ClusterCompute.autoMode\\(\\); remove the add-on and use Auto Mode's, or use compute: ClusterCompute.managed\\(\\)`));
  });

  test('fails at synth on node groups, given in props or added later', () => {
    const { stack, platform } = build({ nodegroups: [{ id: 'General' }] });
    platform.addNodegroup('Later');
    expect(() => Template.fromStack(stack)).toThrow(/nodegroups: an EKS Auto Mode PlatformCluster runs pods on Auto Mode nodes only, got node groups NodegroupGeneral, NodegroupLater on Test\/Platform/);
  });

  test('fails at synth on Fargate profiles', () => {
    const { stack } = build({ fargateProfiles: [{ id: 'Batch', selectors: [{ namespace: 'batch' }] }] });
    expect(() => Template.fromStack(stack)).toThrow(/fargateProfiles: an EKS Auto Mode PlatformCluster runs pods on Auto Mode nodes only, got Fargate profiles FargateProfileBatch on Test\/Platform/);
  });
});
