import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ComputeType, ContainerInstanceImage, ServiceCompute } from '../../lib';

const M7G_LARGE = ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE);

describe('ServiceCompute.fargate', () => {
  test('defaults to the smallest ARM64 task on on-demand Fargate', () => {
    const compute = ServiceCompute.fargate();
    expect(compute.type).toBe(ComputeType.FARGATE);
    expect(compute.fargateOptions).toMatchObject({ cpu: 256, memoryLimitMiB: 512, cpuArchitecture: ecs.CpuArchitecture.ARM64, spot: false });
    expect(compute.daemon).toBe(false);
  });

  test('runs a Spot mix on X86_64 with one on-demand task as base and three Spot tasks per on-demand one', () => {
    expect(ServiceCompute.fargate({ spot: true }).fargateOptions).toMatchObject({ cpuArchitecture: ecs.CpuArchitecture.X86_64, onDemandBase: 1, spotWeight: 3 });
  });

  test.each([[256, 2048], [1024, 8192], [4096, 30720], [8192, 61440], [16384, 122880]])('accepts the valid pair cpu %d / memory %d', (cpu, memoryLimitMiB) => {
    expect(ServiceCompute.fargate({ cpu, memoryLimitMiB }).fargateOptions?.memoryLimitMiB).toBe(memoryLimitMiB);
  });

  test('fails when the cpu/memory pair is not a Fargate size', () => {
    expect(() => ServiceCompute.fargate({ cpu: 256, memoryLimitMiB: 4096 })).toThrow(/memoryLimitMiB: 4096 MiB is not a valid Fargate size with cpu 256.*use 512, 1024, 2048 MiB/);
  });

  test('fails when ARM64 tasks, by default or explicitly, meet a platform version before 1.4.0', () => {
    expect(() => ServiceCompute.fargate({ platformVersion: ecs.FargatePlatformVersion.VERSION1_3 }))
      .toThrow(/cpuArchitecture and platformVersion: Fargate runs ARM64 tasks from platform version 1.4.0, got ARM64 \(the default\) on 1.3.0; use ecs.FargatePlatformVersion.LATEST/);
    expect(() => ServiceCompute.fargate({ cpuArchitecture: ecs.CpuArchitecture.ARM64, platformVersion: ecs.FargatePlatformVersion.VERSION1_0 }))
      .toThrow(/cpuArchitecture and platformVersion: .*got ARM64 on 1.0.0/);
  });

  test('accepts X86_64 on an old platform version and ARM64 on 1.4.0', () => {
    expect(ServiceCompute.fargate({ cpuArchitecture: ecs.CpuArchitecture.X86_64, platformVersion: ecs.FargatePlatformVersion.VERSION1_3 }).fargateOptions?.platformVersion).toBe('1.3.0');
    expect(ServiceCompute.fargate({ platformVersion: ecs.FargatePlatformVersion.VERSION1_4 }).fargateOptions?.cpuArchitecture).toBe(ecs.CpuArchitecture.ARM64);
  });

  test('fails when cpu is not a Fargate cpu value', () => {
    expect(() => ServiceCompute.fargate({ cpu: 300 })).toThrow(/cpu: Fargate tasks take .*got 300/);
  });

  test('runs ARM64 tasks on Fargate Spot when asked (Graviton Spot capacity)', () => {
    expect(ServiceCompute.fargate({ spot: true, cpuArchitecture: ecs.CpuArchitecture.ARM64 }).fargateOptions).toMatchObject({ spot: true, cpuArchitecture: ecs.CpuArchitecture.ARM64 });
  });

  test('fails when the Spot mix is shaped without spot', () => {
    expect(() => ServiceCompute.fargate({ onDemandBase: 2 })).toThrow(/onDemandBase and spotWeight: .*without spot; set spot: true/);
  });

  test('fails when onDemandBase is negative', () => {
    expect(() => ServiceCompute.fargate({ spot: true, onDemandBase: -1 })).toThrow(/onDemandBase: must be a whole number from 0/);
  });

  test('fails when placement strategies are given to Fargate', () => {
    const options = { placementStrategies: [ecs.PlacementStrategy.packedByMemory()] } as any;
    expect(() => ServiceCompute.fargate(options)).toThrow(/placementStrategies: Fargate places tasks itself.*use ServiceCompute.ec2/);
  });

  test('fails when placement constraints are given to Fargate', () => {
    const options = { placementConstraints: [ecs.PlacementConstraint.distinctInstances()] } as any;
    expect(() => ServiceCompute.fargate(options)).toThrow(/placementConstraints: Fargate takes no placement constraints/);
  });

  test('fails when DAEMON scheduling is asked of Fargate', () => {
    expect(() => ServiceCompute.fargate({ daemon: true } as any)).toThrow(/daemon: Fargate has no instances.*ServiceCompute.ec2/);
  });
});

