import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Annotations, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { fargateSelects } from './addons/addon-support';
import { IClusterAddon } from './addons/cluster-addon';
import { CoreDnsAddon } from './addons/coredns';
import { KubeProxyAddon } from './addons/kube-proxy';
import { PodIdentityAgentAddon } from './addons/pod-identity-agent';
import { VpcCniAddon } from './addons/vpc-cni';
import { NamespaceAccess, NamespaceAccessLevel } from './cluster-access';
import { acknowledgeClusterRole, acknowledgeKubectlHandler } from './cluster-compliance';
import { validateClusterProps, validateEndpointAccess, validateFargateProfile, validateNodegroupSubnets, validateUniqueChildId } from './cluster-validation';
import { KubectlHandlerRole, secureKubectlProvider } from './kubectl-handler';
import { PlatformFargateProfileOptions } from './fargate-profile-options';
import { nodeLaunchTemplate, resolveNodegroup } from './nodegroup-builder';
import { PlatformNodegroupOptions } from './nodegroup-options';
import { Compliance } from '../compliance/acknowledge';
import { LogEncryptionKey } from '../compliance/log-encryption-key';
import { PlatformVpc } from '../network/platform-vpc';

/**
 * 1.36: the newest Kubernetes version with a `@aws-cdk/lambda-layer-kubectl-vNN` package on npm (there is no v37).
 * A function: reading `eks.KubernetesVersion` loads aws-eks-v2's cluster module, which importing the library must not.
 */
const defaultVersion = () => eks.KubernetesVersion.V1_36;
/** One year of control-plane logs covers the retention most audit frameworks (PCI DSS 10.7) ask for. */
const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/** EKS cluster names: 1 to 100 characters. */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
/** All five control-plane log types: audit and authenticator logs are what an incident review reads. */
const allLogTypes = () => [
  eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
];

/** The labels of the CoreDNS pods the coredns add-on runs, which a Fargate selector may name. */
const COREDNS_POD_LABELS = { 'k8s-app': 'kube-dns' };

/** The kubectl layers this library bundles, by Kubernetes minor version. Other versions need `kubectlLayer`. */
const BUNDLED_KUBECTL_LAYERS: Record<string, (scope: Construct, id: string) => lambda.ILayerVersion> = {
  '1.36': (scope, id) => new KubectlV36Layer(scope, id),
};

/** Which EKS support period the cluster stays on when its version leaves standard support. */
export enum ClusterSupportType {
  /** EKS upgrades the control plane automatically when standard support ends (no extra cost). */
  STANDARD = 'STANDARD',
  /** The cluster stays on its version for up to 12 more months, billed at the extended-support rate. */
  EXTENDED = 'EXTENDED',
}

/** The core add-ons every PlatformCluster installs; pass an object to pin a version or configure one. */
export interface CoreAddons {
  /** @default - new VpcCniAddon() */
  readonly vpcCni?: VpcCniAddon;
  /** @default - new CoreDnsAddon() */
  readonly coreDns?: CoreDnsAddon;
  /** @default - new KubeProxyAddon() */
  readonly kubeProxy?: KubeProxyAddon;
  /** @default - new PodIdentityAgentAddon() */
  readonly podIdentityAgent?: PodIdentityAgentAddon;
}

/** A managed node group given through props: its construct id and options. */
export interface PlatformNodegroupSpec extends PlatformNodegroupOptions {
  /** The construct id, as for `addNodegroup(id, ...)`. Changing it replaces the node group. */
  readonly id: string;
}

/** A Fargate profile given through props: its construct id and options. */
export interface PlatformFargateProfileSpec extends PlatformFargateProfileOptions {
  /** The construct id, as for `addFargateProfile(id, ...)`. Changing it replaces the profile. */
  readonly id: string;
}

