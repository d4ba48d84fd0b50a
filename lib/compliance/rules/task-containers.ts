import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties } from './platform-rule';

/** What a container-level check says about one container definition. */
export enum ContainerVerdict {
  COMPLIANT = 'compliant',
  NON_COMPLIANT = 'non-compliant',
  /** The value is only known at deploy time. */
  UNKNOWN = 'unknown',
}

/**
 * Runs a check over every container of an `AWS::ECS::TaskDefinition` and reports one finding per
 * failing container, `Container::<name>` (or `Container::#<index>` when the name is a token), so a
 * sidecar that must break a rule can be acknowledged without silencing the application container.
 */
export function checkContainers(node: CfnResource, check: (container: Record<string, any>) => ContainerVerdict | string[]): NagRuleResult {
  if (!appliesTo(node, 'AWS::ECS::TaskDefinition')) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const containers = cfnProperties(node).ContainerDefinitions;
  if (!Array.isArray(containers)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings: string[] = [];
  let known = false;
  containers.forEach((container, index) => {
    const label = typeof container?.Name === 'string' ? container.Name : `#${index}`;
    const result = check(container ?? {});
    if (Array.isArray(result)) {
      known = true;
      findings.push(...result.map((detail) => `Container::${label}::${detail}`));
    } else if (result === ContainerVerdict.NON_COMPLIANT) {
      known = true;
      findings.push(`Container::${label}`);
    } else if (result === ContainerVerdict.COMPLIANT) {
      known = true;
    }
  });
  if (findings.length > 0) {
    return findings;
  }
  return known ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}
