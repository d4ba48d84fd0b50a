import { CfnMapping, CfnParameter, Stack } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagRuleCompliance } from '../lazy-nag';
import { IConstruct } from 'constructs';
import { isIntrinsic } from './platform-rule';

// What the rules know of a property at synth: the literal values it can take. Every rule reads its
// properties through these functions, so one place decides what `Fn::If`, `Ref` to a parameter,
// `Fn::Sub`, `Fn::Join`, `Fn::Select` and `Fn::FindInMap` mean, and what cannot be known.

/** A value nothing at synth can know: a resource attribute, an import, a pseudo parameter, a parameter without default. */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** Stands in, inside a string built by `Fn::Join` or `Fn::Sub`, for a part that cannot be known. */
export const UNKNOWN_TEXT = '\u0000';

/**
 * A dynamic reference: CloudFormation reads the value from SSM Parameter Store or Secrets Manager at
 * deploy time, from a store the deployer controls. SSM-typed parameters are rendered as one too.
 */
const DYNAMIC_REFERENCE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):/;

/** Above this many combinations (e.g. a `Fn::Join` of many `Fn::If`s) the value counts as unknown. */
const MAX_POSSIBILITIES = 64;

/** How a rule judged a property, a container or a resource. */
export enum Verdict {
  COMPLIANT = 'compliant',
  NON_COMPLIANT = 'non-compliant',
  /** Nothing to judge: only deploy-time references, or nothing the rule applies to. */
  UNKNOWN = 'unknown',
}

/**
 * The values a resolved CloudFormation property can take: every branch of `Fn::If` (`AWS::NoValue`
 * is `undefined`, an absent property); for `Ref` to a parameter of the stack its `AllowedValues`, else
 * its `Default` (lists split), else {@link UNKNOWN}; `Fn::Join`, `Fn::Sub` and `Fn::Select` of what can
 * be known, with {@link UNKNOWN_TEXT} for the parts that cannot; {@link UNKNOWN} for every other
 * intrinsic. Objects and arrays are returned as they are: read their members with
 * {@link possibleAt} and {@link possibleElements}.
 */
export function possibleValues(value: unknown, scope: IConstruct): unknown[] {
  return distinct(evaluate(value, new Context(scope), 0));
}

/**
 * {@link possibleValues}, except that a `Ref` to a resource or an `Fn::GetAtt` stays as it is instead
 * of becoming {@link UNKNOWN}: for rules that follow a reference to a resource of the stack.
 */
export function possibleReferences(value: unknown, scope: IConstruct): unknown[] {
  return distinct(evaluate(value, new Context(scope, true), 0));
}

/**
 * The values of the property at `path` (dot-separated keys) below `value`, expanding intrinsics at
 * every level; `undefined` where a level is absent.
 */
export function possibleAt(value: unknown, path: string, scope: IConstruct): unknown[] {
  let current = possibleValues(value, scope);
  for (const key of path.split('.')) {
    current = distinct(current.flatMap((v) => {
      if (v === UNKNOWN) {
        return [UNKNOWN];
      }
      return isObject(v) ? possibleValues(v[key], scope) : [undefined];
    }));
  }
  return current;
}

/**
 * Every element any of the lists a property can be may hold, each expanded (an element that is
 * `AWS::NoValue` in a branch is left out). A list that cannot be known adds {@link UNKNOWN}; an absent
 * list adds nothing.
 */
export function possibleElements(value: unknown, scope: IConstruct): unknown[] {
  return distinct(possibleLists(value, scope).flatMap((list) => (list === UNKNOWN ? [UNKNOWN] : list.flat())));
}

/** {@link possibleElements} of the lists at `path` below `value`. */
export function possibleElementsAt(value: unknown, path: string, scope: IConstruct): unknown[] {
  return distinct(possibleAt(value, path, scope).flatMap((list) => possibleElements(list, scope)));
}

/**
 * Each list a property can be, one entry per branch, as the possible values of each element: for
 * rules that need every element of one list (all log types, every action a redirect).
 * An absent property is an empty list.
 */