/** Props of {@link PlatformCluster}. */
export interface PlatformClusterProps {
  /**
   * The VPC. Nodes, Fargate pods, the control plane's network interfaces and the kubectl handler use its
   * private (or isolated) subnets. A private-only VPC needs interface endpoints for ECR, STS, EKS Auth,
   * EC2, CloudWatch Logs and Lambda (the kubectl handler's provider calls it).
   * @default - a PlatformVpc with the public+private layout, created as `network`
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The Kubernetes version, pinned. Versions other than 1.36 need `kubectlLayer` (or `kubectl: false`).
   * @default eks.KubernetesVersion.V1_36
   */
  readonly version?: eks.KubernetesVersion;

  /**
   * The EKS cluster name. It is fixed at synth because the control-plane log group is named after it.
   * @default - a name unique to this construct path, at most 100 characters
   */
  readonly clusterName?: string;

  /**
   * Who can reach the Kubernetes API endpoint. `eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(cidr)`
   * opens it to named ranges; an unrestricted public endpoint raises a warning and stays visible to audits.
   * @default eks.EndpointAccess.PRIVATE (reached from inside the VPC, a VPN or a peered network only)
   */
  readonly endpointAccess?: eks.EndpointAccess;

  /**
   * The KMS key that envelope-encrypts Kubernetes secrets.
   * @default - a key is created with rotation on, retained when the stack is deleted
   */
  readonly secretsKey?: kms.IKey;

  /**
   * How long control-plane logs (all five types) are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The KMS key that encrypts the control-plane log group and the kubectl handler's log groups. Its key
   * policy must let the CloudWatch Logs service principal of the region use it for `/aws/eks/<cluster name>/cluster`
   * and, with the kubectl handler, `<stack name>-*` (a LogEncryptionKey of this app admits them by itself).
   * @default - a LogEncryptionKey is created (rotation on, retained)
   */
  readonly logKey?: kms.IKey;

  /**
   * What happens when the Kubernetes version leaves standard support.
   * @default ClusterSupportType.STANDARD (EKS upgrades the control plane; no extended-support charge)
   */
  readonly supportType?: ClusterSupportType;

  /**
   * IAM roles that administer the whole cluster (AmazonEKSClusterAdminPolicy through access entries).
   * @default - none; without admins and without the kubectl handler nobody can use the Kubernetes API
   */
  readonly admins?: iam.IRole[];

  /**
   * Roles that get access to some namespaces only.
   * @default - none
   */
  readonly namespaceAccess?: NamespaceAccess[];

  /**
   * Make the IAM identity that creates the cluster (the CloudFormation role) a cluster admin.
   * Changing it replaces the cluster.
   * @default false (admins are named in `admins`)
   */
  readonly clusterCreatorAdmin?: boolean;

  /**
   * Create the kubectl handler (a Lambda function in the VPC's private subnets) that applies manifests
   * and Helm charts. Without it, add-ons that install charts or manifests fail at synth.
   * @default true
   */
  readonly kubectl?: boolean;

  /**
   * The kubectl Lambda layer, matching `version`: the escape hatch for versions this library bundles no
   * layer for (e.g. `new KubectlV35Layer(this, 'Kubectl')` from `@aws-cdk/lambda-layer-kubectl-v35`).
   * @default - the bundled layer for 1.36; other versions fail at synth
   */
  readonly kubectlLayer?: lambda.ILayerVersion;

  /**
   * Managed node groups, created in order.
   * @default - none (add them with addNodegroup, or run on Fargate only)
   */
  readonly nodegroups?: PlatformNodegroupSpec[];

  /**
   * Fargate profiles, created one after another in order.
   * @default - none
   */
  readonly fargateProfiles?: PlatformFargateProfileSpec[];

  /**
   * The core add-on objects, to pin their versions or configure them.
   * @default - vpc-cni, coredns, kube-proxy and eks-pod-identity-agent at the versions pinned for `version`
   */
  readonly coreAddons?: CoreAddons;

  /**
   * Further add-ons, installed at the end of the constructor after node groups and profiles.
   * @default - none
   */
  readonly addons?: IClusterAddon[];
}

/**
 * A production EKS cluster on `aws-eks-v2`: private API endpoint, secrets encrypted with a rotated KMS
 * key, all control-plane logs in a retained, encrypted log group, access entries instead of aws-auth,
 * managed node groups with IMDSv2 and encrypted disks, Fargate profiles, and the core add-ons as EKS
 * managed add-ons with Pod Identity.
 */
