import { NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LoadBalancedService, LogEncryptionKey, PlatformCluster, ServiceImage } from '../../lib';
import { ecsPlatformStacks } from '../ecs/platform-stacks';
import { expectNoComplianceFindings, newApp, newStack } from '../helpers';

/** The log group names the key policy admits, read from a template: the part after `log-group:` of each ArnLike value. */
function admittedNames(template: Template): string[] {
  const keys = Object.values<any>(template.findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  const statement = keys[0].Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'AllowCloudWatchLogsOfThisAccount');
  return statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'].map((arn: any) => {
    const parts = arn['Fn::Join'][1];
    expect(parts.slice(0, 6)).toEqual(['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }]);
    expect(parts).toHaveLength(7);
    return (parts[6] as string).replace(/^:log-group:/, '');
  });
}

/** Whether a name pattern (`*` matches anything) admits a name. */
function admits(pattern: string, name: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`).test(name);
}

/**
 * The name each log group of a stack will have: its LogGroupName, or, when CloudFormation generates it,
 * `<stack name>-<logical id>-<suffix>` (the suffix stands for CloudFormation's random part).
 */
function deployedNames(stack: Stack, template: Template): string[] {
  return Object.entries<any>(template.findResources('AWS::Logs::LogGroup'))
    .map(([id, r]) => r.Properties.LogGroupName ?? `${stack.stackName}-${id}-AbCdEf123456`);
}

describe('LogEncryptionKey in one stack', () => {
  test('admits only the log groups that use it: a generated name by its stack prefix, a given name as given', () => {
    const stack = newStack('Shop');
    const key = new LogEncryptionKey(stack, 'Key');
    new logs.LogGroup(stack, 'Generated', { encryptionKey: key });
    new logs.LogGroup(stack, 'Named', { encryptionKey: key, logGroupName: 'aws-waf-logs-shop' });
    new logs.LogGroup(stack, 'Other', { logGroupName: 'not-this-key' });
    const template = Template.fromStack(stack);
    expect(admittedNames(template)).toEqual(['Shop-*', 'aws-waf-logs-shop']);
    const names = deployedNames(stack, template).filter((n) => n !== 'not-this-key');
    expect(names.every((n) => admittedNames(template).some((p) => admits(p, n)))).toBe(true);
  });

  test('admits the names CloudFormation generates in its stack when nothing uses it yet', () => {
    const stack = newStack('Idle');
    new LogEncryptionKey(stack, 'Key');
    expect(admittedNames(Template.fromStack(stack))).toEqual(['Idle-*']);
  });

  test('admits a name with a part unknown at synth through a wildcard for that part', () => {
    const stack = newStack();
    const key = new LogEncryptionKey(stack, 'Key');
    const other = new logs.LogGroup(stack, 'Source');
    new logs.LogGroup(stack, 'Derived', { encryptionKey: key, logGroupName: `/aws/eks/${other.logGroupName}/fargate` });
    expect(admittedNames(Template.fromStack(stack))).toEqual(['/aws/eks/*/fargate']);
  });

  test('warns when a name is wholly unknown at synth, which admits every log group', () => {
    const stack = newStack();
    const key = new LogEncryptionKey(stack, 'Key');
    const other = new logs.LogGroup(stack, 'Source');
    new logs.LogGroup(stack, 'Copy', { encryptionKey: key, logGroupName: other.logGroupName });
    Annotations.fromStack(stack).hasWarning('/Test/Key', Match.stringLikeRegexp('the name of Test/Copy/Resource is unknown at synth'));
    expect(admittedNames(Template.fromStack(stack))).toEqual(['*']);
  });

  test('admits further names given as props or later', () => {
    const stack = newStack();
    const key = new LogEncryptionKey(stack, 'Key', { logGroupNamePatterns: ['/aws/lambda/legacy-*'] });
    key.admitLogGroupName('/custom/app');
    expect(admittedNames(Template.fromStack(stack))).toEqual(['/aws/lambda/legacy-*', '/custom/app']);
  });

  test('fails when a pattern is not a log group name', () => {
    expect(() => new LogEncryptionKey(newStack(), 'Key', { logGroupNamePatterns: ['bad name'] }))
      .toThrow(/logGroupNamePatterns: not a log group name pattern, got 'bad name'; use letters, digits/);
  });

  test('admits a PlatformCluster\'s control-plane, kubectl handler and provider framework log groups', () => {
    const stack = newStack('Eks');
    const platform = new PlatformCluster(stack, 'Platform', { clusterName: 'prod' });
    const template = Template.fromStack(stack);
    const patterns = platform.logKey instanceof LogEncryptionKey ? platform.logKey.admittedLogGroupNames() : [];
    expect(patterns).toEqual(['/aws/eks/prod/cluster', 'Eks-*']);
    // The flow logs have their own key; every other group uses the cluster's.
    const flowLogs = stack.getLogicalId(platform.network!.flowLogGroup!.node.defaultChild as any);
    const groups = Object.entries<any>(template.findResources('AWS::Logs::LogGroup')).filter(([id]) => id !== flowLogs);
    expect(groups).toHaveLength(3);
    for (const [id, r] of groups) {
      const name = r.Properties.LogGroupName ?? `${stack.stackName}-${id}-AbCdEf123456`;
      expect(patterns.some((p) => admits(p, name))).toBe(true);
    }
  });
});

describe('LogEncryptionKey across stacks', () => {
  test('admits the generated names of log groups in three other stacks, each by its own stack name', () => {
    const app = newApp();
    const platform = new Stack(app, 'Platform');
    const key = new LogEncryptionKey(platform, 'Key');
    for (const id of ['Orders', 'Billing', 'Search']) {
      new logs.LogGroup(new Stack(app, id), 'Logs', { encryptionKey: key });
    }
    expect(admittedNames(Template.fromStack(platform))).toEqual(['Billing-*', 'Orders-*', 'Search-*']);
  });

  test('in a nested stack, admits the log groups of its parent and its own by the parent stack\'s name', () => {
    const app = newApp();
    const parent = new Stack(app, 'Parent');
    const nested = new NestedStack(parent, 'Logging');
    const key = new LogEncryptionKey(nested, 'Key');
    new logs.LogGroup(parent, 'Outer', { encryptionKey: key });
    new logs.LogGroup(nested, 'Inner', { encryptionKey: key });
    // A nested stack's physical name starts with its parent's, and a generated log group name with its stack's.
    expect(admittedNames(Template.fromStack(nested))).toEqual(['Parent-*']);
    expect(admits('Parent-*', 'Parent-LoggingNestedStackLoggingNestedStackResource1A2B3C4D-1X2Y3Z-InnerAbCdEf-AbCdEf123456')).toBe(true);
  });

  test('admits no name of an imported log group, which it cannot encrypt: only its stack\'s generated names', () => {
    const stack = newStack('Legacy');
    new LogEncryptionKey(stack, 'Key');
    logs.LogGroup.fromLogGroupName(stack, 'Imported', '/legacy/app');
    expect(admittedNames(Template.fromStack(stack))).toEqual(['Legacy-*']);
  });
});

describe('LogEncryptionKey in a platform stack, used by services in an application stack', () => {
  const { app, platform, cluster, logKey, loadBalancer, application } = ecsPlatformStacks();
  new LoadBalancedService(application, 'Web', {
    cluster, loadBalancer, logEncryptionKey: logKey, priority: 10, pathPatterns: ['/*'],
    image: ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine'), user: '101', writablePaths: ['/tmp'],
  });
  // Synthesizing fails on a reference cycle between the stacks.
  const assembly = app.synth();
  const platformTemplate = Template.fromJSON(assembly.getStackByName('Platform').template);
  const appTemplate = Template.fromJSON(assembly.getStackByName('Application').template);
  const keyPolicy = () => platformTemplate.toJSON().Resources[platform.getLogicalId(logKey.node.defaultChild as any)].Properties.KeyPolicy;

  test('admits the application stack\'s generated log group names through a literal pattern', () => {
    expect(logKey.admittedLogGroupNames()).toEqual(['Application-*']);
    expect(JSON.stringify(keyPolicy())).toContain(':log-group:Application-*');
    expect(JSON.stringify(keyPolicy())).not.toMatch(/ImportValue|GetStackOutput|log-group:\*"/);
  });

  test('lets every log group of the application stack that uses the key deploy under the pattern', () => {
    const names = deployedNames(application, appTemplate);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(logKey.admittedLogGroupNames().some((p) => admits(p, name))).toBe(true);
    }
  });

  test('keeps the platform stack independent of the application stack', () => {
    expect(assembly.getStackByName('Platform').dependencies.map((d) => d.id)).not.toContain('Application');
    expect(assembly.getStackByName('Application').dependencies.map((d) => d.id)).toContain('Platform');
  });

  test('has no unacknowledged finding in either stack', () => {
    expectNoComplianceFindings(platform);
    expectNoComplianceFindings(application);
  });
});
