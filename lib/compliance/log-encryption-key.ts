import { Annotations, Lazy, RemovalPolicy, Stack, Stage, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';

/** Props of {@link LogEncryptionKey}. */
export interface LogEncryptionKeyProps {
  /**
   * What the key encrypts, shown in the KMS console.
   * @default - 'Encrypts CloudWatch log groups of <construct path>'
   */
  readonly description?: string;

  /**
   * What happens to the key when it leaves the stack. Logs encrypted with a deleted key are lost.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept when the stack is deleted, removed when its first create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Further log group names the key admits, beyond the log groups of this app that use it; `*` matches
   * any characters. For log groups created outside this app, e.g. `/aws/lambda/legacy-*`.
   * @default - only the log groups of this app that are encrypted with this key
   */
  readonly logGroupNamePatterns?: string[];
}

/**
 * A KMS key for CloudWatch log groups: rotation on, retained, and a key policy that lets the
 * CloudWatch Logs service of the stack's region use it for the log groups that use it, and no others.
 *
 * Without that key policy statement the log group fails to create at deploy time, and no
 * synth-time check can see it; this class is the one place that writes it.
 *
 * The statement names log groups through the `kms:EncryptionContext:aws:logs:arn` condition. At synthesis
 * the key finds every log group of the app (any stack) whose `KmsKeyId` is this key, and admits its name:
 * the name itself when it is known, `<stack name>-*` when CloudFormation generates it (a generated name
 * starts with the stack name), and the name with `*` for each part unknown at synth (e.g.
 * `/aws/eks/*\/fargate`). The patterns are literal strings, so a key in a platform stack that serves
 * log groups in application stacks refers to none of them: no cross-stack reference, no cycle. The
 * platform stack must be deployed after a new application stack is added, so that the key admits it.
 *
 * A key imported as `kms.IKey` has a policy this library cannot change: it must admit the log groups'
 * names (see the README's Compliance section).
 */
export class LogEncryptionKey extends kms.Key {
  private readonly patterns: string[];

  constructor(scope: Construct, id: string, props: LogEncryptionKeyProps = {}) {
    super(scope, id, {
      description: props.description ?? `Encrypts CloudWatch log groups of ${scope.node.path}/${id}`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.patterns = [...(props.logGroupNamePatterns ?? [])];
    for (const p of this.patterns) {
      validatePattern(p);
    }
    const stack = Stack.of(this);
    const arnOf = (name: string) => `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${name}`;
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Lazy.list({ produce: () => this.admittedLogGroupNames().map(arnOf) }) },
      },
    }));
    // After construction, when every log group exists: a name unknown at synth widens the key to every group.
    this.node.addValidation({ validate: () => { this.warnAboutUnknownNames(); return []; } });
  }

  /**
   * Admit log groups created outside this app, e.g. by a Lambda function of another tool.
   * @param pattern a log group name; `*` matches any characters
   */
  public admitLogGroupName(pattern: string): void {
    validatePattern(pattern);
    this.patterns.push(pattern);
  }

  /**
   * The log group names the key admits: the given patterns and those of the app's log groups that use this key,
   * sorted. With neither, the names CloudFormation generates in the key's stack, so that the policy stays valid.
   */
  public admittedLogGroupNames(): string[] {
    const found = new Set([...this.patterns, ...this.logGroupsUsingKey().map(namePatternOf)]);
    if (found.size === 0) {
      found.add(`${rootStackName(this)}-*`);
    }
    return [...found].sort();
  }

  /** The log groups of the app (any stack of this key's Stage) whose KmsKeyId is this key. */
  private logGroupsUsingKey(): logs.CfnLogGroup[] {
    const root = Stage.of(this) ?? this.node.root;
    // The L2 LogGroup passes `encryptionKey.keyArn` through, the same token string in every stack.
    return root.node.findAll().filter((c): c is logs.CfnLogGroup => c instanceof logs.CfnLogGroup && c.kmsKeyId === this.keyArn);
  }

  private warnAboutUnknownNames(): void {
    for (const group of this.logGroupsUsingKey()) {
      if (namePatternOf(group) === '*') {
        Annotations.of(this).addWarningV2('cdk-container-platform:logKeyAdmitsAll',
          `logGroupName: the name of ${group.node.path} is unknown at synth, got a token; this key admits every log group of the account: give the log group a literal name or leave the name to CloudFormation`);
      }
    }
  }
}

/** The name pattern of a log group: its name, `<stack name>-*` when generated, `*` for parts unknown at synth. */
function namePatternOf(group: logs.CfnLogGroup): string {
  const name = group.logGroupName;
  if (name === undefined) {
    return `${rootStackName(group)}-*`;
  }
  if (!Token.isUnresolved(name)) {
    return name;
  }
  const fragments = Tokenization.reverseString(name);
  if (fragments.length === 1 && fragments.tokens.length === 1) {
    // The L2 LogGroup passes its physical name as one token, which resolves to nothing when no name was given.
    const resolved = Stack.of(group).resolve(name);
    if (resolved === undefined) {
      return `${rootStackName(group)}-*`;
    }
    if (typeof resolved === 'string') {
      return resolved;
    }
  }
  return String(fragments.mapTokens({ mapToken: () => '*' }).join({ join: (left: any, right: any) => `${left}${right}` })).replace(/\*+/g, '*');
}

/**
 * The stack name CloudFormation puts first in a generated name: a nested stack's physical name starts with
 * its parent's, so the outermost stack's name is the prefix.
 */
function rootStackName(scope: IConstruct): string {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) {
    stack = stack.nestedStackParent;
  }
  return stack.stackName;
}

function validatePattern(pattern: string): void {
  if (!Token.isUnresolved(pattern) && !/^[\w\-./#*]{1,512}$/.test(pattern)) {
    throw new Error(`logGroupNamePatterns: not a log group name pattern, got '${pattern}'; use letters, digits, '_', '-', '.', '/', '#' and '*' (at most 512 characters)`);
  }
}
