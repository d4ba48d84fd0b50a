import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { ComplianceReport, LogEncryptionKey, PlatformCluster } from '../../lib';
import { expectNoComplianceFindings, newApp, newStack } from '../helpers';

const HANDLER_DESCRIPTION = 'onEvent handler for EKS kubectl resource provider';

/** The kubectl handler function and the provider framework function aws-eks-v2 created. */
function providerFunctions(platform: PlatformCluster): lambda.Function[] {
  const provider = platform.cluster.node.findChild('KubectlProvider');
  return [provider.node.findChild('Handler'), provider.node.findChild('Provider').node.findChild('framework-onEvent')] as lambda.Function[];
}

const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId((c.node.defaultChild ?? c) as any);

describe('the kubectl handler of a default PlatformCluster', () => {
  const stack = newStack();
  const platform = new PlatformCluster(stack, 'Platform', { nodegroups: [{ id: 'N' }] });
  const template = Template.fromStack(stack);
  const [handler, framework] = providerFunctions(platform);
  const grants = () => template.toJSON().Resources[logicalId(platform.kubectlRole!.node.findChild('Policy'))].Properties.PolicyDocument.Statement;

  test('runs with the library\'s role, which carries only its customer-managed policy', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: HANDLER_DESCRIPTION,
      Role: { 'Fn::GetAtt': [logicalId(platform.kubectlRole!), 'Arn'] },
    });
    expect(template.toJSON().Resources[logicalId(platform.kubectlRole!)].Properties.ManagedPolicyArns)
      .toEqual([{ Ref: logicalId(platform.kubectlRole!.node.findChild('Policy')) }]);
  });

  test('gives the handler no inline policy', () => {
    const inline = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(logicalId(platform.kubectlRole!)));
    expect(inline).toEqual([]);
  });

  test('lets the handler describe only its cluster and write only its own log group', () => {
    expect(grants()).toEqual(expect.arrayContaining([
      { Action: 'eks:DescribeCluster', Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(platform.cluster), 'Arn'] } },
      { Sid: 'WriteOwnLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(handler.node.findChild('LogGroup')), 'Arn'] } },
    ]));
  });

  test('lets the handler manage network interfaces of this account and region only, and describe them', () => {
    expect(grants()).toContainEqual({ Sid: 'DescribeNetworkInterfaces', Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'], Effect: 'Allow', Resource: '*' });
    const manage = grants().find((s: any) => s.Sid === 'ManageNetworkInterfaces');
    expect(manage.Action).toEqual(['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses']);
    expect(stack.resolve(manage.Resource)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*/*']] });
  });

  test('gives the handler no ECR access and no AWS managed policy', () => {
    const text = JSON.stringify(template.toJSON().Resources[logicalId(platform.kubectlRole!)]) + JSON.stringify(grants());
    expect(text).not.toMatch(/ecr|iam::aws:policy/);
    expect(Object.keys(template.toJSON().Conditions ?? {}).filter((c) => c.includes('HasEcrPublic'))).toEqual([]);
  });

  test('encrypts the handler\'s and the framework\'s log groups with the cluster\'s log key and keeps them a year', () => {
    for (const fn of [handler, framework]) {
      const group = fn.node.findChild('LogGroup') as logs.LogGroup;
      const resource = template.toJSON().Resources[logicalId(group)];
      expect(resource.Properties).toEqual({ KmsKeyId: { 'Fn::GetAtt': [logicalId(platform.logKey!), 'Arn'] }, RetentionInDays: 365 });
      expect(template.toJSON().Resources[logicalId(fn)].Properties.LoggingConfig).toEqual(expect.objectContaining({ LogGroup: { Ref: logicalId(group) } }));
    }
  });

  test('acknowledges nothing that no finding needs', () => {
    expect(ComplianceReport.check(stack, ComplianceReport.platformPacks()).unmatchedAcknowledgements).toEqual([]);
  });

  test('lets a grant to kubectlRole, such as a chart repository pull, land in its customer-managed policy', () => {
    const s = newStack();
    const p = new PlatformCluster(s, 'Platform');
    ecr.Repository.fromRepositoryName(s, 'Charts', 'charts').grantPull(p.kubectlRole!);
    const t = Template.fromStack(s);
    expect(JSON.stringify(t.toJSON().Resources[logicalId(p.kubectlRole!.node.findChild('Policy'))])).toContain('ecr:BatchGetImage');
    expect(Object.values<any>(t.findResources('AWS::IAM::Policy')).filter((r) => JSON.stringify(r.Properties.Roles).includes(logicalId(p.kubectlRole!)))).toEqual([]);
  });
});

describe('the kubectl handler role after construction', () => {
  test('keeps an AWS managed policy the user attaches, even one aws-eks-v2\'s was declined for', () => {
    const stack = newStack();
    const platform = new PlatformCluster(stack, 'Platform');
    platform.kubectlRole!.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryReadOnly'));
    const arns = JSON.stringify(Template.fromStack(stack).toJSON().Resources[logicalId(platform.kubectlRole!)].Properties.ManagedPolicyArns);
    expect(arns).toContain(':iam::aws:policy/AmazonEC2ContainerRegistryReadOnly');
  });
});

describe('the kubectl handler in a stack with an account and region', () => {
  test('has no unacknowledged finding: the network-interface grant is acknowledged as rendered, with literal region and account', () => {
    const stack = new Stack(newApp(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    new PlatformCluster(stack, 'Platform', { nodegroups: [{ id: 'N' }] });
    expectNoComplianceFindings(stack);
    expect(ComplianceReport.check(stack, ComplianceReport.platformPacks()).unmatchedAcknowledgements).toEqual([]);
  });
});

describe('the kubectl handler in an app without @aws-cdk/aws-lambda:useCdkManagedLogGroup', () => {
  test('still gets an encrypted, bounded log group of its own and the grant to write it', () => {
    const stack = new Stack(new App(), 'Test');
    const platform = new PlatformCluster(stack, 'Platform', { nodegroups: [{ id: 'N' }] });
    const template = Template.fromStack(stack);
    const [handler, framework] = providerFunctions(platform);
    for (const fn of [handler, framework]) {
      const group = fn.node.findChild('EncryptedLogGroup') as logs.LogGroup;
      expect(template.toJSON().Resources[logicalId(group)].Properties).toEqual({ KmsKeyId: { 'Fn::GetAtt': [logicalId(platform.logKey!), 'Arn'] }, RetentionInDays: 365 });
      expect(template.toJSON().Resources[logicalId(fn)].Properties.LoggingConfig).toEqual(expect.objectContaining({ LogGroup: { Ref: logicalId(group) } }));
    }
    const grants = template.toJSON().Resources[logicalId(platform.kubectlRole!.node.findChild('Policy'))].Properties.PolicyDocument.Statement;
    expect(grants).toContainEqual({ Sid: 'WriteOwnLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalId(handler.node.findChild('EncryptedLogGroup')), 'Arn'] } });
  });
});

describe('the kubectl handler with a given log key and retention', () => {
  test('writes its logs with that key for that long, and has no unacknowledged finding', () => {
    const stack = newStack();
    const key = new LogEncryptionKey(stack, 'SharedLogKey');
    const platform = new PlatformCluster(stack, 'Platform', { logKey: key, logRetention: logs.RetentionDays.THREE_MONTHS });
    const template = Template.fromStack(stack);
    for (const fn of providerFunctions(platform)) {
      expect(template.toJSON().Resources[logicalId(fn.node.findChild('LogGroup'))].Properties)
        .toEqual({ KmsKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] }, RetentionInDays: 90 });
    }
    expectNoComplianceFindings(stack);
  });

  test('has no kubectl role with kubectl: false', () => {
    const platform = new PlatformCluster(newStack(), 'Platform', { kubectl: false, admins: [iam.Role.fromRoleArn(newStack(), 'A', 'arn:aws:iam::111122223333:role/admin')] });
    expect(platform.kubectlRole).toBeUndefined();
  });
});
