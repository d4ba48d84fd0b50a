import { Arn, ArnFormat, CfnJson, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import { CLUSTER_AUTOSCALER_ADDON, KARPENTER_ADDON } from '../node-autoscaling';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { kubernetesMinor, podIdentityRole, validateReplicas } from './addon-support';
import { CLUSTER_AUTOSCALER_IMAGES, HELM_CHARTS } from './addon-versions';
import { ClusterAddon } from './cluster-addon';
import { HelmAddonInstallation } from './helm-addon';

/** The chart version installed by default: the version table's (with where it was seen). */
const CA_CHART_VERSION = HELM_CHARTS[CLUSTER_AUTOSCALER_ADDON].version;
/** SIG Autoscaling's chart repository. */
const AUTOSCALER_CHARTS_REPOSITORY = 'https://kubernetes.github.io/autoscaler';
/** Release, Deployment and service account name; the Pod Identity association refers to the service account. */
const CA_NAME = 'cluster-autoscaler';
const CA_NAMESPACE = 'kube-system';
/** The labels the chart gives the pods (name is `<cloudProvider>-<chart>`), for Fargate selectors. */
const CA_POD_LABELS = { 'app.kubernetes.io/name': 'aws-cluster-autoscaler', 'app.kubernetes.io/instance': CA_NAME };
/**
 * Two replicas: the autoscaler elects a leader and only the leader scales, but with one replica a node
 * drain (including one the autoscaler itself starts, or a node group update) leaves the cluster without
 * scaling until the pod is rescheduled; the chart's PodDisruptionBudget (maxUnavailable 1) keeps one running.
 */
const DEFAULT_REPLICAS = 2;
/** The requests of upstream's example manifest (cluster-autoscaler-autodiscover.yaml). */
const RESOURCES = { requests: { cpu: '100m', memory: '600Mi' }, limits: { memory: '600Mi' } };
/** The tags EKS puts on the Auto Scaling group of every managed node group (EKS User Guide, "Managed node groups"). */
const ENABLED_TAG = 'k8s.io/cluster-autoscaler/enabled';
const clusterTag = (clusterName: string) => `k8s.io/cluster-autoscaler/${clusterName}`;

/** How the Cluster Autoscaler picks a node group when several can run the pending pods. */
export enum ClusterAutoscalerExpander {
  /** The group that leaves the least CPU, then memory, idle after scale-up: the cheapest fit for mixed groups. */
  LEAST_WASTE = 'least-waste',
  /** A random group (the autoscaler's own default). */
  RANDOM = 'random',
  /** The group that schedules the most pending pods. */
  MOST_PODS = 'most-pods',
  /** The group with the fewest nodes. */
  LEAST_NODES = 'least-nodes',
}

/** Props of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerProps {
  /**
   * The image tag of `registry.k8s.io/autoscaling/cluster-autoscaler`. Upstream supports only the autoscaler
   * minor that matches the cluster's Kubernetes minor.
   * @default - the version table's build for the cluster's minor (v1.33.6, v1.34.5, v1.35.2, v1.36.1);
   *   a minor without one fails at synth
   */
  readonly imageTag?: string;

  /**
   * The `cluster-autoscaler` chart version.
   * @default '9.59.0'
   */
  readonly chartVersion?: string;

  /**
   * Autoscaler replicas (one leader scales; the others take over when it stops).
   * @default 2
   */
  readonly replicas?: number;

  /**
   * How a node group is chosen for scale-up.
   * @default ClusterAutoscalerExpander.LEAST_WASTE
   */
  readonly expander?: ClusterAutoscalerExpander;

  /**
   * Keep node groups that differ only in zone at equal size (`--balance-similar-node-groups`), so a zone
   * outage takes out a share of capacity and not all of it.
   * @default true
   */
  readonly balanceSimilarNodeGroups?: boolean;

  /**
   * Never remove a node that runs kube-system pods other than DaemonSets (`--skip-nodes-with-system-pods`).
   * The autoscaler's own default (true) keeps nearly every node of a small cluster, because CoreDNS,
   * metrics-server and the controllers spread over them; with false they are evicted, subject to their
   * PodDisruptionBudgets.
   * @default false
   */
  readonly skipNodesWithSystemPods?: boolean;
}

