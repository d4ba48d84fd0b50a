import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';

/** The five control-plane log types EKS can send to CloudWatch Logs. */
const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** EKS2: every control-plane log type is on; each missing one is its own finding. */
export const EKS2_CONTROL_PLANE_LOGS: PlatformRule = {
  id: 'EKS2',
  statement: 'The EKS cluster enables all five control-plane log types (api, audit, authenticator, controllerManager, scheduler); findings are per missing type, `ContainerPlatform-EKS2[LogType::<type>]`.',
  info: 'The EKS cluster does not send every control-plane log type to CloudWatch Logs.',
  explanation: 'The audit and authenticator logs are the only record of who did what through the Kubernetes API. Set clusterLogging to all five eks.ClusterLoggingTypes.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Cluster')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const enabled = cfnProperties(node).Logging?.ClusterLogging?.EnabledTypes;
    if (enabled !== undefined && !Array.isArray(enabled)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const types = new Set((enabled ?? []).map((t: any) => t?.Type));
    const missing = LOG_TYPES.filter((t) => !types.has(t));
    return missing.length > 0 ? missing.map((t) => `LogType::${t}`) : NagRuleCompliance.COMPLIANT;
  },
};
