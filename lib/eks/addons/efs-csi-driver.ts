import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import type { PlatformCluster } from '../platform-cluster';
import { assertNotInstalled, awsManagedServiceRolePolicy, managedAddon, podIdentityRole, requireKubectl, resolveAddonVersion, validateAddonVersion, validateKubernetesName } from './addon-support';
import type { IClusterAddon } from './cluster-addon';
import { ReclaimPolicy } from './reclaim-policy';

/**
 * Pinned `aws-efs-csi-driver` versions per Kubernetes version. 1.36: v3.4.2-eksbuild.1, the newest
 * `aws eks describe-addon-versions` offered for 1.36 in 2026-09 (quoted in mitodl/ol-infrastructure
 * PR 5959). No 1.35 build could be confirmed: pass `version` on 1.35.
 */
const EFS_CSI_VERSIONS: Record<string, string> = {
  '1.36': 'v3.4.2-eksbuild.1',
};
/** The driver's controller creates and deletes access points; its node daemon mounts them. */
const EFS_CSI_SERVICE_ACCOUNTS = ['efs-csi-controller-sa', 'efs-csi-node-sa'];
/** The StorageClass name of the EFS CSI driver's examples. */
const DEFAULT_STORAGE_CLASS = 'efs-sc';
/** Elastic throughput scales with the workload and needs no sizing, AWS's recommended mode for spiky container I/O. */
const THROUGHPUT_MODE = efs.ThroughputMode.ELASTIC;
/** Each dynamically provisioned access point gets its own directory under this path. */
const DYNAMIC_BASE_PATH = '/dynamic';
/** Only the owning POSIX user may read a provisioned directory. */
const DIRECTORY_PERMISSIONS = '700';
/** A PersistentVolume must state a capacity; EFS ignores it (it grows without limit). */
const STATIC_VOLUME_CAPACITY = '5Gi';
/** The POSIX identity of a static volume's files when none is given: a common non-root uid/gid. */
const DEFAULT_POSIX_ID = 1000;

/** Props of {@link EfsCsiDriver}. */
export interface EfsCsiDriverProps {
  /**
   * The `aws-efs-csi-driver` add-on version, e.g. `v3.4.2-eksbuild.1`.
   * @default - the version pinned in this library for the cluster's Kubernetes version
   */
  readonly version?: string;

  /**
   * A customer managed KMS key for the file system.
   * @default - encrypted with the AWS managed key aws/elasticfilesystem
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the file system when it leaves the stack.
   * @default RemovalPolicy.RETAIN
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

/** Options of {@link EfsCsiDriver.addStaticVolume}. */
export interface EfsStaticVolumeOptions {
  /** The namespace of the PersistentVolumeClaim, e.g. the namespace a Fargate profile selects. */
  readonly namespace: string;

  /** The name of the PersistentVolumeClaim (the PersistentVolume is named `<namespace>-<claimName>`). */
  readonly claimName: string;

  /**
   * The directory of the access point, created on first use.
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
 * node groups it also installs the `aws-efs-csi-driver` managed add-on with a Pod Identity role
 * (AWS's AmazonEFSCSIDriverPolicy) and a StorageClass that creates an access point per claim.
 *
 * Pods on Fargate cannot use dynamic provisioning: Fargate has the driver built in but no controller.
 * Give them a static volume with `addStaticVolume`, which creates an access point and a bound
 * PersistentVolume and claim in their namespace.
 */
export class EfsCsiDriver implements IClusterAddon {
  public readonly name: string = 'aws-efs-csi-driver';

  private readonly props: EfsCsiDriverProps;
  private installedOn?: PlatformCluster;
  private scope?: Construct;
  private _fileSystem?: efs.FileSystem;
  private _securityGroup?: ec2.SecurityGroup;
  private _addon?: eks.CfnAddon;
  private _role?: iam.Role;
  private _storageClass?: eks.KubernetesManifest;

  constructor(props: EfsCsiDriverProps = {}) {
    validateAddonVersion('version', props.version);
    validateKubernetesName('storageClassName', props.storageClassName);
    this.props = props;
  }

  /** The file system. Undefined before `install`. */
  public get fileSystem(): efs.FileSystem | undefined {
    return this._fileSystem;
  }

  /** The security group of the mount targets. Undefined before `install`. */
  public get securityGroup(): ec2.SecurityGroup | undefined {
    return this._securityGroup;
  }

