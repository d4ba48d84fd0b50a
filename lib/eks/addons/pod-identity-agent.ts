import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IClusterAddon } from './cluster-addon';
import { CoreAddonProps } from '../core-addon-props';
import { assertNotInstalled, createManagedAddon, resolveAddonVersion, validateAddonVersion } from './addon-support';
import type { PlatformCluster } from '../platform-cluster';

/**
 * Pinned `eks-pod-identity-agent` versions per Kubernetes version: the version a Kubernetes 1.36 cluster
 * resolved to in a public test record (2026); check with
 * `aws eks describe-addon-versions --addon-name eks-pod-identity-agent --kubernetes-version 1.36`.
 */
const PINNED_VERSIONS: Record<string, string> = {
  '1.36': 'v1.3.10-eksbuild.3',
};

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
    validateAddonVersion('version', props.version);
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
    const version = resolveAddonVersion(this.name, PINNED_VERSIONS, cluster, this.props.version);
    this._addon = createManagedAddon(cluster, 'PodIdentityAgentAddon', this.name, version, () => this.props.configurationValues);
  }
}