export function possibleLists(value: unknown, scope: IConstruct): Array<unknown[][] | typeof UNKNOWN> {
  return possibleValues(value, scope).map((list) => {
    if (list === undefined) {
      return [];
    }
    // An SSM list parameter or a dynamic reference: one element read at deploy time.
    if (isDeployTimeReference(list)) {
      return [[list]];
    }
    if (!Array.isArray(list)) {
      return UNKNOWN;
    }
    return list.map((e) => possibleValues(e, scope).filter((v) => v !== undefined));
  });
}

/**
 * The `NoEcho` parameters a raw property value reads, through `Ref` or an `Fn::Sub` variable at any
 * depth: a value the template author marked secret, whatever it is passed through.
 */
export function noEchoParameters(value: unknown, scope: IConstruct): string[] {
  const ctx = new Context(scope);
  const found = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 32 || v === null || typeof v !== 'object') {
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((e) => visit(e, depth + 1));
      return;
    }
    const ref = (v as any).Ref;
    if (typeof ref === 'string' && ctx.parameter(ref)?.noEcho === true) {
      found.add(ref);
    }
    const sub = (v as any)['Fn::Sub'];
    const [template, variables] = Array.isArray(sub) ? sub : [sub, {}];
    if (typeof template === 'string') {
      for (const m of template.matchAll(/\$\{([^}!.]+)\}/g)) {
        if (!(isObject(variables) && m[1] in variables) && ctx.parameter(m[1])?.noEcho === true) {
          found.add(m[1]);
        }
      }
    }
    Object.values(v as object).forEach((e) => visit(e, depth + 1));
  };
  visit(value, 0);
  return [...found];
}

/** True for a dynamic reference (`{{resolve:ssm:...}}`, `ssm-secure`, `secretsmanager`) or an SSM-typed parameter. */
export function isDeployTimeReference(value: unknown): boolean {
  return typeof value === 'string' && DYNAMIC_REFERENCE.test(value);
}

/** True for a literal: neither {@link UNKNOWN} nor a string with an unknown part. */
export function isKnown(value: unknown): boolean {
  return value !== UNKNOWN && !(typeof value === 'string' && value.includes(UNKNOWN_TEXT));
}

/**
 * Judges every possible value: NON_COMPLIANT if any is not compliant, {@link UNKNOWN} counting as
 * `whenUnknown` (non-compliant unless the rule's statement says otherwise); deploy-time references
 * are not judged. Verdict.UNKNOWN when nothing was judged.
 */
export function judge(possibilities: unknown[], isCompliant: (value: any) => boolean, whenUnknown: Verdict = Verdict.NON_COMPLIANT): Verdict {
  let judged = false;
  for (const p of possibilities) {
    if (isDeployTimeReference(p)) {
      continue;
    }
    const verdict = p === UNKNOWN ? whenUnknown : (isCompliant(p) ? Verdict.COMPLIANT : Verdict.NON_COMPLIANT);
    if (verdict === Verdict.NON_COMPLIANT) {
      return Verdict.NON_COMPLIANT;
    }
    judged = judged || verdict === Verdict.COMPLIANT;
  }
  return judged ? Verdict.COMPLIANT : Verdict.UNKNOWN;
}

/** The worst of several verdicts: any NON_COMPLIANT, else any COMPLIANT, else UNKNOWN. */
export function worst(...verdicts: Verdict[]): Verdict {
  if (verdicts.includes(Verdict.NON_COMPLIANT)) {
    return Verdict.NON_COMPLIANT;
  }
  return verdicts.includes(Verdict.COMPLIANT) ? Verdict.COMPLIANT : Verdict.UNKNOWN;
}

