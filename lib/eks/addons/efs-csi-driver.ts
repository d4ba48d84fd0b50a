import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { awsManagedServiceRolePolicy, bindPodIdentity, createManagedAddon, podIdentityRole, requireKubectl, validateKubernetesName } from './addon-support';
import type { AddonVersion } from './addon-version';
import { ClusterAddon } from './cluster-addon';
import { ACCESS_POINT_ARN_KEY, CLIENT_MOUNT, CLIENT_ROOT_ACCESS, CLIENT_WRITE, createStaticVolume, DYNAMIC_BASE_PATH } from './efs-static-volume';
import { ReclaimPolicy } from './reclaim-policy';

/** The EKS add-on name. */
const ADDON_NAME = 'aws-efs-csi-driver';
/** The driver's controller creates and deletes access points through the EFS API; it mounts nothing. */
const CONTROLLER_SERVICE_ACCOUNT = 'efs-csi-controller-sa';
/**
 * The driver's node daemon mounts volumes; with the `iam` mount option efs-utils signs the mount with
 * this service account's Pod Identity credentials (aws-efs-csi-driver docs/parameters.md: "Use the CSI
 * Node Pod's IAM identity"; efs-utils reads Pod Identity credentials since 2.3.0, which driver v3 images
 * build from).
 */
const NODE_SERVICE_ACCOUNT = 'efs-csi-node-sa';
/** The namespace the managed add-on installs the driver into. */
const DRIVER_NAMESPACE = 'kube-system';
/** Mount options of dynamically provisioned volumes: TLS, and IAM authorization with the node daemon's role. */
const DYNAMIC_MOUNT_OPTIONS = ['tls', 'iam'];
/** The StorageClass name of the EFS CSI driver's examples. */
const DEFAULT_STORAGE_CLASS = 'efs-sc';
/**
 * Elastic throughput scales with the workload and needs no sizing, AWS's recommended mode for spiky container I/O.
 * A function: reading aws-cdk-lib's enum at import would load aws-efs for every user of the library.
 */
const throughputMode = () => efs.ThroughputMode.ELASTIC;
/** Only the owning POSIX user may read a provisioned directory. */
const DIRECTORY_PERMISSIONS = '700';

/** Props of {@link EfsCsiDriver}. */
export interface EfsCsiDriverProps {
  /**
   * Which `aws-efs-csi-driver` build to install, e.g. `AddonVersion.of('v3.4.2-eksbuild.1')`.
   * @default - AddonVersion.recommended(): the library's version table's build for the cluster's Kubernetes version; EKS's default build (with a synth warning) where the table has none
   */
  readonly version?: AddonVersion;

  /**
   * A customer managed KMS key for the file system.
   * @default - encrypted with the AWS managed key aws/elasticfilesystem
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the file system when it leaves the stack.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept when the stack is deleted, removed when its first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Daily backups by AWS Backup's default EFS plan (aws/efs/automatic-backup-plan, 35 days).
   * @default true
   */
  readonly automaticBackups?: boolean;

  /**
   * Install the managed add-on and a StorageClass that creates an access point per claim
   * (provisioningMode efs-ap). Dynamic provisioning needs the driver's controller on EC2 nodes:
   * pods on Fargate use static volumes (`addStaticVolume`) instead.
   * @default - true when the cluster has a node group, false on a Fargate-only cluster
   */
  readonly dynamicProvisioning?: boolean;

  /**
   * The name of the StorageClass for dynamic provisioning.
   * @default 'efs-sc'
   */
  readonly storageClassName?: string;

  /**
   * What happens to a dynamically provisioned access point and its directory when the claim is deleted.
   * @default ReclaimPolicy.RETAIN - the directory and its data stay
   */
  readonly reclaimPolicy?: ReclaimPolicy;
}

/** Options of {@link EfsCsiDriverInstallation.addStaticVolume}. */
export interface EfsStaticVolumeOptions {
  /** The namespace of the PersistentVolumeClaim, e.g. the namespace a Fargate profile selects. */
  readonly namespace: string;

  /** The name of the PersistentVolumeClaim (the PersistentVolume is named `<namespace>-<claimName>`). */
  readonly claimName: string;

  /**
   * The directory of the access point, created on first use. Neither the root nor a directory in
   * `/dynamic` (where dynamically provisioned volumes live): static volumes mount anonymously.
   * @default `/static/<namespace>/<claimName>`
   */
  readonly path?: string;

  /**
   * The POSIX user and group id the access point enforces for every file operation.
   * @default 1000
   */
  readonly posixId?: number;
}

