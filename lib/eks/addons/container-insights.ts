import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import { LogEncryptionKey } from '../../compliance/log-encryption-key';
import { validateLogRetention } from '../../compliance/log-retention';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { bindPodIdentity, createManagedAddon, podIdentityRole } from './addon-support';
import type { AddonVersion } from './addon-version';
import { ClusterAddon } from './cluster-addon';

/** The EKS add-on name. */
const ADDON_NAME = 'amazon-cloudwatch-observability';
/** The add-on runs its agent and Fluent Bit under this service account in namespace amazon-cloudwatch. */
const CLOUDWATCH_AGENT_SA = 'cloudwatch-agent';
/** Fargate's built-in log router reads its configuration from this namespace, which must carry this label. */
const FARGATE_LOGGING_NAMESPACE = 'aws-observability';
/** ... and from this ConfigMap in it. */
const FARGATE_LOGGING_CONFIGMAP = 'aws-logging';
/** The Fargate log router rejects a ConfigMap whose data exceeds 5,300 characters (EKS Fargate logging docs). */
const FARGATE_LOGGING_MAX_CHARS = 5300;
/** An unresolved token in the ConfigMap (cluster name, region) is counted at this length: an EKS cluster name has at most 100. */
const TOKEN_CHARS_ESTIMATE = 100;
/** Fargate pod logs are kept a year, like the platform's other logs. */
const DEFAULT_FARGATE_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** Props of {@link ContainerInsights}. */
export interface ContainerInsightsProps {
  /**
   * Which `amazon-cloudwatch-observability` build to install, e.g. `AddonVersion.of('v6.6.0-eksbuild.1')`.
   * @default - AddonVersion.recommended(): the library's version table's build for the cluster's Kubernetes version; EKS's default build (with a synth warning) where the table has none
   */
  readonly version?: AddonVersion;

  /**
   * Ship the logs of pods on Fargate to CloudWatch with Fargate's built-in log router (namespace
   * aws-observability, ConfigMap aws-logging, write access for every Fargate profile's pod execution role).
   * @default - true when the cluster has Fargate profiles
   */
  readonly fargateLogging?: boolean;

  /**
   * Retention of the Fargate pod log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly fargateLogRetention?: logs.RetentionDays;

  /**
   * The KMS key of the Fargate pod log group; its key policy must let CloudWatch Logs use it.
   * @default - a created LogEncryptionKey (rotated, retained)
   */
  readonly fargateLogKey?: kms.IKey;

  /**
   * Fluent Bit `[FILTER]` sections for the Fargate log router (the ConfigMap's `filters.conf`), e.g. a
   * grep filter that drops health checks. Counted in the 5,300 characters the router accepts.
   * @default - no filter
   */
  readonly fargateLogFilters?: string;
}

/**
 * CloudWatch Container Insights: the `amazon-cloudwatch-observability` managed add-on (CloudWatch agent
 * and Fluent Bit on every EC2 node) with a Pod Identity role holding AWS's CloudWatchAgentServerPolicy,
 * and, for pods on Fargate, Fargate's built-in log router writing to a retained, encrypted log group.
 *
 * On a Fargate-only cluster the add-on is not installed: its agent is a DaemonSet and Fargate runs
 * none; a warning says so, and only Fargate logging is set up. Pods that start before the aws-logging
 * ConfigMap exists log nowhere until they restart.
 */
export class ContainerInsights extends ClusterAddon {
  public readonly name: string = ADDON_NAME;
  private readonly props: ContainerInsightsProps;

  constructor(props: ContainerInsightsProps = {}) {
    super();
    validateLogRetention('fargateLogRetention', props.fargateLogRetention);
    this.props = props;
  }

  public install(scope: Construct, cluster: IPlatformCluster): ContainerInsightsInstallation {
    return new ContainerInsightsInstallation(scope, 'ContainerInsights', { ...this.props, cluster });
  }
}

/** Props of {@link ContainerInsightsInstallation}. */
export interface ContainerInsightsInstallationProps extends ContainerInsightsProps {
  /** The cluster. */
  readonly cluster: IPlatformCluster;
}

/**
 * Container Insights installed on one cluster. Not a `ManagedAddonInstallation`: on a Fargate-only cluster
 * there is no managed add-on, only Fargate logging.
 */
export class ContainerInsightsInstallation extends Construct {
  /** The managed add-on. Undefined on a Fargate-only cluster. */
  public readonly addon?: eks.CfnAddon;
  /** The role of the CloudWatch agent. Undefined on a Fargate-only cluster. */
  public readonly role?: iam.Role;
  /** The log group of Fargate pod logs. Undefined without Fargate logging. */
  public readonly fargateLogGroup?: logs.LogGroup;
  /** The aws-observability namespace and aws-logging ConfigMap. Undefined without Fargate logging. */
  public readonly fargateLogging?: eks.KubernetesManifest;
  private readonly props: ContainerInsightsInstallationProps;

