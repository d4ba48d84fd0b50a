import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { isIntrinsic, PlatformRule } from './platform-rule';
import { checkContainers, ContainerVerdict } from './task-containers';

/** ECS1: no container runs privileged. */
export const ECS1_NO_PRIVILEGED_CONTAINERS: PlatformRule = {
  id: 'ECS1',
  statement: 'No container of the ECS task definition sets `Privileged: true`; findings are per container, `ContainerPlatform-ECS1[Container::<name>]`.',
  info: 'A container of the ECS task definition runs privileged.',
  explanation: 'A privileged container has every capability and the host\'s devices: one compromise owns the instance and every task on it. Remove privileged: true and add only the Linux capabilities the process needs.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => {
    if (isIntrinsic(c.Privileged)) {
      return ContainerVerdict.UNKNOWN;
    }
    return c.Privileged === true || c.Privileged === 'true' ? ContainerVerdict.NON_COMPLIANT : ContainerVerdict.COMPLIANT;
  }),
};
