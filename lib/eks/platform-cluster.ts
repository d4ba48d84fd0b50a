import { Annotations, Names, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ClusterAddon } from './addons/cluster-addon';
import { CoreDnsAddon } from './addons/coredns';
import { KubeProxyAddon } from './addons/kube-proxy';
import { ManagedAddonInstallation } from './addons/managed-addon';
import { PodIdentityAgentAddon } from './addons/pod-identity-agent';
import { VpcCniAddon, VpcCniInstallation } from './addons/vpc-cni';
import { acknowledgeAutoModeClusterRole, clusterComputeSettings, refuseUnderAutoMode } from './auto-mode';
import { NamespaceAccess } from './cluster-access';
import { grantClusterAdmin, grantNamespaceAccess } from './cluster-access-entries';
import { acknowledgeClusterRole, acknowledgeKubectlHandler } from './cluster-compliance';
import { ClusterCompute } from './cluster-compute';
import { grantSecretsKeyToControlPlane, secretsKey } from './cluster-encryption';
import { controlPlaneLogGroup } from './cluster-logging';
import { validateClusterProps, validateEndpointAccess, validateFargateProfile, validateUniqueChildId } from './cluster-validation';
import { PlatformFargateProfileOptions } from './fargate-profile-options';
import { ImportedPlatformCluster } from './imported-platform-cluster';
import { KubectlHandlerRole, secureKubectlProvider } from './kubectl-handler';
import { bundledKubectlLayer } from './kubectl-layer';
import { checkKubernetesSupport } from './kubernetes-support';
import { warnOnUnscaledNodegroups } from './node-autoscaling';
import { PlatformNodegroupOptions } from './nodegroup-options';
import { ClusterSupportType, PlatformClusterProps } from './platform-cluster-props';
import { PlatformClusterBase } from './platform-cluster-base';
import { IPlatformCluster, PlatformClusterAttributes } from './platform-cluster-ref';
import { buildNodegroup } from './platform-nodegroup';
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
/** The construct id aws-eks-v2 gives the agent add-on it creates on first use of `Cluster.eksPodIdentityAgent`. */
const EKS_V2_AGENT_ID = 'EksPodIdentityAgentAddon';

/**
 * A production EKS cluster on `aws-eks-v2`: private API endpoint, secrets encrypted with a rotated KMS
 * key, all control-plane logs in a retained, encrypted log group, access entries instead of aws-auth,
 * managed node groups with IMDSv2 and encrypted disks, Fargate profiles, and the core add-ons as EKS
 * managed add-ons with Pod Identity. Node groups, Fargate profiles and add-ons can also be created in
 * other stacks (`PlatformNodegroup`, `PlatformFargateProfile`, `addon.install(scope, cluster)`).
 */
export class PlatformCluster extends PlatformClusterBase {
  /**
   * A cluster created elsewhere (another stack or app), to install add-ons and add node groups and
   * Fargate profiles on. Built on aws-eks-v2's `Cluster.fromClusterAttributes`.
   * @param scope the scope of the import
   * @param id its construct id
   * @param attrs what is known of the cluster
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: PlatformClusterAttributes): IPlatformCluster {
    return new ImportedPlatformCluster(scope, id, attrs);
  }

  /** The EKS cluster. */
  public readonly cluster: eks.Cluster;
  /** The VPC the cluster runs in. */
  public readonly vpc: ec2.IVpc;
  /** The VPC created when `vpc` was not given. */
  public readonly network?: PlatformVpc;
  /** The Kubernetes version. */
  public readonly version: eks.KubernetesVersion;
  /** The managed node groups created by this construct (props and addNodegroup), in creation order. */
  public readonly nodegroups: eks.Nodegroup[] = [];
  /** The launch template of each managed node group, in the same order as `nodegroups`. */
  public readonly launchTemplates: ec2.LaunchTemplate[] = [];
  /** The Fargate profiles created by this construct (props and addFargateProfile), in creation order. */
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
  /**
   * Always true: a PlatformCluster either installs the eks-pod-identity-agent add-on or, under EKS Auto Mode,
   * runs on nodes that serve Pod Identity themselves.
   */
  public readonly podIdentityAgentInstalled = true;
  /** The eks-pod-identity-agent add-on; every node group waits for it (aws-node gets its credentials through it). Undefined under EKS Auto Mode, which runs the agent itself. */
  public readonly podIdentityAgent?: ManagedAddonInstallation;
  /** The vpc-cni add-on. Undefined under EKS Auto Mode. */
  public readonly vpcCni?: VpcCniInstallation;
  /** The role the VPC CNI uses through Pod Identity. Undefined under EKS Auto Mode. */
  public readonly vpcCniRole?: iam.IRole;
  /** The kube-proxy add-on. Undefined under EKS Auto Mode. */
  public readonly kubeProxy?: ManagedAddonInstallation;
  /** The coredns add-on. Undefined under EKS Auto Mode. */
  public readonly coreDns?: ManagedAddonInstallation;
  /** The compute choice: managed node groups and Fargate profiles, or EKS Auto Mode. */
  public readonly compute: ClusterCompute;
  /** The role of the Auto Mode built-in node pools' nodes, when it was created here. */
  public readonly autoModeNodeRole?: iam.Role;
  /** Add-ons installed through props and `addAddon`, in order (the four core add-ons first). */
  public readonly addons: ClusterAddon[] = [];

