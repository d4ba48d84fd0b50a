import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';

/** The ALB attribute that drops header fields with invalid names instead of forwarding them. */
const DROP_INVALID_HEADERS = 'routing.http.drop_invalid_header_fields.enabled';

/** ELB1: application load balancers drop invalid header fields. */
export const ELB1_DROP_INVALID_HEADERS: PlatformRule = {
  id: 'ELB1',
  statement: 'The application load balancer sets `routing.http.drop_invalid_header_fields.enabled` to `true`.',
  info: 'The application load balancer forwards HTTP headers with invalid names.',
  explanation: 'Header fields that are not valid HTTP are a request-smuggling vector when targets parse them differently from the load balancer. Set dropInvalidHeaderFields: true (or the attribute) on the load balancer.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    // CloudFormation's default Type is application; network and gateway load balancers do not parse HTTP.
    if ((props.Type ?? 'application') !== 'application') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const attributes: any[] = Array.isArray(props.LoadBalancerAttributes) ? props.LoadBalancerAttributes : [];
    const value = attributes.find((a) => a?.Key === DROP_INVALID_HEADERS)?.Value;
    return value === 'true' || value === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
