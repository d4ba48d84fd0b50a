import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { judge, possibleAt, toResult, UNKNOWN } from './possible-values';

/** Below this, a rolling deployment stops tasks before their replacements are healthy. */
const MIN_HEALTHY_PERCENT = 100;

/** ECS8: rolling deployments of replica services never drop below full capacity. */
export const ECS8_MINIMUM_HEALTHY_PERCENT: PlatformRule = {
  id: 'ECS8',
  statement: 'A replica ECS service with the ECS (rolling) deployment controller keeps `MinimumHealthyPercent` at 100 or more (ECS\'s default for replica services when absent) in every branch, a value only known at deploy time being non-compliant; daemon, CODE_DEPLOY and EXTERNAL services are not judged.',
  info: 'The ECS service stops healthy tasks before their replacements run (minimum healthy percent below 100).',
  explanation: 'A minimum healthy percent below 100 lets every deployment remove capacity first: a traffic peak during a deployment, or a bad revision, takes the service down. Set minHealthyPercent: 100 and a maxHealthyPercent above 100.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ECS::Service')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    // Judged when any branch is a replica service deployed by the ECS controller.
    const daemon = possibleAt(props, 'SchedulingStrategy', node).every((s) => s === 'DAEMON');
    const rolling = possibleAt(props, 'DeploymentController.Type', node).some((t) => (t ?? 'ECS') === 'ECS' || t === UNKNOWN);
    if (daemon || !rolling) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return toResult(judge(possibleAt(props, 'DeploymentConfiguration.MinimumHealthyPercent', node),
      (percent) => percent === undefined || Number(percent) >= MIN_HEALTHY_PERCENT));
  },
};
