import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import type { PlatformCluster } from '../platform-cluster';
import { assertNotInstalled, managedAddon, requireFargateSelection, resolveAddonVersion } from './addon-support';
import type { AddonVersion } from './addon-version';
import type { IClusterAddon } from './cluster-addon';


/** The labels of the add-on's pods (upstream chart, release metrics-server), for Fargate selectors. */
const METRICS_SERVER_POD_LABELS = { 'app.kubernetes.io/name': 'metrics-server', 'app.kubernetes.io/instance': 'metrics-server' };

/** Props of {@link MetricsServer}. */
export interface MetricsServerProps {
  /**
   * Which `metrics-server` build to install, e.g. `AddonVersion.of('v0.9.0-eksbuild.11')`.
   * @default - AddonVersion.recommended(): the library's version table's build for the cluster's Kubernetes version; EKS's default build (with a synth warning) where the table has none
   */
  readonly version?: AddonVersion;
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
    this.props = props;
  }

  /** The managed add-on. Undefined before `install`. */
  public get addon(): eks.CfnAddon | undefined {
    return this._addon;
  }

  public install(cluster: PlatformCluster): void {
    assertNotInstalled(this.installedOn, this.name);
    const version = resolveAddonVersion(this.name, cluster, this.props.version);
    this.installedOn = cluster;
    const scope = new Construct(cluster, 'MetricsServer');
    requireFargateSelection(scope, cluster, this.name, 'kube-system', METRICS_SERVER_POD_LABELS);
    this._addon = managedAddon(scope, 'Addon', cluster, { addonName: this.name, addonVersion: version.version });
    version.annotate(this._addon);
  }
}
