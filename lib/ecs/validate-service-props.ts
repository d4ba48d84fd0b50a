import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { isSecretName } from '../compliance/secret-names';
import { validateLogRetention } from '../compliance/log-retention';
import { LoadBalancedServiceProps } from './load-balanced-service-props';
import { ServiceCompute } from './service-compute';
import { ComputeType } from './service-compute-options';
import { ServiceDeployment } from './service-deployment';
import { checkWholeNumber } from './compute-validation';
import { instanceSize } from './instance-sizes';

/**
 * ALB health check interval bounds, in seconds: ELB takes 5 to 300, but the interval must be longer than the
 * timeout, which the library leaves at ELB's default: 5 s for IP targets in the ALB guide ("Health checks for
 * Application Load Balancer target groups"), 6 s for HTTP in the CreateTargetGroup API reference. aws-cdk-lib
 * compares interval and timeout only when both are set, so an interval of 5 or 6 s fails at deploy.
 */
const MIN_INTERVAL_SECONDS = 7;
const MAX_INTERVAL_SECONDS = 300;
/** The container user: user, uid, user:group, uid:gid, user:gid or uid:group (ECS task definition parameters, "user"). */
const CONTAINER_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;
/** ECS service names: up to 255 letters (upper and lower case), numbers, underscores and hyphens (CreateService API reference). */
const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/**
 * ALB rule limits (ELB User Guide, "Condition types for listener rules"): up to three values per condition,
 * five per rule, and five wildcards per rule.
 */
const MAX_VALUES_PER_CONDITION = 3;
const MAX_VALUES_PER_RULE = 5;
const MAX_WILDCARDS_PER_RULE = 5;

/**
 * Fargate platform versions before 1.4.0: no ARM64 tasks, no ECS Exec, no Service Connect (ECS Developer Guide, "Fargate Linux platform versions").
 * A function: reading `ecs.FargatePlatformVersion` at import would load aws-ecs's service modules for every user of the library.
 */
