// Module-private helper of the four core add-ons (lib/eks/addons/{vpc-cni,coredns,kube-proxy,pod-identity-agent}.ts);
// version pinning and install guards are shared with the other add-ons in addons/addon-support.ts.
// Not exported from lib/index.ts: jsii publishes only what the entry point reaches.
import { Lazy, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { PlatformCluster } from './platform-cluster';

/**
 * Creates an EKS managed add-on under the cluster. Configuration values are rendered lazily, so that
 * a value depending on the cluster's final compute (CoreDNS on Fargate) sees node groups added later.
 * `OVERWRITE` makes EKS restore the add-on's managed fields when someone edited them with kubectl.
 */
export function createManagedAddon(cluster: PlatformCluster, id: string, addonName: string, version: string, configuration: () => { [key: string]: any } | undefined): eks.Addon {
  const addon = new eks.Addon(cluster, id, { cluster: cluster.cluster, addonName, addonVersion: version });
  const resource = addon.node.defaultChild as eks.CfnAddon;
  resource.resolveConflicts = 'OVERWRITE';
  resource.configurationValues = Lazy.string({
    produce: () => {
      const values = configuration();
      return values === undefined || Object.keys(values).length === 0 ? undefined : Stack.of(cluster).toJsonString(values);
    },
  });
  return addon;
}