  /** The managed add-on. Undefined before `install` and without dynamic provisioning. */
  public get addon(): eks.CfnAddon | undefined {
    return this._addon;
  }

  /** The role of the driver's controller and node daemon. Undefined before `install` and without dynamic provisioning. */
  public get role(): iam.Role | undefined {
    return this._role;
  }

  /** The StorageClass manifest. Undefined before `install` and without dynamic provisioning. */
  public get storageClass(): eks.KubernetesManifest | undefined {
    return this._storageClass;
  }

  public install(cluster: PlatformCluster): void {
    assertNotInstalled(this.installedOn, this.name);
    const dynamic = this.props.dynamicProvisioning ?? !cluster.fargateOnly;
    if (dynamic && cluster.fargateOnly) {
      throw new Error(`dynamicProvisioning: the EFS CSI controller that creates access points cannot run on Fargate, got dynamicProvisioning: true on the Fargate-only cluster ${cluster.node.path}; leave dynamicProvisioning unset and give Fargate pods static volumes with addStaticVolume(), or add a node group`);
    }
    const version = dynamic ? resolveAddonVersion(this.name, EFS_CSI_VERSIONS, cluster, this.props.version) : undefined;
    if (dynamic) {
      requireKubectl(cluster, this.name, 'creates a StorageClass');
    }
    this.installedOn = cluster;

    const scope = new Construct(cluster, 'EfsCsiDriver');
    this.scope = scope;
    const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: `EFS mount targets of ${cluster.node.path}: NFS from the cluster only`,
      allowAllOutbound: false,
    });
    const automaticBackups = this.props.automaticBackups ?? true;
    const fileSystem = new efs.FileSystem(scope, 'FileSystem', {
      vpc: cluster.vpc,
      // One mount target per zone (EFS allows no more), in the private subnets where pods run.
      vpcSubnets: { onePerAz: true },
      securityGroup,
      encrypted: true,
      kmsKey: this.props.encryptionKey,
      removalPolicy: this.props.removalPolicy ?? RemovalPolicy.RETAIN,
      enableAutomaticBackups: automaticBackups,
      throughputMode: THROUGHPUT_MODE,
      performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
      // The CSI driver and Fargate mount without IAM authorization unless every volume sets the iam
      // mount option; access is held by the security group (cluster only) and by access points.
      allowAnonymousAccess: true,
    });
    fileSystem.connections.allowDefaultPortFrom(cluster.cluster.clusterSecurityGroup, 'NFS from the EKS cluster security group (nodes and Fargate pods)');
    if (automaticBackups) {
      Compliance.acknowledgeAll(fileSystem, ['NIST.800.53.R5-EFSInBackupPlan', 'HIPAA.Security-EFSInBackupPlan'].map((ruleId) => ({
        ruleId,
        reason: 'automaticBackups (default true) enables the file system\'s BackupPolicy: AWS Backup\'s service-created default plan aws/efs/automatic-backup-plan backs it up daily; that plan is not a resource of this stack.',
      })));
    }
    this._securityGroup = securityGroup;
    this._fileSystem = fileSystem;

