// Module-private: validation and launch template of PlatformCluster.addNodegroup. Not exported from lib/index.ts.
import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { PlatformNodegroupOptions } from './nodegroup-options';

/** Two nodes: one can drain during an update or a zone event while the other keeps serving. */
export const DEFAULT_MIN_SIZE = 2;
/** Room to double the default group before anyone has to touch it. */
export const DEFAULT_MAX_SIZE = 4;
/** 50 GiB: AL2023's 20 GiB fills up with a handful of large images. */
export const DEFAULT_DISK_SIZE_GIB = 50;
/** One node at a time: the slowest, safest rolling update. */
export const DEFAULT_MAX_UNAVAILABLE = 1;
/**
 * Hop limit 1: IMDSv2 responses do not leave the host's network namespace, so pods (other than
 * host-network ones) cannot read the node role's credentials. Every add-on of this library works
 * without pod access to instance metadata (each add-on file says how); EKS's own default is 2.
 */
export const DEFAULT_IMDS_HOP_LIMIT = 1;
/**
 * Current-generation general-purpose types; Intel for x86_64, Graviton for ARM. Functions, as are the taint
 * effects below: reading aws-cdk-lib's values at import would load EC2's instance tables and aws-eks-v2 for every user.
 */
const defaultX86Instance = () => ec2.InstanceType.of(ec2.InstanceClass.M7I, ec2.InstanceSize.LARGE);
const defaultArmInstance = () => ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE);
/** Bottlerocket's OS volume: the size Karpenter's Bottlerocket defaults give /dev/xvda (the AMI snapshot fits in it). */
const BOTTLEROCKET_OS_VOLUME_GIB = 4;
/** EKS node group names: 1 to 63 characters. */
const NODEGROUP_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/;
/** gp3 volumes hold at most 16 TiB (Amazon EBS User Guide, "Amazon EBS volume types"). */
const MAX_DISK_SIZE_GIB = 16384;
/**
 * Node labels and taints: EKS takes keys of 1-63 characters, label values of 1-63 and taint values of 0-63
 * (EKS API reference, UpdateLabelsPayload and Taint), and at most 50 taints per node group; Kubernetes adds
 * the syntax: an optional DNS-subdomain prefix and '/', then a name of alphanumerics, '-', '_' and '.'
 * that starts and ends alphanumeric ("Labels and Selectors").
 */
const MAX_LABEL_KEY = 63;
const MAX_LABEL_VALUE = 63;
const MAX_TAINTS = 50;
const LABEL_KEY = /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const taintEffects = () => new Set<string>([eks.TaintEffect.NO_SCHEDULE, eks.TaintEffect.PREFER_NO_SCHEDULE, eks.TaintEffect.NO_EXECUTE]);
/** EKS publishes no AL2 AMIs from Kubernetes 1.33 on. */
const FIRST_MINOR_WITHOUT_AL2 = 33;

const armAmis = () => new Set<string>([
  eks.NodegroupAmiType.AL2_ARM_64, eks.NodegroupAmiType.AL2023_ARM_64_STANDARD, eks.NodegroupAmiType.AL2023_ARM_64_NVIDIA,
  eks.NodegroupAmiType.BOTTLEROCKET_ARM_64, eks.NodegroupAmiType.BOTTLEROCKET_ARM_64_NVIDIA, eks.NodegroupAmiType.BOTTLEROCKET_ARM_64_FIPS,
]);

