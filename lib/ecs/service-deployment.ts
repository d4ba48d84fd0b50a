import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/** Replace tasks only once new ones are healthy: no capacity is lost during a rolling deployment. */
const DEFAULT_MIN_HEALTHY_PERCENT = 100;
/** Room for a full second set of tasks while the old ones still serve. */
const DEFAULT_MAX_HEALTHY_PERCENT = 200;
/** Time the new revision serves all traffic, watched by the alarms, before the old one is removed. */
const DEFAULT_BAKE_TIME = Duration.minutes(10);
/** Canary: 10% of traffic to the new revision first (ECS accepts 0.1 to 100 in steps of 0.1). */
const DEFAULT_CANARY_PERCENT = 10;
/** Linear: 20% more traffic per step, five steps (ECS accepts 3 to 100 in steps of 0.1). */
const DEFAULT_LINEAR_PERCENT = 20;
/** Time between traffic steps, for the alarms to see the new revision under load. */
const DEFAULT_STEP_BAKE_TIME = Duration.minutes(5);
/** Traffic-shifting deployments start a full green set beside the blue one. */
const FULL_CAPACITY = { minHealthyPercent: DEFAULT_MIN_HEALTHY_PERCENT, maxHealthyPercent: DEFAULT_MAX_HEALTHY_PERCENT };
/** ECS's limit on bake and step times: 1440 minutes. */
const MAX_BAKE_MINUTES = 1440;

/** Options shared by every deployment choice. */
export interface DeploymentAlarmsOptions {
  /**
   * Alarms whose ALARM state during a deployment rolls it back, in addition to the default ones.
   * @default - none besides the defaults
   */
  readonly alarms?: cloudwatch.IAlarm[];

  /**
   * Create alarms on the target groups (5XX responses of the targets, unhealthy targets) that roll a deployment back.
   * @default - true for blue/green, canary and linear; false for rolling (the circuit breaker watches task health)
   */
  readonly defaultAlarms?: boolean;
}

/** Options of {@link ServiceDeployment.rolling}. */
export interface RollingDeploymentOptions extends DeploymentAlarmsOptions {
  /**
   * Tasks that must stay healthy during a deployment, in percent of the desired count. Below 100 the service loses capacity while it deploys.
   * @default 100
   */
  readonly minHealthyPercent?: number;

  /**
   * Tasks allowed during a deployment, in percent of the desired count.
   * @default 200
   */
  readonly maxHealthyPercent?: number;
}

/** Options of {@link ServiceDeployment.blueGreen}. */
export interface BlueGreenDeploymentOptions extends DeploymentAlarmsOptions {
  /**
   * How long the new revision serves all traffic before the old one is stopped; alarms can still roll back.
   * @default Duration.minutes(10)
   */
  readonly bakeTime?: Duration;
}

/** Options of {@link ServiceDeployment.canary} and {@link ServiceDeployment.linear}. */
export interface TrafficShiftDeploymentOptions extends BlueGreenDeploymentOptions {
  /**
   * Percent of production traffic per step: the canary's share, or each linear increment.
   * @default - 10 for canary, 20 for linear
   */
  readonly stepPercent?: number;

  /**
   * Time between traffic steps.
   * @default Duration.minutes(5)
   */
  readonly stepBakeTime?: Duration;
}

/**
 * How a new task definition revision replaces the running one. Every choice uses ECS's own
 * deployment controller with the circuit breaker and rollback on.
 */
export class ServiceDeployment {
  /** Replace tasks in place; the circuit breaker rolls back a deployment whose tasks do not become healthy. */
  public static rolling(options: RollingDeploymentOptions = {}): ServiceDeployment {
    const min = options.minHealthyPercent ?? DEFAULT_MIN_HEALTHY_PERCENT;
    const max = options.maxHealthyPercent ?? DEFAULT_MAX_HEALTHY_PERCENT;
    checkPercent('minHealthyPercent', min, 0, 100);
    checkPercent('maxHealthyPercent', max, 100, 200);
    return new ServiceDeployment(ecs.DeploymentStrategy.ROLLING, options.alarms ?? [], options.defaultAlarms ?? false, {
      minHealthyPercent: min,
      maxHealthyPercent: max,
    });
  }

  /** ECS-native blue/green: a full green set of tasks behind a second target group, then all traffic at once. */
  public static blueGreen(options: BlueGreenDeploymentOptions = {}): ServiceDeployment {
    return new ServiceDeployment(ecs.DeploymentStrategy.BLUE_GREEN, options.alarms ?? [], options.defaultAlarms ?? true, {
      ...FULL_CAPACITY,
      bakeTime: checkBake('bakeTime', options.bakeTime ?? DEFAULT_BAKE_TIME),
    });
  }

