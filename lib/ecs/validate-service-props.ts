import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { isSecretName } from '../compliance/secret-names';
import { LoadBalancedServiceProps } from './load-balanced-service-props';
import { ServiceCompute } from './service-compute';
import { ServiceDeployment } from './service-deployment';

/** ALB health check interval bounds, in seconds (Elastic Load Balancing API reference). */
const MIN_INTERVAL_SECONDS = 5;
const MAX_INTERVAL_SECONDS = 300;

/** Resolved values the checks need besides the props. */
export interface ResolvedServiceValues {
  readonly containerPort: number;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/**
 * Rejects what a user would plausibly get wrong, before anything is created. Module-private helper of
 * LoadBalancedService, split out to keep that file about construction.
 */
export function validateServiceProps(scope: Construct, props: LoadBalancedServiceProps, compute: ServiceCompute, deployment: ServiceDeployment, v: ResolvedServiceValues): void {
  if (props.cluster && props.vpc) {
    throw new Error('cluster and vpc: the service runs in the cluster\'s VPC, got both; pass only cluster, or only vpc to create a cluster in it');
  }
  if (props.loadBalancer && props.loadBalancerOptions) {
    throw new Error('loadBalancer and loadBalancerOptions: options build the service\'s own load balancer, got a shared loadBalancer as well; configure the shared ServiceLoadBalancer where it is created, or drop loadBalancer');
  }
  wholeNumber('containerPort', v.containerPort, 1, 65535, 8080);

  const daemon = compute.daemon;
  if (daemon) {
    for (const [name, value] of Object.entries({ desiredCount: props.desiredCount, minTasks: props.minTasks, maxTasks: props.maxTasks, cpuTargetPercent: props.cpuTargetPercent, memoryTargetPercent: props.memoryTargetPercent, requestsPerTarget: props.requestsPerTarget })) {
      if (value !== undefined) {
        throw new Error(`${name}: a DAEMON service runs one task per container instance and has no task count to set or scale, got ${name} ${value}; drop ${name}, or use REPLICA scheduling (daemon: false)`);
      }
    }
    if (props.scheduledScaling !== undefined && props.scheduledScaling.length > 0) {
      throw new Error(`scheduledScaling: a DAEMON service has no task count to scale, got ${props.scheduledScaling.length} actions; scale the instances (minInstances, maxInstances) instead`);
    }
    if (deployment.shiftsTraffic) {
      throw new Error(`deployment: ECS blue/green, canary and linear deployments need REPLICA scheduling, got ${deployment.strategy} with daemon: true; use ServiceDeployment.rolling() or drop daemon`);
    }
  } else {
    wholeNumber('minTasks', v.minTasks, 0, 5000, 2);
    wholeNumber('maxTasks', v.maxTasks, 1, 5000, 10);
    if (!Token.isUnresolved(v.minTasks) && !Token.isUnresolved(v.maxTasks) && v.minTasks > v.maxTasks) {
      throw new Error(`minTasks and maxTasks: minTasks must not exceed maxTasks, got ${v.minTasks} > ${v.maxTasks}; raise maxTasks or lower minTasks`);
    }
    const desired = props.desiredCount;
    if (desired !== undefined && !Token.isUnresolved(desired) && (!Number.isInteger(desired) || desired < v.minTasks || desired > v.maxTasks)) {
      throw new Error(`desiredCount: must be a whole number within [minTasks, maxTasks] = [${v.minTasks}, ${v.maxTasks}], got ${desired}; auto scaling would move it there at once`);
    }
    percent('cpuTargetPercent', props.cpuTargetPercent);
    percent('memoryTargetPercent', props.memoryTargetPercent);
    if (props.requestsPerTarget !== undefined) {
      wholeNumber('requestsPerTarget', props.requestsPerTarget, 1, 1000000, 1000);
    }
    for (const action of props.scheduledScaling ?? []) {
      if (action.minTasks === undefined && action.maxTasks === undefined) {
        throw new Error(`scheduledScaling: action '${action.id}' changes nothing, got neither minTasks nor maxTasks; set at least one`);
      }
      if (action.minTasks !== undefined && action.maxTasks !== undefined && action.minTasks > action.maxTasks) {
        throw new Error(`scheduledScaling: action '${action.id}' has minTasks above maxTasks, got ${action.minTasks} > ${action.maxTasks}; swap or fix them`);
      }
    }
    if (deployment.minHealthyPercent !== undefined && deployment.minHealthyPercent < 100) {
      Annotations.of(scope).addWarningV2('cdk-container-platform:minHealthyPercentBelow100', `deployment: minHealthyPercent ${deployment.minHealthyPercent} stops tasks before their replacements are healthy, so the service loses capacity during every deployment; use 100 unless capacity is short`);
    }
  }

  const path = props.healthCheckPath;
  if (path !== undefined && !Token.isUnresolved(path) && (!path.startsWith('/') || path.length > 1024)) {
    throw new Error(`healthCheckPath: must start with '/' and have at most 1024 characters, got '${path}'; e.g. '/health'`);
  }
  const codes = props.healthCheckCodes;
  if (codes !== undefined && !Token.isUnresolved(codes)) {
    const valid = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(codes) && codes.split(/[,-]/).every((c) => Number(c) >= 200 && Number(c) <= 499);
    if (!valid) {
      throw new Error(`healthCheckCodes: ALB takes codes 200-499 as a list or ranges, got '${codes}'; e.g. '200' or '200-299'`);
    }
  }
  const interval = props.healthCheckInterval;
  if (interval !== undefined && !interval.isUnresolved()) {
    const seconds = interval.toSeconds();
    if (seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
      throw new Error(`healthCheckInterval: ALB checks every ${MIN_INTERVAL_SECONDS} to ${MAX_INTERVAL_SECONDS} seconds, got ${interval.toHumanString()}; e.g. Duration.seconds(30)`);
    }
  }
  if (props.healthyThresholdCount !== undefined) {
    wholeNumber('healthyThresholdCount', props.healthyThresholdCount, 2, 10, 2);
  }
  if (props.unhealthyThresholdCount !== undefined) {
    wholeNumber('unhealthyThresholdCount', props.unhealthyThresholdCount, 2, 10, 3);
  }
  durationWithin('healthCheckGracePeriod', props.healthCheckGracePeriod, 0, 2147483647);
  durationWithin('deregistrationDelay', props.deregistrationDelay, 0, 3600);

  for (const name of Object.keys(props.environment ?? {})) {
    if (isSecretName(name)) {
      throw new Error(`environment: '${name}' looks like a secret, and environment values are plain text in the task definition, got environment.${name}; pass it in secrets as ecs.Secret.fromSecretsManager(...) or ecs.Secret.fromSsmParameter(...)`);
    }
    if (props.secrets && name in props.secrets) {
      throw new Error(`environment and secrets: '${name}' is set in both, got it twice; keep it in secrets only`);
    }
  }
  const readonlyRoot = props.readonlyRootFilesystem ?? true;
  const writable = props.writablePaths ?? [];
  for (const p of writable) {
    if (!Token.isUnresolved(p) && (!p.startsWith('/') || p === '/')) {
      throw new Error(`writablePaths: each path must be an absolute directory other than '/', got '${p}'; e.g. '/tmp'`);
    }
  }
  if (new Set(writable).size !== writable.length) {
    throw new Error(`writablePaths: each path may appear once, got ${writable.join(', ')}; list each path once`);
  }
  if (!readonlyRoot && writable.length > 0) {
    throw new Error(`writablePaths: the root filesystem is already writable (readonlyRootFilesystem: false), got writablePaths ${writable.join(', ')}; drop writablePaths or keep the root filesystem read-only`);
  }
  const user = props.user;
  if (user !== undefined && !Token.isUnresolved(user) && /^(0|root)(:.*)?$/.test(user)) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:rootUser', `user: the container runs as root, got '${user}'; a process that escapes the container is then root on the host (EC2) or in the task; use a non-root uid such as '1000'`);
  }
  if (props.serviceConnect && !Token.isUnresolved(props.serviceConnect.namespace) && props.serviceConnect.namespace.trim() === '') {
    throw new Error('serviceConnect.namespace: an empty namespace name, got \'\'; name the Cloud Map namespace, e.g. \'internal.local\'');
  }
}

function wholeNumber(prop: string, value: number, min: number, max: number, example: number): void {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new Error(`${prop}: must be a whole number from ${min} to ${max}, got ${value}; e.g. ${example}`);
  }
}

function percent(prop: string, value: number | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && (value <= 0 || value > 100)) {
    throw new Error(`${prop}: a target utilization is a percentage above 0 and at most 100, got ${value}; e.g. 70`);
  }
}

function durationWithin(prop: string, value: Duration | undefined, min: number, max: number): void {
  if (value !== undefined && !value.isUnresolved()) {
    const seconds = value.toSeconds();
    if (seconds < min || seconds > max) {
      throw new Error(`${prop}: must be ${min} to ${max} seconds, got ${value.toHumanString()}; e.g. Duration.seconds(30)`);
    }
  }
}