/** What addNodegroup builds from the options. */
export interface ResolvedNodegroup {
  readonly amiType: eks.NodegroupAmiType;
  readonly instanceTypes: ec2.InstanceType[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

function isArmAmi(amiType: eks.NodegroupAmiType): boolean {
  return armAmis().has(amiType);
}

function isBottlerocket(amiType: eks.NodegroupAmiType): boolean {
  return amiType.startsWith('BOTTLEROCKET');
}

function isAl2(amiType: eks.NodegroupAmiType): boolean {
  return amiType.startsWith('AL2_');
}

function isArmInstance(type: ec2.InstanceType): boolean | undefined {
  if (Token.isUnresolved(type.toString())) {
    return undefined;
  }
  return type.architecture === ec2.InstanceArchitecture.ARM_64;
}

/** Validates the options and fills in the defaults; `kubernetesMinor` is undefined for a token version. */
export function resolveNodegroup(scope: Construct, id: string, options: PlatformNodegroupOptions, kubernetesMinor: number | undefined): ResolvedNodegroup {
  const name = options.nodegroupName;
  if (name !== undefined && !Token.isUnresolved(name) && !NODEGROUP_NAME.test(name)) {
    throw new Error(`nodegroupName: not a valid EKS node group name, got '${name}'; use 1 to 63 letters, digits, '-' and '_', starting with a letter or digit`);
  }

  const given = options.instanceTypes;
  if (given !== undefined && given.length === 0) {
    throw new Error(`instanceTypes: node group '${id}' needs at least one instance type, got []; omit instanceTypes for the default or list one or more`);
  }
  const arches = new Set((given ?? []).map(isArmInstance).filter((a) => a !== undefined));
  if (arches.size > 1) {
    throw new Error(`instanceTypes: node group '${id}' mixes ARM and x86_64 instance types, got ${given!.join(', ')}; one node group runs one AMI, so split them into two node groups`);
  }
  const armInstances = arches.size === 1 ? [...arches][0] : undefined;
  const amiType = options.amiType ?? (armInstances ? eks.NodegroupAmiType.AL2023_ARM_64_STANDARD : eks.NodegroupAmiType.AL2023_X86_64_STANDARD);
  if (armInstances !== undefined && armInstances !== isArmAmi(amiType)) {
    const amiArch = isArmAmi(amiType) ? 'ARM' : 'x86_64';
    const instanceArch = armInstances ? 'ARM' : 'x86_64';
    throw new Error(`amiType and instanceTypes: node group '${id}' has the ${amiArch} AMI ${amiType} but ${instanceArch} instance types, got ${given!.join(', ')}; use ${armInstances ? 'AL2023_ARM_64_STANDARD or BOTTLEROCKET_ARM_64' : 'AL2023_X86_64_STANDARD or BOTTLEROCKET_X86_64'}, or instance types of the AMI's architecture`);
  }
  if (isAl2(amiType) && kubernetesMinor !== undefined && kubernetesMinor >= FIRST_MINOR_WITHOUT_AL2) {
    throw new Error(`amiType: EKS publishes no Amazon Linux 2 AMIs for Kubernetes 1.${kubernetesMinor}, got ${amiType} on node group '${id}'; use ${isArmAmi(amiType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_X86_64_STANDARD'} or a Bottlerocket AMI`);
  }
  const instanceTypes = given ?? [isArmAmi(amiType) ? defaultArmInstance() : defaultX86Instance()];

  const minSize = options.minSize ?? DEFAULT_MIN_SIZE;
  // Math.max of a token is meaningless (a token number is a large negative placeholder): keep the default then.
  const maxSize = options.maxSize ?? (Token.isUnresolved(minSize) ? DEFAULT_MAX_SIZE : Math.max(DEFAULT_MAX_SIZE, minSize));
  const desiredSize = options.desiredSize ?? minSize;
  if (!Token.isUnresolved(minSize) && (!Number.isInteger(minSize) || minSize < 0)) {
    throw new Error(`minSize: node group '${id}' needs a whole number of nodes from 0, got ${minSize}; pass 0 or more`);
  }
  if (!Token.isUnresolved(maxSize) && (!Number.isInteger(maxSize) || maxSize < 1)) {
    throw new Error(`maxSize: node group '${id}' needs at least one node at most, got ${maxSize}; pass 1 or more`);
  }
  if (!Token.isUnresolved(desiredSize) && (!Number.isInteger(desiredSize) || desiredSize < 0)) {
    throw new Error(`desiredSize: node group '${id}' needs a whole number of nodes from 0, got ${desiredSize}; pass 0 or more, or omit it to start at minSize`);
  }
  if ([minSize, maxSize, desiredSize].some((n) => Token.isUnresolved(n))) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:nodegroupSizesUnresolved',
      `minSize, maxSize and desiredSize: node group '${id}' has sizes that are tokens (e.g. CfnParameter values), got ${[minSize, desiredSize, maxSize].map(describeNumber).join(', ')}; their order (minSize <= desiredSize <= maxSize) is not checked at synth${options.maxSize === undefined ? `, and maxSize defaults to ${DEFAULT_MAX_SIZE}: pass maxSize too` : ''}`);
  } else {
    if (minSize > maxSize) {
      throw new Error(`minSize and maxSize: node group '${id}' has minSize greater than maxSize, got minSize ${minSize} and maxSize ${maxSize}; raise maxSize or lower minSize`);
    }
    if (desiredSize < minSize || desiredSize > maxSize) {
      throw new Error(`desiredSize: node group '${id}' must start between minSize ${minSize} and maxSize ${maxSize}, got ${desiredSize}; pass a desiredSize in that range or omit it to start at minSize`);
    }
  }

