import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { possibleAt, possibleLists, UNKNOWN } from './possible-values';

/** The five control-plane log types EKS can send to CloudWatch Logs. */
const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** EKS2: every control-plane log type is on; each missing one is its own finding. */
export const EKS2_CONTROL_PLANE_LOGS: PlatformRule = {
  id: 'EKS2',
  statement: 'The EKS cluster enables all five control-plane log types (api, audit, authenticator, controllerManager, scheduler) in every branch (a type only known at deploy time counts as missing); findings are per missing type, `ContainerPlatform-EKS2[LogType::<type>]`.',
  info: 'The EKS cluster does not send every control-plane log type to CloudWatch Logs.',
  explanation: 'The audit and authenticator logs are the only record of who did what through the Kubernetes API. Set clusterLogging to all five eks.ClusterLoggingTypes.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Cluster')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const lists = possibleAt(cfnProperties(node), 'Logging.ClusterLogging.EnabledTypes', node).flatMap((l) => possibleLists(l, node));
    const missing = new Set<string>();
    for (const list of lists) {
      // A type is on in this branch when some element is that type whatever the conditions say.
      const enabled = list === UNKNOWN ? [] : list.map((element) => {
        const types = element.flatMap((e) => possibleAt(e, 'Type', node));
        return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
      });
      LOG_TYPES.filter((t) => !enabled.includes(t)).forEach((t) => missing.add(t));
    }
    return missing.size > 0 ? LOG_TYPES.filter((t) => missing.has(t)).map((t) => `LogType::${t}`) : NagRuleCompliance.COMPLIANT;
  },
};