const platformVersionsBefore14 = () => new Set<string>([
  ecs.FargatePlatformVersion.VERSION1_0, ecs.FargatePlatformVersion.VERSION1_1, ecs.FargatePlatformVersion.VERSION1_2, ecs.FargatePlatformVersion.VERSION1_3,
]);

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
  if (props.listener && (props.loadBalancer || props.loadBalancerOptions)) {
    throw new Error(`listener and ${props.loadBalancer ? 'loadBalancer' : 'loadBalancerOptions'}: the service attaches to one listener, got a listener and ${props.loadBalancer ? 'a shared loadBalancer' : 'options for a load balancer of its own'}; pass only listener (an imported or shared one), or drop it`);
  }
  const capacityCluster = compute._capacityCluster();
  if (capacityCluster && props.cluster && props.cluster !== capacityCluster && !sameClusterName(props.cluster, capacityCluster)) {
    throw new Error(`cluster and compute: the capacity providers belong to cluster ${capacityCluster.node.path}, got cluster ${props.cluster.node.path}; a service can only use its own cluster's providers, so drop cluster (the capacity's cluster is used) or choose that cluster's capacity`);
  }
  if (compute.type === ComputeType.CAPACITY_PROVIDERS && !props.cluster && !capacityCluster) {
    throw new Error('cluster: capacity providers named by name belong to a cluster this service cannot see, got no cluster; pass the cluster that owns them (e.g. ecs.Cluster.fromClusterAttributes)');
  }
  if (capacityCluster && props.vpc) {
    throw new Error('vpc and compute: the service runs in the VPC of its capacity\'s cluster, got vpc as well; drop vpc');
  }
  if (props.loadBalancer && props.loadBalancerOptions) {
    throw new Error('loadBalancer and loadBalancerOptions: options build the service\'s own load balancer, got a shared loadBalancer as well; configure the shared ServiceLoadBalancer where it is created, or drop loadBalancer');
  }
  checkWholeNumber('containerPort', v.containerPort, 1, 65535, 8080);
  const name = props.serviceName;
  if (name !== undefined && !Token.isUnresolved(name) && !SERVICE_NAME.test(name)) {
    throw new Error(`serviceName: ECS service names are 1 to 255 letters, digits, hyphens and underscores, got '${name}'; e.g. 'orders-api'`);
  }
  validateLogRetention('logRetention', props.logRetention);
  validateCombinations(scope, props, compute);

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
    checkWholeNumber('minTasks', v.minTasks, 0, 5000, 2);
    checkWholeNumber('maxTasks', v.maxTasks, 1, 5000, 10);
    const desired = props.desiredCount;
    if (desired !== undefined) {
      checkWholeNumber('desiredCount', desired, 0, 5000, 2);
    }
    const counts = desired === undefined ? [v.minTasks, v.maxTasks] : [v.minTasks, v.maxTasks, desired];
    if (counts.some((n) => Token.isUnresolved(n))) {
      // A CloudFormation parameter or another token: its value is known only at deploy time.
      Annotations.of(scope).addWarningV2('cdk-container-platform:taskCountsUnresolved', `minTasks, maxTasks and desiredCount: some are tokens (e.g. CfnParameter values), got ${counts.map(describeNumber).join(', ')}; their order (minTasks <= desiredCount <= maxTasks) is not checked at synth, so make sure the deployed values keep it`);
    } else {
      if (v.minTasks > v.maxTasks) {
        throw new Error(`minTasks and maxTasks: minTasks must not exceed maxTasks, got ${v.minTasks} > ${v.maxTasks}; raise maxTasks or lower minTasks`);
      }
      if (desired !== undefined && (desired < v.minTasks || desired > v.maxTasks)) {
        throw new Error(`desiredCount: must be a whole number within [minTasks, maxTasks] = [${v.minTasks}, ${v.maxTasks}], got ${desired}; auto scaling would move it there at once`);
      }
    }
    percent('cpuTargetPercent', props.cpuTargetPercent);
    percent('memoryTargetPercent', props.memoryTargetPercent);
    if (props.requestsPerTarget !== undefined) {
      checkWholeNumber('requestsPerTarget', props.requestsPerTarget, 1, 1000000, 1000);
    }
    const actionIds = new Set<string>();
    for (const action of props.scheduledScaling ?? []) {
      if (actionIds.has(action.id)) {
        // Caught here: aws-cdk-lib would fail with a construct-id clash that names no prop.
        throw new Error(`scheduledScaling: action id '${action.id}' is used twice, got it again; give each action its own id`);
      }
      actionIds.add(action.id);
      if (action.minTasks === undefined && action.maxTasks === undefined) {
        throw new Error(`scheduledScaling: action '${action.id}' changes nothing, got neither minTasks nor maxTasks; set at least one`);
      }
      if (action.minTasks !== undefined) {
        checkWholeNumber(`scheduledScaling (action '${action.id}') minTasks`, action.minTasks, 0, 5000, 2);
      }
      if (action.maxTasks !== undefined) {
        checkWholeNumber(`scheduledScaling (action '${action.id}') maxTasks`, action.maxTasks, 1, 5000, 10);
      }
      if (action.minTasks !== undefined && action.maxTasks !== undefined && !Token.isUnresolved(action.minTasks) && !Token.isUnresolved(action.maxTasks) && action.minTasks > action.maxTasks) {
        throw new Error(`scheduledScaling: action '${action.id}' has minTasks above maxTasks, got ${action.minTasks} > ${action.maxTasks}; swap or fix them`);
      }
    }
    if (deployment.minHealthyPercent !== undefined && !Token.isUnresolved(deployment.minHealthyPercent) && deployment.minHealthyPercent < 100) {
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
    const reversed = codes.split(',').find((part) => part.includes('-') && Number(part.split('-')[0]) > Number(part.split('-')[1]));
    if (reversed !== undefined) {
      throw new Error(`healthCheckCodes: a range must start at or below its end, got '${reversed}' in '${codes}'; e.g. '200-299'`);
    }
  }
  const interval = props.healthCheckInterval;
  if (interval !== undefined && !interval.isUnresolved()) {
    const seconds = interval.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
      throw new Error(`healthCheckInterval: ALB checks every ${MIN_INTERVAL_SECONDS} to ${MAX_INTERVAL_SECONDS} whole seconds here, got ${interval.toHumanString()}; the interval must exceed the target group's default health check timeout (5 or 6 seconds for HTTP target groups), so use e.g. Duration.seconds(30)`);
    }
  }
  if (props.healthyThresholdCount !== undefined) {
    checkWholeNumber('healthyThresholdCount', props.healthyThresholdCount, 2, 10, 2);
  }
  if (props.unhealthyThresholdCount !== undefined) {
    checkWholeNumber('unhealthyThresholdCount', props.unhealthyThresholdCount, 2, 10, 3);
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
  if (user !== undefined && !Token.isUnresolved(user) && !CONTAINER_USER.test(user)) {
    throw new Error(`user: ECS takes a user or uid, optionally with ':' and a group or gid, got '${user}'; e.g. '1000' or 'app:app'`);
  }
  if (user !== undefined && !Token.isUnresolved(user) && /^(0|root)(:.*)?$/.test(user)) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:rootUser', `user: the container runs as root, got '${user}'; a process that escapes the container is then root on the host (EC2) or in the task; use a non-root uid such as '1000'`);
  }
  if (props.serviceConnect && !Token.isUnresolved(props.serviceConnect.namespace) && props.serviceConnect.namespace.trim() === '') {
    throw new Error(`serviceConnect.namespace: an empty namespace name, got '${props.serviceConnect.namespace}'; name the Cloud Map namespace, e.g. 'internal.local'`);
  }
}