  if (options.maxUnavailable !== undefined && options.maxUnavailablePercentage !== undefined) {
    throw new Error(`maxUnavailable and maxUnavailablePercentage: node group '${id}' sets both, got ${options.maxUnavailable} and ${options.maxUnavailablePercentage}%; set one of them`);
  }
  const pct = options.maxUnavailablePercentage;
  if (pct !== undefined && !Token.isUnresolved(pct) && (!Number.isInteger(pct) || pct < 1 || pct > 100)) {
    throw new Error(`maxUnavailablePercentage: node group '${id}' needs a whole percentage from 1 to 100, got ${pct}; pass e.g. 25`);
  }
  const mu = options.maxUnavailable;
  if (mu !== undefined && !Token.isUnresolved(mu) && (!Number.isInteger(mu) || mu < 1 || mu > 100)) {
    throw new Error(`maxUnavailable: node group '${id}' needs a whole number of nodes from 1 to 100 (the EKS limit), got ${mu}; pass e.g. 1`);
  }
  if (mu !== undefined && !Token.isUnresolved(mu) && !Token.isUnresolved(maxSize) && mu > maxSize) {
    throw new Error(`maxUnavailable and maxSize: node group '${id}' may take ${mu} nodes down at once but has at most ${maxSize}, got maxUnavailable ${mu}; lower maxUnavailable to ${maxSize} or less`);
  }
  const disk = options.diskSize;
  if (disk !== undefined && !Token.isUnresolved(disk) && (!Number.isInteger(disk) || disk < 1 || disk > MAX_DISK_SIZE_GIB)) {
    throw new Error(`diskSize: node group '${id}' needs a disk size in whole GiB from 1 to ${MAX_DISK_SIZE_GIB} (the gp3 maximum), got ${disk}; pass e.g. ${DEFAULT_DISK_SIZE_GIB}`);
  }
  if (given !== undefined && new Set(given.map((t) => t.toString())).size !== given.length) {
    throw new Error(`instanceTypes: node group '${id}' lists an instance type twice, got ${given.join(', ')}; list each type once`);
  }
  validateLabels(id, options.labels ?? {});
  validateTaints(id, options.taints ?? []);
  const hop = options.imdsHopLimit;
  if (hop !== undefined && !Token.isUnresolved(hop) && (!Number.isInteger(hop) || hop < 1 || hop > 64)) {
    throw new Error(`imdsHopLimit: node group '${id}' needs a hop limit from 1 to 64, got ${hop}; pass 1 to keep pods away from instance metadata or 2 to let them reach it`);
  }

  if (options.capacityType === eks.CapacityType.SPOT && instanceTypes.length === 1) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:spotSingleInstanceType',
      `instanceTypes: spot node group '${id}' draws from one spot pool, got ${instanceTypes[0]}; list several instance types of similar size so that EKS can replace interrupted nodes`);
  }
  return { amiType, instanceTypes, minSize, desiredSize, maxSize };
}

function validateLabels(id: string, labels: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(labels)) {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) {
      continue;
    }
    if (key.length > MAX_LABEL_KEY || !LABEL_KEY.test(key)) {
      throw new Error(`labels: node group '${id}' has a label key that EKS or Kubernetes rejects, got '${key}'; use at most ${MAX_LABEL_KEY} characters, an optional DNS prefix and '/', then letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. 'team' or 'example.com/team')`);
    }
    if (value.length === 0 || value.length > MAX_LABEL_VALUE || !LABEL_VALUE.test(value)) {
      throw new Error(`labels: node group '${id}' has a value for '${key}' that EKS or Kubernetes rejects, got '${value}'; use 1 to ${MAX_LABEL_VALUE} letters, digits, '-', '_' and '.', starting and ending with a letter or digit`);
    }
  }
}

