import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { IConstruct } from 'constructs';
import { appliesTo, cfnProperties, referencedLogicalId, stackResources, PlatformRule } from './platform-rule';
import { possibleValues, UNKNOWN_TEXT } from './possible-values';

/**
 * The agent variable in /etc/ecs/ecs.config (Linux) or the machine environment (Windows, where
 * PowerShell may write `"$TRUE"`): its last value wins.
 */
const ECS_CONFIG_BLOCK = /(?<![A-Za-z0-9_])ECS_AWSVPC_BLOCK_IMDS["']?\s*[=,]\s*["']?\$?([A-Za-z0-9]+)/g;
/** Bottlerocket's key of the `[settings.ecs]` TOML table, or the dotted key `settings.ecs.awsvpc-block-imds`. */
const BOTTLEROCKET_BLOCK = /(?<![A-Za-z0-9_-])awsvpc-block-imds["']?\s*=\s*["']?([A-Za-z0-9]+)/g;
/** Bottlerocket settings for the ECS agent: the `[settings.ecs]` table or dotted `settings.ecs.` keys. */
const BOTTLEROCKET_ECS = /\[settings\.ecs\]|settings\.ecs\./;
/**
 * The ECSTools switch on Windows (ECS Developer Guide, "Amazon ECS Windows container instance user
 * data": `Initialize-ECSAgent ... -EnableTaskENI -AwsvpcBlockIMDS`); `-AwsvpcBlockIMDS:$false` turns it off.
 */
const WINDOWS_SWITCH = /-AwsvpcBlockIMDS(?::\s*\$?([A-Za-z0-9]+))?/gi;
/** User data that registers the instance with an ECS cluster. */
const JOINS_ECS_CLUSTER = /ECS_CLUSTER|\[settings\.ecs\]|settings\.ecs\.|Initialize-ECSAgent/;

/**
 * The texts user data can be as synthesized, one per `Fn::If` branch, with comment lines (`#` in
 * shell, TOML and PowerShell) removed: a commented-out block does nothing. `Fn::Join` (with its
 * delimiter), `Fn::Sub` and parameters are evaluated as every rule does; a part nothing at synth can
 * know becomes a line break, so it neither sets nor hides a line. Undefined when no part is literal.
 */
function userDataTexts(value: unknown, scope: IConstruct): string[] | undefined {
  const inner = value && typeof value === 'object' && 'Fn::Base64' in value ? (value as any)['Fn::Base64'] : value;
  // A literal UserData property is the base64 text itself.
  const decode = (v: unknown) => (inner === value && typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v);
  let texts = possibleValues(inner, scope).filter((v) => v !== undefined).map(decode).filter((t) => typeof t === 'string');
  if (texts.length === 0) {
    // Too many combinations, or a list built at deploy time: judge the literal parts in their order.
    // (A branch nothing at synth can know is left out, as user data with no literal part is.)
    const literal = literalParts(inner);
    texts = literal === undefined ? [] : [literal];
  }
  const literal = (texts as string[]).map((t) => t.split(UNKNOWN_TEXT).join('\n')).filter((t) => t.trim() !== '');
  if (literal.length === 0) {
    return undefined;
  }
  return literal.map((t) => t.split(/\r?\n/).filter((line) => !/^\s*#/.test(line)).join('\n'));
}

/** The literal strings of a value at any depth, in order, one per line: the fallback of {@link userDataTexts}. */
function literalParts(value: unknown): string | undefined {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      parts.push(v);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      const [key] = Object.keys(v);
      if (key === 'Fn::Join' || key === 'Fn::Sub') {
        walk((v as any)[key]);
      }
    }
  };
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

/** Whether one text of user data blocks instance metadata for awsvpc tasks. */
function blocksImds(text: string): boolean {
  if (BOTTLEROCKET_ECS.test(text)) {
    return lastValue(BOTTLEROCKET_BLOCK, text)?.toLowerCase() === 'true';
  }
  // On Windows, the switch and the machine variable both count; without either the agent default (false) holds.
  const windowsSwitch = [...text.matchAll(WINDOWS_SWITCH)].map((m) => (m[1] ?? 'true').toLowerCase()).pop();
  const variable = lastValue(ECS_CONFIG_BLOCK, text)?.toLowerCase();
  return variable === 'true' || (variable === undefined && windowsSwitch === 'true');
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
    // A mixed instances policy may launch some instance types from other templates (Overrides).
    const overrides = Array.isArray(p.MixedInstancesPolicy?.LaunchTemplate?.Overrides) ? p.MixedInstancesPolicy.LaunchTemplate.Overrides : [];
    const templates = [p.LaunchTemplate, p.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification,
      ...overrides.map((o: any) => o?.LaunchTemplateSpecification)];
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
  statement: 'A launch template, launch configuration or EC2 instance whose user data joins an ECS cluster (`ECS_CLUSTER`, `[settings.ecs]` or `settings.ecs.` keys), or that backs an Auto Scaling group of an `AWS::ECS::CapacityProvider` of the same stack (mixed instances overrides included), sets `ECS_AWSVPC_BLOCK_IMDS=true` (Bottlerocket: `awsvpc-block-imds = true`; Windows: also `Initialize-ECSAgent -AwsvpcBlockIMDS`) as its last word on it, in every `Fn::If` branch; commented-out lines (`#`) do not count, and user data with no literal part is not judged.',
  info: 'ECS container instances let awsvpc tasks reach the instance metadata service.',
  explanation: 'A task in awsvpc mode on an EC2 container instance can read the instance role\'s credentials from instance metadata unless the ECS agent blocks it: any compromised container then acts as the host. Add ECS_AWSVPC_BLOCK_IMDS=true to /etc/ecs/ecs.config (Bottlerocket: awsvpc-block-imds = true under [settings.ecs]); LoadBalancedService EC2 compute does. Tasks still get their own role through the task metadata endpoint.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    // A single instance whose user data joins a cluster is a container instance too.
    if (!appliesTo(node, 'AWS::EC2::LaunchTemplate', 'AWS::AutoScaling::LaunchConfiguration', 'AWS::EC2::Instance')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    const userData = node.cfnResourceType === 'AWS::EC2::LaunchTemplate' ? props.LaunchTemplateData?.UserData : props.UserData;
    const texts = userData === undefined ? [''] : userDataTexts(userData, node);
    const logicalId = node.stack.resolve(node.logicalId) as string;
    const backsCapacityProvider = capacityProviderLaunchSources(node).has(logicalId);
    if (texts === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    // Every branch is judged: one branch that joins a cluster without the block is a finding.
    const joining = texts.filter((t) => backsCapacityProvider || JOINS_ECS_CLUSTER.test(t));
    if (joining.length === 0) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return joining.every(blocksImds) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
