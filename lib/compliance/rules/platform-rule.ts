import { CfnResource, Stack } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';

/** What the pack passes to every rule besides the resource: its own props, resolved. */
export interface PlatformRuleOptions {
  /** ECR4 demands a KMS key instead of accepting ECR's always-on AES256. */
  readonly requireRepositoryKmsKey: boolean;
}

/**
 * One rule of the ContainerPlatform pack. Kept out of lib/index.ts: jsii cannot carry function-typed
 * members, and the pack is the only public entry point.
 */
export interface PlatformRule {
  /** The id suffix: the finding id is `ContainerPlatform-<id>`, e.g. `ContainerPlatform-ECR1`. */
  readonly id: string;
  /** One line: what a compliant resource looks like (the README rule table quotes it). */
  readonly statement: string;
  /** The finding message: what is wrong with a non-compliant resource. */
  readonly info: string;
  /** Why the rule exists and what to change. */
  readonly explanation: string;
  /** Error fails `cdk synth`; every rule of this pack is an error. */
  readonly level: NagMessageLevel;
  /**
   * Judges one resource: COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE (other resource types, or values
   * only known at deploy time), or finding ids such as `Container::web` for narrow acknowledgements.
   */
  readonly check: (node: CfnResource, options: PlatformRuleOptions) => NagRuleResult;
}

/** The id every rule's finding starts with. */
export const PACK_NAME = 'ContainerPlatform';

/**
 * The resource's CloudFormation properties as they will be synthesized, resolved: L1 props plus
 * escape-hatch overrides (`addPropertyOverride`), which reading the L1 attributes alone would miss.
 */
export function cfnProperties(node: CfnResource): Record<string, any> {
  const stack = Stack.of(node);
  const rendered = stack.resolve((node as any)._toCloudFormation()) as { Resources: Record<string, { Properties?: Record<string, any> }> };
  const resource = Object.values(rendered.Resources)[0];
  return resource?.Properties ?? {};
}

/** The logical id a `Ref` or `Fn::GetAtt` points to, or undefined for anything else. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const ref = (value as any).Ref;
    if (typeof ref === 'string' && !ref.startsWith('AWS::')) {
      return ref;
    }
    const getAtt = (value as any)['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      return getAtt[0];
    }
  }
  return undefined;
}

/**
 * The resources of one type in the node's stack, with their resolved properties. Cross-stack and
 * imported references cannot be followed: the rules that need this say so in their statement.
 */
export function stackResources(node: CfnResource, type: string): Array<{ logicalId: string; properties: Record<string, any>; resource: CfnResource }> {
  const stack = Stack.of(node);
  const found = [];
  for (const c of stack.node.findAll()) {
    if (CfnResource.isCfnResource(c) && c.cfnResourceType === type && Stack.of(c) === stack) {
      found.push({ logicalId: stack.resolve(c.logicalId) as string, properties: cfnProperties(c), resource: c });
    }
  }
  return found;
}

/** The resource of a type with a logical id in the node's stack, if it is there. */
export function stackResource(node: CfnResource, type: string, logicalId: string): Record<string, any> | undefined {
  return stackResources(node, type).find((r) => r.logicalId === logicalId)?.properties;
}

/**
 * True when a resolved value is still an intrinsic (`Ref`, `Fn::*`) rather than a literal. Rules do
 * not judge values with it: they read them through possible-values.ts (`possibleAt`, `judge`), which
 * evaluates `Fn::If`, parameters, `Fn::Sub` and `Fn::Join` the same way for every rule.
 */
export function isIntrinsic(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && Object.keys(value as object).length === 1 && /^(Ref|Fn::|Condition)/.test(Object.keys(value as object)[0]);
}

/** NOT_APPLICABLE for every other resource type, so each rule starts with one guard. */
export function appliesTo(node: CfnResource, ...types: string[]): boolean {
  return types.includes(node.cfnResourceType);
}

/** Shorthand for a result that has no finding-level ids. */
export function verdict(compliant: boolean): NagRuleResult {
  return compliant ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
