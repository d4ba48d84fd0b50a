import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * vCPUs and memory (GiB) of the instance families the task-size check knows, from the Amazon EC2 instance
 * type specifications (general purpose, compute and memory optimized), checked 2026-11. aws-cdk-lib has no
 * such table. c, m and r sizes scale linearly: `large` is 2 vCPUs, `xlarge` 4, `Nxlarge` 4N, and memory per
 * vCPU is 2, 4 and 8 GiB; Graviton (g) families also have `medium` (1 vCPU). Burstable types are listed one by one.
 */
const MEMORY_GIB_PER_VCPU: Record<string, number> = { c: 2, m: 4, r: 8 };
const LINEAR_FAMILY = /^([cmr])([5-8])([agi]?)(d?)(-flex)?$/;
const BURSTABLE_TYPES: Record<string, [number, number]> = {
  'nano': [2, 0.5], 'micro': [2, 1], 'small': [2, 2], 'medium': [2, 4], 'large': [2, 8], 'xlarge': [4, 16], '2xlarge': [8, 32],
};
const BURSTABLE_FAMILY = /^t(3|3a|4g)$/;

/**
 * A task whose CPU or memory exceeds every instance of its type is never placed: the service stays at zero
 * running tasks and the deployment fails. Memory must be below the installed memory, because ECS registers
 * the instance's memory less what the kernel and platform use (an m4.large's 8 GiB registers as 7985 MiB:
 * ECS Developer Guide, "Reserving Amazon ECS Linux container instance memory"). Unknown types are skipped.
 */
export function checkTaskFitsInstance(instanceType: ec2.InstanceType, cpu: number, memory: number): void {
  const name = instanceType.toString();
  if (Token.isUnresolved(name) || Token.isUnresolved(cpu) || Token.isUnresolved(memory)) {
    return;
  }
  const size = instanceSize(name);
  if (size === undefined) {
    return;
  }
  const [vcpus, memoryGiB] = size;
  if (cpu > vcpus * 1024) {
    throw new Error(`cpu and instanceType: the task needs ${cpu} CPU units but ${name} has ${vcpus} vCPUs (${vcpus * 1024} units), got cpu ${cpu}; lower cpu or pick a larger instance type`);
  }
  if (memory >= memoryGiB * 1024) {
    throw new Error(`memoryLimitMiB and instanceType: the task needs ${memory} MiB but ${name} has ${memoryGiB * 1024} MiB, of which ECS registers less for tasks (the OS keeps some), got memoryLimitMiB ${memory}; lower memoryLimitMiB below what the instance registers or pick a larger instance type`);
  }
}

/** [vCPUs, memory GiB] of a known instance type, else undefined. */
export function instanceSize(name: string): [number, number] | undefined {
  const [family, size] = name.split('.');
  if (size === undefined) {
    return undefined;
  }
  if (BURSTABLE_FAMILY.test(family)) {
    return BURSTABLE_TYPES[size];
  }
  const m = LINEAR_FAMILY.exec(family);
  if (!m) {
    return undefined;
  }
  const perVcpu = MEMORY_GIB_PER_VCPU[m[1]];
  let vcpus: number | undefined;
  if (size === 'medium' && m[3] === 'g') {
    vcpus = 1;
  } else if (size === 'large') {
    vcpus = 2;
  } else if (size === 'xlarge') {
    vcpus = 4;
  } else {
    const n = /^(\d+)xlarge$/.exec(size);
    vcpus = n ? Number(n[1]) * 4 : undefined;
  }
  return vcpus === undefined ? undefined : [vcpus, vcpus * perVcpu];
}

