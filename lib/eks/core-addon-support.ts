// Module-private helpers of the four core add-ons (lib/eks/addons/{vpc-cni,coredns,kube-proxy,pod-identity-agent}.ts).
// Not exported from lib/index.ts: jsii publishes only what the entry point reaches.
import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { PlatformCluster } from './platform-cluster';

/** EKS managed add-on versions look like `v1.22.4-eksbuild.3`. */
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/** `1.36` for a cluster on Kubernetes 1.36. */
export function minorVersion(cluster: PlatformCluster): string {
  const m = /^(\d+\.\d+)/.exec(cluster.version.version);
  return m ? m[1] : cluster.version.version;
}

/** The given version, else the pinned one; a Kubernetes version without a pin fails rather than letting EKS choose at deploy time. */
export function resolveCoreAddonVersion(addonName: string, pinned: Record<string, string>, cluster: PlatformCluster, given: string | undefined): string {
  if (given !== undefined) {
    if (!Token.isUnresolved(given) && !ADDON_VERSION.test(given)) {
      throw new Error(`version: not an EKS add-on version for ${addonName}, got '${given}'; pass a version such as 'v1.22.4-eksbuild.3' from 'aws eks describe-addon-versions --addon-name ${addonName}'`);
    }
    return given;
  }
  const minor = minorVersion(cluster);
  const version = pinned[minor];
  if (version === undefined) {
    throw new Error(`version: no ${addonName} version is pinned for Kubernetes ${minor} (pinned: ${Object.keys(pinned).join(', ')}), got undefined; pass version from 'aws eks describe-addon-versions --addon-name ${addonName} --kubernetes-version ${minor}'`);
  }
  return version;
}

/** Fails when one add-on object is installed twice: its handles would point at one of two resources. */
export function assertFirstInstall(installed: unknown, addonName: string): void {
  if (installed !== undefined) {
    throw new Error(`install: this ${addonName} add-on object is already installed; create one add-on object per cluster`);
  }
}

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
