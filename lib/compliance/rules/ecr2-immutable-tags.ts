import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { isDeployTimeReference, isKnown, possibleAt, possibleElementsAt } from './possible-values';

/** ECR2: image tags are immutable; every tag left mutable is its own finding. */
export const ECR2_IMMUTABLE_TAGS: PlatformRule = {
  id: 'ECR2',
  statement: 'The ECR repository has `ImageTagMutability: IMMUTABLE` in every branch (a value only known at deploy time is non-compliant; a `{{resolve:ssm:...}}` reference is not judged); under `IMMUTABLE_WITH_EXCLUSION` each excluded tag filter is a finding `ContainerPlatform-ECR2[MutableTag::<filter>]` to acknowledge on its own.',
  info: 'The ECR repository lets image tags be overwritten.',
  explanation: 'A mutable tag can point at a different image tomorrow, so a deployment cannot be reproduced or audited. Set imageTagMutability: ecr.TagMutability.IMMUTABLE (ContainerRepository does).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ECR::Repository')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    const findings = new Set<string>();
    let judged = false;
    for (const mutability of possibleAt(props, 'ImageTagMutability', node)) {
      // A dynamic reference is read from a store the deployer controls at deploy time: not judged.
      if (isDeployTimeReference(mutability)) {
        continue;
      }
      judged = true;
      // CloudFormation's default is MUTABLE; MUTABLE_WITH_EXCLUSION leaves every other tag mutable.
      if (mutability === 'IMMUTABLE_WITH_EXCLUSION') {
        possibleElementsAt(props, 'ImageTagMutabilityExclusionFilters', node)
          .flatMap((f) => possibleAt(f, 'ImageTagMutabilityExclusionFilterValue', node))
          .forEach((value) => findings.add(`MutableTag::${typeof value === 'string' && isKnown(value) ? value : 'unresolved'}`));
      } else if (mutability !== 'IMMUTABLE') {
        return NagRuleCompliance.NON_COMPLIANT;
      }
    }
    if (findings.size > 0) {
      return [...findings];
    }
    return judged ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
  },
};
