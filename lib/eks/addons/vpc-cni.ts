import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { ComputeOrder, ManagedAddonInstallation, ManagedAddonOptions, ManagedClusterAddon } from './managed-addon';

/** The service account of the aws-node DaemonSet, which the add-on's role is associated with. */
const SERVICE_ACCOUNT = 'aws-node';

/** Props of {@link VpcCniAddon}. */
export interface VpcCniAddonProps extends ManagedAddonOptions {
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
export class VpcCniAddon extends ManagedClusterAddon {
  private readonly role?: iam.IRole;

  constructor(props: VpcCniAddonProps = {}) {
    super({ version: props.version, configurationValues: props.configurationValues, addonName: 'vpc-cni', computeOrder: ComputeOrder.BEFORE_COMPUTE, constructId: 'VpcCniAddon' });
    this.role = props.role;
  }

  public install(scope: Construct, cluster: IPlatformCluster): VpcCniInstallation {
    return new VpcCniInstallation(scope, 'VpcCniAddon', { ...this.options, cluster, role: this.role });
  }
}

/** Props of {@link VpcCniInstallation}. */
export interface VpcCniInstallationProps extends ManagedAddonOptions {
  /** The cluster. */
  readonly cluster: IPlatformCluster;
  /**
   * The role of aws-node.
   * @default - a role with AmazonEKS_CNI_Policy
   */
  readonly role?: iam.IRole;
}

/** The vpc-cni add-on installed on one cluster. */
export class VpcCniInstallation extends ManagedAddonInstallation {
  /** The role aws-node uses through Pod Identity. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: VpcCniInstallationProps) {
    super(scope, id, { ...props, addonName: 'vpc-cni', computeOrder: ComputeOrder.BEFORE_COMPUTE, resourceId: 'Resource' });
    // A sibling of the installation (`VpcCniRole`), where earlier releases created it: its logical id stays.
    this.role = props.role ?? createRole(scope, props.cluster);
    this.bindPodIdentity(SERVICE_ACCOUNT, this.role);
  }
}

function createRole(scope: Construct, cluster: IPlatformCluster): iam.Role {
  const role = new iam.Role(scope, 'VpcCniRole', {
    assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    description: `Pod Identity role of the VPC CNI (aws-node) of ${cluster.node.path}`,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKS_CNI_Policy')],
  });
  Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKS_CNI_Policy]',
    'AWS maintains AmazonEKS_CNI_Policy alongside the VPC CNI it serves; network interfaces are created at run time, so no ARN is known to scope a custom policy to. Pass role to use your own');
  return role;
}