  private readonly privateSubnets: ec2.ISubnet[];

  constructor(scope: Construct, id: string, props: PlatformClusterProps = {}) {
    super(scope, id);
    validateClusterProps(props);
    this.version = props.version ?? defaultVersion();
    checkKubernetesSupport(this, this.version, props.supportType ?? ClusterSupportType.STANDARD);
    this.kubectlEnabled = props.kubectl ?? true;
    this.compute = props.compute ?? ClusterCompute.managed();
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
    if (props.logKey === undefined) {
      this.logKey = new LogEncryptionKey(this, 'LogKey', { description: `Encrypts the control-plane logs of ${this.node.path}` });
    }
    this.logGroup = controlPlaneLogGroup(this, clusterName, props.logRetention ?? DEFAULT_LOG_RETENTION, props.logKey ?? this.logKey!);

    // The library's own role for the kubectl handler: without it aws-eks-v2 attaches AWS managed policies
    // and an inline policy to a role of its own.
    const kubectlRole = kubectlLayer === undefined ? undefined : new KubectlHandlerRole(this, 'KubectlRole');
    this.kubectlRole = kubectlRole;
    this.secretsKey = props.secretsKey ?? secretsKey(this);
    const computeSettings = clusterComputeSettings(this, this.compute, props.coreAddons);
    this.autoModeNodeRole = computeSettings.nodeRole;

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
      // NODEGROUP with no default capacity (Auto Mode off: compute is the node groups and profiles below),
      // or AUTOMODE with its node pools and node role (auto-mode.ts).
      defaultCapacityType: computeSettings.defaultCapacityType,
      defaultCapacity: computeSettings.defaultCapacity,
      compute: computeSettings.compute,
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
    // The group must exist before the control plane first logs, or EKS creates its own.
    cfnCluster.node.addDependency(this.logGroup);
    Compliance.acknowledge(cfnCluster, 'CloudFormation-Validate::W9009',
      'aws-eks-v2 renders EncryptionConfig Resources: [secrets], the one value EKS documents for envelope encryption; the schema marks the property deprecated, not unsupported');
    grantSecretsKeyToControlPlane(this, this.cluster, this.secretsKey);
    acknowledgeClusterRole(this.cluster);
    acknowledgeAutoModeClusterRole(this.cluster, this.compute);
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

    // The agent is this library's add-on, not aws-eks-v2's Cluster.eksPodIdentityAgent: that getter creates
    // an agent of its own on first use (eks.ServiceAccount with IdentityType.POD_IDENTITY reads it), which
    // would be a second eks-pod-identity-agent; validateCompute fails the synth when that happens.
    // aws-node (vpc-cni) has no permissions but those of its Pod Identity role, served by the agent on the
    // node: without the agent a node's CNI never starts and the node never becomes Ready.
    // Auto Mode runs the four core add-ons' work on its nodes itself (auto-mode.ts).
    if (!this.compute.isAutoMode) {
      const core = props.coreAddons ?? {};
      this.podIdentityAgent = this.addCoreAddon(core.podIdentityAgent ?? new PodIdentityAgentAddon()) as ManagedAddonInstallation;
      this.vpcCni = this.addCoreAddon(core.vpcCni ?? new VpcCniAddon()) as VpcCniInstallation;
      this.vpcCniRole = this.vpcCni.role;
      this.kubeProxy = this.addCoreAddon(core.kubeProxy ?? new KubeProxyAddon()) as ManagedAddonInstallation;
      this.coreDns = this.addCoreAddon(core.coreDns ?? new CoreDnsAddon()) as ManagedAddonInstallation;
    }

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
    this.node.addValidation({ validate: () => (warnOnUnscaledNodegroups(this, this._ordering.nodegroups), []) });
    refuseUnderAutoMode(this, this.compute);
  }

  /** The EKS cluster, as IPlatformCluster exposes it (the same object as `cluster`). */
  public get eksCluster(): eks.ICluster {
    return this.cluster;
  }

  /** True when there are Fargate profiles and no node group: CoreDNS then runs on Fargate. */
  public get fargateOnly(): boolean {
    return this._ordering.fargateOnly;
  }

  /** The AMI types of the cluster's node groups, in this stack and others. */
  public get nodegroupAmiTypes(): string[] {
    return [...this._ordering.amiTypes];
  }

