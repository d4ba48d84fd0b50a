import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { checkTaskFitsInstance, isFargatePlatformBefore14 } from './validate-service-props';

/** 0.25 vCPU: Fargate's smallest task, enough for a small web service. */
const DEFAULT_FARGATE_CPU = 256;
/** 512 MiB: the smallest memory Fargate pairs with 0.25 vCPU. */
const DEFAULT_FARGATE_MEMORY_MIB = 512;
/** One on-demand task survives a Spot reclaim of all the others. */
const DEFAULT_ON_DEMAND_BASE = 1;
/** Above the base, three Spot tasks for each on-demand one: most of Spot's saving, some on-demand spread. */
const DEFAULT_SPOT_WEIGHT = 3;
/** Task size on EC2 capacity, in CPU units (1024 = one vCPU) and MiB. */
const DEFAULT_EC2_TASK_CPU = 256;
const DEFAULT_EC2_TASK_MEMORY_MIB = 512;
/** Two instances: one per zone of a two-zone minimum, so one zone can fail. */
const DEFAULT_EC2_MIN_INSTANCES = 2;
const DEFAULT_EC2_MAX_INSTANCES = 6;
/** Managed scaling keeps the group exactly as large as the tasks need. */
const DEFAULT_TARGET_CAPACITY_PERCENT = 100;
/** GiB of the encrypted root (AL2023) or data (Bottlerocket) volume: image layers of a few services. */
const DEFAULT_ROOT_VOLUME_GIB = 30;

/**
 * Valid Fargate task sizes for Linux: CPU units to the memory values (MiB) allowed with them.
 * Source: Amazon ECS Developer Guide, "Task CPU and memory" (Fargate), checked 2026-11.
 */
const FARGATE_MEMORY_BY_CPU: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** Which kind of capacity runs the tasks. */
export enum ComputeType {
  /** Serverless tasks on AWS Fargate. */
  FARGATE = 'FARGATE',
  /** Tasks on EC2 instances of an Auto Scaling group owned by the service. */
  EC2 = 'EC2',
}

/** The AMI family of EC2 container instances. */
export enum ContainerInstanceImage {
  /** The ECS-optimized Amazon Linux 2023 AMI, resolved from its public SSM parameter at deploy time. */
  AMAZON_LINUX_2023 = 'AMAZON_LINUX_2023',
  /** Bottlerocket's ECS variant: a minimal, image-based OS with no shell or package manager by default. */
  BOTTLEROCKET = 'BOTTLEROCKET',
}

/** Options of {@link ServiceCompute.fargate}. */
export interface FargateComputeOptions {
  /**
   * Task CPU in units (1024 = one vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB; must be a valid Fargate pair with `cpu`.
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * The CPU architecture of the tasks. Graviton (ARM64) costs about 20% less for the same size.
   * Fargate Spot runs ARM64 tasks too (since September 2024, "Amazon ECS now supports AWS Graviton-based
   * Spot compute with AWS Fargate"); the Spot default stays X86_64 so that existing images keep running.
   * @default - ecs.CpuArchitecture.ARM64, or X86_64 when `spot` is true
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * Run tasks above the on-demand base on Fargate Spot (capacity provider strategy).
   * @default false
   */
  readonly spot?: boolean;

  /**
   * How many tasks always run on on-demand Fargate before Spot takes a share. Needs `spot`.
   * @default 1
   */
  readonly onDemandBase?: number;

  /**
   * Spot tasks per on-demand task above the base. Needs `spot`.
   * @default 3
   */
  readonly spotWeight?: number;

  /**
   * The Fargate platform version.
   * @default ecs.FargatePlatformVersion.LATEST
   */
  readonly platformVersion?: ecs.FargatePlatformVersion;
}

/** Options of {@link ServiceCompute.ec2}. */
export interface Ec2ComputeOptions {
  /** The instance type of the container instances; its architecture picks the AMI's. */
  readonly instanceType: ec2.InstanceType;

  /**
   * The AMI family.
   * @default ContainerInstanceImage.AMAZON_LINUX_2023
   */
  readonly machineImage?: ContainerInstanceImage;

  /**
   * The fewest instances in the Auto Scaling group.
   * @default 2
   */
  readonly minInstances?: number;

  /**
   * The most instances in the Auto Scaling group.
   * @default 6
   */
  readonly maxInstances?: number;

  /**
   * How full managed scaling keeps the instances, in percent (1-100). Below 100 leaves headroom for fast scale-out.
   * @default 100
   */
  readonly targetCapacityPercent?: number;