function validateTaints(id: string, taints: eks.TaintSpec[]): void {
  if (taints.length > MAX_TAINTS) {
    throw new Error(`taints: a node group takes at most ${MAX_TAINTS} taints, got ${taints.length} on node group '${id}'; taint on fewer keys`);
  }
  const seen = new Set<string>();
  for (const taint of taints) {
    const key = taint.key;
    if (key === undefined || (!Token.isUnresolved(key) && (key.length > MAX_LABEL_KEY || !LABEL_KEY.test(key)))) {
      throw new Error(`taints: node group '${id}' has a taint key that EKS or Kubernetes rejects, got '${key}'; use at most ${MAX_LABEL_KEY} characters, an optional DNS prefix and '/', then letters, digits, '-', '_' and '.' (e.g. 'dedicated')`);
    }
    const value = taint.value ?? '';
    if (!Token.isUnresolved(value) && (value.length > MAX_LABEL_VALUE || !LABEL_VALUE.test(value))) {
      throw new Error(`taints: node group '${id}' has a value for taint '${key}' that Kubernetes rejects, got '${value}'; use up to ${MAX_LABEL_VALUE} letters, digits, '-', '_' and '.', starting and ending with a letter or digit`);
    }
    if (taint.effect === undefined || !taintEffects().has(taint.effect)) {
      throw new Error(`taints: node group '${id}' has taint '${key}' without a valid effect, got ${taint.effect}; use eks.TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE`);
    }
    const identity = `${key}:${taint.effect}`;
    if (seen.has(identity)) {
      throw new Error(`taints: node group '${id}' has two taints with key '${key}' and effect ${taint.effect}, got it twice; Kubernetes keeps one taint per key and effect, so keep one`);
    }
    seen.add(identity);
  }
}

function describeNumber(n: number): string {
  return Token.isUnresolved(n) ? 'a token' : `${n}`;
}

/**
 * The node group's launch template: IMDSv2 required, encrypted gp3 volumes. Only settings a managed
 * node group accepts in a template: no AMI, user data, instance profile or instance type, so EKS keeps
 * choosing the AMI release and bootstrapping the node.
 */
export function nodeLaunchTemplate(scope: Construct, id: string, amiType: eks.NodegroupAmiType, options: PlatformNodegroupOptions): ec2.LaunchTemplate {
  const diskSize = options.diskSize ?? DEFAULT_DISK_SIZE_GIB;
  const volume = (size: number) => ec2.BlockDeviceVolume.ebs(size, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true });
  // Bottlerocket boots from a small OS volume and keeps images and pods on a second, data volume.
  const blockDevices: ec2.BlockDevice[] = isBottlerocket(amiType)
    ? [{ deviceName: '/dev/xvda', volume: volume(BOTTLEROCKET_OS_VOLUME_GIB) }, { deviceName: '/dev/xvdb', volume: volume(diskSize) }]
    : [{ deviceName: '/dev/xvda', volume: volume(diskSize) }];
  const hopLimit = options.imdsHopLimit ?? DEFAULT_IMDS_HOP_LIMIT;
  // aws-cdk-lib range-checks the hop limit without resolving tokens, so a CfnParameter value is set on the
  // CloudFormation resource below (resolveNodegroup checks literals).
  const deferHopLimit = Token.isUnresolved(hopLimit);
  const template = new ec2.LaunchTemplate(scope, id, {
    httpEndpoint: true,
    httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
    httpPutResponseHopLimit: deferHopLimit ? undefined : hopLimit,
    blockDevices,
    // One-minute EC2 metrics, as terraform-aws-eks's node launch templates default to; Monitoring is not
    // among the settings EKS refuses in a node group's template (LaunchTemplateSpecification, EKS API reference).
    detailedMonitoring: options.detailedMonitoring ?? true,
  });
  if (deferHopLimit) {
    (template.node.defaultChild as ec2.CfnLaunchTemplate).addPropertyOverride('LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit', hopLimit);
  }
  return template;
}
