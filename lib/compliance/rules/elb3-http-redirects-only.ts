import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, referencedLogicalId, stackResource, PlatformRule } from './platform-rule';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';

/** ELB3: plain-HTTP listeners only redirect to HTTPS. */
export const ELB3_HTTP_REDIRECTS_ONLY: PlatformRule = {
  id: 'ELB3',
  statement: 'Every action of an HTTP listener, and of the listener rules attached to it in the same stack, is a redirect to HTTPS.',
  info: 'A plain-HTTP listener forwards or answers requests instead of redirecting them to HTTPS.',
  explanation: 'Traffic served over HTTP can be read and changed on the way. Serve on HTTPS and make the HTTP listener a redirect (redirectHTTP: true in ecs-patterns, or ListenerAction.redirect({ protocol: \'HTTPS\', port: \'443\' })).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (appliesTo(node, LISTENER)) {
      const props = cfnProperties(node);
      if (props.Protocol !== 'HTTP') {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      return allRedirectToHttps(props.DefaultActions) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    if (appliesTo(node, LISTENER_RULE)) {
      const props = cfnProperties(node);
      const listenerId = referencedLogicalId(props.ListenerArn);
      const listener = listenerId === undefined ? undefined : stackResource(node, LISTENER, listenerId);
      // A listener in another stack or account cannot be seen; HTTPS listeners may do anything.
      if (listener === undefined || listener.Protocol !== 'HTTP') {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      return allRedirectToHttps(props.Actions) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  },
};

function allRedirectToHttps(actions: unknown): boolean {
  return Array.isArray(actions) && actions.length > 0
    && actions.every((a) => a?.Type === 'redirect' && a?.RedirectConfig?.Protocol === 'HTTPS');
}
