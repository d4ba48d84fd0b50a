import { Construct } from 'constructs';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { ComputeOrder, ManagedAddonInstallation, ManagedAddonInstallationProps, ManagedAddonOptions, ManagedClusterAddon } from './managed-addon';

/**
 * The CoreDNS managed add-on: cluster DNS. It is a Deployment, so it waits for the cluster's compute
 * (node groups and Fargate profiles of its stack and the cluster's, including those added later): created
 * before any, it would stay DEGRADED and fail the deployment.
 *
 * On a Fargate-only cluster it sets `computeType: Fargate`, so that its pods carry no EC2 annotation
 * and run on the profile that selects `kube-system` pods labelled `k8s-app=kube-dns`.
 */
export class CoreDnsAddon extends ManagedClusterAddon {
  constructor(options: ManagedAddonOptions = {}) {
    super({ ...options, addonName: 'coredns', computeOrder: ComputeOrder.AFTER_COMPUTE, constructId: 'CoreDnsAddon' });
  }

  public install(scope: Construct, cluster: IPlatformCluster): ManagedAddonInstallation {
    return new CoreDnsInstallation(scope, 'CoreDnsAddon', { ...this.options, cluster, resourceId: 'Resource' });
  }
}

class CoreDnsInstallation extends ManagedAddonInstallation {
  constructor(scope: Construct, id: string, props: ManagedAddonInstallationProps) {
    super(scope, id, props);
  }

  protected configurationDefaults(): { [key: string]: any } {
    return this.cluster.fargateOnly ? { computeType: 'Fargate' } : {};
  }
}