export class PlatformCluster extends Construct {
  /** The EKS cluster. */
  public readonly cluster: eks.Cluster;
  /** The VPC the cluster runs in. */
  public readonly vpc: ec2.IVpc;
  /** The VPC created when `vpc` was not given. */
  public readonly network?: PlatformVpc;
  /** The Kubernetes version. */
  public readonly version: eks.KubernetesVersion;
  /** Every managed node group, in creation order. */
  public readonly nodegroups: eks.Nodegroup[] = [];
  /** The launch template of each managed node group, in the same order as `nodegroups`. */
  public readonly launchTemplates: ec2.LaunchTemplate[] = [];
  /** Every Fargate profile, in creation order. */
  public readonly fargateProfiles: eks.FargateProfile[] = [];
  /** The key that envelope-encrypts Kubernetes secrets. */
  public readonly secretsKey: kms.IKey;
  /** The control-plane log group `/aws/eks/<name>/cluster`. */
  public readonly logGroup: logs.LogGroup;
  /** The key of the log group, when it was created here. */
  public readonly logKey?: kms.Key;
  /** False when `kubectl: false`: no kubectl handler, so no Helm charts and no manifests. */
  public readonly kubectlEnabled: boolean;
  /**
   * The kubectl handler's role, when `kubectl` is on. Its grants land in a customer-managed policy. It holds
   * no ECR access: grant the repositories of Helm charts pulled over OCI (`repository.grantPull(kubectlRole)`).
   */
  public readonly kubectlRole?: iam.Role;
  /** The eks-pod-identity-agent add-on; every node group waits for it (aws-node gets its credentials through it). */
  public readonly podIdentityAgent: eks.Addon;
  /** The vpc-cni add-on. */
  public readonly vpcCni: eks.Addon;
  /** The role the VPC CNI uses through Pod Identity. */
  public readonly vpcCniRole: iam.IRole;
  /** The kube-proxy add-on. */
  public readonly kubeProxy: eks.Addon;
  /** The coredns add-on. */
  public readonly coreDns: eks.Addon;
  /** Installed add-ons, in order (the four core add-ons first). */
  public readonly addons: IClusterAddon[] = [];

  private readonly privateSubnets: ec2.ISubnet[];
  private readonly nodePrerequisites: IConstruct[] = [];
  private readonly computeWaiters: IConstruct[] = [];
  private readonly managedAddonResources: IConstruct[] = [];
  private readonly managedAddonWaiters: IConstruct[] = [];
  private readonly nodegroupNames = new Set<string>();
  private readonly profileNames = new Set<string>();

