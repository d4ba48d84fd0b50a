import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { bindPodIdentity, createManagedAddon } from './addon-support';
import type { AddonVersion } from './addon-version';
import { ClusterAddon } from './cluster-addon';

/** When an EKS managed add-on is created relative to the cluster's node groups and Fargate profiles. */
export enum ComputeOrder {
  /**
   * Before compute: node groups wait for it, because a node needs it to become Ready (vpc-cni, kube-proxy,
   * the Pod Identity agent). Node groups of the add-on's stack and, when it is in the cluster's stack, all of them.
   */
  BEFORE_COMPUTE = 'BEFORE_COMPUTE',
  /**
   * After compute: it waits for the node groups and Fargate profiles of its stack and of the cluster's
   * stack, because it reports ACTIVE only once its pods run (a Deployment such as CoreDNS).
   */
  AFTER_COMPUTE = 'AFTER_COMPUTE',
}

/** Settings every EKS managed add-on of this library takes. */
export interface ManagedAddonOptions {
  /**
   * Which build to install: `AddonVersion.of('v1.23.1-eksbuild.1')` for a given one,
   * `AddonVersion.eksDefault()` for EKS's default at create.
   * @default - AddonVersion.recommended(): the library's version table's build for the cluster's Kubernetes version; EKS's default build (with a synth warning) where the table has none
   */
  readonly version?: AddonVersion;

  /**
   * The add-on's configuration values (its JSON schema: `aws eks describe-addon-configuration`). They are
   * merged over the values the add-on's class sets, so a key given here wins.
   * @default - the add-on's defaults, plus whatever the add-on's class documents it sets
   */
  readonly configurationValues?: { [key: string]: any };
}

/** Props of {@link ManagedAddonInstallation}. */
export interface ManagedAddonInstallationProps extends ManagedAddonOptions {
  /** The cluster to install into. */
  readonly cluster: IPlatformCluster;
  /** The EKS add-on name, e.g. `snapshot-controller`. */
  readonly addonName: string;
  /**
   * Before or after compute.
   * @default ComputeOrder.AFTER_COMPUTE
   */
  readonly computeOrder?: ComputeOrder;
  /**
   * The construct id of the `AWS::EKS::Addon` resource under the installation (construct ids are public API).
   * @default 'Addon'
   */
  readonly resourceId?: string;
}

/**
 * One EKS managed add-on installed on one cluster: the `AWS::EKS::Addon` (conflicts resolved with
 * OVERWRITE, so EKS restores managed fields edited with kubectl and takes over a self-managed install),
 * its build from the version table, its Pod Identity bindings, and its order relative to compute. It is
 * recorded with the cluster for `waitForManagedAddons`.
 *
 * Extend it for an add-on with IAM or Kubernetes objects of its own: create them in the constructor after
 * `super(...)`, bind roles with `bindPodIdentity`, and override `configurationDefaults` for values that
 * depend on the cluster's final compute (they are rendered at synth, after node groups added later).
 */
export class ManagedAddonInstallation extends Construct {
  /** The cluster it is installed on. */
  public readonly cluster: IPlatformCluster;
  /** The EKS add-on name. */
  public readonly addonName: string;
  /** The managed add-on. */
  public readonly addon: eks.CfnAddon;

  constructor(scope: Construct, id: string, props: ManagedAddonInstallationProps) {
    super(scope, id);
    this.cluster = props.cluster;
    this.addonName = props.addonName;
    props.cluster.registerAddon(props.addonName, this);
    this.addon = createManagedAddon(this, props.resourceId ?? 'Addon', props.cluster, {
      addonName: props.addonName,
      version: props.version,
      configuration: () => ({ ...this.configurationDefaults(), ...props.configurationValues }),
      beforeCompute: props.computeOrder === ComputeOrder.BEFORE_COMPUTE,
    });
  }

  /**
   * Associates a role with one of the add-on's service accounts through EKS Pod Identity (the add-on's
   * `PodIdentityAssociations`). The add-on depends on the role, so its pods never start without the role's
   * policies, including those attached later. No dependency on the Pod Identity agent: an association is
   * an EKS API object, and the pods run on nodes, which wait for the agent.
   * @param serviceAccount the service account in the add-on's namespace
   * @param role a role that trusts `pods.eks.amazonaws.com` (sts:AssumeRole and sts:TagSession)
   */
  protected bindPodIdentity(serviceAccount: string, role: iam.IRole): void {
    bindPodIdentity(this.cluster, this.addon, serviceAccount, role);
  }

  /**
   * Configuration values the add-on's class sets, rendered at synth; `configurationValues` given by the user
   * override them key by key.
   */
  protected configurationDefaults(): { [key: string]: any } {
    return {};
  }
}

/** Props of {@link ManagedClusterAddon}. */
export interface ManagedClusterAddonProps extends ManagedAddonOptions {
  /** The EKS add-on name, as `aws eks describe-addon-versions` lists it. */
  readonly addonName: string;
  /**
   * Before or after compute.
   * @default ComputeOrder.AFTER_COMPUTE
   */
  readonly computeOrder?: ComputeOrder;
  /**
   * The construct id of the installation under the install scope.
   * @default - the add-on name
   */
  readonly constructId?: string;
}

/**
 * An EKS managed add-on, as settings that can be installed on any number of clusters. Use it as it is for an
 * add-on that needs no IAM (`new ManagedClusterAddon({ addonName: 'snapshot-controller' })`), or extend it:
 * override `install` to return your own `ManagedAddonInstallation` subclass (TypeScript and Python alike).
 */
export class ManagedClusterAddon extends ClusterAddon {
  public readonly name: string;
  /** The settings the add-on was created with. */
  protected readonly options: ManagedClusterAddonProps;

  constructor(props: ManagedClusterAddonProps) {
    super();
    this.name = props.addonName;
    this.options = props;
  }

  /**
   * Installs the add-on on `cluster`, under `scope`.
   * @param scope where to create it (the cluster, or a construct in an add-ons stack)
   * @param cluster the cluster
   */
  public install(scope: Construct, cluster: IPlatformCluster): ManagedAddonInstallation {
    return new ManagedAddonInstallation(scope, this.options.constructId ?? this.name, {
      cluster,
      addonName: this.name,
      version: this.options.version,
      configurationValues: this.options.configurationValues,
      computeOrder: this.options.computeOrder,
    });
  }
}
