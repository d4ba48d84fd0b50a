import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IClusterAddon } from './cluster-addon';
import { CoreAddonProps } from '../core-addon-props';
import { assertNotInstalled, createManagedAddon, resolveAddonVersion } from './addon-support';
import type { PlatformCluster } from '../platform-cluster';

/**
 * The CoreDNS managed add-on: cluster DNS. It is a Deployment, so it waits for the cluster's compute
 * (every node group and Fargate profile, including those added later): created before any, it would
 * stay DEGRADED and fail the deployment.
 *
 * On a Fargate-only cluster it sets `computeType: Fargate`, so that its pods carry no EC2 annotation
 * and run on the profile that selects `kube-system` pods labelled `k8s-app=kube-dns`.
 */
export class CoreDnsAddon implements IClusterAddon {
  public readonly name = 'coredns';
  private readonly props: CoreAddonProps;
  private _addon?: eks.Addon;

  constructor(props: CoreAddonProps = {}) {
    this.props = props;
  }

  /** The managed add-on, once installed. */
  public get addon(): eks.Addon {
    if (!this._addon) {
      throw new Error(`addon: the ${this.name} add-on is not installed yet, got no cluster; read it after PlatformCluster.addAddon`);
    }
    return this._addon;
  }

  public install(cluster: PlatformCluster): void {
    assertNotInstalled(this._addon?.node.scope, this.name);
    const version = resolveAddonVersion(this.name, cluster, this.props.version);
    this._addon = createManagedAddon(cluster, 'CoreDnsAddon', this.name, version.version, () => ({
      ...this.props.configurationValues,
      ...(cluster.fargateOnly ? { computeType: 'Fargate' } : {}),
    }));
    version.annotate(this._addon);
    cluster.waitForCompute(this._addon);
  }
}
