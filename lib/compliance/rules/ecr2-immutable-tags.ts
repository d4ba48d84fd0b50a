import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, isIntrinsic, PlatformRule } from './platform-rule';

/** ECR2: image tags are immutable; every tag left mutable is its own finding. */
export const ECR2_IMMUTABLE_TAGS: PlatformRule = {
  id: 'ECR2',
  statement: 'The ECR repository has `ImageTagMutability: IMMUTABLE`; under `IMMUTABLE_WITH_EXCLUSION` each excluded tag filter is a finding `ContainerPlatform-ECR2[MutableTag::<filter>]` to acknowledge on its own.',
  info: 'The ECR repository lets image tags be overwritten.',
  explanation: 'A mutable tag can point at a different image tomorrow, so a deployment cannot be reproduced or audited. Set imageTagMutability: ecr.TagMutability.IMMUTABLE (ContainerRepository does).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ECR::Repository')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    // CloudFormation's default is MUTABLE.
    const mutability = props.ImageTagMutability ?? 'MUTABLE';
    if (isIntrinsic(mutability)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (mutability === 'IMMUTABLE') {
      return NagRuleCompliance.COMPLIANT;
    }
    if (mutability === 'IMMUTABLE_WITH_EXCLUSION') {
      const filters: any[] = Array.isArray(props.ImageTagMutabilityExclusionFilters) ? props.ImageTagMutabilityExclusionFilters : [];
      const findings = filters.map((f) => `MutableTag::${typeof f?.ImageTagMutabilityExclusionFilterValue === 'string' ? f.ImageTagMutabilityExclusionFilterValue : 'unresolved'}`);
      return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
    }
    return NagRuleCompliance.NON_COMPLIANT;
  },
};
