// Module-private: what a PlatformCluster's compute choice sets on aws-eks-v2's Cluster, the Auto Mode node
// role, and the add-ons and compute Auto Mode refuses. Not exported from lib/index.ts.
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { ClusterCompute } from './cluster-compute';
import type { PlatformCluster } from './platform-cluster';
import type { CoreAddons } from './platform-cluster-props';

/** The Kubernetes objects that hand load balancers to Auto Mode (EKS User Guide, "Enable EKS Auto Mode on existing EKS clusters", migration reference). */
const AUTO_LOAD_BALANCING = 'load balancing: Ingresses of an IngressClass with controller eks.amazonaws.com/alb (parameters in an IngressClassParams of apiVersion eks.amazonaws.com/v1), and Services with loadBalancerClass eks.amazonaws.com/nlb';
const AUTO_BLOCK_STORAGE = 'EBS block storage: a StorageClass with provisioner ebs.csi.eks.amazonaws.com (parameters type: gp3, encrypted: "true")';
const AUTO_SCALING = 'node autoscaling (Karpenter-based): add NodePools of apiVersion karpenter.sh/v1 that name a NodeClass of apiVersion eks.amazonaws.com/v1';

/**
 * The add-ons, by name, whose work EKS Auto Mode does itself, and what replaces each. The core four and
 * the EBS CSI driver: EKS User Guide, "Considerations for Amazon EKS Auto Mode" (they "become redundant");
 * the load balancer controller and Karpenter: "Automate cluster infrastructure with EKS Auto Mode".
 * The Cluster Autoscaler scales node groups, which an Auto Mode PlatformCluster has none of.
 */
const RUN_BY_AUTO_MODE: Record<string, string> = {
  'vpc-cni': 'pod networking (built into every Auto Mode node)',
  'kube-proxy': 'service networking (built into every Auto Mode node)',
  'coredns': 'cluster DNS (a local DNS service on every Auto Mode node)',
  'eks-pod-identity-agent': 'the Pod Identity agent (pod identity associations work without the add-on)',
  'aws-ebs-csi-driver': AUTO_BLOCK_STORAGE,
  'aws-load-balancer-controller': AUTO_LOAD_BALANCING,
  'karpenter': AUTO_SCALING,
  'cluster-autoscaler': AUTO_SCALING,
};

/** The names the user-facing CoreAddons fields carry in messages. */
const CORE_ADDON_FIELDS: Array<keyof CoreAddons> = ['vpcCni', 'coreDns', 'kubeProxy', 'podIdentityAgent'];

/** What the compute choice sets on aws-eks-v2's Cluster props. */
export interface ClusterComputeSettings {
  readonly defaultCapacityType: eks.DefaultCapacityType;
  readonly defaultCapacity?: number;
  readonly compute?: eks.ComputeConfig;
  /** The node role created for the built-in node pools, if one was. */
  readonly nodeRole?: iam.Role;
}

/**
 * The aws-eks-v2 Cluster props of a compute choice. With Auto Mode and a built-in node pool but no
 * `nodeRole`, creates the node role here: aws-eks-v2's own would carry AmazonEKSWorkerNodePolicy and
 * AmazonEC2ContainerRegistryReadOnly, broader than the two policies the EKS User Guide names for Auto
 * Mode nodes ("Amazon EKS Auto Mode node IAM role").
 */
export function clusterComputeSettings(scope: Construct, compute: ClusterCompute, coreAddons: CoreAddons | undefined): ClusterComputeSettings {
  if (!compute.isAutoMode) {
    // NODEGROUP with no default capacity turns EKS Auto Mode off: compute is the node groups and profiles.
    return { defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0 };
  }
  const given = CORE_ADDON_FIELDS.filter((f) => coreAddons?.[f] !== undefined);
  if (given.length > 0) {
    throw new Error(`coreAddons: EKS Auto Mode runs the VPC CNI, kube-proxy, CoreDNS and the Pod Identity agent on its nodes itself, got ${given.map((f) => `coreAddons.${f}`).join(', ')} with compute: ClusterCompute.autoMode(); remove coreAddons, or use compute: ClusterCompute.managed()`);
  }
  const pools = compute._nodePools;
  const nodeRole = pools.length > 0 && compute._nodeRole === undefined ? createAutoModeNodeRole(scope) : undefined;
  return {
    defaultCapacityType: eks.DefaultCapacityType.AUTOMODE,
    compute: { nodePools: pools.map((p) => p.name), nodeRole: compute._nodeRole ?? nodeRole },
    nodeRole,
  };
}

/**
 * The role of the built-in node pools' nodes. No access entry: EKS Auto Mode creates the node role's
 * access entry itself (EKS User Guide, "Learn about identity and access in EKS Auto Mode"), and a second
 * one for the same principal would fail.
 */