/** A static EFS volume: its access point and the PersistentVolume and claim that mount it. */
export interface EfsStaticVolume {
  /** The access point that roots the volume in its own directory with its own POSIX identity. */
  readonly accessPoint: efs.AccessPoint;
  /** The PersistentVolume and PersistentVolumeClaim. */
  readonly manifest: eks.KubernetesManifest;
}

/**
 * The Amazon EFS CSI driver and a file system for it: shared ReadWriteMany storage, the only
 * persistent storage pods on Fargate can mount.
 *
 * Creates an EFS file system (encrypted, retained, automatic backups, elastic throughput) with a mount
 * target in every private subnet (one per zone) and a security group that admits NFS only from the
 * cluster security group, which EKS attaches to managed nodes and Fargate pods. On a cluster with
 * node groups it also installs the `aws-efs-csi-driver` managed add-on with two Pod Identity roles (the
 * controller's with AWS's AmazonEFSCSIDriverPolicy, the node daemon's with no policy of its own) and a
 * StorageClass that creates an access point per claim.
 *
 * The file system is private: anonymous access is off and its file-system policy
 * - denies every client action without TLS (`aws:SecureTransport` false);
 * - denies a mount that does not go through an access point (`elasticfilesystem:AccessPointArn` absent),
 *   so no client mounts the root, where every volume's directory lives;
 * - allows the node daemon's role to mount and write through access points: dynamically provisioned
 *   volumes mount with the `tls` and `iam` options, so only the driver's node daemon mounts them;
 * - once `addStaticVolume` is called, allows anonymous clients to mount and write through access points.
 *
 * Pods on Fargate cannot use dynamic provisioning: Fargate has the driver built in but no controller.
 * Give them a static volume with `addStaticVolume`, which creates an access point and a bound
 * PersistentVolume and claim in their namespace, mounted with TLS. Fargate's driver has no documented
 * IAM identity for the `iam` mount option (Fargate pods cannot use Pod Identity), so static volumes mount
 * anonymously. The file-system policy cannot name their access points (it is a property of the file
 * system the access points belong to, a CloudFormation cycle), so with a static volume any client that
 * reaches a mount target (the cluster security group) and knows an access point id can mount that access
 * point, as its POSIX identity; the root stays denied and TLS required.
 *
 * aws-cdk-lib's statement for `allowAnonymousAccess: false` also grants `ClientWrite` and
 * `ClientRootAccess` to any principal that may mount; every mount here goes through an access point that
 * enforces a POSIX user, so no client acts as root unless a static volume's `posixId` is 0.
 */
export class EfsCsiDriver extends ClusterAddon {
  public readonly name: string = ADDON_NAME;
  private readonly props: EfsCsiDriverProps;

  constructor(props: EfsCsiDriverProps = {}) {
    super();
    validateKubernetesName('storageClassName', props.storageClassName);
    this.props = props;
  }

  public install(scope: Construct, cluster: IPlatformCluster): EfsCsiDriverInstallation {
    return new EfsCsiDriverInstallation(scope, 'EfsCsiDriver', { ...this.props, cluster });
  }
}

/** Props of {@link EfsCsiDriverInstallation}. */
export interface EfsCsiDriverInstallationProps extends EfsCsiDriverProps {
  /** The cluster. */
  readonly cluster: IPlatformCluster;
}

/**
 * The EFS CSI driver installed on one cluster: the file system, and with dynamic provisioning the managed
 * add-on, its roles and the StorageClass. Not a `ManagedAddonInstallation`: without dynamic provisioning
 * (a Fargate-only cluster) there is no managed add-on.
 */
export class EfsCsiDriverInstallation extends Construct {
  /** The file system. */
  public readonly fileSystem: efs.FileSystem;
  /** The security group of the mount targets. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The managed add-on. Undefined without dynamic provisioning. */
  public readonly addon?: eks.CfnAddon;
  /** The role of the driver's controller (`efs-csi-controller-sa`). Undefined without dynamic provisioning. */
  public readonly role?: iam.Role;
  /**
   * The role of the driver's node daemon (`efs-csi-node-sa`), the only principal the file-system policy
   * names: it mounts dynamically provisioned volumes with IAM authorization. Undefined without dynamic provisioning.
   */
  public readonly nodeRole?: iam.Role;
  /** The StorageClass manifest. Undefined without dynamic provisioning. */
  public readonly storageClass?: eks.KubernetesManifest;
  private readonly cluster: IPlatformCluster;