  /** ECS-native canary: `stepPercent` of traffic to the new revision, then the rest after `stepBakeTime`. */
  public static canary(options: TrafficShiftDeploymentOptions = {}): ServiceDeployment {
    const step = options.stepPercent ?? DEFAULT_CANARY_PERCENT;
    checkStep(step, 0.1);
    return new ServiceDeployment(ecs.DeploymentStrategy.CANARY, options.alarms ?? [], options.defaultAlarms ?? true, {
      ...FULL_CAPACITY,
      bakeTime: checkBake('bakeTime', options.bakeTime ?? DEFAULT_BAKE_TIME),
      stepPercent: step,
      stepBakeTime: checkBake('stepBakeTime', options.stepBakeTime ?? DEFAULT_STEP_BAKE_TIME),
    });
  }

  /** ECS-native linear: traffic moves in equal `stepPercent` increments, `stepBakeTime` apart. */
  public static linear(options: TrafficShiftDeploymentOptions = {}): ServiceDeployment {
    const step = options.stepPercent ?? DEFAULT_LINEAR_PERCENT;
    checkStep(step, 3);
    return new ServiceDeployment(ecs.DeploymentStrategy.LINEAR, options.alarms ?? [], options.defaultAlarms ?? true, {
      ...FULL_CAPACITY,
      bakeTime: checkBake('bakeTime', options.bakeTime ?? DEFAULT_BAKE_TIME),
      stepPercent: step,
      stepBakeTime: checkBake('stepBakeTime', options.stepBakeTime ?? DEFAULT_STEP_BAKE_TIME),
    });
  }

  /** The ECS deployment strategy. */
  public readonly strategy: ecs.DeploymentStrategy;
  /** Alarms the caller supplied. */
  public readonly alarms: cloudwatch.IAlarm[];
  /** Whether the service creates its default rollback alarms. */
  public readonly defaultAlarms: boolean;
  /** Tasks that stay healthy during a deployment, in percent of the desired count. */
  public readonly minHealthyPercent?: number;
  /** Tasks allowed during a deployment, in percent of the desired count. */
  public readonly maxHealthyPercent?: number;
  /** Bake time after all traffic has moved (blue/green, canary, linear). */
  public readonly bakeTime?: Duration;
  /** Traffic percent per step (canary, linear). */
  public readonly stepPercent?: number;
  /** Time between steps (canary, linear). */
  public readonly stepBakeTime?: Duration;

  private constructor(strategy: ecs.DeploymentStrategy, alarms: cloudwatch.IAlarm[], defaultAlarms: boolean, settings: DeploymentSettings) {
    this.strategy = strategy;
    this.alarms = alarms;
    this.defaultAlarms = defaultAlarms;
    this.minHealthyPercent = settings.minHealthyPercent;
    this.maxHealthyPercent = settings.maxHealthyPercent;
    this.bakeTime = settings.bakeTime;
    this.stepPercent = settings.stepPercent;
    this.stepBakeTime = settings.stepBakeTime;
  }

  /** Whether traffic moves between two target groups (blue/green, canary, linear). */
  public get shiftsTraffic(): boolean {
    return this.strategy !== ecs.DeploymentStrategy.ROLLING;
  }
}

interface DeploymentSettings {
  readonly minHealthyPercent?: number;
  readonly maxHealthyPercent?: number;
  readonly bakeTime?: Duration;
  readonly stepPercent?: number;
  readonly stepBakeTime?: Duration;
}

function checkPercent(prop: string, value: number, min: number, max: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new Error(`${prop}: must be a whole percentage from ${min} to ${max}, got ${value}; e.g. ${prop === 'minHealthyPercent' ? DEFAULT_MIN_HEALTHY_PERCENT : DEFAULT_MAX_HEALTHY_PERCENT}`);
  }
}

function checkStep(value: number, min: number): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  const tenths = Math.round(value * 10);
  if (value < min || value > 100 || Math.abs(tenths - value * 10) > 1e-9) {
    throw new Error(`stepPercent: ECS takes ${min} to 100 in steps of 0.1 here, got ${value}; e.g. ${min === 3 ? DEFAULT_LINEAR_PERCENT : DEFAULT_CANARY_PERCENT}`);
  }
}

function checkBake(prop: string, value: Duration): Duration {
  if (value.isUnresolved()) {
    return value;
  }
  const minutes = value.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_BAKE_MINUTES) {
    throw new Error(`${prop}: ECS takes whole minutes from 0 to ${MAX_BAKE_MINUTES}, got ${value.toHumanString()}; e.g. Duration.minutes(10)`);
  }
  return value;
}
