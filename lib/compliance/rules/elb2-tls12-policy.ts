import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { judge, possibleAt, toResult, UNKNOWN } from './possible-values';

/**
 * ELB security policies whose lowest protocol is TLS 1.2 or 1.3 (ELB user guide, "Security policies":
 * TLS13-1-2-*, TLS13-1-3-*, TLS-1-2-*, FS-1-2-*, including their Res, Ext, FIPS and PQ variants).
 * ELBSecurityPolicy-2016-08, CloudFormation's default, still allows TLS 1.0.
 */
const TLS12_OR_LATER = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

/** ELB2: HTTPS and TLS listeners refuse TLS 1.0 and 1.1. */
export const ELB2_TLS12_POLICY: PlatformRule = {
  id: 'ELB2',
  statement: 'HTTPS and TLS listeners name an `SslPolicy` that allows TLS 1.2 or later only (e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`) in every branch; an absent policy means ELBSecurityPolicy-2016-08 and is non-compliant, as is a policy only known at deploy time.',
  info: 'The load balancer listener accepts TLS versions older than 1.2.',
  explanation: 'TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS. Set sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS (TLS 1.2 and 1.3) on the listener.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ElasticLoadBalancingV2::Listener')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    // A protocol only known at deploy time may be HTTPS.
    if (!possibleAt(props, 'Protocol', node).some((p) => p === 'HTTPS' || p === 'TLS' || p === UNKNOWN)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return toResult(judge(possibleAt(props, 'SslPolicy', node), (policy) => typeof policy === 'string' && TLS12_OR_LATER.test(policy)));
  },
};
