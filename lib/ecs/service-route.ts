import { Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import type { ServiceRouteOptions } from './service-load-balancer';
import { validateRouteConditions } from './validate-service-props';

/** ALB listener rule priorities are 1 to 50,000 (Elastic Load Balancing quotas). */
const MAX_RULE_PRIORITY = 50000;

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