  /**
   * Adds a managed node group in the cluster's private subnets, with a launch template that requires
   * IMDSv2 and encrypts its volumes, an explicit AMI type, and node auto repair. For a node group in
   * another stack, use `new PlatformNodegroup(scope, id, { cluster, ... })`.
   */
  public addNodegroup(id: string, options: PlatformNodegroupOptions = {}): eks.Nodegroup {
    validateUniqueChildId(this, 'nodegroups', `Nodegroup${id}`, id);
    const built = buildNodegroup(this, this, id, options, { nodegroup: `Nodegroup${id}`, launchTemplate: `Nodegroup${id}LaunchTemplate`, nodeRole: `Nodegroup${id}NodeRole` });
    this.nodegroups.push(built.nodegroup);
    this.launchTemplates.push(built.launchTemplate);
    return built.nodegroup;
  }

  /**
   * Adds a Fargate profile in the cluster's private subnets. aws-eks-v2 chains profiles so that each
   * waits for the previous one: EKS accepts one profile change at a time per cluster. For a profile in
   * another stack, use `new PlatformFargateProfile(scope, id, { cluster, ... })`.
   */
  public addFargateProfile(id: string, options: PlatformFargateProfileOptions): eks.FargateProfile {
    validateUniqueChildId(this, 'fargateProfiles', `FargateProfile${id}`, id);
    validateFargateProfile(this, id, options, this._ordering.profileNames);
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
    // aws-eks-v2 chains it to the previous profile of this cluster object; waiters wait for it.
    this._ordering.addProfile(profile, options.selectors, profile.podExecutionRole, undefined);
    this.fargateProfiles.push(profile);
    return profile;
  }

  /**
   * Installs an add-on under `scope` (default: this cluster) and returns what the install created; for the
   * typed construct, call `addon.install(scope, cluster)` instead. Fails when an add-on of the same name is
   * already installed.
   * @param addon the add-on
   * @param scope where to create it; a construct in another stack creates the add-on there
   */
  public addAddon(addon: ClusterAddon, scope?: Construct): Construct {
    if (this.addons.some((a) => a.name === addon.name)) {
      throw new Error(`addons: '${addon.name}' is already installed on ${this.node.path}, got it again; install each add-on once`);
    }
    const installation = addon.install(scope ?? this, this);
    this.addons.push(addon);
    return installation;
  }

  /** Makes a role a cluster admin (AmazonEKSClusterAdminPolicy, cluster scope) through an access entry. */
  public addClusterAdmin(id: string, role: iam.IRole): void {
    grantClusterAdmin(this.cluster, id, role);
  }

  /** Gives a role access to some namespaces only, through an access entry. */
  public addNamespaceAccess(id: string, access: NamespaceAccess): void {
    grantNamespaceAccess(this.cluster, id, access);
  }

  private addCoreAddon(addon: ClusterAddon): Construct {
    return this.addAddon(addon);
  }

  private resolveKubectlLayer(props: PlatformClusterProps): lambda.ILayerVersion | undefined {
    if (!this.kubectlEnabled) {
      return undefined;
    }
    if (props.kubectlLayer !== undefined) {
      return props.kubectlLayer;
    }
    return bundledKubectlLayer(this, 'KubectlLayer', this.version);
  }

  /** Runs at synth, after node groups and profiles added late: a cluster CoreDNS cannot run on fails. */
  private validateCompute(): string[] {
    if (this.cluster.node.tryFindChild(EKS_V2_AGENT_ID) !== undefined) {
      return [`coreAddons: aws-eks-v2 created a second eks-pod-identity-agent add-on on ${this.node.path} (Cluster.eksPodIdentityAgent was read, e.g. by addServiceAccount with IdentityType.POD_IDENTITY), got two agents; EKS refuses the second. Bind service accounts with eks.CfnPodIdentityAssociation (the cluster's agent serves them) or use IdentityType.IRSA`];
    }
    if (this.compute.isAutoMode) {
      return []; // EKS provisions nodes on demand; refuseUnderAutoMode checks the rest
    }
    if (this.fargateOnly && !this.fargateSelects('kube-system', COREDNS_POD_LABELS)) {
      return ['fargateProfiles: on a Fargate-only cluster CoreDNS runs on Fargate, got no profile selecting namespace kube-system (with no labels, or k8s-app=kube-dns); add a profile with selectors [{ namespace: \'kube-system\', labels: { \'k8s-app\': \'kube-dns\' } }]'];
    }
    if (this._ordering.homeComputeCount === 0) {
      Annotations.of(this).addWarningV2('cdk-container-platform:eksNoCompute',
        `nodegroups: the cluster has no node group and no Fargate profile in its own stack ${Stack.of(this).stackName}, got ${this._ordering.nodegroups.length + this._ordering.profiles.length} in other stacks; CoreDNS waits for compute of its own stack only, and the deployment will not finish until you add some there`);
    }
    return [];
  }
}
