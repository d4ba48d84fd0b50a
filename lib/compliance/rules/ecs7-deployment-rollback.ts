import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { isTrue, judge, possibleAt, toResult, Verdict } from './possible-values';

/** ECS deployment strategies that shift traffic to a second revision and roll back on failure. */
const BLUE_GREEN_STRATEGIES = ['BLUE_GREEN', 'LINEAR', 'CANARY'];

/** ECS7: a failed deployment rolls back by itself. */
export const ECS7_DEPLOYMENT_ROLLBACK: PlatformRule = {
  id: 'ECS7',
  statement: 'The ECS service enables the deployment circuit breaker with `Rollback: true`, or deploys blue/green (`DeploymentController` CODE_DEPLOY, or `DeploymentConfiguration.Strategy` BLUE_GREEN, LINEAR or CANARY), in every branch of an `Fn::If`.',
  info: 'The ECS service neither rolls back failed deployments nor deploys blue/green.',
  explanation: 'Without a circuit breaker a deployment whose tasks never become healthy keeps replacing tasks for hours and the service runs degraded. Set circuitBreaker: { enable: true, rollback: true }, or use a blue/green deployment.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ECS::Service')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    const ways = [
      judge(possibleAt(props, 'DeploymentController.Type', node), (t) => t === 'CODE_DEPLOY'),
      judge(possibleAt(props, 'DeploymentConfiguration.Strategy', node), (s) => BLUE_GREEN_STRATEGIES.includes(s)),
      judge([
        ...possibleAt(props, 'DeploymentConfiguration.DeploymentCircuitBreaker.Enable', node),
        ...possibleAt(props, 'DeploymentConfiguration.DeploymentCircuitBreaker.Rollback', node),
      ], isTrue),
    ];
    // Each way must hold in every branch on its own: branches of different properties cannot be paired.
    return toResult(ways.includes(Verdict.COMPLIANT) ? Verdict.COMPLIANT : Verdict.NON_COMPLIANT);
  },
};
