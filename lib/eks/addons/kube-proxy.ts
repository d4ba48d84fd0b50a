import { Construct } from 'constructs';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { ComputeOrder, ManagedAddonInstallation, ManagedAddonOptions, ManagedClusterAddon } from './managed-addon';

/**
 * The kube-proxy managed add-on: a DaemonSet that programs service routing on every node. Node groups
 * wait for it: aws-node (vpc-cni) reaches the API server through the `kubernetes` Service's cluster IP,
 * which only works once kube-proxy has programmed the node, so without it the CNI does not start and
 * the node never becomes Ready (maintainers' diagnosis in aws/amazon-vpc-cni-k8s issues 1078 and 1385).
 */
export class KubeProxyAddon extends ManagedClusterAddon {
  constructor(options: ManagedAddonOptions = {}) {
    super({ ...options, addonName: 'kube-proxy', computeOrder: ComputeOrder.BEFORE_COMPUTE, constructId: 'KubeProxyAddon' });
  }

  public install(scope: Construct, cluster: IPlatformCluster): ManagedAddonInstallation {
    return new ManagedAddonInstallation(scope, 'KubeProxyAddon', { ...this.options, cluster, resourceId: 'Resource' });
  }
}
