import { Duration, Lazy, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { requireKubectl } from './addon-support';
import { HELM_CHARTS } from './addon-versions';
import { ClusterAddon } from './cluster-addon';

/**
 * Helm's own timeout: below the 15 minutes the kubectl handler Lambda may run (aws-cdk issue 22257),
 * so a stuck install fails with Helm's message instead of a Lambda timeout and a stuck stack.
 */
const HELM_TIMEOUT = Duration.minutes(10);

/** Props of {@link HelmAddonInstallation}. */
export interface HelmAddonInstallationProps {
  /** The cluster to install into; it needs its kubectl handler. */
  readonly cluster: IPlatformCluster;
  /** The add-on's name, unique on the cluster. */
  readonly name: string;
  /** The chart name. */
  readonly chart: string;
  /** The chart repository URL (or an `oci://` repository). */
  readonly repository: string;
  /**
   * The chart version.
   * @default - the version table's chart version for `chart`; fails when the table has none
   */
  readonly version?: string;
  /** The namespace of the release. */
  readonly namespace: string;
  /**
   * The release name.
   * @default - the chart name
   */
  readonly release?: string;
  /**
   * Create the namespace when it does not exist.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Helm values, merged over the values the installation's class sets (a key given here wins).
   * @default - the class's values only
   */
  readonly values?: { [key: string]: any };
}

/**
 * One Helm add-on installed on one cluster: the release (applied by the cluster's kubectl handler, Helm
 * waiting for the pods, with a 10-minute timeout), created after the compute of its stack and of the
 * cluster's stack, so its pods have somewhere to run.
 *
 * Extend it for a chart with IAM or objects of its own: create them in the constructor after `super(...)`
 * and add dependencies from `chart`; override `chartValues` for values that depend on them or on the
 * cluster's final compute (they are rendered at synth).
 */
export class HelmAddonInstallation extends Construct {
  /** The cluster it is installed on. */
  public readonly cluster: IPlatformCluster;
  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The chart version installed. */
  public readonly chartVersion: string;

  constructor(scope: Construct, id: string, props: HelmAddonInstallationProps) {
    super(scope, id);
    this.cluster = props.cluster;
    requireKubectl(props.cluster, props.name, 'installs a Helm chart');
    const version = props.version ?? HELM_CHARTS[props.chart]?.version;
    if (version === undefined) {
      throw new Error(`version: this library's version table has no version of chart '${props.chart}', got none; pass the chart version`);
    }
    if (!Token.isUnresolved(version) && !/^v?\d+\.\d+\.\d+([-+].*)?$/.test(version)) {
      throw new Error(`version: not a Helm chart version, got '${version}'; pass a version such as '1.2.3'`);
    }
    this.chartVersion = version;
    props.cluster.registerAddon(props.name, this);
    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster.eksCluster,
      chart: props.chart,
      repository: props.repository,
      version,
      release: props.release ?? props.chart,
      namespace: props.namespace,
      createNamespace: props.createNamespace ?? false,
      wait: true,
      timeout: HELM_TIMEOUT,
      values: Lazy.any({ produce: () => ({ ...this.chartValues(), ...props.values }) }),
    });
    // The pods need somewhere to run, and on delete the release goes before the compute it runs on.
    props.cluster.waitForCompute(this.chart);
  }

  /** Helm values the installation's class sets, rendered at synth; `values` given by the user override them. */
  protected chartValues(): { [key: string]: any } {
    return {};
  }
}

/** Props of {@link HelmClusterAddon}. */
export interface HelmClusterAddonProps {
  /**
   * The add-on's name, unique on a cluster.
   * @default - the chart name
   */
  readonly name?: string;
  /** The chart name. */
  readonly chart: string;
  /** The chart repository URL. */
  readonly repository: string;
  /**
   * The chart version.
   * @default - the version table's chart version; fails at install when the table has none
   */
  readonly version?: string;
  /** The namespace of the release. */
  readonly namespace: string;
  /**
   * Create the namespace when it does not exist.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * Helm values.
   * @default - the chart's defaults
   */
  readonly values?: { [key: string]: any };
}

/**
 * A Helm chart add-on, as settings that can be installed on any number of clusters. Use it as it is for a
 * chart that needs no IAM, or extend it: override `install` to return your own `HelmAddonInstallation`
 * subclass (TypeScript and Python alike).
 */
export class HelmClusterAddon extends ClusterAddon {
  public readonly name: string;
  /** The settings the add-on was created with. */
  protected readonly options: HelmClusterAddonProps;

  constructor(props: HelmClusterAddonProps) {
    super();
    this.name = props.name ?? props.chart;
    this.options = props;
  }

  /**
   * Installs the chart on `cluster`, under `scope`.
   * @param scope where to create it (the cluster, or a construct in an add-ons stack)
   * @param cluster the cluster
   */
  public install(scope: Construct, cluster: IPlatformCluster): HelmAddonInstallation {
    return new HelmAddonInstallation(scope, this.name, { ...this.options, cluster, name: this.name });
  }
}
