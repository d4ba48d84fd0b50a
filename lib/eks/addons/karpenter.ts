import { Annotations, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import type { PlatformCluster } from '../platform-cluster';
import { assertNotInstalled, fargateSelects, kubernetesMinor, requireFargateSelection, requireKubectl } from './addon-support';
import { HELM_CHARTS } from './addon-versions';
import type { IClusterAddon } from './cluster-addon';
import { KarpenterNodeClassOptions, KarpenterNodePoolOptions, KarpenterTaint } from './karpenter-node-pool';
import { KarpenterResources } from './karpenter-resources';

/** The chart installed by default: the version table's (with where it was seen). */
const KARPENTER_CHART_VERSION = HELM_CHARTS.karpenter.version;
/** The add-on name of the Cluster Autoscaler, which must not run beside Karpenter. */
const CLUSTER_AUTOSCALER_NAME = 'cluster-autoscaler';

/**
 * Kubernetes minors each Karpenter minor supports: aws/karpenter-provider-aws,
 * hack/docs/compatibilitymatrix_gen/compatibility.yaml as of 2026-07-11 (the compatibility page of karpenter.sh).
 */
const KUBERNETES_SUPPORT: Record<string, [number, number]> = {
  '1.5': [26, 33], '1.6': [26, 34], '1.7': [26, 34], '1.8': [26, 34], '1.9': [26, 35], '1.10': [26, 35],
  '1.11': [26, 35], '1.12': [26, 35], '1.13': [26, 36], '1.14': [26, 36],
};

/** Props of {@link Karpenter}. */
export interface KarpenterProps {
  /**
   * The `karpenter` chart version (oci://public.ecr.aws/karpenter/karpenter). The controller's IAM policies
   * are upstream's for 1.14.1; check cloudformation.yaml at the new tag when you change it.
   * @default '1.14.1'
   */
  readonly chartVersion?: string;

  /**
   * How the controller's pods get AWS credentials.
   * @default - `IdentityType.POD_IDENTITY`; `IdentityType.IRSA` when the controller runs on Fargate (a
   *   Fargate-only cluster, or a profile selecting its pods in kube-system), where Pod Identity does not work
   */
  readonly identityType?: eks.IdentityType;

  /**
   * Controller replicas (one leader, the others standing by). The chart's anti-affinity puts each replica
   * on a node of its own: the nodes that may run the controller must number at least this many, or the
   * install waits until Helm's timeout.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Labels a node must have to run the controller, e.g. those of a system node group.
   * @default - any Linux node that Karpenter did not launch (the chart's affinity)
   */
  readonly nodeSelector?: Record<string, string>;

  /**
   * Taints the controller tolerates, e.g. that of a dedicated system node group.
   * @default - CriticalAddonsOnly only (the chart's default)
   */
  readonly tolerations?: KarpenterTaint[];

  /**
   * The role of the nodes Karpenter launches. It needs AmazonEKSWorkerNodePolicy and image pull rights.
   * @default - a role with AmazonEKSWorkerNodePolicy and AmazonEC2ContainerRegistryPullOnly
   */
  readonly nodeRole?: iam.IRole;

  /**
   * Create an EC2NodeClass and a NodePool, both named `default`.
   * @default true
   */
  readonly createDefaults?: boolean;

  /**
   * Options of the `default` EC2NodeClass.
   * @default - AL2023 (latest release), 50 GiB encrypted gp3, IMDSv2 with one hop, the cluster's private subnets
   */
  readonly defaultNodeClass?: KarpenterNodeClassOptions;

  /**
   * Options of the `default` NodePool.
   * @default - spot and on-demand, amd64 and arm64, c/m/r generation 5+, 100 vCPU and 400 GiB, 30-day expiry
   */
  readonly defaultNodePool?: KarpenterNodePoolOptions;
}

/**
 * Karpenter v1: launches right-sized EC2 instances for pending pods and removes them when they are
 * empty, underused, expired or drifted (e.g. to a new AMI after a Kubernetes upgrade).
 *
 * Installs the `karpenter` chart from public ECR into kube-system, the controller's IAM (upstream's
 * policies, scoped to the cluster, as customer managed policies) through Pod Identity (IRSA on Fargate),
 * the nodes' role with its EC2_LINUX access entry, the interruption queue with its EventBridge rules,
 * and a `default` EC2NodeClass and NodePool. Exclusive with the Cluster Autoscaler.
 *
 * What it uses from the cluster: the EKS cluster (name, endpoint, security group, OIDC provider on
 * Fargate), the private subnets, the Kubernetes version, the kubectl handler and its role, the node
 * groups and Fargate profiles (to wait for compute), and the names of the installed add-ons.
 *
 * Deletion: NodePools go first, then EC2NodeClasses, whose finalizer waits until Karpenter has drained
 * and terminated every node it launched; then the chart, then IAM and the queue. A kubectl delete
 * that fails is logged by the handler and not retried: check that no instance tagged
 * `karpenter.sh/nodepool` is left after a stack deletion.
 */
export class Karpenter implements IClusterAddon {
  public readonly name: string = 'karpenter';

  private readonly props: KarpenterProps;
  private installedOn?: PlatformCluster;
  private _resources?: KarpenterResources;

  constructor(props: KarpenterProps = {}) {
    const chartVersion = props.chartVersion;
    if (chartVersion !== undefined && !Token.isUnresolved(chartVersion) && !/^1\.\d+\.\d+$/.test(chartVersion)) {
      throw new Error(`chartVersion: not a Karpenter v1 chart version, got '${chartVersion}'; pass a version such as '${KARPENTER_CHART_VERSION}' (no leading v)`);
    }
    const replicas = props.replicas;
    if (replicas !== undefined && !Token.isUnresolved(replicas) && (!Number.isInteger(replicas) || replicas < 1)) {
      throw new Error(`replicas: must be a whole number of at least 1, got ${replicas}; use 2 so a standby takes over when the leader's node goes`);
    }
    if (props.createDefaults === false && (props.defaultNodeClass || props.defaultNodePool)) {
      throw new Error(`createDefaults: false creates no default EC2NodeClass or NodePool, got defaultNodeClass or defaultNodePool too; drop them, or use addNodeClass and addNodePool`);
    }
    this.props = props;
  }

  /** What the add-on created. Undefined before `install`. */
  public get resources(): KarpenterResources | undefined {
    return this._resources;
  }

  public install(cluster: PlatformCluster): void {
    assertNotInstalled(this.installedOn, this.name);
    requireKubectl(cluster, this.name, 'installs a Helm chart and its NodePools');
    const chartVersion = this.props.chartVersion ?? KARPENTER_CHART_VERSION;
    const onFargate = cluster.fargateOnly || fargateSelects(cluster, 'kube-system', KarpenterResources.POD_LABELS);
    const knownOnFargate = cluster.fargateOnly || fargateSelects(cluster, 'kube-system', KarpenterResources.POD_LABELS, false);
    if (this.props.identityType === eks.IdentityType.POD_IDENTITY && knownOnFargate) {
      throw new Error(`identityType: EKS Pod Identity does not work for pods on Fargate, got IdentityType.POD_IDENTITY while the Karpenter controller runs on Fargate in ${cluster.node.path}; leave identityType unset (IRSA) or keep the controller on node groups`);
    }
    this.installedOn = cluster;

    const resources = new KarpenterResources(cluster, 'Karpenter', {
      cluster: cluster.cluster,
      // The name the cluster was created with (a literal unless a token was passed as clusterName).
      clusterName: (cluster.cluster.node.defaultChild as eks.CfnCluster).name!,
      subnets: [...cluster.vpc.privateSubnets, ...cluster.vpc.isolatedSubnets],
      kubectlRole: cluster.kubectlRole,
      chartVersion,
      identityType: this.props.identityType ?? (onFargate ? eks.IdentityType.IRSA : eks.IdentityType.POD_IDENTITY),
      replicas: this.props.replicas,
      nodeSelector: this.props.nodeSelector,
      tolerations: this.props.tolerations,
      nodeRole: this.props.nodeRole,
    });
    this._resources = resources;
    // The controller needs a node or a Fargate profile to run on, and on delete it goes before them.
    cluster.waitForCompute(resources.chart);
    if (onFargate) {
      requireFargateSelection(resources, cluster, this.name, 'kube-system', KarpenterResources.POD_LABELS);
    }
    this.checkCompatibility(resources, cluster, chartVersion);
    resources.node.addValidation({
      validate: () => cluster.addons.some((a) => a.name === CLUSTER_AUTOSCALER_NAME)
        ? [`addons: Karpenter and the Cluster Autoscaler both scale the nodes of ${cluster.node.path}, got both '${this.name}' and '${CLUSTER_AUTOSCALER_NAME}'; install one of them (Karpenter for its own nodes, or the Cluster Autoscaler for managed node groups)`]
        : [],
    });

    if (this.props.createDefaults ?? true) {
      resources.addNodeClass('default', this.props.defaultNodeClass);
      resources.addNodePool('default', this.props.defaultNodePool);
    }
  }

  /** Adds an EC2NodeClass. Call after `install`. */
  public addNodeClass(name: string, options: KarpenterNodeClassOptions = {}): eks.KubernetesManifest {
    return this.installed('addNodeClass').addNodeClass(name, options);
  }

  /** Adds a NodePool. Call after `install`. */
  public addNodePool(name: string, options: KarpenterNodePoolOptions = {}): eks.KubernetesManifest {
    return this.installed('addNodePool').addNodePool(name, options);
  }

  private installed(method: string): KarpenterResources {
    if (!this._resources) {
      throw new Error(`${method}: the karpenter add-on is not installed yet, got a call before install; add the add-on to a PlatformCluster first`);
    }
    return this._resources;
  }

  private checkCompatibility(scope: IConstruct, cluster: PlatformCluster, chartVersion: string): void {
    if (Token.isUnresolved(cluster.version.version) || Token.isUnresolved(chartVersion)) {
      return;
    }
    const minor = Number(kubernetesMinor(cluster).split('.')[1]);
    const karpenterMinor = /^(\d+\.\d+)/.exec(chartVersion)![1];
    const range = KUBERNETES_SUPPORT[karpenterMinor];
    if (range === undefined) {
      Annotations.of(scope).addWarningV2('cdk-container-platform:karpenter-compatibility-unknown',
        `chartVersion: this library's compatibility table has no Karpenter ${karpenterMinor}, got '${chartVersion}'; check https://karpenter.sh/docs/upgrading/compatibility/ for Kubernetes 1.${minor} and upstream's cloudformation.yaml at v${chartVersion} for new IAM permissions`);
      return;
    }
    const [min, max] = range;
    if (minor < min || minor > max) {
      throw new Error(`chartVersion: Karpenter ${chartVersion} supports Kubernetes 1.${min} to 1.${max}, got a cluster on 1.${minor}; ${minor > max ? `upgrade Karpenter first (the default chart ${KARPENTER_CHART_VERSION} supports up to 1.${KUBERNETES_SUPPORT[/^(\d+\.\d+)/.exec(KARPENTER_CHART_VERSION)![1]][1]})` : 'use a newer cluster version'}`);
    }
  }
}