function createAutoModeNodeRole(scope: Construct): iam.Role {
  const role = new iam.Role(scope, 'AutoModeNodeRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `Nodes of the EKS Auto Mode built-in node pools of ${scope.node.path}`,
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodeMinimalPolicy'),
      iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
    ],
  });
  Compliance.acknowledgeAll(role, [
    { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy]', reason: 'The EKS User Guide names AmazonEKSWorkerNodeMinimalPolicy (or equal permissions) for EKS Auto Mode node roles, and AWS keeps it current as Auto Mode nodes change; it allows only eks-auth:AssumeRoleForPodIdentity, the call that serves pods their Pod Identity credentials. Pass nodeRole in ClusterCompute.autoMode() to use your own' },
    { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly]', reason: 'AmazonEC2ContainerRegistryPullOnly is the narrowest AWS managed policy for image pulls, which come from repositories unknown at synth (and ecr:GetAuthorizationToken has no resource scope). Pass nodeRole in ClusterCompute.autoMode() to use your own' },
  ]);
  return role;
}

/**
 * The cluster role aws-eks-v2 creates gets, under Auto Mode, the four AWS managed policies the EKS User
 * Guide names for Auto Mode's capabilities ("Learn about identity and access in EKS Auto Mode"), and
 * sts:TagSession in its trust policy.
 */
export function acknowledgeAutoModeClusterRole(cluster: eks.Cluster, compute: ClusterCompute): void {
  const role = cluster.node.tryFindChild('Role');
  if (!role || !compute.isAutoMode) {
    return;
  }
  const uses: Record<string, string> = {
    AmazonEKSComputePolicy: 'launch and terminate the nodes of its node pools',
    AmazonEKSBlockStoragePolicy: 'create, attach and delete the EBS volumes of its block storage',
    AmazonEKSLoadBalancingPolicy: 'create and configure the load balancers of its load balancing',
    AmazonEKSNetworkingPolicy: 'create the network interfaces and security groups of its nodes',
  };
  Compliance.acknowledgeAll(role, Object.entries(uses).map(([policy, use]) => ({
    ruleId: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
    reason: `EKS Auto Mode needs ${policy} (or equal permissions) on the cluster role to ${use}; the EKS User Guide names this AWS managed policy, AWS extends it as Auto Mode gains features, and aws-eks-v2 attaches it to the role it creates. Pass compute: ClusterCompute.managed() to drop it`,
  })));
}

/**
 * Under Auto Mode, fails at synth on add-ons whose work Auto Mode does itself, by add-on name (so that
 * it holds whatever installs them, and in whatever order), and on node groups and Fargate profiles:
 * beside Auto Mode nodes they would need the VPC CNI, kube-proxy, CoreDNS and the Pod Identity agent
 * ("Considerations for Amazon EKS Auto Mode": with other compute "these add-ons remain necessary"),
 * which an Auto Mode PlatformCluster does not install.
 */
export function refuseUnderAutoMode(cluster: PlatformCluster, compute: ClusterCompute): void {
  if (!compute.isAutoMode) {
    return;
  }
  cluster.node.addValidation({
    validate: () => {
      const errors: string[] = [];
      // The cluster's addons and what installs recorded from any stack (addon.install(scope, cluster)).
      const names = new Set([...cluster.addons.map((a) => a.name), ...cluster.installedAddonNames]);
      for (const name of names) {
        const replacement = RUN_BY_AUTO_MODE[name];
        if (replacement !== undefined) {
          errors.push(`addons: EKS Auto Mode runs ${replacement}, got the ${name} add-on on ${cluster.node.path} with compute: ClusterCompute.autoMode(); remove the add-on and use Auto Mode's, or use compute: ClusterCompute.managed()`);
        }
      }
      if (cluster.nodegroups.length > 0) {
        errors.push(`nodegroups: an EKS Auto Mode PlatformCluster runs pods on Auto Mode nodes only, got node groups ${cluster.nodegroups.map((n) => n.node.id).join(', ')} on ${cluster.node.path}; their nodes would need the VPC CNI, kube-proxy and the Pod Identity agent, which Auto Mode does not run on them. Add a NodePool (karpenter.sh/v1) for other instance types, or use compute: ClusterCompute.managed()`);
      }
      if (cluster.fargateProfiles.length > 0) {
        errors.push(`fargateProfiles: an EKS Auto Mode PlatformCluster runs pods on Auto Mode nodes only, got Fargate profiles ${cluster.fargateProfiles.map((p) => p.node.id).join(', ')} on ${cluster.node.path}; Fargate pods would need CoreDNS, which Auto Mode does not run for them. Remove the profiles, or use compute: ClusterCompute.managed()`);
      }
      return errors;
    },
  });
}