  /**
   * Managed termination protection: ECS stops scale-in from terminating instances that run tasks.
   * It also stops CloudFormation from deleting a group whose instances run tasks, which hangs stack
   * deletion (aws-cdk issue 18179); managed draining moves tasks off an instance before it goes.
   * @default false
   */
  readonly managedTerminationProtection?: boolean;

  /**
   * Size of the encrypted root volume (the data volume on Bottlerocket), in GiB.
   * @default 30
   */
  readonly rootVolumeSizeGiB?: number;

  /**
   * Task CPU in units (1024 = one vCPU).
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB (a hard limit).
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * How tasks are placed across instances, in order: e.g. `ecs.PlacementStrategy.packedByMemory()` (binpack),
   * `ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE)` (spread), `ecs.PlacementStrategy.randomly()`.
   * Not used with `daemon`.
   * @default - spread across availability zones, then binpack on memory
   */
  readonly placementStrategies?: ecs.PlacementStrategy[];

  /**
   * Rules that limit which instances may run tasks, e.g. `ecs.PlacementConstraint.distinctInstances()`.
   * @default - none
   */
  readonly placementConstraints?: ecs.PlacementConstraint[];

  /**
   * DAEMON scheduling: one task on every container instance instead of a desired count (REPLICA).
   * @default false
   */
  readonly daemon?: boolean;
}

/**
 * Where the service's tasks run: `ServiceCompute.fargate()` or `ServiceCompute.ec2({ instanceType })`.
 * The options are validated when the choice is made.
 */
export class ServiceCompute {
  /** Serverless tasks on Fargate, optionally mixed with Fargate Spot above an on-demand base. */
  public static fargate(options: FargateComputeOptions = {}): ServiceCompute {
    rejectEc2OnlyOptions(options as Record<string, unknown>);
    const cpu = options.cpu ?? DEFAULT_FARGATE_CPU;
    const memory = options.memoryLimitMiB ?? DEFAULT_FARGATE_MEMORY_MIB;
    validateFargateSize(cpu, memory);
    const spot = options.spot ?? false;
    if (!spot && (options.onDemandBase !== undefined || options.spotWeight !== undefined)) {
      throw new Error(`onDemandBase and spotWeight: they shape a Fargate Spot mix, got onDemandBase ${options.onDemandBase} and spotWeight ${options.spotWeight} without spot; set spot: true or drop them`);
    }
    const architecture = options.cpuArchitecture ?? (spot ? ecs.CpuArchitecture.X86_64 : ecs.CpuArchitecture.ARM64);
    if (architecture === ecs.CpuArchitecture.ARM64 && options.platformVersion !== undefined && isFargatePlatformBefore14(options.platformVersion)) {
      throw new Error(`cpuArchitecture and platformVersion: Fargate runs ARM64 tasks from platform version 1.4.0, got ARM64${options.cpuArchitecture === undefined ? ' (the default)' : ''} on ${options.platformVersion}; use ecs.FargatePlatformVersion.LATEST or VERSION1_4, or cpuArchitecture: ecs.CpuArchitecture.X86_64`);
    }
    const onDemandBase = options.onDemandBase ?? DEFAULT_ON_DEMAND_BASE;
    checkWholeNumber('onDemandBase', onDemandBase, 0, 100000);
    const spotWeight = options.spotWeight ?? DEFAULT_SPOT_WEIGHT;
    checkWholeNumber('spotWeight', spotWeight, 1, 1000);
    return new ServiceCompute(ComputeType.FARGATE, {
      cpu,
      memoryLimitMiB: memory,
      cpuArchitecture: architecture,
      spot,
      onDemandBase,
      spotWeight,
      platformVersion: options.platformVersion ?? ecs.FargatePlatformVersion.LATEST,
    }, undefined);
  }