    if (!dynamic) {
      return;
    }
    const role = podIdentityRole(scope, 'Role', `EFS CSI driver of ${cluster.node.path}, through EKS Pod Identity`, [awsManagedServiceRolePolicy('AmazonEFSCSIDriverPolicy')]);
    Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy]',
      'AmazonEFSCSIDriverPolicy is the policy AWS maintains for the EFS CSI driver and changes with it; a copy would drift from the driver version. It limits access point deletion to access points the driver tagged.');
    this._role = role;
    // No configuration values for IMDS hop limit 1 (the node group default): the node DaemonSet runs on
    // the host network (hostNetwork: true, fixed in templates/node-daemonset.yaml of aws-efs-csi-driver
    // chart 4.4.1), where instance metadata stays reachable; the controller, when IMDS does not answer,
    // reads region, zone and instance id from its Node object (pkg/cloud/metadata.go and k8s_metadata.go,
    // driver v3.4.1; its ClusterRole may get nodes), and the chart has no region value to set instead.
    const addon = managedAddon(scope, 'Addon', cluster, {
      addonName: this.name,
      addonVersion: version!,
      associations: EFS_CSI_SERVICE_ACCOUNTS.map((serviceAccount) => ({ serviceAccount, role })),
    });
    // Mounts need a mount target in the pod's zone: the StorageClass, and claims ordered after it, come after them.
    addon.node.addDependency(fileSystem.mountTargetsAvailable);
    this._addon = addon;

    const storageClass = new eks.KubernetesManifest(scope, 'StorageClass', {
      cluster: cluster.cluster,
      manifest: [{
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: this.props.storageClassName ?? DEFAULT_STORAGE_CLASS },
        provisioner: 'efs.csi.aws.com',
        parameters: {
          provisioningMode: 'efs-ap',
          fileSystemId: fileSystem.fileSystemId,
          directoryPerms: DIRECTORY_PERMISSIONS,
          basePath: DYNAMIC_BASE_PATH,
          ensureUniqueDirectory: 'true',
        },
        // Encryption in transit for every mount.
        mountOptions: ['tls'],
        reclaimPolicy: this.props.reclaimPolicy ?? ReclaimPolicy.RETAIN,
        // EFS is reachable from every zone, so there is no reason to wait for the pod.
        volumeBindingMode: 'Immediate',
      }],
    });
    // Claims ordered after the class are deleted while the driver runs, so a Delete reclaim policy can remove their access points.
    storageClass.node.addDependency(addon);
    this._storageClass = storageClass;
  }

  /**
   * A static volume for pods that cannot use dynamic provisioning (pods on Fargate): an access point
   * rooted in its own directory with its own POSIX identity, a PersistentVolume that mounts it with TLS,
   * and a PersistentVolumeClaim bound to it in `namespace`. Both are retained when the claim is deleted.
   * Call after `install`.
   */
  public addStaticVolume(id: string, options: EfsStaticVolumeOptions): EfsStaticVolume {
    const cluster = this.installedOn;
    if (!cluster || !this.scope || !this._fileSystem) {
      throw new Error(`addStaticVolume: the ${this.name} add-on is not installed, got a call for '${id}'; add the add-on to a PlatformCluster first`);
    }
    requireKubectl(cluster, this.name, 'applies the PersistentVolume and claim of a static volume');
    validateKubernetesName('namespace', options.namespace);
    validateKubernetesName('claimName', options.claimName);
    const posixId = options.posixId ?? DEFAULT_POSIX_ID;
    if (!Token.isUnresolved(posixId) && (!Number.isInteger(posixId) || posixId < 0)) {
      throw new Error(`posixId: must be a whole number of at least 0, got ${posixId}; pass the uid/gid your pods run as`);
    }
    const path = options.path ?? `/static/${options.namespace}/${options.claimName}`;
    if (!Token.isUnresolved(path) && !path.startsWith('/')) {
      throw new Error(`path: must be an absolute directory in the file system, got '${path}'; start it with '/'`);
    }
    const accessPoint = this._fileSystem.addAccessPoint(`${id}AccessPoint`, {
      path,
      posixUser: { uid: String(posixId), gid: String(posixId) },
      createAcl: { ownerUid: String(posixId), ownerGid: String(posixId), permissions: '750' },
    });
    const volumeName = `${options.namespace}-${options.claimName}`;
    const manifest = new eks.KubernetesManifest(this.scope, id, {
      cluster: cluster.cluster,
      manifest: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolume',
          metadata: { name: volumeName },
          spec: {
            capacity: { storage: STATIC_VOLUME_CAPACITY },
            volumeMode: 'Filesystem',
            accessModes: ['ReadWriteMany'],
            persistentVolumeReclaimPolicy: ReclaimPolicy.RETAIN,
            // An empty class keeps the default StorageClass from provisioning a volume for the claim.
            storageClassName: '',
            mountOptions: ['tls'],
            csi: {
              driver: 'efs.csi.aws.com',
              volumeHandle: `${this._fileSystem.fileSystemId}::${accessPoint.accessPointId}`,
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: options.claimName, namespace: options.namespace },
          spec: {
            accessModes: ['ReadWriteMany'],
            storageClassName: '',
            volumeName,
            resources: { requests: { storage: STATIC_VOLUME_CAPACITY } },
          },
        },
      ],
    });
    // Pods can mount the volume only once a mount target exists in their zone.
    manifest.node.addDependency(this._fileSystem.mountTargetsAvailable);
    return { accessPoint, manifest };
  }
}