  constructor(scope: Construct, id: string, props: PlatformClusterProps = {}) {
    super(scope, id);
    validateClusterProps(props);
    this.version = props.version ?? defaultVersion();
    this.kubectlEnabled = props.kubectl ?? true;
    const kubectlLayer = this.resolveKubectlLayer(props);

    if (props.vpc === undefined) {
      this.network = new PlatformVpc(this, 'Network');
    }
    this.vpc = props.vpc ?? this.network!.vpc;
    this.privateSubnets = [...this.vpc.privateSubnets, ...this.vpc.isolatedSubnets];
    const endpointAccess = props.endpointAccess ?? eks.EndpointAccess.PRIVATE;
    validateEndpointAccess(this, endpointAccess, this.privateSubnets.length > 0);

    const clusterName = props.clusterName ?? Names.uniqueResourceName(this, { maxLength: 100, separator: '-' });
    if (!Token.isUnresolved(clusterName) && !CLUSTER_NAME.test(clusterName)) {
      throw new Error(`clusterName: not a valid EKS cluster name, got '${clusterName}'; use 1 to 100 letters, digits, '-' and '_', starting with a letter or digit`);
    }

    // EKS creates /aws/eks/<name>/cluster itself, unencrypted and kept forever, unless the group exists
    // first: creating it here makes CloudFormation own its retention, key and deletion.
    if (props.logKey === undefined) {
      this.logKey = new LogEncryptionKey(this, 'LogKey', { description: `Encrypts the control-plane logs of ${this.node.path}` });
    }
    this.logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${clusterName}/cluster`,
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      encryptionKey: props.logKey ?? this.logKey,
      // Kept when the stack is deleted; removed when the first create rolls back, because its fixed name
      // would make the retry fail with 'already exists'. The cluster depends on it, so it goes after the cluster.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    // The library's own role for the kubectl handler: without it aws-eks-v2 attaches AWS managed policies
    // and an inline policy to a role of its own.
    const kubectlRole = kubectlLayer === undefined ? undefined : new KubectlHandlerRole(this, 'KubectlRole');
    this.kubectlRole = kubectlRole;

    this.secretsKey = props.secretsKey ?? new kms.Key(this, 'SecretsKey', {
      description: `Envelope-encrypts the Kubernetes secrets of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName,
      version: this.version,
      vpc: this.vpc,
      // The control plane's network interfaces go where the nodes are, never into public subnets, unless the
      // VPC has no others (a public-only VPC with a public endpoint): aws-eks-v2's default selection asks for
      // PRIVATE_WITH_EGRESS subnets and fails in such a VPC with an error that names no prop.
      vpcSubnets: [{ subnets: this.privateSubnets.length > 0 ? this.privateSubnets : this.vpc.publicSubnets }],
      endpointAccess,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: allLogTypes(),
      // NODEGROUP with no default capacity turns EKS Auto Mode off: compute is the node groups and profiles below.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      // vpc-cni, coredns and kube-proxy come as managed add-ons below, not as self-managed copies to take over.
      bootstrapSelfManagedAddons: false,
      bootstrapClusterCreatorAdminPermissions: props.clusterCreatorAdmin ?? false,
      kubectlProviderOptions: kubectlLayer === undefined ? undefined : {
        kubectlLayer,
        role: kubectlRole,
        // In the VPC, so that a private-only endpoint works and the handler's traffic stays inside.
        privateSubnets: this.privateSubnets.length > 0 ? this.privateSubnets : undefined,
      },
    });
    const cfnCluster = this.cluster.node.defaultChild as eks.CfnCluster;
    cfnCluster.upgradePolicy = { supportType: props.supportType ?? ClusterSupportType.STANDARD };
    // The group must exist before the control plane first logs, or EKS creates its own (see above).
    cfnCluster.node.addDependency(this.logGroup);
    Compliance.acknowledge(cfnCluster, 'CloudFormation-Validate::W9009',
      'aws-eks-v2 renders EncryptionConfig Resources: [secrets], the one value EKS documents for envelope encryption; the schema marks the property deprecated, not unsupported');
    this.grantSecretsKeyToControlPlane(cfnCluster);
    acknowledgeClusterRole(this.cluster);
    if (kubectlRole) {
      secureKubectlProvider(this.cluster, kubectlRole, { key: props.logKey ?? this.logKey!, retention: props.logRetention ?? DEFAULT_LOG_RETENTION });
      acknowledgeKubectlHandler(this.cluster);
    }

    (props.admins ?? []).forEach((role, i) => this.addClusterAdmin(`Admin${i}`, role));
    (props.namespaceAccess ?? []).forEach((access, i) => this.addNamespaceAccess(`NamespaceAccess${i}`, access));
    if (!this.kubectlEnabled && (props.admins ?? []).length === 0 && (props.namespaceAccess ?? []).length === 0 && !props.clusterCreatorAdmin) {
      Annotations.of(this).addWarningV2('cdk-container-platform:eksNoApiAccess',
        'admins: no IAM role can use the Kubernetes API, got no admins, no namespaceAccess and kubectl: false; name admin roles or add them later with addClusterAdmin');
    }

    const core = props.coreAddons ?? {};
    const podIdentityAgent = core.podIdentityAgent ?? new PodIdentityAgentAddon();
    this.addAddon(podIdentityAgent);
    this.podIdentityAgent = podIdentityAgent.addon;
    // aws-eks-v2 creates its own agent add-on on first use of Cluster.eksPodIdentityAgent (for
    // Pod Identity service accounts); pointing it at ours keeps one agent per cluster.
    (this.cluster as any)._eksPodIdentityAgent = this.podIdentityAgent;
    // aws-node (vpc-cni) has no permissions but those of its Pod Identity role, served by the agent on
    // the node: without the agent a node's CNI never starts and the node never becomes Ready.
    this.addNodePrerequisite(this.podIdentityAgent);
    const vpcCni = core.vpcCni ?? new VpcCniAddon();
    this.addAddon(vpcCni);
    this.vpcCni = vpcCni.addon;
    this.vpcCniRole = vpcCni.role;
    const kubeProxy = core.kubeProxy ?? new KubeProxyAddon();
    this.addAddon(kubeProxy);
    this.kubeProxy = kubeProxy.addon;
    const coreDns = core.coreDns ?? new CoreDnsAddon();
    this.addAddon(coreDns);
    this.coreDns = coreDns.addon;

    for (const spec of props.nodegroups ?? []) {
      const { id: nodegroupId, ...options } = spec;
      this.addNodegroup(nodegroupId, options);
    }
    for (const spec of props.fargateProfiles ?? []) {
      const { id: profileId, ...options } = spec;
      this.addFargateProfile(profileId, options);
    }
    for (const addon of props.addons ?? []) {
      this.addAddon(addon);
    }

    this.node.addValidation({ validate: () => this.validateCompute() });
  }

  /** True when there are Fargate profiles and no node group: CoreDNS then runs on Fargate. */
  public get fargateOnly(): boolean {
    return this.fargateProfiles.length > 0 && this.nodegroups.length === 0;
  }

  /**
   * Adds a managed node group in the cluster's private subnets, with a launch template that requires
   * IMDSv2 and encrypts its volumes, an explicit AMI type, and node auto repair.
   */
  public addNodegroup(id: string, options: PlatformNodegroupOptions = {}): eks.Nodegroup {
    validateUniqueChildId(this, 'nodegroups', `Nodegroup${id}`, id);
    const minor = kubernetesMinor(this.version);
    const resolved = resolveNodegroup(this, id, options, minor);
    const name = options.nodegroupName;
    if (name !== undefined && !Token.isUnresolved(name)) {
      if (this.nodegroupNames.has(name)) {
        throw new Error(`nodegroupName: '${name}' is already used by another node group of ${this.node.path}, got it again for '${id}'; give each node group its own name`);
      }
      this.nodegroupNames.add(name);
    }
    const subnets = options.subnets ?? this.defaultWorkloadSubnets('nodegroups', id);
    validateNodegroupSubnets(this.vpc, subnets, id);
    this.warnOnPublicSubnets(id, subnets);

    const maxUnavailable = options.maxUnavailablePercentage === undefined ? (options.maxUnavailable ?? 1) : undefined;
    const maxUnavailablePercentage = options.maxUnavailablePercentage;
    // aws-cdk-lib range-checks the update config and compares it with maxSize without resolving tokens, so
    // with CfnParameter values it is set on the CloudFormation resource below (resolveNodegroup checks literals).
    const deferUpdateConfig = [resolved.maxSize, maxUnavailable, maxUnavailablePercentage].some((n) => n !== undefined && Token.isUnresolved(n));
    const launchTemplate = nodeLaunchTemplate(this, `Nodegroup${id}LaunchTemplate`, resolved.amiType, options);
    const nodeRole = options.nodeRole ?? this.createNodeRole(id);
    const nodegroup = new eks.Nodegroup(this, `Nodegroup${id}`, {
      cluster: this.cluster,
      nodegroupName: name,
      amiType: resolved.amiType,
      instanceTypes: resolved.instanceTypes,
      capacityType: options.capacityType ?? eks.CapacityType.ON_DEMAND,
      minSize: resolved.minSize,
      desiredSize: resolved.desiredSize,
      maxSize: resolved.maxSize,
      labels: options.labels,
      taints: options.taints,
      subnets,
      nodeRole,
      launchTemplateSpec: { id: launchTemplate.launchTemplateId!, version: launchTemplate.latestVersionNumber },
      maxUnavailable: deferUpdateConfig ? undefined : maxUnavailable,
      maxUnavailablePercentage: deferUpdateConfig ? undefined : maxUnavailablePercentage,
      forceUpdate: options.forceUpdate ?? false,
      enableNodeAutoRepair: options.nodeAutoRepair ?? true,
    });
    if (deferUpdateConfig) {
      (nodegroup.node.defaultChild as eks.CfnNodegroup).updateConfig = { maxUnavailable, maxUnavailablePercentage };
    }
    // A node becomes Ready, and EKS reports the group created, only once they exist (see
    // addNodePrerequisite); on delete they outlive the nodes. Each directly, not through one another, so
    // they are created in parallel, as terraform-aws-eks creates its before_compute add-ons (vpc-cni with
    // its Pod Identity association beside eks-pod-identity-agent) before node groups.
    for (const prerequisite of this.nodePrerequisites) {
      nodegroup.node.addDependency(prerequisite);
    }
    // A waiter's pods need nodes to run on before it reports success (see waitForCompute).
    for (const waiter of this.computeWaiters) {
      waiter.node.addDependency(nodegroup);
    }
    this.nodegroups.push(nodegroup);
    this.launchTemplates.push(launchTemplate);
    return nodegroup;
  }

  /**
   * Adds a Fargate profile in the cluster's private subnets. aws-eks-v2 chains profiles so that each
   * waits for the previous one: EKS accepts one profile change at a time per cluster.
   */
  public addFargateProfile(id: string, options: PlatformFargateProfileOptions): eks.FargateProfile {
    validateUniqueChildId(this, 'fargateProfiles', `FargateProfile${id}`, id);
    validateFargateProfile(this, id, options, this.profileNames);
    if (this.privateSubnets.length === 0) {
      throw new Error(`fargateProfiles: Fargate runs pods only in private subnets, got a VPC without private or isolated subnets for profile '${id}'; use a VPC with private subnets (PlatformVpc's default layout)`);
    }
    const profile = new eks.FargateProfile(this, `FargateProfile${id}`, {
      cluster: this.cluster,
      fargateProfileName: options.fargateProfileName,
      selectors: options.selectors,
      podExecutionRole: options.podExecutionRole,
      vpc: this.vpc,
      subnetSelection: { subnets: this.privateSubnets },
    });
    if (options.podExecutionRole === undefined) {
      Compliance.acknowledge(profile.podExecutionRole, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy]',
        'AWS maintains AmazonEKSFargatePodExecutionRolePolicy for Fargate image pulls; it allows only ECR reads, on every repository because the images pods run are unknown at synth (and ecr:GetAuthorizationToken has no resource scope). Pass podExecutionRole to use your own');
    }
    // A waiter's pods may be selected by this profile and need it before they can run (see waitForCompute).
    for (const waiter of this.computeWaiters) {
      waiter.node.addDependency(profile);
    }
    this.fargateProfiles.push(profile);
    return profile;
  }

  /** Installs an add-on. Fails when an add-on of the same name is already installed. */
  public addAddon(addon: IClusterAddon): void {
    if (this.addons.some((a) => a.name === addon.name)) {
      throw new Error(`addons: '${addon.name}' is already installed on ${this.node.path}, got it again; install each add-on once`);
    }
    addon.install(this);
    this.addons.push(addon);
  }

  /** Makes a role a cluster admin (AmazonEKSClusterAdminPolicy, cluster scope) through an access entry. */
  public addClusterAdmin(id: string, role: iam.IRole): void {
    this.cluster.grantAccess(id, role.roleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
    ]);
  }

  /** Gives a role access to some namespaces only, through an access entry. */
  public addNamespaceAccess(id: string, access: NamespaceAccess): void {
    if (access.namespaces.length === 0) {
      throw new Error(`namespaceAccess: role access '${id}' names no namespace, got []; list the namespaces, or use admins for cluster-wide access`);
    }
    for (const ns of access.namespaces) {
      if (!Token.isUnresolved(ns) && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns)) {
        throw new Error(`namespaceAccess: not a Kubernetes namespace name in '${id}', got '${ns}'; use up to 63 lower-case letters, digits and '-'`);
      }
    }
    this.cluster.grantAccess(id, access.role.roleArn, [
      eks.AccessPolicy.fromAccessPolicyName(access.level ?? NamespaceAccessLevel.EDIT, { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces: access.namespaces }),
    ]);
  }

  /**
   * Makes a construct wait for every node group and Fargate profile of the cluster, including those
   * added later: for add-ons whose pods must be scheduled before they report ACTIVE.
   */
  public waitForCompute(construct: IConstruct): void {
    this.computeWaiters.push(construct);
    // The construct's pods need somewhere to run; on delete it goes before the compute.
    for (const compute of [...this.nodegroups, ...this.fargateProfiles]) {
      construct.node.addDependency(compute);
    }
  }

  /**
   * Makes every node group, including those added later, wait for a construct: for what a node needs
   * before it can become Ready (vpc-cni; the Pod Identity agent, which serves vpc-cni's credentials;
   * kube-proxy, without which vpc-cni cannot reach the API server through the `kubernetes` Service).
   * Node groups depend on each prerequisite directly, so the prerequisites need no order among themselves.
   */
  public addNodePrerequisite(construct: IConstruct): void {
    this.nodePrerequisites.push(construct);
    // A node needs it to become Ready (see above).
    for (const nodegroup of this.nodegroups) {
      nodegroup.node.addDependency(construct);
    }
  }

  /**
   * Makes a construct wait for every EKS managed add-on of the cluster, including those installed later:
   * for a component whose admission webhooks refuse objects that add-ons create at install (Services)
   * until its own pods are ready, such as the AWS Load Balancer Controller. Do not pass a construct that
   * a managed add-on depends on: that would be a dependency cycle.
   */
  public waitForManagedAddons(construct: IConstruct): void {
    this.managedAddonWaiters.push(construct);
    // Installed side by side, the add-on's Services would race the waiter's webhooks (see above).
    for (const addon of this.managedAddonResources) {
      construct.node.addDependency(addon);
    }
  }

  /**
   * Records an EKS managed add-on of this cluster, so that every construct given to
   * `waitForManagedAddons`, before or after, waits for it. The library's add-ons record themselves;
   * call it for an `eks.Addon` or `eks.CfnAddon` you create on this cluster yourself, in the cluster's
   * stack (the waiters, such as the load balancer controller's release, live there: an add-on in a
   * stack that depends on it would make the stacks depend on each other).
   */
  public registerManagedAddon(addon: IConstruct): void {
    if (Stack.of(addon) !== Stack.of(this)) {
      throw new Error(`addon: a managed add-on registered with ${this.node.path} must be in its stack ${Stack.of(this).stackName}, got ${addon.node.path} in stack ${Stack.of(addon).stackName}; create the add-on in the cluster's stack`);
    }
    this.managedAddonResources.push(addon);
    // The waiter's webhooks must not be registered while the add-on creates its Services (see waitForManagedAddons).
    for (const waiter of this.managedAddonWaiters) {
      waiter.node.addDependency(addon);
    }
  }

  private resolveKubectlLayer(props: PlatformClusterProps): lambda.ILayerVersion | undefined {
    if (!this.kubectlEnabled) {
      return undefined;
    }
    if (props.kubectlLayer !== undefined) {
      return props.kubectlLayer;
    }
    const minorNumber = kubernetesMinor(this.version);
    if (minorNumber === undefined) {
      throw new Error(`version: the kubectl layer must match the Kubernetes version, got a version unknown at synth (a token, e.g. a CfnParameter value); pass the matching kubectlLayer, or set kubectl: false`);
    }
    const minor = `1.${minorNumber}`;
    const bundled = BUNDLED_KUBECTL_LAYERS[minor];
    if (bundled === undefined) {
      throw new Error(`version: this library bundles a kubectl layer for Kubernetes ${Object.keys(BUNDLED_KUBECTL_LAYERS).join(', ')} only, got ${this.version.version}; pass kubectlLayer (e.g. KubectlV${minor.split('.')[1]}Layer from @aws-cdk/lambda-layer-kubectl-v${minor.split('.')[1]}), use version 1.36, or set kubectl: false`);
    }
    return bundled(this, 'KubectlLayer');
  }

  /** Runs at synth, after node groups and profiles added late: a cluster CoreDNS cannot run on fails. */
  private validateCompute(): string[] {
    if (this.fargateOnly && !fargateSelects(this, 'kube-system', COREDNS_POD_LABELS)) {
      return ['fargateProfiles: on a Fargate-only cluster CoreDNS runs on Fargate, got no profile selecting namespace kube-system (with no labels, or k8s-app=kube-dns); add a profile with selectors [{ namespace: \'kube-system\', labels: { \'k8s-app\': \'kube-dns\' } }]'];
    }
    if (this.nodegroups.length === 0 && this.fargateProfiles.length === 0) {
      Annotations.of(this).addWarningV2('cdk-container-platform:eksNoCompute',
        'nodegroups: the cluster has no node group and no Fargate profile, got neither; CoreDNS waits for compute and the deployment will not finish until you add some');
    }
    return [];
  }

  private defaultWorkloadSubnets(prop: string, id: string): ec2.SubnetSelection {
    if (this.privateSubnets.length === 0) {
      throw new Error(`${prop}: node group '${id}' defaults to private subnets, got a VPC without private or isolated subnets; use a VPC with private subnets or pass subnets explicitly`);
    }
    return { subnets: this.privateSubnets };
  }

  private warnOnPublicSubnets(id: string, selection: ec2.SubnetSelection): void {
    const publicIds = new Set(this.vpc.publicSubnets.map((s) => s.subnetId));
    const selected = this.vpc.selectSubnets(selection).subnets;
    if (selected.some((s) => publicIds.has(s.subnetId))) {
      Annotations.of(this).addWarningV2('cdk-container-platform:eksNodegroupPublicSubnets',
        `subnets: node group '${id}' runs nodes in public subnets, got a selection with public subnets; nodes are then reachable from the internet on every port their security groups open, so use private subnets (the default)`);
    }
  }

  private createNodeRole(id: string): iam.Role {
    const role = new iam.Role(this, `Nodegroup${id}NodeRole`, {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Nodes of node group ${id} of ${this.node.path}`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodePolicy'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
      ],
    });
    Compliance.acknowledgeAll(role, [
      { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy]', reason: 'EKS requires AmazonEKSWorkerNodePolicy (or an equal policy AWS keeps current) on node roles so nodes can join and use Pod Identity. Pass nodeRole to use your own' },
      { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly]', reason: 'AmazonEC2ContainerRegistryPullOnly is the narrowest AWS managed policy for image pulls, which come from repositories unknown at synth (and ecr:GetAuthorizationToken has no resource scope). Pass nodeRole to use your own' },
    ]);
    return role;
  }

  private grantSecretsKeyToControlPlane(cfnCluster: eks.CfnCluster): void {
    // A managed policy rather than key.grant's inline one (HIPAA, NIST and PCI flag inline policies);
    // the cluster must not be created before the control plane may use the key.
    const policy = new iam.ManagedPolicy(this, 'SecretsKeyPolicy', {
      description: `Lets the control plane of ${this.node.path} envelope-encrypt secrets`,
      roles: [this.cluster.role],
      statements: [new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'],
        resources: [this.secretsKey.keyArn],
      })],
    });
    cfnCluster.node.addDependency(policy);
  }
}

/** 36 for Kubernetes 1.36; undefined for a token version. */
function kubernetesMinor(version: eks.KubernetesVersion): number | undefined {
  const m = /^1\.(\d+)/.exec(version.version);
  return m ? Number(m[1]) : undefined;
}