describe('ServiceCompute.ec2', () => {
  test('defaults to AL2023, two to six instances, full managed scaling, no termination protection, spread then binpack', () => {
    const o = ServiceCompute.ec2({ instanceType: M7G_LARGE }).ec2Options!;
    expect(o).toMatchObject({ machineImage: ContainerInstanceImage.AMAZON_LINUX_2023, minInstances: 2, maxInstances: 6, targetCapacityPercent: 100, managedTerminationProtection: false, rootVolumeSizeGiB: 30, daemon: false });
    expect(o.placementStrategies).toHaveLength(2);
  });

  test('takes no placement strategy for DAEMON scheduling', () => {
    const compute = ServiceCompute.ec2({ instanceType: M7G_LARGE, daemon: true });
    expect(compute.daemon).toBe(true);
    expect(compute.ec2Options?.placementStrategies).toEqual([]);
  });

  test('fails when the task needs more CPU than one instance of its type has', () => {
    expect(() => ServiceCompute.ec2({ instanceType: M7G_LARGE, cpu: 4096, memoryLimitMiB: 1024 }))
      .toThrow(/cpu and instanceType: the task needs 4096 CPU units but m7g.large has 2 vCPUs \(2048 units\), got cpu 4096; lower cpu or pick a larger instance type/);
    expect(() => ServiceCompute.ec2({ instanceType: new ec2.InstanceType('c6i.4xlarge'), cpu: 20480, memoryLimitMiB: 1024 })).toThrow(/cpu and instanceType: .*c6i.4xlarge has 16 vCPUs/);
  });

  test('fails when the task needs as much memory as one instance of its type has, or more', () => {
    expect(() => ServiceCompute.ec2({ instanceType: M7G_LARGE, memoryLimitMiB: 8192 }))
      .toThrow(/memoryLimitMiB and instanceType: the task needs 8192 MiB but m7g.large has 8192 MiB, of which ECS registers less for tasks/);
    expect(() => ServiceCompute.ec2({ instanceType: new ec2.InstanceType('t3.micro'), memoryLimitMiB: 2048 })).toThrow(/memoryLimitMiB and instanceType: .*t3.micro has 1024 MiB/);
    expect(() => ServiceCompute.ec2({ instanceType: new ec2.InstanceType('c7g.medium'), memoryLimitMiB: 4096 })).toThrow(/memoryLimitMiB and instanceType: .*c7g.medium has 2048 MiB/);
  });

  test('accepts tasks that fit, and types it does not know', () => {
    expect(ServiceCompute.ec2({ instanceType: new ec2.InstanceType('r7g.2xlarge'), cpu: 8192, memoryLimitMiB: 60000 }).ec2Options?.memoryLimitMiB).toBe(60000);
    expect(ServiceCompute.ec2({ instanceType: new ec2.InstanceType('x2gd.large'), memoryLimitMiB: 30000 }).ec2Options?.memoryLimitMiB).toBe(30000);
  });

  test('fails when minInstances exceeds maxInstances', () => {
    expect(() => ServiceCompute.ec2({ instanceType: M7G_LARGE, minInstances: 5, maxInstances: 2 })).toThrow(/minInstances and maxInstances: minInstances must not exceed maxInstances, got 5 > 2/);
  });

  test('fails when targetCapacityPercent is outside 1-100', () => {
    expect(() => ServiceCompute.ec2({ instanceType: M7G_LARGE, targetCapacityPercent: 120 })).toThrow(/targetCapacityPercent: must be a whole number from 1 to 100, got 120/);
  });

  test('fails when the root volume is smaller than the ECS-optimized AMI', () => {
    expect(() => ServiceCompute.ec2({ instanceType: M7G_LARGE, rootVolumeSizeGiB: 8 })).toThrow(/rootVolumeSizeGiB: must be a whole number from 30/);
  });

  test('fails when instanceType is a token (the AMI architecture follows from it)', () => {
    const stack = new Stack();
    const instanceType = new ec2.InstanceType(new CfnParameter(stack, 'InstanceType').valueAsString);
    expect(() => ServiceCompute.ec2({ instanceType })).toThrow(/^instanceType: the container instance AMI \(x86_64 or arm64\) follows from the instance type, so it must be known at synth, got a token/);
  });

  test('fails when placement strategies are combined with DAEMON scheduling', () => {
    expect(() => ServiceCompute.ec2({ instanceType: M7G_LARGE, daemon: true, placementStrategies: [ecs.PlacementStrategy.randomly()] })).toThrow(/placementStrategies: DAEMON scheduling puts one task on every instance/);
  });
});
