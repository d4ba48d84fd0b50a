import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/** Which kind of capacity runs the tasks. */
export enum ComputeType {
  /** Serverless tasks on AWS Fargate. */
  FARGATE = 'FARGATE',
  /** Tasks on EC2 instances of an Auto Scaling group owned by the service. */
  EC2 = 'EC2',
  /** Tasks on capacity providers a cluster owns (`ContainerCluster`), chosen by a capacity provider strategy. */
  CAPACITY_PROVIDERS = 'CAPACITY_PROVIDERS',
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
   * DAEMON scheduling: one task on every container instance of this service's own Auto Scaling group
   * instead of a desired count (REPLICA). A `memberOf` constraint on the attribute the group's instances
   * carry keeps the tasks off other capacity of a shared cluster.
   * @default false
   */
  readonly daemon?: boolean;
}

/** Options of {@link ServiceCompute.capacity}: the task's size and placement on capacity it does not own. */
export interface CapacityComputeOptions {
  /**
   * Task CPU in units (1024 = one vCPU). On Fargate one of 256, 512, 1024, 2048, 4096, 8192 or 16384.
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Task memory in MiB (on Fargate a valid pair with `cpu`; on EC2 a hard limit of the container).
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * The CPU architecture of Fargate tasks. EC2 and Managed Instances tasks run on whatever their instances are.
   * @default - ecs.CpuArchitecture.ARM64 on Fargate, X86_64 when the strategy names FARGATE_SPOT
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * The Fargate platform version (Fargate capacity only).
   * @default ecs.FargatePlatformVersion.LATEST
   */
  readonly platformVersion?: ecs.FargatePlatformVersion;

  /**
   * DAEMON scheduling: one task on every container instance of the capacity the strategy's one entry names
   * (EC2 capacity only). A DAEMON service takes no capacity provider strategy; it is held to that capacity
   * by a `memberOf` placement constraint on the attribute its instances carry (`IClusterCapacity.instanceAttribute`),
   * added to `placementConstraints`. Capacity without that attribute (imported without `instanceAttribute`)
   * gets a task on every EC2 container instance of the cluster, and synth warns.
   * @default false
   */
  readonly daemon?: boolean;

  /**
   * How tasks are placed across instances (EC2 capacity only, not with `daemon`).
   * @default - spread across availability zones, then binpack on memory
   */
  readonly placementStrategies?: ecs.PlacementStrategy[];

  /**
   * Rules that limit which instances may run tasks (EC2 capacity only).
   * @default - none
   */
  readonly placementConstraints?: ecs.PlacementConstraint[];
}