/** Props that are fine alone and break the service together. */
function validateCombinations(scope: Construct, props: LoadBalancedServiceProps, compute: ServiceCompute): void {
  const exec = props.enableExecuteCommand ?? false;
  if (exec && (props.readonlyRootFilesystem ?? true)) {
    // The SSM agent that ECS Exec starts inside the container writes its state and logs to the container's
    // filesystem, and crashes on a read-only root (aws/containers-roadmap issue 1359, still open; the ECS Exec
    // checker of aws-containers says ECS Exec needs readonlyRootFilesystem false).
    throw new Error(`enableExecuteCommand and readonlyRootFilesystem: ECS Exec's SSM agent must write to the container's root filesystem, got enableExecuteCommand: true with readonlyRootFilesystem: ${props.readonlyRootFilesystem === undefined ? 'true (the default)' : 'true'}; set readonlyRootFilesystem: false while you need ECS Exec (the ContainerPlatform-ECS3 finding then shows it), or drop enableExecuteCommand`);
  }
  const fargate = compute.type === ComputeType.FARGATE ? compute.fargateOptions : undefined;
  if (fargate && isFargatePlatformBefore14(fargate.platformVersion)) {
    if (exec) {
      throw new Error(`enableExecuteCommand and platformVersion: ECS Exec needs Fargate platform version 1.4.0 or later, got ${fargate.platformVersion}; use ecs.FargatePlatformVersion.LATEST or VERSION1_4, or drop enableExecuteCommand`);
    }
    if (props.serviceConnect) {
      throw new Error(`serviceConnect and platformVersion: Service Connect needs Fargate platform version 1.4.0 or later, got ${fargate.platformVersion}; use ecs.FargatePlatformVersion.LATEST or VERSION1_4, or drop serviceConnect`);
    }
  }
  if (fargate?.spot && props.cluster !== undefined && !(props.cluster instanceof ecs.Cluster)) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:spotOnImportedCluster', `compute: Fargate Spot needs the FARGATE and FARGATE_SPOT capacity providers on the cluster, got an imported cluster (${props.cluster.node.path}) this service cannot change; make sure they are associated (ecs.Cluster.enableFargateCapacityProviders where the cluster is defined), or the service fails to create`);
  }
  const ec2Options = compute.ec2Options;
  if (ec2Options && !Token.isUnresolved(ec2Options.instanceType.toString()) && instanceSize(ec2Options.instanceType.toString()) === undefined) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:instanceTypeUnknown', `instanceType: the library knows the vCPUs and memory of c, m, r (generations 5-8) and t3/t4g types only, got ${ec2Options.instanceType}; the check that the task (cpu ${ec2Options.cpu}, memoryLimitMiB ${ec2Options.memoryLimitMiB}) fits one instance was skipped, so make sure it does`);
  }
  const user = props.user ?? '1000';
  const port = props.containerPort ?? 8080;
  if (!Token.isUnresolved(user) && !Token.isUnresolved(port) && port < 1024 && !/^(0|root)(:.*)?$/.test(user)) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:privilegedPort', `containerPort: a process running as a non-root user usually cannot bind ports below 1024, got containerPort ${port} with user '${user}'; make the application listen on a port from 1024 (e.g. 8080) unless the image grants CAP_NET_BIND_SERVICE`);
  }
}

/**
 * Checks that need the resolved VPC: where tasks run and which load balancer they are behind.
 * Called by LoadBalancedService once the VPC is known.
 */
export function validateServicePlacement(props: LoadBalancedServiceProps, compute: ServiceCompute, vpc: ec2.IVpc): void {
  const selected = vpc.selectSubnets(props.vpcSubnets ?? {}).subnets;
  const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
  if (selected.length > 0 && selected.every((s) => publicIds.has(s.subnetId))) {
    // The service never assigns public IPs (FargateService assignPublicIp: false; the launch template
    // associates none), so a task or instance in a public subnet has no route out: image pulls, the ECS agent
    // and log delivery fail at run time.
    const what = compute.type === ComputeType.FARGATE ? 'Fargate tasks' : compute.type === ComputeType.EC2 ? 'EC2 container instances' : 'Tasks';
    throw new Error(`vpcSubnets: ${what} get no public IP from this library, so in public subnets they cannot reach ECR, ECS or CloudWatch Logs, got ${props.vpcSubnets === undefined ? 'the VPC\'s only (public) subnets' : 'a selection of public subnets'}; run them in private subnets (PlatformVpc's PUBLIC_AND_PRIVATE or PRIVATE_ONLY layout)`);
  }
  const shared = props.loadBalancer;
  if (shared && differentVpcs(shared.vpc, vpc)) {
    throw new Error(`loadBalancer: the shared load balancer is in another VPC than the service, got ${describeVpc(shared.vpc)} for the load balancer and ${describeVpc(vpc)} for the service; an ALB forwards only to IP targets of its own VPC, so use a load balancer of the service's VPC (or the service's cluster in the load balancer's VPC)`);
  }
}

