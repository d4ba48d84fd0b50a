import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties } from './platform-rule';
import { possibleElements, UNKNOWN, Verdict } from './possible-values';

/**
 * What a container-level check says about one container definition: COMPLIANT, NON_COMPLIANT, or
 * UNKNOWN when only deploy-time references were there to judge.
 */
export const ContainerVerdict = Verdict;
export type ContainerVerdict = Verdict;

/**
 * Runs a check over every container of an `AWS::ECS::TaskDefinition` (of every branch, when the list
 * is an `Fn::If`) and reports one finding per failing container, `Container::<name>` (or
 * `Container::#<index>` when the name is a token), so a sidecar that must break a rule can be
 * acknowledged without silencing the application container.
 */
export function checkContainers(node: CfnResource, check: (container: Record<string, any>) => Verdict | string[]): NagRuleResult {
  if (!appliesTo(node, 'AWS::ECS::TaskDefinition')) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  // A container list nothing at synth can know (a parameter) has no container to judge.
  const containers = possibleElements(cfnProperties(node).ContainerDefinitions, node).filter((c) => c !== UNKNOWN);
  const findings = new Set<string>();
  let known = false;
  containers.forEach((container: any, index) => {
    const label = typeof container?.Name === 'string' ? container.Name : `#${index}`;
    const result = check(container ?? {});
    if (Array.isArray(result)) {
      known = true;
      result.forEach((detail) => findings.add(`Container::${label}::${detail}`));
    } else if (result === Verdict.NON_COMPLIANT) {
      known = true;
      findings.add(`Container::${label}`);
    } else if (result === Verdict.COMPLIANT) {
      known = true;
    }
  });
  if (findings.size > 0) {
    return [...findings];
  }
  return known ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}
