import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * examples/eks-cluster-stack.ts written with plain aws-eks-v2: a private cluster with an admin and a
 * namespace-scoped team role, an on-demand x86 node group, a spot Graviton node group and a Fargate profile.
 */
export class PlainEksClusterStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const admin = new iam.Role(this, 'PlatformAdminRole', { assumedBy: new iam.AccountRootPrincipal() });
    const teamA = new iam.Role(this, 'TeamARole', { assumedBy: new iam.AccountRootPrincipal() });
    const cluster = new eks.Cluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_36,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(this, 'Kubectl') },
      clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR, eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER],
    });
    cluster.grantAccess('Admin', admin.roleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
    ]);
    cluster.grantAccess('TeamA', teamA.roleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: ['team-a'] }),
    ]);
    cluster.addNodegroupCapacity('General', {
      instanceTypes: [new ec2.InstanceType('m7i.large')],
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      minSize: 2,
      maxSize: 6,
      labels: { 'platform.example.com/pool': 'general' },
    });
    cluster.addNodegroupCapacity('SpotArm', {
      instanceTypes: ['m7g.large', 'c7g.xlarge', 'm6g.large'].map((t) => new ec2.InstanceType(t)),
      amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
      capacityType: eks.CapacityType.SPOT,
      minSize: 0,
      desiredSize: 1,
      maxSize: 10,
      labels: { 'platform.example.com/pool': 'spot-arm' },
      taints: [{ key: 'platform.example.com/spot', value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }],
      maxUnavailablePercentage: 33,
    });
    cluster.addFargateProfile('Batch', { selectors: [{ namespace: 'batch' }] });
  }
}