  constructor(scope: Construct, id: string, props: ContainerInsightsInstallationProps) {
    super(scope, id);
    this.props = props;
    const cluster = props.cluster;
    const fargateLogging = props.fargateLogging ?? (cluster.fargateOnly || cluster.fargatePodExecutionRoles(this).length > 0);
    if (fargateLogging && !cluster.kubectlEnabled) {
      throw new Error(`fargateLogging: the Fargate log router is configured by a Kubernetes ConfigMap, which needs the cluster's kubectl handler, got kubectl: false on ${cluster.node.path}; set fargateLogging: false or leave kubectl enabled`);
    }
    cluster.registerAddon(ADDON_NAME, this);

    if (cluster.fargateOnly) {
      Annotations.of(this).addWarningV2('cdk-container-platform:container-insights-fargate-only',
        `The ${ADDON_NAME} add-on is not installed on the Fargate-only cluster ${cluster.node.path}: its CloudWatch agent is a DaemonSet and Fargate runs no DaemonSets, so there are no Container Insights metrics; only pod logs are shipped, by Fargate's log router. Add a node group for Container Insights metrics.`);
    } else {
      const role = podIdentityRole(this, 'Role', `CloudWatch agent and Fluent Bit of ${cluster.node.path}, through EKS Pod Identity`,
        [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')]);
      Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy]',
        'CloudWatchAgentServerPolicy is the policy AWS maintains for the CloudWatch agent the add-on runs; the agent writes metrics and log groups whose names it derives at run time, so a narrower copy would break with agent updates.');
      this.role = role;
      // No configuration values for IMDS hop limit 1 (the node group default): the CloudWatch agent and
      // Fluent Bit, the parts that read instance metadata (instance id, type, zone for metric dimensions
      // and the aws filter's imds_version v2), run on the host network, where it stays reachable:
      // agent.hostNetwork defaults to true (values.yaml) and Fluent Bit's DaemonSet fixes hostNetwork: true
      // (templates/linux/fluent-bit-daemonset.yaml), in aws-observability/helm-charts
      // amazon-cloudwatch-observability 5.4.0 through 6.4.0 (the newest chart there, 2026-08), which covers
      // the version table's 1.35 build v6.1.0; its 1.36 build v6.6.0 is newer than any chart checked.
      this.addon = createManagedAddon(this, 'Addon', cluster, { addonName: ADDON_NAME, version: props.version, configuration: () => undefined, beforeCompute: false });
      bindPodIdentity(cluster, this.addon, CLOUDWATCH_AGENT_SA, role);
    }

    if (fargateLogging) {
      const { logGroup, manifest } = this.installFargateLogging(this, cluster);
      this.fargateLogGroup = logGroup;
      this.fargateLogging = manifest;
    }
  }

  private installFargateLogging(scope: Construct, cluster: IPlatformCluster): { logGroup: logs.LogGroup; manifest: eks.KubernetesManifest } {
    const logGroup = new logs.LogGroup(scope, 'FargateLogGroup', {
      logGroupName: `/aws/eks/${cluster.eksCluster.clusterName}/fargate`,
      retention: this.props.fargateLogRetention ?? DEFAULT_FARGATE_LOG_RETENTION,
      encryptionKey: this.props.fargateLogKey ?? new LogEncryptionKey(scope, 'FargateLogKey', { description: `Encrypts the Fargate pod logs of ${cluster.node.path}` }),
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    const data: Record<string, string> = {
      // The router's own diagnostics would go to a log group it creates outside the stack.
      'flb_log_cw': 'false',
      'output.conf': [
        '[OUTPUT]',
        '    Name cloudwatch_logs',
        '    Match *',
        `    region ${Stack.of(scope).region}`,
        `    log_group_name ${logGroup.logGroupName}`,
        '    log_stream_prefix fargate-',
        // The group is the stack's, with its retention and key; the router must not create another.
        '    auto_create_group false',
        '',
      ].join('\n'),
    };
    if (this.props.fargateLogFilters !== undefined) {
      data['filters.conf'] = this.props.fargateLogFilters;
    }
    const size = Object.entries(data).reduce((n, [k, v]) => n + k.length + measuredLength(v), 0);
    if (size > FARGATE_LOGGING_MAX_CHARS) {
      throw new Error(`fargateLogFilters: the ${FARGATE_LOGGING_CONFIGMAP} ConfigMap data would hold about ${size} characters, got fargateLogFilters of ${this.props.fargateLogFilters?.length ?? 0}; the Fargate log router rejects more than ${FARGATE_LOGGING_MAX_CHARS}, shorten fargateLogFilters`);
    }

    const manifest = new eks.KubernetesManifest(scope, 'FargateLogging', {
      cluster: cluster.eksCluster,
      manifest: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: FARGATE_LOGGING_NAMESPACE, labels: { 'aws-observability': 'enabled' } },
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: FARGATE_LOGGING_CONFIGMAP, namespace: FARGATE_LOGGING_NAMESPACE },
          data,
        },
      ],
    });

    // Roles of profiles in this stack and the cluster's only: a policy here attached to a role of another
    // application stack would make the stacks depend on each other. Grant other profiles' roles yourself.
    const roles = cluster.fargatePodExecutionRoles(scope);
    if (roles.length > 0) {
      // A managed policy rather than an inline one on roles this add-on does not own.
      new iam.ManagedPolicy(scope, 'FargateLoggingPolicy', {
        description: `Lets the Fargate log router of ${cluster.node.path} write pod logs to its log group`,
        statements: [new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        })],
        roles,
      });
    }
    return { logGroup, manifest };
  }
}

/** The length of a string once deployed, counting each unresolved token at a conservative length. */
function measuredLength(value: string): number {
  if (!Token.isUnresolved(value)) {
    return value.length;
  }
  return value.replace(/\$\{Token\[[^\]]+\]\}/g, 'x'.repeat(TOKEN_CHARS_ESTIMATE)).length;
}
