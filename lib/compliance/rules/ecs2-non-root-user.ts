import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { PlatformRule } from './platform-rule';
import { checkContainers, ContainerVerdict } from './task-containers';

/** The user part of `user`, `user:group`, `uid` or `uid:gid` that means root. */
const ROOT_USERS = ['root', '0'];

/** ECS2: every container names a user other than root. */
export const ECS2_NON_ROOT_USER: PlatformRule = {
  id: 'ECS2',
  statement: 'Every container of the ECS task definition sets `User` to a user other than root (`root`, `0`, `0:<gid>`); an absent `User` is non-compliant because most images default to root.',
  info: 'A container of the ECS task definition runs as root or does not name its user.',
  explanation: 'Root in a container is root on the host after a container escape, and can write anywhere in its own filesystem. Set user: \'1000:1000\' (or a named user the image defines) on the container definition.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => {
    if (c.User === undefined) {
      return ContainerVerdict.NON_COMPLIANT;
    }
    if (typeof c.User !== 'string') {
      return ContainerVerdict.UNKNOWN;
    }
    const user = c.User.split(':')[0].trim();
    return user === '' || ROOT_USERS.includes(user) ? ContainerVerdict.NON_COMPLIANT : ContainerVerdict.COMPLIANT;
  }),
};