  constructor(scope: Construct, id: string, props: EfsCsiDriverInstallationProps) {
    super(scope, id);
    const cluster = props.cluster;
    this.cluster = cluster;
    const dynamic = props.dynamicProvisioning ?? !cluster.fargateOnly;
    if (dynamic && cluster.fargateOnly) {
      throw new Error(`dynamicProvisioning: the EFS CSI controller that creates access points cannot run on Fargate, got dynamicProvisioning: true on the Fargate-only cluster ${cluster.node.path}; leave dynamicProvisioning unset and give Fargate pods static volumes with addStaticVolume(), or add a node group`);
    }
    if (dynamic) {
      requireKubectl(cluster, ADDON_NAME, 'creates a StorageClass');
    }
    cluster.registerAddon(ADDON_NAME, this);
    if (props.dynamicProvisioning === undefined && !dynamic) {
      // The default follows the compute at install; node groups added afterwards get no driver controller.
      this.node.addValidation({
        validate: () => {
          if (!cluster.fargateOnly) {
            Annotations.of(this).addWarningV2('cdk-container-platform:efsDynamicProvisioningOff',
              `dynamicProvisioning: off because ${cluster.node.path} was Fargate-only when the driver was installed, got node groups added after it; pass dynamicProvisioning: true, or add the driver after the node groups, for the StorageClass`);
          }
          return [];
        },
      });
    }
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: `EFS mount targets of ${cluster.node.path}: NFS from the cluster only`,
      allowAllOutbound: false,
    });
    const automaticBackups = props.automaticBackups ?? true;
    const fileSystem = new efs.FileSystem(this, 'FileSystem', {
      vpc: cluster.vpc,
      // One mount target per zone (EFS allows no more), in the private subnets where pods run.
      vpcSubnets: { onePerAz: true },
      securityGroup,
      encrypted: true,
      kmsKey: props.encryptionKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      enableAutomaticBackups: automaticBackups,
      throughputMode: throughputMode(),
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      // A mount needs ClientMount from the statements below; aws-cdk-lib adds the statement that grants
      // ClientWrite and ClientRootAccess to whoever may mount (through a mount target).
      allowAnonymousAccess: false,
    });
    // EFS honours only aws:SecureTransport, aws:SourceIp, elasticfilesystem:AccessPointArn and
    // elasticfilesystem:AccessedViaMountTarget for NFS clients (EFS user guide, "Using IAM to control
    // file system data access"). No Resource: the policy is a property of the file system, and its own
    // ARN there would be a circular reference; EFS applies the policy to this file system only.
    fileSystem.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyWithoutTls',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [CLIENT_MOUNT, CLIENT_WRITE, CLIENT_ROOT_ACCESS],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    fileSystem.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyWithoutAccessPoint',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [CLIENT_MOUNT],
      conditions: { Null: { [ACCESS_POINT_ARN_KEY]: 'true' } },
    }));
    fileSystem.connections.allowDefaultPortFrom(cluster.eksCluster.clusterSecurityGroup, 'NFS from the EKS cluster security group (nodes and Fargate pods)');
    if (automaticBackups) {
      Compliance.acknowledgeAll(fileSystem, ['NIST.800.53.R5-EFSInBackupPlan', 'HIPAA.Security-EFSInBackupPlan'].map((ruleId) => ({
        ruleId,
        reason: 'automaticBackups (default true) enables the file system\'s BackupPolicy: AWS Backup\'s service-created default plan aws/efs/automatic-backup-plan backs it up daily; that plan is not a resource of this stack.',
      })));
    }
    this.securityGroup = securityGroup;
    this.fileSystem = fileSystem;

    if (!dynamic) {
      return;
    }
    const role = podIdentityRole(this, 'Role', `EFS CSI driver controller of ${cluster.node.path}, through EKS Pod Identity`, [awsManagedServiceRolePolicy('AmazonEFSCSIDriverPolicy')]);
    Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy]',
      'AmazonEFSCSIDriverPolicy is the policy AWS maintains for the EFS CSI driver and changes with it; a copy would drift from the driver version. It limits access point deletion to access points the driver tagged.');
    this.role = role;
    // A role of its own, so that mounting is granted to the node daemon only, not to the controller.
    // It needs no identity policy: the file-system policy grants it, and the node daemon calls no EFS API
    // while the VPC resolves the file system's DNS name (DNS support and hostnames on, as Fargate and
    // private endpoint access need too; only efs-utils' fallback for unresolvable names calls
    // DescribeMountTargets, per the driver's FAQ).
    const nodeRole = podIdentityRole(this, 'NodeRole', `EFS CSI driver node daemon of ${cluster.node.path}, through EKS Pod Identity: mounts with IAM authorization`);
    this.nodeRole = nodeRole;
    fileSystem.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowDriverNodeThroughAccessPoints',
      principals: [nodeRole],
      // No ClientRootAccess: the access points the controller creates enforce a POSIX user and create their directory.
      actions: [CLIENT_MOUNT, CLIENT_WRITE],
      conditions: {
        Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
        Null: { [ACCESS_POINT_ARN_KEY]: 'false' },
      },
    }));
    // No configuration values for IMDS hop limit 1 (the node group default): the node DaemonSet runs on
    // the host network (hostNetwork: true, fixed in templates/node-daemonset.yaml of aws-efs-csi-driver
    // chart 4.4.1), where instance metadata stays reachable; the controller, when IMDS does not answer,
    // reads region, zone and instance id from its Node object (pkg/cloud/metadata.go and k8s_metadata.go,
    // driver v3.4.1; its ClusterRole may get nodes), and the chart has no region value to set instead.
    // The add-on takes a Pod Identity association for the controller's service account only: EKS refuses
    // others with 'Service account ... in pod identity configuration is not supported for addon'
    // (terraform-aws-modules/terraform-aws-eks issue 3520; for efs-csi-node-sa, aws-efs-csi-driver issue 1759,
    // open, whose workaround is a standalone association, as here).
    const nodeAssociation = new eks.CfnPodIdentityAssociation(this, 'NodePodIdentityAssociation', {
      clusterName: cluster.eksCluster.clusterName,
      namespace: DRIVER_NAMESPACE,
      serviceAccount: NODE_SERVICE_ACCOUNT,
      roleArn: nodeRole.roleArn,
    });
    const addon = createManagedAddon(this, 'Addon', cluster, { addonName: ADDON_NAME, version: props.version, configuration: () => undefined, beforeCompute: false });
    bindPodIdentity(cluster, addon, CONTROLLER_SERVICE_ACCOUNT, role);
    // EKS gives Pod Identity credentials only to pods created after the association: the node daemon's
    // pods, which the add-on creates, must find it (on delete it goes after them).
    addon.node.addDependency(nodeAssociation);
    // Mounts need a mount target in the pod's zone: the StorageClass, and claims ordered after it, come after them.
    addon.node.addDependency(fileSystem.mountTargetsAvailable);
    this.addon = addon;

    const storageClass = new eks.KubernetesManifest(this, 'StorageClass', {
      cluster: cluster.eksCluster,
      manifest: [{
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: props.storageClassName ?? DEFAULT_STORAGE_CLASS },
        provisioner: 'efs.csi.aws.com',
        parameters: {
          provisioningMode: 'efs-ap',
          fileSystemId: fileSystem.fileSystemId,
          directoryPerms: DIRECTORY_PERMISSIONS,
          basePath: DYNAMIC_BASE_PATH,
          ensureUniqueDirectory: 'true',
        },
        // The file-system policy admits the driver's node daemon through IAM, over TLS only.
        mountOptions: DYNAMIC_MOUNT_OPTIONS,
        reclaimPolicy: props.reclaimPolicy ?? ReclaimPolicy.RETAIN,
        // EFS is reachable from every zone, so there is no reason to wait for the pod.
        volumeBindingMode: 'Immediate',
      }],
    });
    // Claims ordered after the class are deleted while the driver runs, so a Delete reclaim policy can remove their access points.
    storageClass.node.addDependency(addon);
    this.storageClass = storageClass;
  }

  /**
   * A static volume for pods that cannot use dynamic provisioning (pods on Fargate): an access point
   * rooted in its own directory with its own POSIX identity, a PersistentVolume that mounts it with TLS,
   * and a PersistentVolumeClaim bound to it in `namespace`. Both are retained when the claim is deleted.
   *
   * The volume mounts anonymously (Fargate's driver has no IAM identity for it), so the first call adds a
   * statement to the file-system policy that lets anonymous clients mount through access points, over
   * TLS. The policy cannot name this volume's access point (a CloudFormation cycle), so the path may
   * neither be the root nor lie in the directory of dynamically provisioned volumes.
   */
  public addStaticVolume(id: string, options: EfsStaticVolumeOptions): EfsStaticVolume {
    requireKubectl(this.cluster, ADDON_NAME, 'applies the PersistentVolume and claim of a static volume');
    return createStaticVolume(this, id, this.cluster, this.fileSystem, options);
  }
}

