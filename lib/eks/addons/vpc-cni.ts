import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IClusterAddon } from './cluster-addon';
import { Compliance } from '../../compliance/acknowledge';
import { CoreAddonProps } from '../core-addon-props';
import { assertNotInstalled, createManagedAddon, resolveAddonVersion } from './addon-support';
import type { PlatformCluster } from '../platform-cluster';

/** The service account of the aws-node DaemonSet, which the add-on's role is associated with. */
const SERVICE_ACCOUNT = 'aws-node';

/** Props of {@link VpcCniAddon}. */
export interface VpcCniAddonProps extends CoreAddonProps {
  /**
   * The role aws-node assumes through Pod Identity. It must trust `pods.eks.amazonaws.com`
   * (sts:AssumeRole and sts:TagSession) and allow what AmazonEKS_CNI_Policy allows.
   * @default - a role with the AWS managed AmazonEKS_CNI_Policy
   */
  readonly role?: iam.IRole;
}

/**
 * The Amazon VPC CNI managed add-on: gives every pod a VPC address. Its permissions come from its own
 * role through Pod Identity rather than from the node role, so the nodes cannot manage network
 * interfaces themselves. Node groups wait for it (a node without a CNI never becomes Ready) and, in
 * parallel, for the Pod Identity Agent that hands aws-node its credentials. The add-on itself does not
 * wait for the agent: its Pod Identity association is an EKS API object, and aws-node pods start only
 * on nodes, which come after both.
 */
export class VpcCniAddon implements IClusterAddon {
  public readonly name = 'vpc-cni';
  private readonly props: VpcCniAddonProps;
  private _addon?: eks.Addon;
  private _role?: iam.IRole;

  constructor(props: VpcCniAddonProps = {}) {
    this.props = props;
  }

  /** The managed add-on, once installed. */
  public get addon(): eks.Addon {
    if (!this._addon) {
      throw new Error(`addon: the ${this.name} add-on is not installed yet, got no cluster; read it after PlatformCluster.addAddon`);
    }
    return this._addon;
  }

  /** The role aws-node uses, once installed. */
  public get role(): iam.IRole {
    if (!this._role) {
      throw new Error(`role: the ${this.name} add-on is not installed yet, got no cluster; read it after PlatformCluster.addAddon`);
    }
    return this._role;
  }

  public install(cluster: PlatformCluster): void {
    assertNotInstalled(this._addon?.node.scope, this.name);
    const version = resolveAddonVersion(this.name, cluster, this.props.version);
    this._role = this.props.role ?? this.createRole(cluster);
    this._addon = createManagedAddon(cluster, 'VpcCniAddon', this.name, version.version, () => this.props.configurationValues);
    version.annotate(this._addon);
    (this._addon.node.defaultChild as eks.CfnAddon).podIdentityAssociations = [{ serviceAccount: SERVICE_ACCOUNT, roleArn: this._role.roleArn }];
    cluster.addNodePrerequisite(this._addon);
  }

  private createRole(cluster: PlatformCluster): iam.Role {
    const role = new iam.Role(cluster, 'VpcCniRole', {
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
      description: `Pod Identity role of the VPC CNI (aws-node) of ${cluster.node.path}`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKS_CNI_Policy')],
    });
    Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKS_CNI_Policy]',
      'AWS maintains AmazonEKS_CNI_Policy alongside the VPC CNI it serves; network interfaces are created at run time, so no ARN is known to scope a custom policy to. Pass role to use your own');
    return role;
  }
}
