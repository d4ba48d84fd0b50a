import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Options of `PlatformCluster.addNodegroup` (and of each entry of `PlatformClusterProps.nodegroups`). */
export interface PlatformNodegroupOptions {
  /**
   * The node group's name in EKS: up to 63 letters, digits, `-` and `_`, starting with a letter or digit.
   * @default - CloudFormation generates a unique name
   */
  readonly nodegroupName?: string;

  /**
   * Instance types, all of one architecture, matching `amiType`. Give several for spot node groups,
   * so that EKS can draw from more than one spot pool.
   * @default - [m7i.large] for x86_64 AMIs, [m7g.large] for ARM AMIs
   */
  readonly instanceTypes?: ec2.InstanceType[];

  /**
   * The AMI type, always set explicitly on the node group. AL2 types are refused from Kubernetes 1.33,
   * where EKS publishes no AL2 AMIs.
   * @default - AL2023_X86_64_STANDARD, or AL2023_ARM_64_STANDARD when `instanceTypes` are Graviton (ARM) types
   */
  readonly amiType?: eks.NodegroupAmiType;

  /**
   * On-demand or spot capacity.
   * @default eks.CapacityType.ON_DEMAND
   */
  readonly capacityType?: eks.CapacityType;

  /**
   * The fewest nodes.
   * @default 2 (one node may drain while another keeps serving)
   */
  readonly minSize?: number;

  /**
   * The node count at creation, between `minSize` and `maxSize`. It is always rendered: a change of it
   * resets the group to it, undoing what an autoscaler did, and a change of `minSize` or `maxSize` alone
   * is reported to do the same (README, Cluster Autoscaler, "`desiredSize` (known issue)"). On autoscaled
   * groups, pass it explicitly.
   * @default - `minSize`
   */
  readonly desiredSize?: number;

  /**
   * The most nodes.
   * @default - 4, or `minSize` when that is larger
   */
  readonly maxSize?: number;

  /**
   * Kubernetes labels put on every node: keys and values of at most 63 characters (EKS).
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Kubernetes taints put on every node.
   * @default - no taints
   */
  readonly taints?: eks.TaintSpec[];

  /**
   * The size of the node's disk in GiB, 1 to 16384 (the root volume of AL2023, the data volume of Bottlerocket),
   * encrypted gp3, set in the launch template.
   * @default 50
   */
  readonly diskSize?: number;

  /**
   * How many nodes may be unavailable during a node group update. Excludes `maxUnavailablePercentage`.
   * @default - 1, unless `maxUnavailablePercentage` is set
   */
  readonly maxUnavailable?: number;

  /**
   * The percentage of nodes that may be unavailable during a node group update (1 to 100). Excludes `maxUnavailable`.
   * @default - not used; `maxUnavailable` applies
   */
  readonly maxUnavailablePercentage?: number;

  /**
   * Replace nodes during an update even when pod disruption budgets prevent draining them.
   * @default false (updates respect pod disruption budgets and fail rather than break availability)
   */
  readonly forceUpdate?: boolean;

  /**
   * Let EKS replace nodes that report unhealthy (node auto repair).
   * @default true
   */
  readonly nodeAutoRepair?: boolean;

  /**
   * The subnets nodes run in. Public subnets are allowed but raise a warning, and must assign public IPs on
   * launch (EKS refuses others; PlatformVpc's public subnets assign none).
   * @default - the cluster VPC's private subnets
   */
  readonly subnets?: ec2.SubnetSelection;

  /**
   * The IMDS response hop limit of the launch template (IMDSv2 is always required).
   * 1 keeps pods that do not use the host network away from instance metadata, and so from the node
   * role's credentials; pods get AWS credentials through Pod Identity instead. The library's add-ons
   * work with 1: those that read instance metadata run on the host network (VPC CNI, Pod Identity
   * agent, CloudWatch agent, Fluent Bit, EFS CSI node) or are given what they would read (the load
   * balancer controller's region and VPC id, the EBS CSI controller's region, the EBS CSI node's
   * metadata from the Kubernetes API). 2 (EKS's own default) lets every pod reach instance metadata and
   * the node role's credentials: choose it only for workloads that need instance metadata from a pod.
   * @default 1
   */
  readonly imdsHopLimit?: number;

  /**
   * EC2 detailed monitoring of the nodes: one-minute instead of five-minute instance metrics, billed per
   * metric (about seven metrics a node).
   * @default true
   */
  readonly detailedMonitoring?: boolean;

  /**
   * The IAM role of the nodes. It needs AmazonEKSWorkerNodePolicy and ECR pull permissions.
   * @default - a role with AmazonEKSWorkerNodePolicy and AmazonEC2ContainerRegistryPullOnly; no
   *   AmazonEKS_CNI_Policy, because the VPC CNI gets its own role through Pod Identity
   */
  readonly nodeRole?: iam.IRole;
}
