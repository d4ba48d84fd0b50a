import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { isKnown, judge, possibleAt, toResult, Verdict } from './possible-values';

/** ECR3: a lifecycle policy with at least one rule expires old images. */
export const ECR3_LIFECYCLE_POLICY: PlatformRule = {
  id: 'ECR3',
  statement: 'The ECR repository has a lifecycle policy with at least one rule in every branch (a policy text only known at deploy time counts: it cannot be empty, CloudFormation would reject it).',
  info: 'The ECR repository has no lifecycle policy.',
  explanation: 'Without a lifecycle policy images pile up to the 20,000-image limit, old vulnerable images stay pullable and storage costs grow. Add lifecycle rules (ContainerRepository expires untagged images and caps the count).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ECR::Repository')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return toResult(judge(possibleAt(cfnProperties(node), 'LifecyclePolicy.LifecyclePolicyText', node), hasRules, Verdict.COMPLIANT));
  },
};

function hasRules(text: unknown): boolean {
  if (typeof text !== 'string') {
    return false;
  }
  if (!isKnown(text)) {
    // Built with parts only known at deploy time (account, region): the rules are the literal part.
    return /"rules"\s*:\s*\[\s*\{/.test(text);
  }
  try {
    const rules = JSON.parse(text).rules;
    return Array.isArray(rules) && rules.length > 0;
  } catch {
    // Not JSON: CloudFormation would reject it, so it expires nothing.
    return false;
  }
}
