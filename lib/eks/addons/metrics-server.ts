import { Construct } from 'constructs';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { requireFargateSelection } from './addon-support';
import type { AddonVersion } from './addon-version';
import { ManagedAddonInstallation, ManagedClusterAddon } from './managed-addon';

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
export class MetricsServer extends ManagedClusterAddon {
  constructor(props: MetricsServerProps = {}) {
    super({ addonName: 'metrics-server', version: props.version, constructId: 'MetricsServer' });
  }

  public install(scope: Construct, cluster: IPlatformCluster): ManagedAddonInstallation {
    const installation = super.install(scope, cluster);
    requireFargateSelection(installation, cluster, this.name, 'kube-system', METRICS_SERVER_POD_LABELS);
    return installation;
  }
}
