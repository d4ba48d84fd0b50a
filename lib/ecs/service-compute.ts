import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { CapacityKind, CapacityStrategyEntry } from './cluster-capacity';
import { bindCapacity, bindFargate, bindOwnEc2, ComputeBindContext, ComputeBinding } from './compute-binding';
import { checkWholeNumber, rejectEc2OnlyOptions, validateFargateSize, validateStrategy } from './compute-validation';
import { resolveEc2CapacitySettings } from './ec2-capacity';
import { CapacityComputeOptions, ComputeType, Ec2ComputeOptions, FargateComputeOptions } from './service-compute-options';
import { checkTaskFitsInstance } from './instance-sizes';
import { isFargatePlatformBefore14 } from './validate-service-props';

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

/**
 * Where the service's tasks run: `ServiceCompute.fargate()` or `ServiceCompute.ec2({ instanceType })`,
 * which create what one service needs, or `ServiceCompute.capacity([...])`, which names capacity a
 * cluster owns (`ContainerCluster`). The options are validated when the choice is made; the service
 * binds the choice, which creates the task definition and the ECS service of its kind.
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
      fargate: {
        cpu,
        memoryLimitMiB: memory,
        cpuArchitecture: architecture,
        spot,
        onDemandBase,
        spotWeight,
        platformVersion: options.platformVersion ?? ecs.FargatePlatformVersion.LATEST,
      },
    });
  }

  /** Tasks on EC2 container instances of an Auto Scaling group capacity provider with managed scaling. */
  public static ec2(options: Ec2ComputeOptions): ServiceCompute {
    const group = resolveEc2CapacitySettings(options);
    const cpu = options.cpu ?? DEFAULT_EC2_TASK_CPU;
    checkWholeNumber('cpu', cpu, 128, 196608);
    const memory = options.memoryLimitMiB ?? DEFAULT_EC2_TASK_MEMORY_MIB;
    checkWholeNumber('memoryLimitMiB', memory, 6, 1048576);
    checkTaskFitsInstance(options.instanceType, cpu, memory);
    const daemon = options.daemon ?? false;
    if (daemon && options.placementStrategies !== undefined && options.placementStrategies.length > 0) {
      throw new Error(`placementStrategies: DAEMON scheduling puts one task on every instance, so placement strategies do not apply, got ${options.placementStrategies.length}; drop placementStrategies or daemon`);
    }
    return new ServiceCompute(ComputeType.EC2, {
      ec2: {
        instanceType: group.instanceType,
        machineImage: group.machineImage,
        minInstances: group.minInstances,
        maxInstances: group.maxInstances,
        targetCapacityPercent: group.targetCapacityPercent,
        managedTerminationProtection: group.managedTerminationProtection,
        rootVolumeSizeGiB: group.rootVolumeSizeGiB,
        cpu,
        memoryLimitMiB: memory,
        placementStrategies: options.placementStrategies ?? (daemon ? [] : [
          ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE),
          ecs.PlacementStrategy.packedByMemory(),
        ]),
        placementConstraints: options.placementConstraints ?? [],
        daemon,
      },
    });
  }

  /**
   * Tasks on capacity providers a cluster owns, e.g. `ContainerCluster`'s `fargate`, `fargateSpot` or the
   * handles `addEc2Capacity` and `addManagedInstancesCapacity` return, by a capacity provider strategy
   * (base and weight per provider). The providers must be of one kind. The service runs in the cluster of
   * the capacity unless it is given one.
   */
  public static capacity(strategy: CapacityStrategyEntry[], options: CapacityComputeOptions = {}): ServiceCompute {
    const kind = validateStrategy(strategy);
    const daemon = options.daemon ?? false;
    const cpu = options.cpu ?? DEFAULT_FARGATE_CPU;
    const memory = options.memoryLimitMiB ?? DEFAULT_FARGATE_MEMORY_MIB;
    if (kind === CapacityKind.MANAGED_INSTANCES && daemon) {
      // ECS documents agents on Managed Instances as Managed Daemons (CreateDaemon, AWS::ECS::Daemon), a
      // resource of its own; no documentation found says a DAEMON service runs on Managed Instances.
      throw new Error(`daemon: a DAEMON service on Managed Instances is not supported (ECS runs one task per Managed Instance as an ECS Managed Daemon, AWS::ECS::Daemon, which this library does not create), got daemon: true on ${strategy[0].capacity.capacityProviderName}; name an EC2 capacity of the cluster (ContainerCluster.addEc2Capacity), or drop daemon`);
    }
    if (kind !== CapacityKind.EC2) {
      rejectEc2OnlyOptions(options as Record<string, unknown>, kind === CapacityKind.FARGATE ? 'Fargate' : 'Managed Instances capacity');
    }
    if (kind !== CapacityKind.FARGATE) {
      for (const [name, value] of Object.entries({ cpuArchitecture: options.cpuArchitecture, platformVersion: options.platformVersion })) {
        if (value !== undefined) {
          throw new Error(`${name}: applies to Fargate tasks only, got ${name} ${typeof value === 'string' ? value : 'set'} for ${kind} capacity; the instances decide it, so drop ${name}`);
        }
      }
    }
    if (kind === CapacityKind.FARGATE || kind === CapacityKind.MANAGED_INSTANCES) {
      // Managed Instances take Fargate's task-level sizes too (CPU and memory of the task definition).
      validateFargateSize(cpu, memory);
    } else {
      checkWholeNumber('cpu', cpu, 128, 196608);
      checkWholeNumber('memoryLimitMiB', memory, 6, 1048576);
    }
    if (daemon) {
      if (strategy.length !== 1) {
        throw new Error(`strategy: a DAEMON service runs one task on every container instance and takes no capacity provider strategy, got ${strategy.length} entries; name the one EC2 capacity it is meant for`);
      }
      if ((options.placementStrategies ?? []).length > 0) {
        throw new Error(`placementStrategies: DAEMON scheduling puts one task on every instance, so placement strategies do not apply, got ${options.placementStrategies!.length}; drop placementStrategies or daemon`);
      }
    }
    const spot = strategy.some((e) => e.capacity.spot);
    const architecture = kind === CapacityKind.FARGATE ? options.cpuArchitecture ?? (spot ? ecs.CpuArchitecture.X86_64 : ecs.CpuArchitecture.ARM64) : undefined;
    if (architecture === ecs.CpuArchitecture.ARM64 && options.platformVersion !== undefined && isFargatePlatformBefore14(options.platformVersion)) {
      throw new Error(`cpuArchitecture and platformVersion: Fargate runs ARM64 tasks from platform version 1.4.0, got ARM64 on ${options.platformVersion}; use ecs.FargatePlatformVersion.LATEST, or cpuArchitecture: ecs.CpuArchitecture.X86_64`);
    }
    return new ServiceCompute(ComputeType.CAPACITY_PROVIDERS, {
      kind,
      strategy: [...strategy],
      capacity: {
        cpu,
        memoryLimitMiB: memory,
        cpuArchitecture: architecture,
        platformVersion: kind === CapacityKind.FARGATE ? options.platformVersion ?? ecs.FargatePlatformVersion.LATEST : undefined,
        daemon,
        placementStrategies: kind !== CapacityKind.EC2 ? undefined : options.placementStrategies ?? (daemon ? [] : [
          ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE),
          ecs.PlacementStrategy.packedByMemory(),
        ]),
        placementConstraints: kind !== CapacityKind.EC2 ? undefined : options.placementConstraints ?? [],
      },
    });
  }

  /** Fargate, EC2 capacity of the service's own, or capacity providers of the cluster. */
  public readonly type: ComputeType;
  /** The resolved Fargate options (every default filled in), when `type` is FARGATE. */
  public readonly fargateOptions?: FargateComputeOptions;
  /** The resolved EC2 options (every default filled in), when `type` is EC2. */
  public readonly ec2Options?: Ec2ComputeOptions;
  /** The capacity provider strategy, when `type` is CAPACITY_PROVIDERS. */
  public readonly capacityStrategy?: CapacityStrategyEntry[];
  /** The kind of the strategy's providers, when `type` is CAPACITY_PROVIDERS. */
  public readonly capacityKind?: CapacityKind;
  /** The resolved task options (every default filled in), when `type` is CAPACITY_PROVIDERS. */
  public readonly capacityOptions?: CapacityComputeOptions;

  private constructor(type: ComputeType, choice: ComputeChoice) {
    this.type = type;
    this.fargateOptions = choice.fargate;
    this.ec2Options = choice.ec2;
    this.capacityStrategy = choice.strategy;
    this.capacityKind = choice.kind;
    this.capacityOptions = choice.capacity;
  }

  /** Whether tasks are scheduled as DAEMON (one per instance) rather than REPLICA. */
  public get daemon(): boolean {
    return this.ec2Options?.daemon ?? this.capacityOptions?.daemon ?? false;
  }

  /**
   * The cluster the capacity belongs to, when every provider of a `capacity` strategy names the same one.
   * @internal
   */
  public _capacityCluster(): ecs.ICluster | undefined {
    const clusters = [...new Set((this.capacityStrategy ?? []).map((e) => e.capacity.cluster).filter((c) => c !== undefined))];
    return clusters.length === 1 ? clusters[0] : undefined;
  }

  /**
   * Create the task definition of this kind of compute under `scope`; the service then creates the ECS
   * service through the binding, once its other parts exist.
   * @internal
   */
  public _bind(scope: Construct, context: ComputeBindContext): ComputeBinding {
    if (this.type === ComputeType.FARGATE) {
      return bindFargate(scope, this.fargateOptions!, context);
    }
    if (this.type === ComputeType.EC2) {
      return bindOwnEc2(scope, this.ec2Options!, context);
    }
    return bindCapacity(scope, this.capacityKind!, this.capacityStrategy!, this.capacityOptions!, context);
  }
}


/** The parts of a choice; one of fargate, ec2 or strategy is set. */
interface ComputeChoice {
  readonly fargate?: FargateComputeOptions;
  readonly ec2?: Ec2ComputeOptions;
  readonly kind?: CapacityKind;
  readonly strategy?: CapacityStrategyEntry[];
  readonly capacity?: CapacityComputeOptions;
}
