import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';

/** ECR3: a lifecycle policy with at least one rule expires old images. */
export const ECR3_LIFECYCLE_POLICY: PlatformRule = {
  id: 'ECR3',
  statement: 'The ECR repository has a lifecycle policy with at least one rule (a policy text only known at deploy time counts).',
  info: 'The ECR repository has no lifecycle policy.',
  explanation: 'Without a lifecycle policy images pile up to the 20,000-image limit, old vulnerable images stay pullable and storage costs grow. Add lifecycle rules (ContainerRepository expires untagged images and caps the count).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ECR::Repository')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const text = cfnProperties(node).LifecyclePolicy?.LifecyclePolicyText;
    if (text === undefined) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    if (typeof text !== 'string') {
      return NagRuleCompliance.COMPLIANT;
    }
    try {
      const rules = JSON.parse(text).rules;
      return Array.isArray(rules) && rules.length > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    } catch {
      // Not JSON: CloudFormation would reject it, so it expires nothing.
      return NagRuleCompliance.NON_COMPLIANT;
    }
  },
};
