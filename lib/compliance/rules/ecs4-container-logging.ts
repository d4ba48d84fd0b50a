import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { PlatformRule } from './platform-rule';
import { checkContainers, ContainerVerdict } from './task-containers';

/** ECS4: every container sends its output to a log driver. */
export const ECS4_CONTAINER_LOGGING: PlatformRule = {
  id: 'ECS4',
  statement: 'Every container of the ECS task definition has a `LogConfiguration` with a `LogDriver` (awslogs, awsfirelens, splunk, ...).',
  info: 'A container of the ECS task definition has no log configuration.',
  explanation: 'Without a log driver, container output is lost when the task stops (Fargate) or stays on one host (EC2): nothing to investigate an incident with. Set logging: ecs.LogDrivers.awsLogs({ ... }) on the container.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => (
    c.LogConfiguration?.LogDriver !== undefined ? ContainerVerdict.COMPLIANT : ContainerVerdict.NON_COMPLIANT
  )),
};
