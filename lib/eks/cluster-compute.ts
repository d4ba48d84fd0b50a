import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * A built-in node pool of EKS Auto Mode. EKS creates and maintains it (it cannot be edited); custom
 * NodePools and NodeClasses are Kubernetes objects you add beside it (EKS User Guide, "Create a Node Pool
 * for EKS Auto Mode"; the two pools are described in "Enable or Disable Built-in NodePools").
 */
export class AutoModeNodePool {
  /** `system`: tainted `CriticalAddonsOnly`, for cluster-critical add-ons; amd64 and arm64, on-demand C, M and R instances of generation 5 or later. */
  public static readonly SYSTEM = new AutoModeNodePool('system');
  /** `general-purpose`: for workloads; amd64 only, on-demand C, M and R instances of generation 5 or later. */
  public static readonly GENERAL_PURPOSE = new AutoModeNodePool('general-purpose');

  /** The node pool's name, as EKS spells it in `ComputeConfig.NodePools`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}

/** Options of {@link ClusterCompute.autoMode}. */
export interface AutoModeOptions {
  /**
   * The built-in node pools to turn on. An empty list turns none on: then only NodePools you create
   * (with a NodeClass naming its own node role) get nodes, and no node role is created here.
   * @default - [AutoModeNodePool.SYSTEM, AutoModeNodePool.GENERAL_PURPOSE]
   */
  readonly nodePools?: AutoModeNodePool[];

  /**
   * The IAM role of the nodes of the built-in node pools. It must trust `ec2.amazonaws.com` and carry
   * AmazonEKSWorkerNodeMinimalPolicy and AmazonEC2ContainerRegistryPullOnly or equal permissions, and must
   * not be the cluster role. EKS gives it its Kubernetes permissions through an access entry it creates.
   * @default - a role with exactly those two AWS managed policies is created (when a built-in node pool is on)
   */
  readonly nodeRole?: iam.IRole;
}

/**
 * Where a PlatformCluster's pods run: managed node groups and Fargate profiles the library creates, or
 * EKS Auto Mode, where EKS launches, patches and scales the nodes itself.
 */
export class ClusterCompute {
  /**
   * Managed node groups and Fargate profiles (`nodegroups`, `fargateProfiles`, `addNodegroup`,
   * `addFargateProfile`), with vpc-cni, kube-proxy, CoreDNS and the Pod Identity agent as EKS managed
   * add-ons. Auto Mode is off.
   */
  public static managed(): ClusterCompute {
    return new ClusterCompute(false);
  }

  /**
   * EKS Auto Mode: EKS provisions nodes (Bottlerocket, IMDSv2, SELinux enforcing, read-only root, replaced
   * within 21 days) in its built-in node pools and in NodePools you add, and runs pod networking,
   * kube-proxy, cluster DNS, the Pod Identity agent, EBS block storage, load balancing and node
   * autoscaling itself (EKS User Guide, "Automate cluster infrastructure with EKS Auto Mode"). The
   * add-ons that would duplicate those are refused at synth.
   * @param options the built-in node pools and their node role
   */
  public static autoMode(options: AutoModeOptions = {}): ClusterCompute {
    const pools = options.nodePools ?? [AutoModeNodePool.SYSTEM, AutoModeNodePool.GENERAL_PURPOSE];
    const names = pools.map((p) => p.name);
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated !== undefined) {
      throw new Error(`nodePools: each built-in node pool may be listed once, got '${repeated}' twice in [${names.join(', ')}]; list it once`);
    }
    if (pools.length === 0 && options.nodeRole !== undefined) {
      throw new Error('nodeRole: the node role belongs to the built-in node pools, got a nodeRole with nodePools: []; turn a built-in node pool on, or give the role to your NodeClass instead');
    }
    return new ClusterCompute(true, pools, options.nodeRole);
  }

  /** True for EKS Auto Mode. */
  public readonly isAutoMode: boolean;
  /** @internal */
  public readonly _nodePools: AutoModeNodePool[];
  /** @internal */
  public readonly _nodeRole?: iam.IRole;

  private constructor(isAutoMode: boolean, nodePools: AutoModeNodePool[] = [], nodeRole?: iam.IRole) {
    this.isAutoMode = isAutoMode;
    this._nodePools = nodePools;
    this._nodeRole = nodeRole;
  }
}
