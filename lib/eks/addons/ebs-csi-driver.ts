import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { awsManagedServiceRolePolicy, podIdentityRole, requireKubectl, validateKubernetesName } from './addon-support';
import type { AddonVersion } from './addon-version';
import { ManagedAddonInstallation, ManagedClusterAddon } from './managed-addon';
import { ReclaimPolicy } from './reclaim-policy';

/** The service account of the driver's controller, the only part that calls the EC2 API. */
const EBS_CSI_CONTROLLER_SA = 'ebs-csi-controller-sa';
/** The StorageClass name the EBS CSI driver's documentation uses for gp3. */
const DEFAULT_STORAGE_CLASS = 'gp3';
/** gp3 limits (EC2 CreateVolume, raised in 2025): IOPS 3,000 to 80,000. */
const GP3_MIN_IOPS = 3000;
const GP3_MAX_IOPS = 80000;
/** gp3 limits: throughput 125 to 2,000 MiB/s. */
const GP3_MIN_THROUGHPUT = 125;
const GP3_MAX_THROUGHPUT = 2000;
/** gp3 allows at most 0.25 MiB/s of throughput per provisioned IOPS. */
const GP3_MAX_THROUGHPUT_PER_IOPS = 0.25;

/** Props of {@link EbsCsiDriver}. */
export interface EbsCsiDriverProps {
  /**
   * Which `aws-ebs-csi-driver` build to install, e.g. `AddonVersion.of('v1.66.0-eksbuild.1')`.
   * @default - AddonVersion.recommended(): the library's version table's build for the cluster's Kubernetes version; EKS's default build (with a synth warning) where the table has none
   */
  readonly version?: AddonVersion;

  /**
   * A customer managed KMS key for the volumes of the default StorageClass. The driver's role gets
   * the key permissions EBS needs (encrypt, decrypt, grants for AWS resources).
   * @default - volumes are encrypted with the AWS managed key aws/ebs
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The name of the StorageClass the library creates.
   * @default 'gp3'
   */
  readonly storageClassName?: string;

  /**
   * Whether the StorageClass is the cluster's default, used by claims that name no class.
   * @default true
   */
  readonly defaultStorageClass?: boolean;

  /**
   * What happens to a volume when its claim is deleted.
   * @default ReclaimPolicy.RETAIN - the volume and its data stay; delete them by hand
   */
  readonly reclaimPolicy?: ReclaimPolicy;

  /**
   * Provisioned IOPS of each gp3 volume, 3,000 to 80,000.
   * @default - gp3's baseline, 3,000
   */
  readonly iops?: number;

  /**
   * Provisioned throughput of each gp3 volume in MiB/s, 125 to 2,000, at most 0.25 MiB/s per IOPS.
   * @default - gp3's baseline, 125 MiB/s
   */
  readonly throughput?: number;
}

/**
 * The Amazon EBS CSI driver: the `aws-ebs-csi-driver` managed add-on, a Pod Identity role with AWS's
 * AmazonEBSCSIDriverPolicy (plus KMS permissions when a key is given), and a default StorageClass:
 * gp3, encrypted, WaitForFirstConsumer (a volume is created in the zone its pod is scheduled to),
 * expansion allowed, volumes retained by default.
 *
 * EBS volumes attach to EC2 nodes only: pods on Fargate cannot use them (use EFS there).
 */
export class EbsCsiDriver extends ManagedClusterAddon {
  private readonly props: EbsCsiDriverProps;

  constructor(props: EbsCsiDriverProps = {}) {
    super({ addonName: 'aws-ebs-csi-driver', version: props.version, constructId: 'EbsCsiDriver' });
    const { iops, throughput } = props;
    if (iops !== undefined && !Token.isUnresolved(iops) && (!Number.isInteger(iops) || iops < GP3_MIN_IOPS || iops > GP3_MAX_IOPS)) {
      throw new Error(`iops: gp3 volumes take ${GP3_MIN_IOPS} to ${GP3_MAX_IOPS} IOPS, got ${iops}; pass a whole number in that range or leave iops unset for the 3000 baseline`);
    }
    if (throughput !== undefined && !Token.isUnresolved(throughput) && (!Number.isInteger(throughput) || throughput < GP3_MIN_THROUGHPUT || throughput > GP3_MAX_THROUGHPUT)) {
      throw new Error(`throughput: gp3 volumes take ${GP3_MIN_THROUGHPUT} to ${GP3_MAX_THROUGHPUT} MiB/s, got ${throughput}; pass a whole number in that range or leave throughput unset for the 125 MiB/s baseline`);
    }
    if (throughput !== undefined && !Token.isUnresolved(throughput) && (iops === undefined || !Token.isUnresolved(iops))) {
      const effectiveIops = iops ?? GP3_MIN_IOPS;
      if (throughput > effectiveIops * GP3_MAX_THROUGHPUT_PER_IOPS) {
        throw new Error(`throughput: gp3 allows at most ${GP3_MAX_THROUGHPUT_PER_IOPS} MiB/s per IOPS, got throughput ${throughput} with iops ${iops ?? `unset (${GP3_MIN_IOPS})`}; raise iops to at least ${Math.ceil(throughput / GP3_MAX_THROUGHPUT_PER_IOPS)} or lower throughput to ${Math.floor(effectiveIops * GP3_MAX_THROUGHPUT_PER_IOPS)}`);
      }
    }
    validateKubernetesName('storageClassName', props.storageClassName);
    this.props = props;
  }

  public install(scope: Construct, cluster: IPlatformCluster): EbsCsiDriverInstallation {
    return new EbsCsiDriverInstallation(scope, 'EbsCsiDriver', { ...this.props, cluster });
  }
}