/**
 * The Kubernetes Cluster Autoscaler for managed node groups: adds nodes when pods cannot be scheduled and
 * removes under-used ones, between each group's minSize and maxSize.
 *
 * Installs SIG Autoscaling's `cluster-autoscaler` chart into kube-system with the image of the cluster's
 * Kubernetes minor, auto-discovery of the Auto Scaling groups EKS tags for this cluster
 * (`k8s.io/cluster-autoscaler/enabled` and `k8s.io/cluster-autoscaler/<cluster name>`, on every managed node
 * group), the region as a value (nodes keep instance metadata away from pods), and a Pod Identity role that
 * may change the size only of Auto Scaling groups carrying both tags with this cluster's name.
 *
 * Every managed node group of the cluster is scaled, in any stack; a group meant to keep its size sets
 * minSize equal to maxSize. The autoscaler and Karpenter are exclusive on a cluster, and a Fargate-only
 * cluster, or a cluster this app creates without node groups, fails at synth.
 *
 * desiredSize: the library renders a node group's desiredSize (minSize when not given), and EKS sets the
 * group to it whenever the value changes (EKS API reference, NodegroupScalingConfig), undoing what the
 * autoscaler did; a change of minSize or maxSize sends the template's desiredSize too. On autoscaled groups
 * pass desiredSize explicitly, and when you change the bounds, set it to about the group's current size.
 */
export class ClusterAutoscaler extends ClusterAddon {
  public readonly name: string = CLUSTER_AUTOSCALER_ADDON;
  private readonly props: ClusterAutoscalerProps;

  constructor(props: ClusterAutoscalerProps = {}) {
    super();
    const { chartVersion, imageTag, replicas } = props;
    if (chartVersion !== undefined && !Token.isUnresolved(chartVersion) && !/^\d+\.\d+\.\d+$/.test(chartVersion)) {
      throw new Error(`chartVersion: not a Helm chart version, got '${chartVersion}'; pass a version such as '${CA_CHART_VERSION}' (no leading v)`);
    }
    if (imageTag !== undefined && !Token.isUnresolved(imageTag) && !/^v\d+\.\d+\.\d+$/.test(imageTag)) {
      throw new Error(`imageTag: not a Cluster Autoscaler release tag, got '${imageTag}'; pass a tag such as 'v1.36.1' matching the cluster's Kubernetes minor`);
    }
    validateReplicas(replicas, 'use 2 so a standby takes over while the leader is rescheduled');
    this.props = props;
  }

  /**
   * Installs the autoscaler on `cluster`, under `scope`.
   * @param scope where to create it (the cluster, or a construct in an add-ons stack)
   * @param cluster the cluster
   */
  public install(scope: Construct, cluster: IPlatformCluster): ClusterAutoscalerInstallation {
    return new ClusterAutoscalerInstallation(scope, 'ClusterAutoscaler', { ...this.props, cluster });
  }
}

/** Props of {@link ClusterAutoscalerInstallation}. */
export interface ClusterAutoscalerInstallationProps extends ClusterAutoscalerProps {
  /** The cluster. */
  readonly cluster: IPlatformCluster;
}

/** The Cluster Autoscaler installed on one cluster (see {@link ClusterAutoscaler}). */
export class ClusterAutoscalerInstallation extends HelmAddonInstallation {
  /** The role the autoscaler's pods assume through Pod Identity. */
  public readonly role: iam.Role;
  /** The IAM policy attached to `role`. */
  public readonly policy: iam.ManagedPolicy;
  /** The Pod Identity association of service account kube-system/cluster-autoscaler with `role`. */
  public readonly podIdentityAssociation: eks.CfnPodIdentityAssociation;
  /** The image tag the autoscaler runs. */
  public readonly imageTag: string;
  private readonly props: ClusterAutoscalerInstallationProps;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerInstallationProps) {
    const cluster = props.cluster;
    // Before the release exists, so a minor without a build fails with its own message.
    const imageTag = props.imageTag ?? imageTagFor(cluster);
    super(scope, id, {
      cluster,
      name: CLUSTER_AUTOSCALER_ADDON,
      chart: CA_NAME,
      repository: AUTOSCALER_CHARTS_REPOSITORY,
      version: props.chartVersion ?? CA_CHART_VERSION,
      release: CA_NAME,
      namespace: CA_NAMESPACE,
    });
    this.props = props;
    this.imageTag = imageTag;
    this.node.addValidation({ validate: () => validateComputeFor(cluster) });
    this.policy = clusterAutoscalerPolicy(this, cluster);
    this.role = podIdentityRole(this, 'Role', `Cluster Autoscaler of ${cluster.node.path}, through EKS Pod Identity`, [this.policy]);
    this.podIdentityAssociation = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
      clusterName: cluster.eksCluster.clusterName,
      namespace: CA_NAMESPACE,
      serviceAccount: CA_NAME,
      roleArn: this.role.roleArn,
    });
    // The pods start with their permissions and keep them until the release is gone; they get credentials
    // only if the association exists when they are created. The base class makes the release wait for the
    // compute: the pods need nodes, and on delete the autoscaler stops before the node groups go.
    this.chart.node.addDependency(this.role, this.podIdentityAssociation);
  }

  protected chartValues(): { [key: string]: any } {
    return clusterAutoscalerValues(this.cluster, Stack.of(this).region, this.imageTag, this.props);
  }
}

