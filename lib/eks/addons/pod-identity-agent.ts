import { Construct } from 'constructs';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { ComputeOrder, ManagedAddonInstallation, ManagedAddonOptions, ManagedClusterAddon } from './managed-addon';

/**
 * The EKS Pod Identity Agent managed add-on: a host-network DaemonSet that hands pods the credentials
 * of the IAM role their service account is associated with. Every PlatformCluster installs it first, and
 * node groups wait for it: aws-node (vpc-cni) gets its credentials through it.
 */
export class PodIdentityAgentAddon extends ManagedClusterAddon {
  constructor(options: ManagedAddonOptions = {}) {
    super({ ...options, addonName: 'eks-pod-identity-agent', computeOrder: ComputeOrder.BEFORE_COMPUTE, constructId: 'PodIdentityAgentAddon' });
  }

  public install(scope: Construct, cluster: IPlatformCluster): ManagedAddonInstallation {
    return new ManagedAddonInstallation(scope, 'PodIdentityAgentAddon', { ...this.options, cluster, resourceId: 'Resource' });
  }
}
