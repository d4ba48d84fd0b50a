import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel } from '../lazy-nag';
import { PlatformRule } from './platform-rule';
import { isTrue, judge, possibleAt } from './possible-values';
import { checkContainers } from './task-containers';

/** ECS3: every container's root filesystem is read-only. */
export const ECS3_READ_ONLY_ROOT_FILESYSTEM: PlatformRule = {
  id: 'ECS3',
  statement: 'Every container of the ECS task definition sets `ReadonlyRootFilesystem: true` (writable paths come from volumes).',
  info: 'A container of the ECS task definition can write to its root filesystem.',
  explanation: 'A writable root filesystem lets an attacker drop tools and persist changes in the running container. Set readonlyRootFilesystem: true and mount a volume for the paths the process must write (e.g. /tmp).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => judge(possibleAt(c, 'ReadonlyRootFilesystem', node), isTrue)),
};
