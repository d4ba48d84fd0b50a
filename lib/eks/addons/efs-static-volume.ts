// Module-private: the static volumes of EfsCsiDriverInstallation.addStaticVolume: an access point, and the PersistentVolume and
// claim that mount it anonymously (pods on Fargate have no IAM identity for EFS).
import { Token } from 'aws-cdk-lib';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { IPlatformCluster } from '../platform-cluster-ref';
import type { EfsStaticVolume, EfsStaticVolumeOptions } from './efs-csi-driver';
import { validateKubernetesName } from './addon-support';
import { ReclaimPolicy } from './reclaim-policy';

/** The NFS client actions of a file-system policy (EFS user guide, "Using IAM to control file system data access"). */
export const CLIENT_MOUNT = 'elasticfilesystem:ClientMount';
export const CLIENT_WRITE = 'elasticfilesystem:ClientWrite';
export const CLIENT_ROOT_ACCESS = 'elasticfilesystem:ClientRootAccess';
/** Set on every mount through an access point and absent on a mount of the file system itself. */
export const ACCESS_POINT_ARN_KEY = 'elasticfilesystem:AccessPointArn';
/** Each dynamically provisioned access point gets its own directory under this path. */
export const DYNAMIC_BASE_PATH = '/dynamic';
/**
 * Mount options of static volumes: TLS only. They exist for pods on Fargate, whose built-in driver has
 * no documented IAM identity for an `iam` mount (Fargate pods cannot use Pod Identity), so their mounts
 * stay anonymous and the file-system policy admits them through access points only.
 */
const STATIC_MOUNT_OPTIONS = ['tls'];
/** A PersistentVolume must state a capacity; EFS ignores it (it grows without limit). */
const STATIC_VOLUME_CAPACITY = '5Gi';
/** The POSIX identity of a static volume's files when none is given: a common non-root uid/gid. */
const DEFAULT_POSIX_ID = 1000;
/** The file systems whose policy already admits anonymous mounts through access points. */
const STATIC_MOUNTS_ALLOWED = new WeakSet<efs.FileSystem>();

/**
 * Creates a static volume (see `EfsCsiDriverInstallation.addStaticVolume`) under `scope`.
 */
export function createStaticVolume(scope: Construct, id: string, cluster: IPlatformCluster, fileSystem: efs.FileSystem, options: EfsStaticVolumeOptions): EfsStaticVolume {
  validateKubernetesName('namespace', options.namespace);
  validateKubernetesName('claimName', options.claimName);
  const posixId = options.posixId ?? DEFAULT_POSIX_ID;
  if (!Token.isUnresolved(posixId) && (!Number.isInteger(posixId) || posixId < 0)) {
    throw new Error(`posixId: must be a whole number of at least 0, got ${posixId}; pass the uid/gid your pods run as`);
  }
  const path = options.path ?? `/static/${options.namespace}/${options.claimName}`;
  if (!Token.isUnresolved(path)) {
    validateStaticPath(path);
  }
  const accessPoint = fileSystem.addAccessPoint(`${id}AccessPoint`, {
    path,
    posixUser: { uid: String(posixId), gid: String(posixId) },
    createAcl: { ownerUid: String(posixId), ownerGid: String(posixId), permissions: '750' },
  });
  allowAnonymousAccessPointMounts(fileSystem);
  const volumeName = `${options.namespace}-${options.claimName}`;
  const manifest = new eks.KubernetesManifest(scope, id, {
    cluster: cluster.eksCluster,
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
          mountOptions: STATIC_MOUNT_OPTIONS,
          csi: {
            driver: 'efs.csi.aws.com',
            volumeHandle: `${fileSystem.fileSystemId}::${accessPoint.accessPointId}`,
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
  manifest.node.addDependency(fileSystem.mountTargetsAvailable);
  return { accessPoint, manifest };
}

/**
 * Lets anonymous clients mount and write through access points (the deny statements still require TLS
 * and an access point), once per file system: static volumes mount without IAM authorization.
 */
export function allowAnonymousAccessPointMounts(fileSystem: efs.FileSystem): void {
  if (STATIC_MOUNTS_ALLOWED.has(fileSystem)) {
    return;
  }
  STATIC_MOUNTS_ALLOWED.add(fileSystem);
  fileSystem.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowAnonymousThroughAccessPoints',
    principals: [new iam.AnyPrincipal()],
    actions: [CLIENT_MOUNT, CLIENT_WRITE],
    conditions: {
      Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' },
      Null: { [ACCESS_POINT_ARN_KEY]: 'false' },
    },
  }));
}

/**
 * Fails on a static volume path that would let its anonymous mounts reach other volumes: the root holds
 * every volume, and the dynamic base path holds every dynamically provisioned one.
 */
function validateStaticPath(path: string): void {
  if (!path.startsWith('/')) {
    throw new Error(`path: must be an absolute directory in the file system, got '${path}'; start it with '/'`);
  }
  const normalized = path.replace(/\/+$/, '') || '/';
  if (normalized === '/') {
    throw new Error(`path: the root holds every volume's directory, which the static volume's anonymous mounts would reach, got '${path}'; give the volume a directory of its own, e.g. '/static/<namespace>/<claimName>'`);
  }
  if (normalized === DYNAMIC_BASE_PATH || normalized.startsWith(`${DYNAMIC_BASE_PATH}/`)) {
    throw new Error(`path: lies in '${DYNAMIC_BASE_PATH}', where the driver provisions the directories of dynamic claims, got '${path}'; choose a directory outside '${DYNAMIC_BASE_PATH}', e.g. '/static/<namespace>/<claimName>'`);
  }
}
