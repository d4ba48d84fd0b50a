import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel } from '../lazy-nag';
import { PlatformRule } from './platform-rule';
import { isTrue, judge, possibleAt, possibleElementsAt, worst } from './possible-values';
import { checkContainers } from './task-containers';

/**
 * The capabilities a container may add: the Kubernetes Pod Security Standards' Baseline list
 * (kubernetes.io/docs/concepts/security/pod-security-standards, "Capabilities"), the runtime's
 * defaults without NET_RAW. Every other one (ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO,
 * DAC_READ_SEARCH, NET_ADMIN, BPF, PERFMON, ...) reaches the host kernel or other processes, a known
 * path out of the container; an allow-list also covers capabilities added to Linux later.
 */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** ECS1: no container runs privileged or adds a capability beyond the baseline. */
export const ECS1_NO_PRIVILEGED_CONTAINERS: PlatformRule = {
  id: 'ECS1',
  statement: 'No container of the ECS task definition sets `Privileged: true` or adds a Linux capability outside the Pod Security Standards Baseline list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) in `LinuxParameters.Capabilities.Add` (ALL, SYS_ADMIN, SYS_PTRACE, NET_ADMIN, BPF... amount to privileged); findings are per container, `ContainerPlatform-ECS1[Container::<name>]`.',
  info: 'A container of the ECS task definition runs privileged or adds a capability that reaches the host.',
  explanation: 'A privileged container, or one with SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH or similar capabilities, can reach the host kernel and devices: one compromise owns the instance and every task on it. Remove privileged: true and add only the Linux capabilities of the Baseline list the process needs.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => worst(
    judge(possibleAt(c, 'Privileged', node), (v) => !isTrue(v)),
    judge(possibleElementsAt(c, 'LinuxParameters.Capabilities.Add', node), baseline),
  )),
};

/** ECS takes names without the CAP_ prefix; Docker also accepts it and any case. */
function baseline(capability: unknown): boolean {
  return typeof capability === 'string' && BASELINE_CAPABILITIES.has(capability.trim().toUpperCase().replace(/^CAP_/, ''));
}
