import { Construct } from 'constructs';
import type { IPlatformCluster } from '../platform-cluster-ref';

/**
 * An add-on a cluster installs: an EKS managed add-on (extend `ManagedClusterAddon`) or a Helm chart
 * (extend `HelmClusterAddon`), with the IAM it needs. One file per add-on in this folder.
 *
 * Subclasses override `install` to return their own installation construct (a `ManagedAddonInstallation` or
 * `HelmAddonInstallation` subclass), so callers get defined, typed members.
 *
 * An add-on object holds settings only: it can be installed on several clusters, and each install returns
 * a construct of its own. An add-on that needs another takes it as a constructor argument and adds a
 * construct dependency; nothing is looked up by name.
 */
export abstract class ClusterAddon {
  /**
   * The add-on's name, unique on a cluster (e.g. `aws-load-balancer-controller`).
   * Installing two add-ons with the same name on one cluster fails at synth.
   */
  public abstract readonly name: string;

  /**
   * Creates the add-on's resources under `scope` and returns the construct that holds them.
   * @param scope where to create them: the cluster, or a construct in another stack (an add-ons stack)
   * @param cluster the cluster to install into
   */
  public abstract install(scope: Construct, cluster: IPlatformCluster): Construct;
}