/** The version table's image for the cluster's minor; fails where it has none. */
function imageTagFor(cluster: IPlatformCluster): string {
  const unresolved = Token.isUnresolved(cluster.version.version);
  const minor = unresolved ? undefined : kubernetesMinor(cluster);
  const build = minor === undefined ? undefined : CLUSTER_AUTOSCALER_IMAGES[minor];
  if (build === undefined) {
    throw new Error(`imageTag: the Cluster Autoscaler must match the cluster's Kubernetes minor, and this library's version table has no build for ${minor ?? 'a version unknown at synth (a token)'} (it has: ${Object.keys(CLUSTER_AUTOSCALER_IMAGES).join(', ')}); pass imageTag with the newest cluster-autoscaler-1.NN.x release of that minor (https://github.com/kubernetes/autoscaler/releases)`);
  }
  return build.version;
}

/** The chart values: auto-discovery, region, flags, replicas and the service account Pod Identity binds. */
function clusterAutoscalerValues(cluster: IPlatformCluster, region: string, imageTag: string, props: ClusterAutoscalerProps): Record<string, unknown> {
  return {
    cloudProvider: 'aws',
    // The chart's discovery tags are k8s.io/cluster-autoscaler/enabled and k8s.io/cluster-autoscaler/<this name>.
    autoDiscovery: { clusterName: cluster.eksCluster.clusterName },
    // Given, because nodes keep instance metadata away from pods (hop limit 1) and the region cannot be looked up.
    awsRegion: region,
    image: { tag: imageTag },
    fullnameOverride: CA_NAME,
    replicaCount: props.replicas ?? DEFAULT_REPLICAS,
    rbac: { serviceAccount: { create: true, name: CA_NAME } },
    resources: RESOURCES,
    extraArgs: {
      'logtostderr': true,
      'stderrthreshold': 'info',
      'v': 4,
      'expander': props.expander ?? ClusterAutoscalerExpander.LEAST_WASTE,
      'balance-similar-node-groups': props.balanceSimilarNodeGroups ?? true,
      'skip-nodes-with-system-pods': props.skipNodesWithSystemPods ?? false,
    },
  };
}

/**
 * Upstream's "full features" policy (cluster-autoscaler/cloudprovider/aws/README.md at cluster-autoscaler-1.36.1)
 * with the scaling actions limited, as the EKS Best Practices Guide does, to Auto Scaling groups tagged for
 * this cluster, and eks:DescribeNodegroup to this cluster's node groups.
 */