  /** Tasks on EC2 container instances of an Auto Scaling group capacity provider with managed scaling. */
  public static ec2(options: Ec2ComputeOptions): ServiceCompute {
    if (Token.isUnresolved(options.instanceType.toString())) {
      // aws-cdk-lib reads the architecture from the name to pick the AMI, and fails on a token naming no prop.
      throw new Error('instanceType: the container instance AMI (x86_64 or arm64) follows from the instance type, so it must be known at synth, got a token; pass a literal such as ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE)');
    }
    const minInstances = options.minInstances ?? DEFAULT_EC2_MIN_INSTANCES;
    const maxInstances = options.maxInstances ?? DEFAULT_EC2_MAX_INSTANCES;
    checkWholeNumber('minInstances', minInstances, 0, 100000);
    checkWholeNumber('maxInstances', maxInstances, 1, 100000);
    if (!Token.isUnresolved(minInstances) && !Token.isUnresolved(maxInstances) && minInstances > maxInstances) {
      throw new Error(`minInstances and maxInstances: minInstances must not exceed maxInstances, got ${minInstances} > ${maxInstances}; raise maxInstances or lower minInstances`);
    }
    const target = options.targetCapacityPercent ?? DEFAULT_TARGET_CAPACITY_PERCENT;
    checkWholeNumber('targetCapacityPercent', target, 1, 100);
    const volume = options.rootVolumeSizeGiB ?? DEFAULT_ROOT_VOLUME_GIB;
    checkWholeNumber('rootVolumeSizeGiB', volume, 30, 16384);
    const cpu = options.cpu ?? DEFAULT_EC2_TASK_CPU;
    checkWholeNumber('cpu', cpu, 128, 196608);
    const memory = options.memoryLimitMiB ?? DEFAULT_EC2_TASK_MEMORY_MIB;
    checkWholeNumber('memoryLimitMiB', memory, 6, 1048576);
    checkTaskFitsInstance(options.instanceType, cpu, memory);
    const daemon = options.daemon ?? false;
    if (daemon && options.placementStrategies !== undefined && options.placementStrategies.length > 0) {
      throw new Error(`placementStrategies: DAEMON scheduling puts one task on every instance, so placement strategies do not apply, got ${options.placementStrategies.length}; drop placementStrategies or daemon`);
    }
    return new ServiceCompute(ComputeType.EC2, undefined, {
      instanceType: options.instanceType,
      machineImage: options.machineImage ?? ContainerInstanceImage.AMAZON_LINUX_2023,
      minInstances,
      maxInstances,
      targetCapacityPercent: target,
      managedTerminationProtection: options.managedTerminationProtection ?? false,
      rootVolumeSizeGiB: volume,
      cpu,
      memoryLimitMiB: memory,
      placementStrategies: options.placementStrategies ?? (daemon ? [] : [
        ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE),
        ecs.PlacementStrategy.packedByMemory(),
      ]),
      placementConstraints: options.placementConstraints ?? [],
      daemon,
    });
  }

  /** Fargate or EC2. */
  public readonly type: ComputeType;
  /** The resolved Fargate options (every default filled in), when `type` is FARGATE. */
  public readonly fargateOptions?: FargateComputeOptions;
  /** The resolved EC2 options (every default filled in), when `type` is EC2. */
  public readonly ec2Options?: Ec2ComputeOptions;

  private constructor(type: ComputeType, fargate: FargateComputeOptions | undefined, ec2Options: Ec2ComputeOptions | undefined) {
    this.type = type;
    this.fargateOptions = fargate;
    this.ec2Options = ec2Options;
  }

  /** Whether tasks are scheduled as DAEMON (one per instance) rather than REPLICA. */
  public get daemon(): boolean {
    return this.ec2Options?.daemon ?? false;
  }
}

/** JavaScript callers can pass any key; these only make sense on EC2, so say where they belong. */
function rejectEc2OnlyOptions(options: Record<string, unknown>): void {
  const strategies = options.placementStrategies as unknown[] | undefined;
  if (strategies !== undefined && strategies.length > 0) {
    throw new Error(`placementStrategies: Fargate places tasks itself and takes no placement strategies, got ${strategies.length}; use ServiceCompute.ec2({ placementStrategies }) or drop them`);
  }
  const constraints = options.placementConstraints as unknown[] | undefined;
  if (constraints !== undefined && constraints.length > 0) {
    throw new Error(`placementConstraints: Fargate takes no placement constraints, got ${constraints.length}; use ServiceCompute.ec2({ placementConstraints }) or drop them`);
  }
  if (options.daemon === true) {
    throw new Error('daemon: Fargate has no instances to run one task on each, got daemon: true; use ServiceCompute.ec2({ instanceType, daemon: true })');
  }
}

function validateFargateSize(cpu: number, memory: number): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memory)) {
    return;
  }
  const allowed = FARGATE_MEMORY_BY_CPU[cpu];
  if (allowed === undefined) {
    throw new Error(`cpu: Fargate tasks take ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')} CPU units, got ${cpu}; pick one of those`);
  }
  if (!allowed.includes(memory)) {
    throw new Error(`memoryLimitMiB: ${memory} MiB is not a valid Fargate size with cpu ${cpu}, got cpu ${cpu} / memory ${memory}; with cpu ${cpu} use ${describeRange(allowed)} MiB`);
  }
}

function checkWholeNumber(prop: string, value: number, min: number, max: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new Error(`${prop}: must be a whole number from ${min} to ${max}, got ${value}; pick a value in that range`);
  }
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) {
    values.push(v);
  }
  return values;
}

function describeRange(values: number[]): string {
  return values.length <= 3 ? values.join(', ') : `${values[0]} to ${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}
