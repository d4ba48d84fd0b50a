import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { isKnown, isTrue, judge, possibleAt, possibleElementsAt, possibleValues, Verdict } from './possible-values';

/** Registry scan frequencies that scan an image before anything pulls it, or keep rescanning it. */
const SCANNING_FREQUENCIES = ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'];

/** ECR1: images are scanned on push, by the repository or by registry enhanced scanning. */
export const ECR1_SCAN_ON_PUSH: PlatformRule = {
  id: 'ECR1',
  statement: 'The ECR repository scans images on push (`ImageScanningConfiguration.ScanOnPush`), or an enhanced `AWS::ECR::RegistryScanningConfiguration` in the app scans it on push or continuously.',
  info: 'The ECR repository does not scan images on push.',
  explanation: 'Unscanned images reach production with known CVEs. Set imageScanOnPush: true (ContainerRepository does), or configure registry enhanced scanning with a filter matching the repository.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ECR::Repository')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    if (judge(possibleAt(props, 'ImageScanningConfiguration.ScanOnPush', node), isTrue) === Verdict.COMPLIANT) {
      return NagRuleCompliance.COMPLIANT;
    }
    // Every name the repository can get must be covered.
    const names = possibleValues(props.RepositoryName, node);
    return names.every((name) => registryScans(node, name)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

/**
 * Registry scanning is account-wide and often lives in another stack of the app, so the whole app is
 * searched. A repository without a literal name only matches the `*` filter; every branch of a
 * configuration must scan.
 */
function registryScans(node: CfnResource, repositoryName: unknown): boolean {
  const name = typeof repositoryName === 'string' && isKnown(repositoryName) ? repositoryName : undefined;
  for (const c of node.node.root.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || c.cfnResourceType !== 'AWS::ECR::RegistryScanningConfiguration') {
      continue;
    }
    const config = cfnProperties(c);
    if (judge(possibleAt(config, 'ScanType', c), (t) => t === 'ENHANCED') !== Verdict.COMPLIANT) {
      continue;
    }
    for (const rule of possibleElementsAt(config, 'Rules', c)) {
      if (judge(possibleAt(rule, 'ScanFrequency', c), (f) => SCANNING_FREQUENCIES.includes(f)) !== Verdict.COMPLIANT) {
        continue;
      }
      const filters = possibleElementsAt(rule, 'RepositoryFilters', c).map((f) => possibleAt(f, 'Filter', c));
      if (filters.some((branches) => branches.every((f) => typeof f === 'string' && isKnown(f) && wildcardMatches(f, name)))) {
        return true;
      }
    }
  }
  return false;
}

/** ECR's WILDCARD filter: `*` matches any characters. */
function wildcardMatches(filter: string, name: string | undefined): boolean {
  if (filter === '*') {
    return true;
  }
  if (name === undefined) {
    return false;
  }
  const pattern = filter.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}
