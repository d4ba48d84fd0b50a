import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IClusterAddon } from './cluster-addon';
import { CoreAddonProps } from '../core-addon-props';
import { assertNotInstalled, createManagedAddon, resolveAddonVersion } from './addon-support';
import type { PlatformCluster } from '../platform-cluster';

/**
 * The kube-proxy managed add-on: a DaemonSet that programs service routing on every node. Node groups
 * wait for it: aws-node (vpc-cni) reaches the API server through the `kubernetes` Service's cluster IP,
 * which only works once kube-proxy has programmed the node, so without it the CNI does not start and
 * the node never becomes Ready (maintainers' diagnosis in aws/amazon-vpc-cni-k8s issues 1078 and 1385).
 */
export class KubeProxyAddon implements IClusterAddon {
  public readonly name = 'kube-proxy';
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
    this._addon = createManagedAddon(cluster, 'KubeProxyAddon', this.name, version.version, () => this.props.configurationValues);
    version.annotate(this._addon);
    cluster.addNodePrerequisite(this._addon);
  }
}
