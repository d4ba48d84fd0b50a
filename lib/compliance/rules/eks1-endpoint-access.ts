import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { coversInternet } from './internet-coverage';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { isDeployTimeReference, isKnown, judge, possibleAt, possibleElementsAt, UNKNOWN, Verdict } from './possible-values';

/** EKS1: the Kubernetes API is private, or public only to named CIDRs. */
export const EKS1_ENDPOINT_ACCESS: PlatformRule = {
  id: 'EKS1',
  statement: 'The EKS cluster sets `EndpointPublicAccess: false`, or lists `PublicAccessCidrs` that together do not cover the internet (every globally reachable IPv4 address, e.g. `0.0.0.0/0` or `0.0.0.0/1` + `128.0.0.0/1`, or all IPv6 global unicast, e.g. `::/0`), in every branch; absent values mean public to 0.0.0.0/0, and CIDRs only known at deploy time are non-compliant.',
  info: 'The EKS cluster API endpoint is open to the whole internet.',
  explanation: 'An open endpoint exposes the Kubernetes API to credential stuffing and to any future API-server vulnerability. Use endpointAccess: eks.EndpointAccess.PRIVATE, or PUBLIC_AND_PRIVATE.onlyFrom(\'203.0.113.0/24\').',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Cluster')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const vpcConfig = cfnProperties(node).ResourcesVpcConfig;
    // EKS's default for EndpointPublicAccess is true.
    if (judge(possibleAt(vpcConfig, 'EndpointPublicAccess', node), (v) => v === false || v === 'false') === Verdict.COMPLIANT) {
      return NagRuleCompliance.COMPLIANT;
    }
    const lists = possibleAt(vpcConfig, 'PublicAccessCidrs', node);
    if (lists.includes(undefined)) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    // The union of every branch's CIDRs: listing more ranges can only admit more of the internet.
    const all = possibleElementsAt(vpcConfig, 'PublicAccessCidrs', node);
    const cidrs = all.filter((c) => !isDeployTimeReference(c));
    if (all.length > 0 && cidrs.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (cidrs.length === 0 || cidrs.some((c) => c === UNKNOWN || typeof c !== 'string' || !isKnown(c))) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    return coversInternet(cidrs as string[]) === false ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
