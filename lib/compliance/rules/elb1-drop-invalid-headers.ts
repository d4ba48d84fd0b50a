import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { isTrue, judge, possibleAt, possibleElementsAt, toResult, UNKNOWN } from './possible-values';

/** The ALB attribute that drops header fields with invalid names instead of forwarding them. */
const DROP_INVALID_HEADERS = 'routing.http.drop_invalid_header_fields.enabled';

/** ELB1: application load balancers drop invalid header fields. */
export const ELB1_DROP_INVALID_HEADERS: PlatformRule = {
  id: 'ELB1',
  statement: 'The application load balancer sets `routing.http.drop_invalid_header_fields.enabled` to `true` in every branch.',
  info: 'The application load balancer forwards HTTP headers with invalid names.',
  explanation: 'Header fields that are not valid HTTP are a request-smuggling vector when targets parse them differently from the load balancer. Set dropInvalidHeaderFields: true (or the attribute) on the load balancer.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    // CloudFormation's default Type is application; network and gateway load balancers do not parse HTTP.
    if (!possibleAt(props, 'Type', node).some((t) => (t ?? 'application') === 'application' || t === UNKNOWN)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const values = possibleElementsAt(props, 'LoadBalancerAttributes', node)
      .filter((a) => possibleAt(a, 'Key', node).includes(DROP_INVALID_HEADERS))
      .flatMap((a) => possibleAt(a, 'Value', node));
    return toResult(judge(values.length > 0 ? values : [false], isTrue));
  },
};
