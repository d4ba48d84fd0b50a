import type { PlatformCluster } from '../platform-cluster';

/**
 * An add-on a {@link PlatformCluster} installs: an EKS managed add-on, a Helm chart or manifests,
 * with the IAM it needs. One file per add-on in this folder.
 *
 * An add-on that needs another takes it as a constructor argument and adds a construct dependency;
 * nothing is looked up by name.
 */
export interface IClusterAddon {
  /**
   * The add-on's name, unique on a cluster (e.g. `aws-load-balancer-controller`).
   * Installing two add-ons with the same name on one cluster fails at synth.
   */
  readonly name: string;

  /**
   * Creates the add-on's resources under the cluster's scope. Called once, by `PlatformCluster.addAddon`.
   * @param cluster the cluster to install into
   */
  install(cluster: PlatformCluster): void;
}
