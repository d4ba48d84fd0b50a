import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { LoadBalancedServiceProps } from './load-balanced-service-props';
import type { ServiceRouteOptions } from './service-load-balancer';
import { validateRouteConditions } from './validate-service-props';

/** ALB listener rule priorities are 1 to 50,000 (Elastic Load Balancing quotas). */
const MAX_RULE_PRIORITY = 50000;

const DEFAULT_HEALTH_CHECK_PATH = '/';
/** 2xx and 3xx: a redirect to a login page is a live application. */
const DEFAULT_HEALTH_CHECK_CODES = '200-399';
const DEFAULT_HEALTH_CHECK_INTERVAL = Duration.seconds(30);
/** Two passes make a target healthy: deployments move on within a minute. */
const DEFAULT_HEALTHY_THRESHOLD = 2;
const DEFAULT_UNHEALTHY_THRESHOLD = 3;
/** ALB's default of 300 s makes every deployment wait five minutes; web requests finish well within 30 s. */
const DEFAULT_DEREGISTRATION_DELAY = Duration.seconds(30);

/** The target group of a service's tasks (IP targets on the container port), with the health check defaults filled in. */
export function serviceTargetGroupProps(vpc: ec2.IVpc, containerPort: number, props: LoadBalancedServiceProps): elbv2.ApplicationTargetGroupProps {
  return {
    vpc,
    port: containerPort,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    healthCheck: {
      path: props.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH,
      healthyHttpCodes: props.healthCheckCodes ?? DEFAULT_HEALTH_CHECK_CODES,
      interval: props.healthCheckInterval ?? DEFAULT_HEALTH_CHECK_INTERVAL,
      healthyThresholdCount: props.healthyThresholdCount ?? DEFAULT_HEALTHY_THRESHOLD,
      unhealthyThresholdCount: props.unhealthyThresholdCount ?? DEFAULT_UNHEALTHY_THRESHOLD,
    },
    deregistrationDelay: props.deregistrationDelay ?? DEFAULT_DEREGISTRATION_DELAY,
  };
}

/** Rejects a priority ALB would reject. */
export function checkRulePriority(priority: number): void {
  if (!Token.isUnresolved(priority) && (!Number.isInteger(priority) || priority < 1 || priority > MAX_RULE_PRIORITY)) {
    throw new Error(`priority: listener rule priorities are whole numbers from 1 to ${MAX_RULE_PRIORITY}, got ${priority}; e.g. 100`);
  }
}

/**
 * A listener rule in `scope` (the service's stack) that forwards matching requests to a service's target
 * group(s). Shared by ServiceLoadBalancer.addRoute and services on an imported listener. Module-private.
 */
export function addServiceRoute(scope: Construct, id: string, listener: elbv2.IApplicationListener, options: ServiceRouteOptions): elbv2.ApplicationListenerRule {
  const priority = options.priority;
  checkRulePriority(priority);
  for (const path of options.pathPatterns ?? []) {
    // A request path always starts with '/', so a pattern that starts otherwise matches nothing unless it
    // starts with a wildcard ('*.png' matches every PNG; CloudFormation ListenerRule PathPatternConfig).
    if (!Token.isUnresolved(path) && (!/^[/*?]/.test(path) || path.length > 128)) {
      throw new Error(`pathPatterns: ALB path patterns start with '/' (or a wildcard) and have at most 128 characters, got '${path}'; e.g. '/api/*'`);
    }
  }
  for (const host of options.hostHeaders ?? []) {
    if (!Token.isUnresolved(host) && !/^[A-Za-z0-9*?.-]{1,128}$/.test(host)) {
      throw new Error(`hostHeaders: not a host name pattern, got '${host}'; e.g. 'api.example.com' or '*.example.com'`);
    }
  }
  validateRouteConditions(options.pathPatterns, options.hostHeaders);
  const conditions: elbv2.ListenerCondition[] = [];
  if (options.hostHeaders && options.hostHeaders.length > 0) {
    conditions.push(elbv2.ListenerCondition.hostHeaders(options.hostHeaders));
  }
  if (options.pathPatterns && options.pathPatterns.length > 0) {
    conditions.push(elbv2.ListenerCondition.pathPatterns(options.pathPatterns));
  } else if (conditions.length === 0) {
    conditions.push(elbv2.ListenerCondition.pathPatterns(['/*']));
  }
  const action = options.alternateTargetGroup
    // ECS shifts the weights between the two groups during blue/green, canary and linear deployments.
    ? elbv2.ListenerAction.weightedForward([{ targetGroup: options.targetGroup, weight: 100 }, { targetGroup: options.alternateTargetGroup, weight: 0 }])
    : elbv2.ListenerAction.forward([options.targetGroup]);
  return new elbv2.ApplicationListenerRule(scope, id, { listener, priority, conditions, action });
}
