import { IConstruct } from 'constructs';
import { ComplianceReport, ContainerPlatformChecks, ContainerPlatformChecksProps } from '../../lib';

/** The unacknowledged ContainerPlatform findings on a scope, as `<rule id> <construct path>`, sorted. */
export function platformFindings(scope: IConstruct, props?: ContainerPlatformChecksProps): string[] {
  return ComplianceReport.check(scope, [new ContainerPlatformChecks(undefined, props)]).findings.map((f) => `${f.ruleId} ${f.path}`).sort();
}

/** The findings of one rule (its id and any finding-level ids such as `ContainerPlatform-ECS1[Container::web]`). */
export function findingsOf(scope: IConstruct, ruleId: string, props?: ContainerPlatformChecksProps): string[] {
  return platformFindings(scope, props).filter((f) => f === ruleId || f.startsWith(`${ruleId} `) || f.startsWith(`${ruleId}[`));
}