/** A resource-level verdict as cdk-nag's result: nothing judged is NOT_APPLICABLE. */
export function toResult(verdict: Verdict): NagRuleResult {
  if (verdict === Verdict.UNKNOWN) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return verdict === Verdict.COMPLIANT ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/**
 * True for `true` and the string `'true'` in any case: an escape-hatch override (`addPropertyOverride`)
 * skips the L1's type check, and a spelling the deploy may read as true (`'TRUE'`) must not pass a
 * rule such as ECS1 as false.
 */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/** The stack's parameters and mappings, looked up once per evaluation. */
class Context {
  private parameters?: Map<string, CfnParameter>;
  private mappings?: Map<string, Record<string, Record<string, unknown>>>;

  constructor(private readonly scope: IConstruct, public readonly keepReferences = false) {}

  public parameter(logicalId: string): CfnParameter | undefined {
    if (this.parameters === undefined) {
      const stack = Stack.of(this.scope);
      this.parameters = new Map();
      for (const c of stack.node.findAll()) {
        if (c instanceof CfnParameter && Stack.of(c) === stack) {
          this.parameters.set(stack.resolve(c.logicalId), c);
        }
      }
    }
    return this.parameters.get(logicalId);
  }

  /** The literal map of a `CfnMapping` of the stack. */
  public mapping(logicalId: string): Record<string, Record<string, unknown>> | undefined {
    if (this.mappings === undefined) {
      const stack = Stack.of(this.scope);
      this.mappings = new Map();
      for (const c of stack.node.findAll()) {
        if (c instanceof CfnMapping && Stack.of(c) === stack) {
          // CfnMapping keeps its map private; _toCloudFormation leaves out a lazy one that it inlined.
          this.mappings.set(stack.resolve(c.logicalId), (c as any).mapping ?? {});
        }
      }
    }
    return this.mappings.get(logicalId);
  }
}

function evaluate(value: unknown, ctx: Context, depth: number): unknown[] {
  if (!isIntrinsic(value) || depth > 16) {
    return isIntrinsic(value) ? [UNKNOWN] : [value];
  }
  const [fn, arg] = Object.entries(value as object)[0];
  if (fn === 'Ref' && typeof arg === 'string') {
    return ref(arg, ctx);
  }
  if (fn === 'Fn::GetAtt' && ctx.keepReferences) {
    return [value];
  }
  if (fn === 'Fn::If' && Array.isArray(arg) && arg.length === 3) {
    return [...evaluate(arg[1], ctx, depth + 1), ...evaluate(arg[2], ctx, depth + 1)];
  }
  if (fn === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string') {
    return evaluate(arg[1], ctx, depth + 1).flatMap((list) => (Array.isArray(list)
      ? combine(list.map((part) => texts(part, ctx, depth + 1)), arg[0])
      : [UNKNOWN]));
  }
  if (fn === 'Fn::Sub') {
    return substitute(arg, ctx, depth + 1);
  }
  if (fn === 'Fn::FindInMap' && Array.isArray(arg) && arg.length >= 3) {
    return findInMap(arg, ctx, depth + 1);
  }
  if (fn === 'Fn::Select' && Array.isArray(arg)) {
    return evaluate(arg[0], ctx, depth + 1).flatMap((index) => evaluate(arg[1], ctx, depth + 1).flatMap((list) => (
      Array.isArray(list) && Number.isInteger(Number(index)) && Number(index) >= 0 && Number(index) < list.length
        ? evaluate(list[Number(index)], ctx, depth + 1)
        : [UNKNOWN])));
  }
  return [UNKNOWN];
}

function ref(name: string, ctx: Context): unknown[] {
  if (name === 'AWS::NoValue') {
    return [undefined];
  }
  const parameter = name.startsWith('AWS::') ? undefined : ctx.parameter(name);
  if (parameter === undefined) {
    return ctx.keepReferences && !name.startsWith('AWS::') ? [{ Ref: name }] : [UNKNOWN];
  }
  // The value of an SSM-typed parameter is read from Parameter Store at deploy time; its default is a parameter name.
  if (parameter.type.startsWith('AWS::SSM::Parameter::Value<')) {
    return [`{{resolve:ssm:${parameter.default ?? name}}}`];
  }
  const isList = parameter.type === 'CommaDelimitedList' || parameter.type.startsWith('List<');
  const asValue = (v: unknown) => (isList && typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v);
  // Anyone deploying may pass any allowed value, so all of them are judged; without a list, the default.
  if (parameter.allowedValues !== undefined && parameter.allowedValues.length > 0) {
    return parameter.allowedValues.map(asValue);
  }
  return parameter.default === undefined ? [UNKNOWN] : [asValue(parameter.default)];
}

/**
 * `Fn::FindInMap` of a mapping of the stack: a key only known at deploy time (`AWS::Region`) may be
 * any key of its level; a missing key takes the `DefaultValue` (language extensions), else fails the
 * deploy and is not judged.
 */
function findInMap(arg: unknown[], ctx: Context, depth: number): unknown[] {
  const [name, topKey, secondKey, options] = arg;
  const mapping = typeof name === 'string' ? ctx.mapping(name) : undefined;
  if (mapping === undefined) {
    return [UNKNOWN];
  }
  const pick = (level: Record<string, any>, key: unknown): Array<{ found: boolean; value?: any }> => evaluate(key, ctx, depth).map((k) => {
    if (typeof k === 'string' && isKnown(k)) {
      return Object.prototype.hasOwnProperty.call(level, k) ? { found: true, value: level[k] } : { found: false };
    }
    return undefined;
  }).flatMap((r) => (r === undefined ? Object.values(level).map((value) => ({ found: true, value })) : [r]));
  const results: unknown[] = [];
  for (const top of pick(mapping, topKey)) {
    const seconds = top.found && isObject(top.value) ? pick(top.value, secondKey) : [{ found: false }];
    for (const second of seconds) {
      if (second.found) {
        results.push(...evaluate(second.value, ctx, depth));
      } else if (isObject(options) && 'DefaultValue' in options) {
        results.push(...evaluate(options.DefaultValue, ctx, depth));
      }
    }
  }
  return results.length > 0 ? results : [UNKNOWN];
}

/** `Fn::Sub` with a string or `[string, variables]`: `${!x}` is a literal `${x}`, `${Res.Attr}` unknown. */
function substitute(arg: unknown, ctx: Context, depth: number): unknown[] {
  const [template, variables] = Array.isArray(arg) ? arg : [arg, {}];
  if (typeof template !== 'string' || !isObject(variables ?? {})) {
    return [UNKNOWN];
  }
  const pieces: string[][] = [];
  let last = 0;
  for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
    pieces.push([template.slice(last, match.index)]);
    const name = match[1];
    if (name.startsWith('!')) {
      pieces.push([`\${${name.slice(1)}}`]);
    } else if (variables && name in variables) {
      pieces.push(texts(variables[name], ctx, depth));
    } else if (name.includes('.')) {
      pieces.push([UNKNOWN_TEXT]);
    } else {
      pieces.push(texts({ Ref: name }, ctx, depth));
    }
    last = match.index + match[0].length;
  }
  pieces.push([template.slice(last)]);
  return combine(pieces, '');
}

/** The possible texts of a part of a string: unknown parts become {@link UNKNOWN_TEXT}. */
function texts(part: unknown, ctx: Context, depth: number): string[] {
  return distinct(evaluate(part, ctx, depth).map((v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : UNKNOWN_TEXT))) as string[];
}

/** Every way to pick one text per piece, joined; {@link UNKNOWN} past {@link MAX_POSSIBILITIES}. */
function combine(pieces: string[][], separator: string): unknown[] {
  if (pieces.reduce((n, p) => n * p.length, 1) > MAX_POSSIBILITIES) {
    return [UNKNOWN];
  }
  return pieces.reduce<string[][]>((acc, options) => acc.flatMap((prefix) => options.map((o) => [...prefix, o])), [[]])
    .map((parts) => parts.join(separator));
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Removes repeated primitives; objects and arrays are kept as they are. */
function distinct(values: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  return values.filter((v) => {
    if (v !== null && typeof v === 'object') {
      return true;
    }
    if (seen.has(v)) {
      return false;
    }
    seen.add(v);
    return true;
  });
}