function clusterAutoscalerPolicy(scope: Construct, cluster: IPlatformCluster): iam.ManagedPolicy {
  const stack = Stack.of(scope);
  const literalName = literalClusterName(cluster);
  const cfnCluster = cluster.eksCluster.node.defaultChild as eks.CfnCluster | undefined;
  const sameStack = cfnCluster !== undefined && Stack.of(cfnCluster) === stack;
  // In the cluster's stack the name is a reference; from another stack the literal name, where there is one,
  // keeps the policy free of a cross-stack export.
  const arnName = sameStack ? cluster.eksCluster.clusterName : literalName;
  const nagName = !Token.isUnresolved(arnName) ? arnName : sameStack ? `<${Stack.of(cfnCluster).getLogicalId(cfnCluster)}>` : undefined;
  // A condition key holding a token needs CfnJson; the cluster's name is a literal unless given as a token.
  const tagConditions = { [`aws:ResourceTag/${ENABLED_TAG}`]: 'true', [`aws:ResourceTag/${clusterTag(literalName)}`]: 'owned' };
  const conditions = Token.isUnresolved(literalName) ? new CfnJson(scope, 'TagConditions', { value: tagConditions }) : tagConditions;
  const policy = new iam.ManagedPolicy(scope, 'Policy', {
    description: `Cluster Autoscaler of ${cluster.node.path}: scales the Auto Scaling groups of its managed node groups`,
    statements: [
      new iam.PolicyStatement({
        sid: 'DescribeScalingCapacity',
        actions: [
          'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'DescribeOwnNodegroups',
        actions: ['eks:DescribeNodegroup'],
        resources: [Arn.format({ service: 'eks', resource: 'nodegroup', resourceName: `${arnName}/*/*` }, stack)],
      }),
      new iam.PolicyStatement({
        sid: 'ScaleOwnNodegroups',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: [Arn.format({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: '*:autoScalingGroupName/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack)],
        conditions: { StringEquals: conditions },
      }),
    ],
  });
  Compliance.acknowledgeAll(policy, [
    {
      ruleId: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Describe actions of the Cluster Autoscaler (upstream policy): autoscaling:Describe*, ec2:DescribeImages, ec2:DescribeInstanceTypes, ec2:DescribeLaunchTemplateVersions and ec2:GetInstanceTypesFromInstanceRequirements have no resource-level permissions; they only read.',
    },
    {
      ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*]',
      reason: 'EKS names the Auto Scaling groups of managed node groups at run time; SetDesiredCapacity and TerminateInstanceInAutoScalingGroup are limited by the aws:ResourceTag conditions to groups tagged k8s.io/cluster-autoscaler/enabled=true and k8s.io/cluster-autoscaler/<this cluster>=owned, which EKS puts on this cluster\'s managed node groups only.',
    },
    // An unnamed cluster of another stack renders an import whose name is unknown here; name the cluster
    // (clusterName) to have this finding acknowledged there.
    ...(nagName === undefined ? [] : [{
      ruleId: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:nodegroup/${nagName}/*/*]`,
      reason: 'eks:DescribeNodegroup on the node groups of this cluster only: their names and ids are generated at run time, and node groups added later are scaled too.',
    }]),
  ]);
  return policy;
}

/** The cluster's name as a literal where the cluster was given one (the usual case), so IAM condition keys need no CfnJson. */
function literalClusterName(cluster: IPlatformCluster): string {
  const name = (cluster.eksCluster.node.defaultChild as eks.CfnCluster | undefined)?.name;
  return name !== undefined && !Token.isUnresolved(name) ? name : cluster.eksCluster.clusterName;
}

/**
 * At synth, with every node group, profile and add-on of the app known: what the autoscaler cannot work with.
 * Node groups: a cluster this app creates (an `eks.Cluster`) knows all of them, in any stack; of an imported
 * cluster only those created here and `nodegroupAmiTypes` are known, so it fails only when it is Fargate-only.
 */
function validateComputeFor(cluster: IPlatformCluster): string[] {
  const errors: string[] = [];
  if (cluster.installedAddonNames.includes(KARPENTER_ADDON)) {
    errors.push(`addons: the Cluster Autoscaler and Karpenter both add and remove nodes, got both on ${cluster.node.path}; install one of them (Karpenter adds nodes of its own, the Cluster Autoscaler scales managed node groups)`);
  }
  const created = cluster.eksCluster instanceof eks.Cluster;
  if (cluster.fargateOnly || (created && cluster.nodegroupAmiTypes.length === 0)) {
    errors.push(`nodegroups: the Cluster Autoscaler scales managed node groups, got none on ${cluster.node.path}${cluster.fargateOnly ? ' (a Fargate-only cluster: Fargate runs each pod on capacity of its own and needs no node autoscaler)' : ''}; add a node group, or do not install the Cluster Autoscaler`);
  }
  if (cluster.fargateSelects(CA_NAMESPACE, CA_POD_LABELS, false)) {
    errors.push(`fargateProfiles: a Fargate profile of ${cluster.node.path} selects the Cluster Autoscaler's pods in ${CA_NAMESPACE}, where EKS Pod Identity gives them no credentials, got a selector matching ${JSON.stringify(CA_POD_LABELS)}; narrow the profile's kube-system selector with labels (e.g. k8s-app: kube-dns)`);
  }
  return errors;
}
