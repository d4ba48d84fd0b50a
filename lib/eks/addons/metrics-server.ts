import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import type { PlatformCluster } from '../platform-cluster';
import { assertNotInstalled, managedAddon, requireFargateSelection, resolveAddonVersion, validateAddonVersion } from './addon-support';
import type { IClusterAddon } from './cluster-addon';

/**
 * Pinned `metrics-server` (EKS community add-on) versions per Kubernetes version. 1.36:
 * v0.8.1-eksbuild.11, seen on 1.36 clusters (with kube-proxy v1.36.0-eksbuild.7); 1.35:
 * v0.8.1-eksbuild.10, the default `aws eks describe-addon-versions` gave for 1.35 (both quoted in
 * public repositories in 2026). The EKS build listens on port 10251, so it also runs on Fargate.
 */
const METRICS_SERVER_VERSIONS: Record<string, string> = {
  '1.36': 'v0.8.1-eksbuild.11',
  '1.35': 'v0.8.1-eksbuild.10',
};

/** The labels of the add-on's pods (upstream chart, release metrics-server), for Fargate selectors. */
const METRICS_SERVER_POD_LABELS = { 'app.kubernetes.io/name': 'metrics-server', 'app.kubernetes.io/instance': 'metrics-server' };

/** Props of {@link MetricsServer}. */
export interface MetricsServerProps {
  /**
   * The `metrics-server` add-on version, e.g. `v0.8.1-eksbuild.11`.
   * @default - the version pinned in this library for the cluster's Kubernetes version
   */
  readonly version?: string;
}

/**
 * The Kubernetes Metrics Server as an EKS community add-on: the resource metrics API
 * (metrics.k8s.io) that the Horizontal Pod Autoscaler and `kubectl top` read. It needs no AWS
 * permissions and no kubectl handler.
 */
export class MetricsServer implements IClusterAddon {
  public readonly name: string = 'metrics-server';

  private readonly props: MetricsServerProps;
  private installedOn?: PlatformCluster;
  private _addon?: eks.CfnAddon;

  constructor(props: MetricsServerProps = {}) {
    validateAddonVersion('version', props.version);
    this.props = props;
  }

  /** The managed add-on. Undefined before `install`. */
  public get addon(): eks.CfnAddon | undefined {
    return this._addon;
  }

  public install(cluster: PlatformCluster): void {
    assertNotInstalled(this.installedOn, this.name);
    const version = resolveAddonVersion(this.name, METRICS_SERVER_VERSIONS, cluster, this.props.version);
    this.installedOn = cluster;
    const scope = new Construct(cluster, 'MetricsServer');
    requireFargateSelection(scope, cluster, this.name, 'kube-system', METRICS_SERVER_POD_LABELS);
    this._addon = managedAddon(scope, 'Addon', cluster, { addonName: this.name, addonVersion: version });
  }
}