/** Props of {@link EbsCsiDriverInstallation}. */
export interface EbsCsiDriverInstallationProps extends EbsCsiDriverProps {
  /** The cluster. */
  readonly cluster: IPlatformCluster;
}

/** The EBS CSI driver installed on one cluster: the managed add-on, the controller's role and the StorageClass. */
export class EbsCsiDriverInstallation extends ManagedAddonInstallation {
  /** The role of the driver's controller. */
  public readonly role: iam.Role;
  /** The StorageClass manifest. */
  public readonly storageClass: eks.KubernetesManifest;
  private readonly props: EbsCsiDriverInstallationProps;

  constructor(scope: Construct, id: string, props: EbsCsiDriverInstallationProps) {
    requireKubectl(props.cluster, 'aws-ebs-csi-driver', 'creates a StorageClass');
    super(scope, id, { cluster: props.cluster, addonName: 'aws-ebs-csi-driver', version: props.version });
    const cluster = props.cluster;
    this.props = props;
    // Checked at synth, once every node group exists: a cluster that has only Fargate profiles when the
    // driver is installed may get its node groups afterwards.
    this.node.addValidation({
      validate: () => cluster.fargateOnly
        ? [`addons: the ${this.addonName} add-on attaches EBS volumes to EC2 nodes, got the Fargate-only cluster ${cluster.node.path}; add a node group, or use EfsCsiDriver for storage on Fargate`]
        : [],
    });
    const managedPolicies = [awsManagedServiceRolePolicy('AmazonEBSCSIDriverPolicy')];
    const key = this.props.encryptionKey;
    if (key) {
      // As the EBS CSI driver's documentation asks: use the key, and let EBS create grants on it for the volumes.
      managedPolicies.push(new iam.ManagedPolicy(this, 'KmsPolicy', {
        description: `Lets the EBS CSI driver of ${cluster.node.path} encrypt volumes with its customer managed key`,
        statements: [
          new iam.PolicyStatement({
            actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
            resources: [key.keyArn],
            conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          }),
          new iam.PolicyStatement({
            // The documented kms:ReEncrypt* and kms:GenerateDataKey*, spelled out so no action wildcard is granted.
            actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
            resources: [key.keyArn],
          }),
        ],
      }));
    }
    const role = podIdentityRole(this, 'Role', `EBS CSI driver controller of ${cluster.node.path}, through EKS Pod Identity`, managedPolicies);
    Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy]',
      'AmazonEBSCSIDriverPolicy is the policy AWS maintains for the EBS CSI driver and changes with it; a copy would drift from the driver version. It scopes volume deletion and tagging to volumes the driver created (ebs.csi.aws.com tags).');
    this.role = role;

    this.bindPodIdentity(EBS_CSI_CONTROLLER_SA, role);

    const parameters: Record<string, string> = {
      'type': 'gp3',
      'encrypted': 'true',
      'csi.storage.k8s.io/fstype': 'ext4',
    };
    if (key) {
      parameters.kmsKeyId = key.keyArn;
    }
    if (this.props.iops !== undefined) {
      parameters.iops = String(this.props.iops);
    }
    if (this.props.throughput !== undefined) {
      parameters.throughput = String(this.props.throughput);
    }
    const isDefault = this.props.defaultStorageClass ?? true;
    const storageClass = new eks.KubernetesManifest(this, 'StorageClass', {
      cluster: cluster.eksCluster,
      manifest: [{
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {
          name: this.props.storageClassName ?? DEFAULT_STORAGE_CLASS,
          ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
        },
        provisioner: 'ebs.csi.aws.com',
        parameters,
        reclaimPolicy: this.props.reclaimPolicy ?? ReclaimPolicy.RETAIN,
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      }],
    });
    // Claims ordered after the class are deleted while the driver runs, so a Delete reclaim policy can remove their volumes.
    storageClass.node.addDependency(this.addon);
    this.storageClass = storageClass;
  }
  /**
   * Node groups default to IMDS hop limit 1, so neither pod (neither runs on the host network) can
   * reach instance metadata; both get what they would read from it. Keys from the driver's chart
   * values.schema.json (aws-ebs-csi-driver chart 2.64.0), which the EKS add-on's configuration schema
   * mirrors (same description, same additionalProperties: false), and docs/install.md "Metadata".
   */
  protected configurationDefaults(): { [key: string]: any } {
    return {
      // The controller skips instance metadata when it is given the region (AWS_REGION).
      controller: { region: Stack.of(this).region },
      // The node pod reads instance id, type, region and zone from its Node object (providerID and
      // topology labels, which EKS sets) instead of trying IMDS first and timing out. The driver then
      // counts only the root volume as attached when it reports the attach limit (docs/install.md;
      // pkg/driver/node.go reserves block device mappings + 1, and the Kubernetes source reports 0
      // mappings): right for AL2023, one slot high for Bottlerocket's OS and data volumes, so with a
      // Bottlerocket node group (known at synth, including ones added later) two slots are reserved
      // on every node (the setting is cluster-wide: AL2023 nodes then keep one slot unused).
      node: {
        metadataSources: 'kubernetes',
        ...(hasBottlerocketNodes(this.cluster) ? { reservedVolumeAttachments: BOTTLEROCKET_RESERVED_ATTACHMENTS } : {}),
      },
    };
  }
}


/** Bottlerocket nodes boot with two EBS volumes (OS and data) that take attachment slots. */
const BOTTLEROCKET_RESERVED_ATTACHMENTS = 2;

/** Whether a node group of the cluster runs a Bottlerocket AMI (two EBS volumes per node). */
function hasBottlerocketNodes(cluster: IPlatformCluster): boolean {
  return cluster.nodegroupAmiTypes.some((amiType) => amiType.startsWith('BOTTLEROCKET'));
}
