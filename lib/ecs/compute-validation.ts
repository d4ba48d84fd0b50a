import { Token } from 'aws-cdk-lib';
import { CapacityKind, CapacityStrategyEntry } from './cluster-capacity';

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
/** CreateService limits of a capacity provider strategy item: base 0-100000, weight 0-1000, up to 20 items. */
const MAX_BASE = 100000;
const MAX_WEIGHT = 1000;
const MAX_STRATEGY_ENTRIES = 20;

/**
 * Checks a capacity provider strategy as CreateService would, at synth: one kind of capacity, each
 * provider once, at most one base, some weight. Module-private helper of ServiceCompute.
 */
export function validateStrategy(strategy: CapacityStrategyEntry[]): CapacityKind {
  if (strategy.length === 0 || strategy.length > MAX_STRATEGY_ENTRIES) {
    throw new Error(`strategy: a capacity provider strategy has 1 to ${MAX_STRATEGY_ENTRIES} entries, got ${strategy.length}; name at least one capacity, e.g. cluster.fargate`);
  }
  const kinds = [...new Set(strategy.map((e) => e.capacity.kind))];
  if (kinds.length > 1) {
    throw new Error(`strategy: a service's tasks run under one task definition, so its providers must be of one kind, got ${kinds.join(' and ')}; split the service, or use providers of one kind`);
  }
  const names = strategy.map((e) => e.capacity.capacityProviderName).filter((n) => !Token.isUnresolved(n));
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) {
    throw new Error(`strategy: each capacity provider may appear once, got ${repeated} twice; merge the entries`);
  }
  for (const e of strategy) {
    checkWholeNumber('strategy base', e.base ?? 0, 0, MAX_BASE);
    checkWholeNumber('strategy weight', e.weight ?? 1, 0, MAX_WEIGHT);
  }
  const withBase = strategy.filter((e) => (e.base ?? 0) !== 0);
  if (withBase.length > 1) {
    throw new Error(`strategy: only one capacity provider of a strategy may have a base, got bases on ${withBase.map((e) => e.capacity.capacityProviderName).join(', ')}; keep the base on one (e.g. on-demand)`);
  }
  const weights = strategy.map((e) => e.weight ?? 1);
  if (weights.every((w) => !Token.isUnresolved(w) && w === 0)) {
    throw new Error('strategy: every weight is 0, so no task could be placed above the base, got weights of 0 only; give one provider a weight of at least 1');
  }
  return kinds[0];
}

/** JavaScript callers can pass any key; these only make sense on EC2, so say where they belong. */
export function rejectEc2OnlyOptions(options: Record<string, unknown>, where: string = 'Fargate'): void {
  const strategies = options.placementStrategies as unknown[] | undefined;
  if (strategies !== undefined && strategies.length > 0) {
    throw new Error(`placementStrategies: ${where} places tasks itself and takes no placement strategies, got ${strategies.length}; use ServiceCompute.ec2 or an EC2 capacity of the cluster, or drop them`);
  }
  const constraints = options.placementConstraints as unknown[] | undefined;
  if (constraints !== undefined && constraints.length > 0) {
    throw new Error(`placementConstraints: ${where} takes no placement constraints, got ${constraints.length}; use ServiceCompute.ec2 or an EC2 capacity of the cluster, or drop them`);
  }
  if (options.daemon === true) {
    throw new Error(`daemon: ${where} has no instances of the cluster's own to run one task on each, got daemon: true; use ServiceCompute.ec2({ instanceType, daemon: true }) or an EC2 capacity of the cluster`);
  }
}

export function validateFargateSize(cpu: number, memory: number): void {
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

/** Fails on a literal that is not a whole number in [min, max]; the message suggests `example` when given. */
export function checkWholeNumber(prop: string, value: number, min: number, max: number, example?: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new Error(`${prop}: must be a whole number from ${min} to ${max}, got ${value}; ${example === undefined ? 'pick a value in that range' : `e.g. ${example}`}`);
  }
}

export function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) {
    values.push(v);
  }
  return values;
}

export function describeRange(values: number[]): string {
  return values.length <= 3 ? values.join(', ') : `${values[0]} to ${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}
