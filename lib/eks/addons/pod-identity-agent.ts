import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IClusterAddon } from './cluster-addon';
import { CoreAddonProps } from '../core-addon-props';
import { assertNotInstalled, createManagedAddon, resolveAddonVersion } from './addon-support';
import type { PlatformCluster } from '../platform-cluster';

/**
 * The EKS Pod Identity Agent managed add-on: a host-network DaemonSet that hands pods the credentials
 * of the IAM role their service account is associated with. Every PlatformCluster installs it first;
 * add-ons that use Pod Identity depend on `PlatformCluster.podIdentityAgent`.
 */
export class PodIdentityAgentAddon implements IClusterAddon {
  public readonly name = 'eks-pod-identity-agent';
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
    this._addon = createManagedAddon(cluster, 'PodIdentityAgentAddon', this.name, version.version, () => this.props.configurationValues);
    version.annotate(this._addon);
  }
}
