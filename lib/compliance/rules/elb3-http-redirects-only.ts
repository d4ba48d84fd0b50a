import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, referencedLogicalId, stackResource, PlatformRule } from './platform-rule';
import { judge, possibleAt, possibleLists, possibleReferences, toResult, UNKNOWN, Verdict, worst } from './possible-values';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';

/** ELB3: plain-HTTP listeners only redirect to HTTPS. */
export const ELB3_HTTP_REDIRECTS_ONLY: PlatformRule = {
  id: 'ELB3',
  statement: 'Every action of an HTTP listener, and of the listener rules attached to it in the same stack, is a redirect to HTTPS, in every branch.',
  info: 'A plain-HTTP listener forwards or answers requests instead of redirecting them to HTTPS.',
  explanation: 'Traffic served over HTTP can be read and changed on the way. Serve on HTTPS and make the HTTP listener a redirect (redirectHTTP: true in ecs-patterns, or ListenerAction.redirect({ protocol: \'HTTPS\', port: \'443\' })).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (appliesTo(node, LISTENER)) {
      const props = cfnProperties(node);
      return mayBeHttp(props, node) ? toResult(allRedirectToHttps(props.DefaultActions, node)) : NagRuleCompliance.NOT_APPLICABLE;
    }
    if (appliesTo(node, LISTENER_RULE)) {
      const props = cfnProperties(node);
      const listeners = possibleReferences(props.ListenerArn, node).map((arn) => {
        const id = referencedLogicalId(arn);
        return id === undefined ? undefined : stackResource(node, LISTENER, id);
      });
      // A listener in another stack or account cannot be seen; HTTPS listeners may do anything.
      if (!listeners.some((l) => l !== undefined && mayBeHttp(l, node))) {
        return NagRuleCompliance.NOT_APPLICABLE;
      }
      return toResult(allRedirectToHttps(props.Actions, node));
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  },
};

function mayBeHttp(listener: Record<string, any>, node: CfnResource): boolean {
  return possibleAt(listener, 'Protocol', node).some((p) => p === 'HTTP' || p === UNKNOWN);
}

/** Every list of actions has at least one action, and every action of every branch redirects to HTTPS. */
function allRedirectToHttps(actions: unknown, node: CfnResource): Verdict {
  return worst(...possibleLists(actions, node).map((list) => {
    if (list === UNKNOWN || list.length === 0) {
      return Verdict.NON_COMPLIANT;
    }
    return worst(...list.flat().map((action) => worst(
      judge(possibleAt(action, 'Type', node), (t) => t === 'redirect'),
      judge(possibleAt(action, 'RedirectConfig.Protocol', node), (p) => p === 'HTTPS'),
    )));
  }));
}
