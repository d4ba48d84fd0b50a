import { Duration, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { validateKubernetesName } from './addon-support';

/** The root volume of AL2023 nodes, as the library's node groups (nodegroup-builder.ts): 20 GiB fills up with a handful of large images. */
const DEFAULT_VOLUME_GIB = 50;
/** Bottlerocket's OS volume; images and pods go on the second, data volume. */
const BOTTLEROCKET_OS_VOLUME_GIB = 4;
/** A cap on what one NodePool may launch, so a runaway Deployment cannot scale the bill without bound. */
const DEFAULT_CPU_LIMIT = 100;
/** 4 GiB per vCPU of the CPU limit, the ratio of general-purpose (m) instances. */
const DEFAULT_MEMORY_LIMIT_GIB = 400;
/** 30 days: nodes are replaced monthly, so they pick up AMI releases even without drift. Karpenter's own default is 720h. */
const DEFAULT_EXPIRE_AFTER = Duration.days(30);
/** How long a node must be empty or underused before Karpenter consolidates it (Karpenter's getting-started value). */
const DEFAULT_CONSOLIDATE_AFTER = Duration.minutes(1);
/** IMDSv2 with one hop keeps instance metadata, and the node role's credentials, away from pods (rule EKS4). */
const METADATA_OPTIONS = { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' };
/** An AMI release version as Karpenter aliases name them: `v20260903` for AL2023, `v1.65.0` for Bottlerocket. */
const AMI_VERSION = /^(latest|v\d{8}|v\d+\.\d+\.\d+)$/;

/**
 * The operating system of Karpenter's nodes, as an EC2NodeClass `amiSelectorTerms` alias. Karpenter
 * resolves the alias to the EKS-optimized AMI of that release for the cluster's Kubernetes version and
 * the instance's architecture; when the alias or the cluster version changes, nodes drift to the new AMI.
 */
export class KarpenterAmi {
  /**
   * Amazon Linux 2023 (EKS-optimized). Pin a release (`'v20260903'`, see the awslabs/amazon-eks-ami
   * releases) so that nodes change only when you change it.
   * @param version the AMI release
   * @default 'latest' (not reproducible: every AMI release drifts every node, and synth warns)
   */
  public static al2023(version?: string): KarpenterAmi {
    return new KarpenterAmi('AL2023', 'al2023', version ?? 'latest');
  }

  /**
   * Bottlerocket. Pin a release (`'v1.65.0'`, see the bottlerocket-os/bottlerocket releases).
   * @param version the Bottlerocket release
   * @default 'latest' (not reproducible: every release drifts every node, and synth warns)
   */
  public static bottlerocket(version?: string): KarpenterAmi {
    return new KarpenterAmi('Bottlerocket', 'bottlerocket', version ?? 'latest');
  }

  /** The `amiSelectorTerms` alias, e.g. `al2023@v20260903`. */
  public readonly alias: string;
  /** Whether the alias is `@latest`. */
  public readonly isLatest: boolean;
  /** @internal */
  public readonly _bottlerocket: boolean;

  private constructor(family: string, prefix: string, version: string) {
    if (!Token.isUnresolved(version) && !AMI_VERSION.test(version)) {
      throw new Error(`version: not a ${family} release for a Karpenter alias, got '${version}'; pass a release such as '${prefix === 'al2023' ? 'v20260903' : 'v1.65.0'}', or no version for 'latest'`);
    }
    this.alias = `${prefix}@${version}`;
    this.isLatest = version === 'latest';
    this._bottlerocket = prefix === 'bottlerocket';
  }
}

/** The capacity types a NodePool may launch. */
export enum KarpenterCapacityType {
  /** Spot instances: interrupted with two minutes' warning, which the interruption queue delivers. */
  SPOT = 'spot',
  /** On-demand instances. */
  ON_DEMAND = 'on-demand',
}

/** CPU architectures a NodePool may launch. */
export enum KarpenterArchitecture {
  /** x86-64. */
  AMD64 = 'amd64',
  /** Graviton. */
  ARM64 = 'arm64',
}

/** Options of an EC2NodeClass (`Karpenter.addNodeClass`). */
export interface KarpenterNodeClassOptions {
  /**
   * The AMI family and release.
   * @default KarpenterAmi.al2023() (al2023@latest, with a synth warning)
   */
  readonly ami?: KarpenterAmi;

  /**
   * The size of the volume that holds images and pods, in GiB (the root volume on AL2023, the data volume on Bottlerocket).
   * @default 50
   */
  readonly volumeSize?: number;
}

/** A taint of the nodes of a NodePool. */
export interface KarpenterTaint {
  /** The taint key. */
  readonly key: string;
  /** The taint value. @default - none */
  readonly value?: string;
  /** The effect. */
  readonly effect: eks.TaintEffect;
}

/** Options of a NodePool (`Karpenter.addNodePool`). */
export interface KarpenterNodePoolOptions {
  /**
   * The EC2NodeClass the pool's nodes use.
   * @default 'default' (the add-on's default EC2NodeClass)
   */
  readonly nodeClassName?: string;

  /**
   * The most vCPUs the pool's nodes may have in total.
   * @default 100
   */
  readonly cpuLimit?: number;

  /**
   * The most memory the pool's nodes may have in total, in GiB.
   * @default 400
   */
  readonly memoryLimitGiB?: number;

  /**
   * Capacity types, Karpenter preferring spot when both are allowed.
   * @default [KarpenterCapacityType.SPOT, KarpenterCapacityType.ON_DEMAND]
   */
  readonly capacityTypes?: KarpenterCapacityType[];

  /**
   * Architectures.
   * @default [KarpenterArchitecture.AMD64, KarpenterArchitecture.ARM64]
   */
  readonly architectures?: KarpenterArchitecture[];

  /**
   * Instance categories (`karpenter.k8s.aws/instance-category`).
   * @default ['c', 'm', 'r'] (general purpose, compute and memory optimized; no burstable t)
   */
  readonly instanceCategories?: string[];

  /**
   * How long a node lives before Karpenter replaces it.
   * @default Duration.days(30)
   */
  readonly expireAfter?: Duration;

  /**
   * How long a node must be empty or underused before Karpenter consolidates it (policy `WhenEmptyOrUnderutilized`).
   * @default Duration.minutes(1)
   */
  readonly consolidateAfter?: Duration;

  /**
   * Labels of the pool's nodes.
   * @default - none
   */
  readonly labels?: Record<string, string>;

  /**
   * Taints of the pool's nodes.
   * @default - none
   */
  readonly taints?: KarpenterTaint[];

  /**
   * The pool's weight: Karpenter tries pools of higher weight first.
   * @default - none
   */
  readonly weight?: number;
}

/** What an EC2NodeClass manifest needs from the cluster. */
export interface NodeClassContext {
  readonly nodeRoleName: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
}

/** The EC2NodeClass object. */
export function ec2NodeClassManifest(name: string, options: KarpenterNodeClassOptions, context: NodeClassContext): Record<string, unknown> {
  validateKubernetesName('nodeClass name', name);
  const ami = options.ami ?? KarpenterAmi.al2023();
  const size = options.volumeSize ?? DEFAULT_VOLUME_GIB;
  if (!Token.isUnresolved(size) && (!Number.isInteger(size) || size < 20 || size > 16384)) {
    throw new Error(`volumeSize: must be a whole number of GiB from 20 to 16384, got ${size}; use at least 20 so images fit`);
  }
  const ebs = (gib: number) => ({ volumeSize: `${gib}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true });
  const blockDeviceMappings = ami._bottlerocket
    ? [{ deviceName: '/dev/xvda', ebs: ebs(BOTTLEROCKET_OS_VOLUME_GIB) }, { deviceName: '/dev/xvdb', ebs: ebs(size) }]
    : [{ deviceName: '/dev/xvda', ebs: ebs(size) }];
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name },
    spec: {
      role: context.nodeRoleName,
      amiSelectorTerms: [{ alias: ami.alias }],
      // By id, not discovery tags: EKS creates the cluster security group outside CloudFormation, so no
      // tag can be added to it here, and subnets of an imported VPC cannot be tagged either.
      subnetSelectorTerms: context.subnetIds.map((id) => ({ id })),
      securityGroupSelectorTerms: context.securityGroupIds.map((id) => ({ id })),
      metadataOptions: METADATA_OPTIONS,
      blockDeviceMappings,
    },
  };
}

/** The NodePool object. */
export function nodePoolManifest(name: string, options: KarpenterNodePoolOptions): Record<string, unknown> {
  validateKubernetesName('nodePool name', name);
  const nodeClassName = options.nodeClassName ?? 'default';
  validateKubernetesName('nodeClassName', nodeClassName);
  const cpu = options.cpuLimit ?? DEFAULT_CPU_LIMIT;
  const memory = options.memoryLimitGiB ?? DEFAULT_MEMORY_LIMIT_GIB;
  for (const [prop, value] of [['cpuLimit', cpu], ['memoryLimitGiB', memory]] as const) {
    if (!Token.isUnresolved(value) && !(value > 0)) {
      throw new Error(`${prop}: must be positive, got ${value}; set a limit the pool's nodes may reach in total`);
    }
  }
  const capacityTypes = options.capacityTypes ?? [KarpenterCapacityType.SPOT, KarpenterCapacityType.ON_DEMAND];
  const architectures = options.architectures ?? [KarpenterArchitecture.AMD64, KarpenterArchitecture.ARM64];
  const categories = options.instanceCategories ?? ['c', 'm', 'r'];
  for (const [prop, list] of [['capacityTypes', capacityTypes], ['architectures', architectures], ['instanceCategories', categories]] as const) {
    if (list.length === 0) {
      throw new Error(`${prop}: NodePool '${name}' needs at least one value, got []; leave it unset for the default`);
    }
  }
  const hours = (d: Duration) => `${d.toHours({ integral: false })}h`;
  const minutes = (d: Duration) => `${d.toSeconds()}s`;
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: {
        ...(options.labels ? { metadata: { labels: options.labels } } : {}),
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: nodeClassName },
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: capacityTypes },
            { key: 'kubernetes.io/arch', operator: 'In', values: architectures },
            { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            { key: 'karpenter.k8s.aws/instance-category', operator: 'In', values: categories },
            // Generation 5 and later: Nitro instances, which the AL2023 and Bottlerocket AMIs support.
            { key: 'karpenter.k8s.aws/instance-generation', operator: 'Gt', values: ['4'] },
          ],
          ...(options.taints ? { taints: options.taints.map((t) => ({ key: t.key, value: t.value, effect: taintEffect(t.effect) })) } : {}),
          expireAfter: hours(options.expireAfter ?? DEFAULT_EXPIRE_AFTER),
        },
      },
      limits: { cpu: `${cpu}`, memory: `${memory}Gi` },
      disruption: {
        consolidationPolicy: 'WhenEmptyOrUnderutilized',
        consolidateAfter: minutes(options.consolidateAfter ?? DEFAULT_CONSOLIDATE_AFTER),
      },
      ...(options.weight !== undefined ? { weight: options.weight } : {}),
    },
  };
}

/** Kubernetes' spelling of a taint effect (aws-eks-v2's enum holds the EKS API's, e.g. NO_SCHEDULE). */
export function taintEffect(effect: eks.TaintEffect): string {
  switch (effect) {
    case eks.TaintEffect.NO_SCHEDULE: return 'NoSchedule';
    case eks.TaintEffect.PREFER_NO_SCHEDULE: return 'PreferNoSchedule';
    case eks.TaintEffect.NO_EXECUTE: return 'NoExecute';
    default: throw new Error(`taints: unknown effect, got ${effect}; use eks.TaintEffect.NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE`);
  }
}