/** Two handles of one cluster, e.g. a cluster and its import by the same literal name. */
function sameClusterName(a: ecs.ICluster, b: ecs.ICluster): boolean {
  return !Token.isUnresolved(a.clusterName) && a.clusterName === b.clusterName;
}

/** Whether two VPCs are certainly different: two VPCs created in this app, or two literal, different ids. */
function differentVpcs(a: ec2.IVpc, b: ec2.IVpc): boolean {
  if (a === b) {
    return false;
  }
  if (a instanceof ec2.Vpc && b instanceof ec2.Vpc) {
    return true;
  }
  return !Token.isUnresolved(a.vpcId) && !Token.isUnresolved(b.vpcId) && a.vpcId !== b.vpcId;
}

function describeVpc(vpc: ec2.IVpc): string {
  return Token.isUnresolved(vpc.vpcId) ? vpc.node.path : vpc.vpcId;
}

/**
 * ALB rule limits on one route's conditions; aws-cdk-lib checks none of them, and ELB rejects the rule at
 * deploy. Called by ServiceLoadBalancer.addRoute.
 */
export function validateRouteConditions(pathPatterns: string[] | undefined, hostHeaders: string[] | undefined): void {
  for (const [prop, values] of [['pathPatterns', pathPatterns ?? []], ['hostHeaders', hostHeaders ?? []]] as Array<[string, string[]]>) {
    if (values.length > MAX_VALUES_PER_CONDITION) {
      throw new Error(`${prop}: an ALB rule condition takes at most ${MAX_VALUES_PER_CONDITION} values, got ${values.length} (${values.join(', ')}); split them over several services or rules, or use a broader pattern`);
    }
    if (new Set(values).size !== values.length) {
      throw new Error(`${prop}: each value may appear once, got ${values.join(', ')}; list each once`);
    }
  }
  const all = [...(pathPatterns ?? []), ...(hostHeaders ?? [])];
  if (all.length > MAX_VALUES_PER_RULE) {
    throw new Error(`pathPatterns and hostHeaders: an ALB rule takes at most ${MAX_VALUES_PER_RULE} condition values in total, got ${all.length}; route fewer paths or hosts per rule`);
  }
  const wildcards = all.filter((v) => !Token.isUnresolved(v)).reduce((n, v) => n + (v.match(/[*?]/g) ?? []).length, 0);
  if (wildcards > MAX_WILDCARDS_PER_RULE) {
    throw new Error(`pathPatterns and hostHeaders: an ALB rule takes at most ${MAX_WILDCARDS_PER_RULE} wildcards ('*' or '?') in total, got ${wildcards} in ${all.join(', ')}; use fewer wildcards`);
  }
}

/**
 * An internet-facing load balancer needs public subnets; aws-cdk-lib's own error ("There are no 'Public'
 * subnet groups") names no prop. Called by ServiceLoadBalancer.
 */
export function validateLoadBalancerSubnets(vpc: ec2.IVpc, internetFacing: boolean, vpcSubnets: ec2.SubnetSelection | undefined): void {
  if (internetFacing && vpcSubnets === undefined && vpc.publicSubnets.length === 0) {
    throw new Error('internetFacing: an internet-facing load balancer needs public subnets, got a VPC without any (e.g. PlatformVpc\'s PRIVATE_ONLY layout); set internetFacing: false, or use a VPC with public subnets');
  }
}

function describeNumber(n: number): string {
  return Token.isUnresolved(n) ? 'a token' : `${n}`;
}


function percent(prop: string, value: number | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && (value <= 0 || value > 100)) {
    throw new Error(`${prop}: a target utilization is a percentage above 0 and at most 100, got ${value}; e.g. 70`);
  }
}

function durationWithin(prop: string, value: Duration | undefined, min: number, max: number): void {
  if (value !== undefined && !value.isUnresolved()) {
    // Not toSeconds(): it throws on a fraction of a second with a message that names no prop.
    const seconds = value.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
      throw new Error(`${prop}: must be ${min} to ${max} whole seconds, got ${value.toHumanString()}; e.g. Duration.seconds(30)`);
    }
  }
}

/** Whether a Fargate platform version is older than 1.4.0 (LATEST is not). */
export function isFargatePlatformBefore14(version: ecs.FargatePlatformVersion | undefined): boolean {
  return version !== undefined && platformVersionsBefore14().has(version);
}
