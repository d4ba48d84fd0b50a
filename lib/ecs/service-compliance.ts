import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { findingArn } from '../compliance/finding-arn';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';

/** Default rollback alarms: more than this many target 5XX responses per minute, two minutes in a row. */
const TARGET_5XX_THRESHOLD = 5;
/** A minute of data per evaluation: a bad deployment rolls back within minutes. */
const ALARM_PERIOD = Duration.minutes(1);

/**
 * The role ECS assumes to shift traffic in blue/green, canary and linear deployments. Its policy holds the
 * actions of the AWS managed AmazonECSInfrastructureRolePolicyForLoadBalancers (v6, edited 2026-02-12,
 * AWS Managed Policy Reference), limited to this service's listener, listener rule and target groups
 * instead of every load balancer of the account. Module-private helper of LoadBalancedService.
 */
export function createLoadBalancerRole(scope: Construct, listener: elbv2.IApplicationListener, rule: elbv2.ApplicationListenerRule,
  targetGroups: elbv2.ApplicationTargetGroup[]): iam.Role {
  const role = new ManagedPolicyRole(scope, 'LoadBalancerRole', {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    description: `Lets ECS shift listener traffic between the target groups of ${scope.node.path}`,
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ShiftTraffic', actions: ['elasticloadbalancing:ModifyListener'], resources: [listener.listenerArn] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RewriteRule', actions: ['elasticloadbalancing:ModifyRule'], resources: [rule.listenerRuleArn] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'RegisterTargets',
    actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
    resources: targetGroups.map((g) => g.targetGroupArn),
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadLoadBalancing',
    actions: [
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth',
    ],
    resources: ['*'],
  }));
  Compliance.acknowledge(role.grantsPolicy!, 'AwsSolutions-IAM5[Resource::*]', 'The Elastic Load Balancing Describe actions ECS reads listeners, rules and target health with have no resource-level permissions; every action that changes anything is limited to this service\'s listener, rule and target groups');
  return role;
}

/**
 * AwsSolutions-ECS2 reports any plain environment variable. Acknowledged only for what the service
 * puts there: the caller's `environment` (secret-looking names are rejected at synth) and AWS_REGION,
 * which aws-cdk-lib's Ec2TaskDefinition adds to every container of an awsvpc task definition. That one
 * is needed: the container instances block instance metadata for awsvpc tasks (ECS_AWSVPC_BLOCK_IMDS),
 * so an AWS SDK in the container cannot read the region from there (aws-cdk pull request 28437).
 */
export function acknowledgeEnvironment(taskDefinition: ecs.TaskDefinition, userEnvironment: boolean, regionVariable: boolean): void {
  const reasons: string[] = [];
  if (userEnvironment) {
    reasons.push('environment holds only non-secret settings: names that look like secrets (PASSWORD, SECRET, TOKEN, API_KEY, ...) are rejected at synth and belong in secrets, which ECS injects from Secrets Manager or SSM');
  }
  if (regionVariable) {
    reasons.push('AWS_REGION, the stack\'s region, is set by aws-cdk-lib on awsvpc containers on EC2: the container instances block instance metadata for awsvpc tasks (ECS_AWSVPC_BLOCK_IMDS), so AWS SDKs in the container read the region from this variable; it is not a secret');
  }
  if (reasons.length > 0) {
    Compliance.acknowledge(taskDefinition, 'AwsSolutions-ECS2', reasons.join('; '));
  }
}

/** 5XX responses of the targets and unhealthy targets, per target group: ECS rolls back on either. */
export function createDefaultAlarms(scope: Construct, groups: Array<[string, elbv2.ApplicationTargetGroup]>): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  for (const [prefix, group] of groups) {
    alarms.push(new cloudwatch.Alarm(scope, `${prefix}Target5xxAlarm`, {
      alarmDescription: `Target 5XX responses of ${group.node.path}; rolls back ECS deployments`,
      metric: group.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: ALARM_PERIOD, statistic: 'Sum' }),
      threshold: TARGET_5XX_THRESHOLD,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    alarms.push(new cloudwatch.Alarm(scope, `${prefix}UnhealthyTargetsAlarm`, {
      alarmDescription: `Unhealthy targets of ${group.node.path}; rolls back ECS deployments`,
      metric: group.metrics.unhealthyHostCount({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }
  for (const alarm of alarms) {
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security']) {
      Compliance.acknowledge(alarm, `${pack}-CloudWatchAlarmAction`, 'ECS reads this alarm\'s state during deployments and rolls back on ALARM (deployment); it notifies nobody by design. Add actions with alarm.addAlarmAction or pass your own alarms in the deployment options');
    }
  }
  return alarms;
}


/**
 * The only `Resource: *` grants the service writes are for actions without resource-level
 * permissions; anything else stays visible.
 */
export function acknowledgeWildcardGrants(scope: Construct, executionRole: iam.Role, taskRole: iam.Role, exec: boolean, execLogGroup: logs.LogGroup | undefined): void {
  const executionPolicy = (executionRole as ManagedPolicyRole).grantsPolicy;
  if (executionPolicy && hasWildcardAction(executionPolicy, 'ecr:GetAuthorizationToken')) {
    Compliance.acknowledge(executionPolicy, 'AwsSolutions-IAM5[Resource::*]', 'ecr:GetAuthorizationToken has no resource-level permission; image pulls themselves are limited to the repository');
  }
  const taskPolicy = (taskRole as ManagedPolicyRole).grantsPolicy;
  if (exec && taskPolicy) {
    Compliance.acknowledge(taskPolicy, 'AwsSolutions-IAM5[Resource::*]', 'ECS Exec (enableExecuteCommand) opens ssmmessages channels and describes log groups; those actions have no resource-level permissions');
    if (execLogGroup) {
      const logGroupId = Stack.of(scope).getLogicalId(execLogGroup.node.defaultChild as logs.CfnLogGroup);
      Compliance.acknowledge(taskPolicy, `AwsSolutions-IAM5[Resource::${findingArn(scope, 'logs', `log-group:<${logGroupId}>:*`)}]`,
        'ECS Exec (enableExecuteCommand) writes session logs to new log streams of this one log group; stream names are chosen per session, so the grant names the group\'s streams with a wildcard');
    }
  }
}

function hasWildcardAction(policy: iam.ManagedPolicy, action: string): boolean {
  const doc = Stack.of(policy).resolve(policy.document.toJSON()) as { Statement?: Array<{ Action?: string | string[]; Resource?: string | string[] }> } | undefined;
  return (doc?.Statement ?? []).some((s) => {
    const actions = ([] as string[]).concat(s.Action ?? []);
    const resources = ([] as string[]).concat(s.Resource ?? []);
    return actions.includes(action) && resources.includes('*');
  });
}
