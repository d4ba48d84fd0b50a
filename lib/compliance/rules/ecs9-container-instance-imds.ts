import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, referencedLogicalId, stackResources, PlatformRule } from './platform-rule';

/** The agent variable in /etc/ecs/ecs.config (Linux) or the machine environment (Windows): its last value wins. */
const ECS_CONFIG_BLOCK = /ECS_AWSVPC_BLOCK_IMDS["']?\s*[=,]\s*["']?([A-Za-z0-9]+)/g;
/** Bottlerocket's key of the `[settings.ecs]` TOML table. */
const BOTTLEROCKET_BLOCK = /awsvpc-block-imds\s*=\s*["']?([A-Za-z0-9]+)/g;
/** User data that registers the instance with an ECS cluster. */
const JOINS_ECS_CLUSTER = /ECS_CLUSTER|\[settings\.ecs\]|Initialize-ECSAgent/;

/**
 * The literal text of user data as synthesized: `Fn::Base64` of a string or an `Fn::Join`, with every
 * intrinsic part left out; undefined when no part is literal.
 */
function userDataText(value: unknown): string | undefined {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      parts.push(v);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      const [key] = Object.keys(v);
      if (key === 'Fn::Base64' || key === 'Fn::Join' || key === 'Fn::Sub') {
        walk((v as any)[key]);
      }
    }
  };
  if (typeof value === 'string') {
    // A literal UserData property is the base64 text itself.
    return Buffer.from(value, 'base64').toString('utf8');
  }
  walk(value);
  return parts.length > 0 ? parts.join('\n') : undefined;
}

function lastValue(pattern: RegExp, text: string): string | undefined {
  let value: string | undefined;
  for (const m of text.matchAll(pattern)) {
    value = m[1];
  }
  return value;
}

/** The logical ids of the launch templates and launch configurations behind the stack's ECS capacity providers. */
function capacityProviderLaunchSources(node: CfnResource): Set<string> {
  const groups = new Set<string>();
  for (const provider of stackResources(node, 'AWS::ECS::CapacityProvider')) {
    const group = referencedLogicalId(provider.properties.AutoScalingGroupProvider?.AutoScalingGroupArn);
    if (group !== undefined) {
      groups.add(group);
    }
  }
  const sources = new Set<string>();
  for (const group of stackResources(node, 'AWS::AutoScaling::AutoScalingGroup')) {
    if (!groups.has(group.logicalId)) {
      continue;
    }
    const p = group.properties;
    const templates = [p.LaunchTemplate, p.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification];
    for (const t of templates) {
      const id = referencedLogicalId(t?.LaunchTemplateId) ?? referencedLogicalId(t?.LaunchTemplateName);
      if (id !== undefined) {
        sources.add(id);
      }
    }
    const config = referencedLogicalId(p.LaunchConfigurationName);
    if (config !== undefined) {
      sources.add(config);
    }
  }
  return sources;
}

/** ECS9: ECS container instances keep awsvpc tasks away from instance metadata. */
export const ECS9_CONTAINER_INSTANCE_IMDS: PlatformRule = {
  id: 'ECS9',
  statement: 'A launch template or launch configuration whose user data joins an ECS cluster (`ECS_CLUSTER`, `[settings.ecs]`), or that backs an Auto Scaling group of an `AWS::ECS::CapacityProvider` of the same stack, sets `ECS_AWSVPC_BLOCK_IMDS=true` (Bottlerocket: `awsvpc-block-imds = true`); user data with no literal part is not judged.',
  info: 'ECS container instances let awsvpc tasks reach the instance metadata service.',
  explanation: 'A task in awsvpc mode on an EC2 container instance can read the instance role\'s credentials from instance metadata unless the ECS agent blocks it: any compromised container then acts as the host. Add ECS_AWSVPC_BLOCK_IMDS=true to /etc/ecs/ecs.config (Bottlerocket: awsvpc-block-imds = true under [settings.ecs]); LoadBalancedService EC2 compute does. Tasks still get their own role through the task metadata endpoint.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    const userData = node.cfnResourceType === 'AWS::EC2::LaunchTemplate' ? props.LaunchTemplateData?.UserData : props.UserData;
    const text = userData === undefined ? '' : userDataText(userData);
    const logicalId = node.stack.resolve(node.logicalId) as string;
    const backsCapacityProvider = capacityProviderLaunchSources(node).has(logicalId);
    if (text === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (!backsCapacityProvider && !JOINS_ECS_CLUSTER.test(text)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const value = text.includes('[settings.ecs]') ? lastValue(BOTTLEROCKET_BLOCK, text) : lastValue(ECS_CONFIG_BLOCK, text);
    return value?.toLowerCase() === 'true' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
