import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel } from '../lazy-nag';
import { PlatformRule } from './platform-rule';
import { isKnown, judge, possibleAt, Verdict, worst } from './possible-values';
import { checkContainers } from './task-containers';

/**
 * Docker log drivers that keep output on the instance (json-file, local, journald) or drop it (none):
 * it is gone with the instance, and on Fargate there is no instance to read it from.
 */
const HOST_DRIVERS = ['json-file', 'local', 'journald', 'none'];

/** ECS4: every container ships its output off the instance. */
export const ECS4_CONTAINER_LOGGING: PlatformRule = {
  id: 'ECS4',
  statement: 'Every container of the ECS task definition has a `LogConfiguration` whose `LogDriver` ships logs off the instance (awslogs, awsfirelens, splunk, fluentd, gelf, or syslog with a tcp/udp `syslog-address` other than loopback); json-file, local, journald, none and syslog to the local socket or to localhost keep logs on the host or drop them; a driver only known at deploy time is non-compliant.',
  info: 'A container of the ECS task definition has no log configuration that ships its logs off the instance.',
  explanation: 'Without a log driver that ships output elsewhere, container output is lost when the task stops (Fargate) or stays on one host (EC2): nothing to investigate an incident with. Set logging: ecs.LogDrivers.awsLogs({ ... }) on the container.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => worst(...possibleAt(c, 'LogConfiguration', node).map((config) => judgeConfiguration(config, node)))),
};

function judgeConfiguration(config: unknown, node: CfnResource): Verdict {
  const drivers = possibleAt(config, 'LogDriver', node);
  // A driver name with a part only known at deploy time may be json-file.
  const verdict = judge(drivers, (driver) => typeof driver === 'string' && isKnown(driver) && !HOST_DRIVERS.includes(driver));
  if (verdict === Verdict.NON_COMPLIANT || !drivers.includes('syslog')) {
    return verdict;
  }
  // Docker's syslog driver writes to the local syslog socket unless syslog-address names a network
  // server; a loopback address is the host's own syslog daemon, the same as the socket. Docker parses
  // the address as a URL, whose scheme is case-insensitive.
  return judge(possibleAt(config, 'Options.syslog-address', node), (address) => typeof address === 'string'
    && /^(tcp|udp|tcp\+tls):\/\//i.test(address.trim())
    && !/^[a-z+]+:\/\/(localhost|127\.[0-9.]+|\[::1\]|\[0*:(0*:)*0*1\])(:|\/|$)/i.test(address.trim()));
}
