import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel } from '../lazy-nag';
import { PlatformRule } from './platform-rule';
import { isKnown, judge, possibleAt } from './possible-values';
import { checkContainers } from './task-containers';

/** ECS2: every container names a user other than root. */
export const ECS2_NON_ROOT_USER: PlatformRule = {
  id: 'ECS2',
  statement: 'Every container of the ECS task definition sets `User` to a user other than root: uid 0 in any spelling (`0`, `00`, `+0`, `-0`, `0:0`, `0:<gid>`), `root`, `root:<group>`, surrounding spaces ignored; an absent or empty `User` (or an empty user part, `:1000`) is non-compliant because most images default to root, as is a user part only known at deploy time.',
  info: 'A container of the ECS task definition runs as root or does not name its user.',
  explanation: 'Root in a container is root on the host after a container escape, and can write anywhere in its own filesystem. Set user: \'1000:1000\' (or a named user the image defines) on the container definition.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => judge(possibleAt(c, 'User', node), (user) => {
    if (typeof user !== 'string' && typeof user !== 'number') {
      return false;
    }
    // `user`, `user:group`, `uid` or `uid:gid`: only the user part decides; a group of 0 is not root.
    const name = String(user).split(':')[0].trim();
    // The runtime reads a user it cannot find in /etc/passwd as a number the way Go's strconv.Atoi
    // does (runc, libcontainer/user), which takes a sign: `+0` and `-0` are uid 0.
    // A user part only known at deploy time (a parameter without default inside Fn::Sub) may be root.
    return name !== '' && isKnown(name) && name !== 'root' && !/^[+-]?0+$/.test(name);
  })),
};
