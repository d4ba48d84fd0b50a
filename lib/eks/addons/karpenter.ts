import { Annotations, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { KARPENTER_ADDON } from '../node-autoscaling';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { kubernetesMinor, requireKubectl, validateReplicas } from './addon-support';
import { HELM_CHARTS } from './addon-versions';
import { ClusterAddon } from './cluster-addon';
import { KarpenterInstallation } from './karpenter-installation';
import { KarpenterNodeClassOptions, KarpenterNodePoolOptions, KarpenterTaint } from './karpenter-node-pool';

/** The chart installed by default: the version table's (with where it was seen). */
const KARPENTER_CHART_VERSION = HELM_CHARTS.karpenter.version;

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
 * and a `default` EC2NodeClass and NodePool. Exclusive with the Cluster Autoscaler, however either is
 * installed. The add-on object holds settings only: each `install` returns a `KarpenterInstallation`,
 * which adds further EC2NodeClasses and NodePools.
 *
 * What it uses from the cluster: the EKS cluster (its name as a literal, endpoint when known, security
 * group, OIDC provider on Fargate), the private subnets, the Kubernetes version, the kubectl handler and
 * its role, the node groups and Fargate profiles (to wait for compute), and the names of the installed
 * add-ons. An imported cluster needs a literal `clusterName`, a `kubectlProvider`, a
 * `clusterSecurityGroupId` and, when the controller runs on Fargate, an `openIdConnectProvider`.
 *
 * Deletion: NodePools go first, then EC2NodeClasses, whose finalizer waits until Karpenter has drained
 * and terminated every node it launched; then the chart, then IAM and the queue. A kubectl delete
 * that fails is logged by the handler and not retried: check that no instance tagged
 * `karpenter.sh/nodepool` is left after a stack deletion.
 */
export class Karpenter extends ClusterAddon {
  public readonly name: string = KARPENTER_ADDON;

  private readonly props: KarpenterProps;

  constructor(props: KarpenterProps = {}) {
    super();
    const chartVersion = props.chartVersion;
    if (chartVersion !== undefined && !Token.isUnresolved(chartVersion) && !/^1\.\d+\.\d+$/.test(chartVersion)) {
      throw new Error(`chartVersion: not a Karpenter v1 chart version, got '${chartVersion}'; pass a version such as '${KARPENTER_CHART_VERSION}' (no leading v)`);
    }
    validateReplicas(props.replicas, "use 2 so a standby takes over when the leader's node goes");
    if (props.createDefaults === false && (props.defaultNodeClass || props.defaultNodePool)) {
      throw new Error(`createDefaults: false creates no default EC2NodeClass or NodePool, got defaultNodeClass or defaultNodePool too; drop them, or use addNodeClass and addNodePool of the installation`);
    }
    this.props = props;
  }

  /**
   * Installs Karpenter on `cluster`, under `scope` (construct id `Karpenter`).
   * @param scope where to create it (the cluster, or a construct in an add-ons stack)
   * @param cluster the cluster
   */
  public install(scope: Construct, cluster: IPlatformCluster): KarpenterInstallation {
    requireKubectl(cluster, this.name, 'installs a Helm chart and its NodePools');
    const chartVersion = this.props.chartVersion ?? KARPENTER_CHART_VERSION;
    checkCompatibility(cluster, chartVersion);
    const installation = new KarpenterInstallation(scope, 'Karpenter', {
      cluster,
      chartVersion,
      identityType: this.props.identityType,
      replicas: this.props.replicas,
      nodeSelector: this.props.nodeSelector,
      tolerations: this.props.tolerations,
      nodeRole: this.props.nodeRole,
    });
    warnOnUnknownCompatibility(installation, cluster, chartVersion);
    if (this.props.createDefaults ?? true) {
      installation.addNodeClass('default', this.props.defaultNodeClass);
      installation.addNodePool('default', this.props.defaultNodePool);
    }
    return installation;
  }
}

/** The Karpenter minor of a chart version, and the Kubernetes minors of a literal cluster version; undefined for tokens. */
function minors(cluster: IPlatformCluster, chartVersion: string): { kubernetes: number; karpenter: string } | undefined {
  if (Token.isUnresolved(cluster.version.version) || Token.isUnresolved(chartVersion)) {
    return undefined;
  }
  return { kubernetes: Number(kubernetesMinor(cluster).split('.')[1]), karpenter: /^(\d+\.\d+)/.exec(chartVersion)![1] };
}

/** Fails, before anything is created, for a Karpenter minor that does not support the cluster's Kubernetes minor. */
function checkCompatibility(cluster: IPlatformCluster, chartVersion: string): void {
  const m = minors(cluster, chartVersion);
  const range = m && KUBERNETES_SUPPORT[m.karpenter];
  if (m === undefined || range === undefined) {
    return;
  }
  const [min, max] = range;
  if (m.kubernetes < min || m.kubernetes > max) {
    throw new Error(`chartVersion: Karpenter ${chartVersion} supports Kubernetes 1.${min} to 1.${max}, got a cluster on 1.${m.kubernetes}; ${m.kubernetes > max ? `upgrade Karpenter first (the default chart ${KARPENTER_CHART_VERSION} supports up to 1.${KUBERNETES_SUPPORT[/^(\d+\.\d+)/.exec(KARPENTER_CHART_VERSION)![1]][1]})` : 'use a newer cluster version'}`);
  }
}

/** Warns when the library has no compatibility data for the Karpenter minor. */
function warnOnUnknownCompatibility(scope: IConstruct, cluster: IPlatformCluster, chartVersion: string): void {
  const m = minors(cluster, chartVersion);
  if (m !== undefined && KUBERNETES_SUPPORT[m.karpenter] === undefined) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:karpenter-compatibility-unknown',
      `chartVersion: this library's compatibility table has no Karpenter ${m.karpenter}, got '${chartVersion}'; check https://karpenter.sh/docs/upgrading/compatibility/ for Kubernetes 1.${m.kubernetes} and upstream's cloudformation.yaml at v${chartVersion} for new IAM permissions`);
  }
}
