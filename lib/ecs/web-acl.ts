import { Names, RemovalPolicy, ArnFormat, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { LogEncryptionKey } from '../compliance/log-encryption-key';
import { ServiceFirewall } from './service-firewall';

/**
 * The web ACL a ServiceLoadBalancer creates for `ServiceFirewall.managedRules()`: AWS managed rule groups,
 * an optional rate limit, and logging to a KMS-encrypted log group. Module-private.
 */
export function createWebAcl(scope: Construct, loadBalancer: elbv2.ApplicationLoadBalancer, firewall: ServiceFirewall): { webAcl: wafv2.CfnWebACL; logGroup: logs.LogGroup; key: LogEncryptionKey } {
  const options = firewall.managedRulesOptions!;
  const metricPrefix = Names.uniqueId(scope).slice(-100);
  const rules: wafv2.CfnWebACL.RuleProperty[] = (options.managedRuleGroups ?? []).map((name, i) => ({
    name,
    priority: i,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `${metricPrefix}-${name}`.slice(-128), sampledRequestsEnabled: true },
  }));
  if (options.rateLimitPerFiveMinutes !== undefined) {
    rules.push({
      name: 'RateLimitPerClient',
      priority: rules.length,
      action: { block: {} },
      statement: { rateBasedStatement: { limit: options.rateLimitPerFiveMinutes, aggregateKeyType: 'IP' } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `${metricPrefix}-RateLimit`.slice(-128), sampledRequestsEnabled: true },
    });
  }
  const webAcl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: metricPrefix, sampledRequestsEnabled: true },
    rules,
  });
  new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', { resourceArn: loadBalancer.loadBalancerArn, webAclArn: webAcl.attrArn });
  const key = new LogEncryptionKey(scope, 'WebAclLogKey', { description: `Encrypts the WAF logs of ${scope.node.path}` });
  const logGroup = new logs.LogGroup(scope, 'WebAclLogGroup', {
    // AWS WAF writes only to log groups whose name starts with 'aws-waf-logs-'.
    logGroupName: `aws-waf-logs-${Names.uniqueResourceName(scope, { maxLength: 400 })}`,
    retention: options.logRetention,
    encryptionKey: key,
    // Kept when the stack is deleted, removed when its first create rolls back: the name is fixed, so a
    // group left by a failed create would make the retry fail with 'already exists'.
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  new wafv2.CfnLoggingConfiguration(scope, 'WebAclLogging', {
    resourceArn: webAcl.attrArn,
    // WAF takes the log group ARN without the ':*' suffix that CloudFormation's Arn attribute carries.
    logDestinationConfigs: [Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  });
  return { webAcl, logGroup, key };
}
