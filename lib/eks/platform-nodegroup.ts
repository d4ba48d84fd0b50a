import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { validateNodegroupSubnets } from './cluster-validation';
import { nodeLaunchTemplate, resolveNodegroup } from './nodegroup-builder';
import { followClusterVersion, kubernetesMinorOf, minorNumber } from './kubernetes-support';
import { PlatformNodegroupOptions } from './nodegroup-options';
import type { IPlatformCluster } from './platform-cluster-ref';
import { Compliance } from '../compliance/acknowledge';

/** Props of {@link PlatformNodegroup}. */
export interface PlatformNodegroupProps extends PlatformNodegroupOptions {
  /** The cluster the nodes join: a PlatformCluster, or one imported with `PlatformCluster.fromClusterAttributes`. */
  readonly cluster: IPlatformCluster;
}

/**
 * A managed node group in a scope of its own, e.g. an application team's stack: the same node group
 * `PlatformCluster.addNodegroup` creates (IMDSv2, encrypted disks, explicit AMI type, node auto repair).
 * It waits for the cluster's node prerequisites (vpc-cni, kube-proxy, the Pod Identity agent) across stacks;
 * add-ons in the cluster's stack do not wait for it (see IPlatformCluster).
 */
export class PlatformNodegroup extends Construct {
  /** The node group. */
  public readonly nodegroup: eks.Nodegroup;
  /** Its launch template. */
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** The role of its nodes. */
  public readonly nodeRole: iam.IRole;

  constructor(scope: Construct, id: string, props: PlatformNodegroupProps) {
    super(scope, id);
    const { cluster, ...options } = props;
    const built = buildNodegroup(this, cluster, id, options, { nodegroup: 'Nodegroup', launchTemplate: 'LaunchTemplate', nodeRole: 'NodeRole' });
    this.nodegroup = built.nodegroup;
    this.launchTemplate = built.launchTemplate;
    this.nodeRole = built.nodeRole;
  }
}

/** The construct ids a node group's parts get in their scope. */
export interface NodegroupIds {
  readonly nodegroup: string;
  readonly launchTemplate: string;
  readonly nodeRole: string;
}

/** One code path for `addNodegroup` and `PlatformNodegroup`: the node group, registered with its cluster. */
export function buildNodegroup(scope: Construct, cluster: IPlatformCluster, id: string, options: PlatformNodegroupOptions, ids: NodegroupIds):
{ nodegroup: eks.Nodegroup; launchTemplate: ec2.LaunchTemplate; nodeRole: iam.IRole } {
  const minor = kubernetesMinorOf(cluster.version);
  const resolved = resolveNodegroup(scope, id, options, minor === undefined ? undefined : minorNumber(minor));
  const privateSubnets = [...cluster.vpc.privateSubnets, ...cluster.vpc.isolatedSubnets];
  if (options.subnets === undefined && privateSubnets.length === 0) {
    throw new Error(`nodegroups: node group '${id}' defaults to private subnets, got a VPC without private or isolated subnets; use a VPC with private subnets or pass subnets explicitly`);
  }
  const subnets = options.subnets ?? { subnets: privateSubnets };
  validateNodegroupSubnets(cluster.vpc, subnets, id);
  warnOnPublicSubnets(scope, cluster.vpc, id, subnets);

  const maxUnavailable = options.maxUnavailablePercentage === undefined ? (options.maxUnavailable ?? 1) : undefined;
  const maxUnavailablePercentage = options.maxUnavailablePercentage;
  // aws-cdk-lib range-checks the update config and compares it with maxSize without resolving tokens, so
  // with CfnParameter values it is set on the CloudFormation resource below (resolveNodegroup checks literals).
  const deferUpdateConfig = [resolved.maxSize, maxUnavailable, maxUnavailablePercentage].some((n) => n !== undefined && Token.isUnresolved(n));
  const launchTemplate = nodeLaunchTemplate(scope, ids.launchTemplate, resolved.amiType, options);
  const nodeRole = options.nodeRole ?? createNodeRole(scope, ids.nodeRole, id);
  const nodegroup = new eks.Nodegroup(scope, ids.nodegroup, {
    cluster: cluster.eksCluster,
    nodegroupName: options.nodegroupName,
    amiType: resolved.amiType,
    instanceTypes: resolved.instanceTypes,
    capacityType: options.capacityType ?? eks.CapacityType.ON_DEMAND,
    minSize: resolved.minSize,
    desiredSize: resolved.desiredSize,
    maxSize: resolved.maxSize,
    labels: options.labels,
    taints: options.taints,
    subnets,
    nodeRole,
    launchTemplateSpec: { id: launchTemplate.launchTemplateId!, version: launchTemplate.latestVersionNumber },
    maxUnavailable: deferUpdateConfig ? undefined : maxUnavailable,
    maxUnavailablePercentage: deferUpdateConfig ? undefined : maxUnavailablePercentage,
    forceUpdate: options.forceUpdate ?? false,
    enableNodeAutoRepair: options.nodeAutoRepair ?? true,
  });
  if (deferUpdateConfig) {
    (nodegroup.node.defaultChild as eks.CfnNodegroup).updateConfig = { maxUnavailable, maxUnavailablePercentage };
  }
  // On an upgrade of the cluster's version, EKS rolls the group to the new minor's AMI (respecting PodDisruptionBudgets).
  followClusterVersion(nodegroup, cluster.version);
  // Waits for the cluster's node prerequisites; waiters wait for it (see IPlatformCluster for across stacks).
  cluster.registerNodegroup(nodegroup, resolved.amiType);
  return { nodegroup, launchTemplate, nodeRole };
}

function warnOnPublicSubnets(scope: Construct, vpc: ec2.IVpc, id: string, selection: ec2.SubnetSelection): void {
  const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
  const selected = vpc.selectSubnets(selection).subnets;
  if (selected.some((s) => publicIds.has(s.subnetId))) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:eksNodegroupPublicSubnets',
      `subnets: node group '${id}' runs nodes in public subnets, got a selection with public subnets; nodes are then reachable from the internet on every port their security groups open, so use private subnets (the default)`);
  }
}

function createNodeRole(scope: Construct, constructId: string, id: string): iam.Role {
  const role = new iam.Role(scope, constructId, {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `Nodes of node group ${id} of ${scope.node.path}`,
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodePolicy'),
      iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
    ],
  });
  Compliance.acknowledgeAll(role, [
    { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy]', reason: 'EKS requires AmazonEKSWorkerNodePolicy (or an equal policy AWS keeps current) on node roles so nodes can join and use Pod Identity. Pass nodeRole to use your own' },
    { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly]', reason: 'AmazonEC2ContainerRegistryPullOnly is the narrowest AWS managed policy for image pulls, which come from repositories unknown at synth (and ecr:GetAuthorizationToken has no resource scope). Pass nodeRole to use your own' },
  ]);
  return role;
}
