import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * What node groups, Fargate profiles and add-ons need from a cluster. `PlatformCluster` implements it, and
 * so does the cluster `PlatformCluster.fromClusterAttributes` imports, so add-ons install on either, in the
 * cluster's stack or in a stack of their own.
 *
 * Ordering across stacks: a construct depends on another only when the other is in its own stack or in the
 * cluster's stack. A node group in an application stack still waits for the cluster's vpc-cni, kube-proxy
 * and Pod Identity agent; a waiter in the cluster's stack (CoreDNS, the load balancer controller) does not
 * wait for a node group or add-on in an application stack, because the cluster's stack would then depend on
 * a stack that depends on it. An application stack deploys after the cluster's stack, so its compute and
 * add-ons come after everything there anyway.
 */
export interface IPlatformCluster extends IConstruct {
  /** The EKS cluster (created by `PlatformCluster`, or imported). */
  readonly eksCluster: eks.ICluster;
  /** The VPC the cluster runs in. */
  readonly vpc: ec2.IVpc;
  /** The cluster's Kubernetes version. */
  readonly version: eks.KubernetesVersion;
  /** Whether the cluster has a kubectl handler, so Helm charts and manifests can be applied. */
  readonly kubectlEnabled: boolean;
  /**
   * Whether the cluster runs the EKS Pod Identity agent, which add-ons that bind roles through Pod
   * Identity need (every PlatformCluster does).
   */
  readonly podIdentityAgentInstalled: boolean;
  /** True when the cluster has Fargate profiles and no node group, as far as this app knows. */
  readonly fargateOnly: boolean;
  /** The AMI types of the cluster's node groups known to this app (for add-ons that size per node OS). */
  readonly nodegroupAmiTypes: string[];
  /**
   * The names of the add-ons installed on the cluster in this app, through `addAddon` or
   * `addon.install(scope, cluster)` in any stack, in install order; read at synth for checks between add-ons.
   */
  readonly addonNames: string[];

  /**
   * Whether a Fargate profile of the cluster selects pods in `namespace` carrying `podLabels`: a selector
   * matches when its namespace matches and each of its labels is one of the pods' labels, with '*' and '?'
   * as wildcards (EKS User Guide, "Fargate profile").
   * @param namespace the pods' namespace
   * @param podLabels the pods' labels
   * @param whenUnknown what a selector unknown at synth (a token) counts as; default true
   */
  fargateSelects(namespace: string, podLabels: Record<string, string>, whenUnknown?: boolean): boolean;

  /**
   * The pod execution roles of the Fargate profiles that a construct in `scope`'s stack may reference:
   * those of its own stack and of the cluster's stack.
   * @param scope where the reference is made
   */
  fargatePodExecutionRoles(scope: IConstruct): iam.IRole[];

  /**
   * Makes a construct wait for the cluster's node groups and Fargate profiles of its own stack and of the
   * cluster's stack, including those added later: for add-ons whose pods must run before they report ACTIVE.
   * @param construct the waiter
   */
  waitForCompute(construct: IConstruct): void;

  /**
   * Makes the node groups of the construct's stack and, when it is in the cluster's stack, every node group,
   * including those added later, wait for a construct a node needs to become Ready (vpc-cni, kube-proxy, the
   * Pod Identity agent).
   * @param construct the prerequisite
   */
  addNodePrerequisite(construct: IConstruct): void;

  /**
   * Makes a construct wait for the cluster's EKS managed add-ons of its own stack and of the cluster's stack,
   * including those installed later: for a component whose admission webhooks refuse objects that add-ons
   * create at install, such as the AWS Load Balancer Controller.
   * @param construct the waiter
   */
  waitForManagedAddons(construct: IConstruct): void;

  /**
   * Records an EKS managed add-on of this cluster for `waitForManagedAddons`. The library's add-ons record
   * themselves; call it for an `eks.Addon` or `eks.CfnAddon` you create yourself.
   * @param addon the add-on's construct
   */
  registerManagedAddon(addon: IConstruct): void;

  /**
   * Records an add-on installed on this cluster. Fails when an add-on of the same name is installed already.
   * @param name the add-on's name (e.g. `aws-ebs-csi-driver`)
   * @param installation the construct the install created
   */
  registerAddon(name: string, installation: IConstruct): void;

  /**
   * Records a node group of this cluster created outside it (a `PlatformNodegroup`), so that prerequisites
   * and waiters see it. Fails when its name is used already.
   * @param nodegroup the node group
   * @param amiType its AMI type
   */
  registerNodegroup(nodegroup: eks.INodegroup, amiType: string): void;

  /**
   * Records a Fargate profile of this cluster created outside it (a `PlatformFargateProfile`), and returns
   * the profile of the same stack it must wait for (EKS takes one profile change at a time per cluster).
   * @param profile the profile's construct
   * @param selectors its selectors
   * @param podExecutionRole its pod execution role
   * @param profileName its name, when given, to reject a duplicate
   */
  registerFargateProfile(profile: IConstruct, selectors: eks.Selector[], podExecutionRole: iam.IRole, profileName?: string): IConstruct | undefined;
}

/** Attributes of a cluster created elsewhere (another stack, another app), for `PlatformCluster.fromClusterAttributes`. */
export interface PlatformClusterAttributes {
  /** The EKS cluster name. */
  readonly clusterName: string;
  /** The VPC the cluster runs in. */
  readonly vpc: ec2.IVpc;
  /** The cluster's Kubernetes version, which chooses add-on builds. */
  readonly version: eks.KubernetesVersion;
  /**
   * The cluster security group, which EKS attaches to managed nodes and Fargate pods (EfsCsiDriver admits NFS from it).
   * @default - none; add-ons that need it fail at synth
   */
  readonly clusterSecurityGroupId?: string;
  /**
   * The cluster's OIDC provider, for add-ons that fall back to IRSA (pods on Fargate).
   * @default - none; add-ons that need it fail at synth
   */
  readonly openIdConnectProvider?: iam.IOpenIdConnectProvider;
  /**
   * The cluster's kubectl provider, e.g. `eks.KubectlProvider.fromKubectlProviderAttributes(this, 'Kubectl',
   * { serviceToken, role })` with what the cluster's stack exports (`PlatformCluster.cluster.kubectlProvider`).
   * @default - none: add-ons that apply Helm charts or manifests fail at synth
   */
  readonly kubectlProvider?: eks.IKubectlProvider;
  /**
   * Whether the cluster runs the EKS Pod Identity agent.
   * @default true (every PlatformCluster installs it)
   */
  readonly podIdentityAgent?: boolean;
  /**
   * The selectors of the cluster's Fargate profiles, so add-ons know which of their pods run on Fargate.
   * This app cannot see the cluster's compute; what is not listed here is not known.
   * @default - no Fargate profile
   */
  readonly fargateSelectors?: eks.Selector[];
  /**
   * Whether the cluster runs on Fargate only (no node group).
   * @default false
   */
  readonly fargateOnly?: boolean;
  /**
   * The AMI types of the cluster's node groups (EbsCsiDriver reserves volume slots for Bottlerocket).
   * @default - none known
   */
  readonly nodegroupAmiTypes?: eks.NodegroupAmiType[];
}
