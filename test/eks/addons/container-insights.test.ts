import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ContainerInsights } from '../../../lib/eks/addons/container-insights';
import { expectNoComplianceFindings } from '../../helpers';
import { clusterWith, Compute, customResourceId, logicalId, manifestObjects, synthWith, installationOf } from './addon-test-cluster';
import { AddonVersion } from '../../../lib/eks/addons/addon-version';

describe('ContainerInsights on a cluster with nodes and Fargate', () => {
  const insights = new ContainerInsights();
  const { cluster, template } = synthWith({ addons: [insights] });
  const logGroupId = logicalId(installationOf(insights).fargateLogGroup!);

  test('installs the amazon-cloudwatch-observability add-on with a Pod Identity role for its agent', () => {
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'amazon-cloudwatch-observability',
      AddonVersion: 'v6.6.0-eksbuild.1',
      PodIdentityAssociations: [{ ServiceAccount: 'cloudwatch-agent', RoleArn: { 'Fn::GetAtt': [logicalId(installationOf(insights).role!), 'Arn'] } }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchAgentServerPolicy']] }],
    });
  });

  test('keeps Fargate pod logs a year in a KMS-encrypted, retained log group', () => {
    const logGroup = template.toJSON().Resources[logGroupId];
    expect(logGroup).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', Properties: { RetentionInDays: 365, KmsKeyId: expect.anything() } });
    expect(logGroup.Properties.LogGroupName['Fn::Join'][1]).toContain('/fargate');
  });

  test('configures Fargate\'s log router: labelled aws-observability namespace and an aws-logging ConfigMap', () => {
    const [namespace, configMap] = manifestObjects(template, customResourceId(installationOf(insights).fargateLogging!));
    expect(namespace).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'aws-observability', labels: { 'aws-observability': 'enabled' } } });
    expect(configMap).toEqual(expect.objectContaining({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-logging', namespace: 'aws-observability' } }));
    const output: string = configMap.data['output.conf'];
    expect(output).toContain('Name cloudwatch_logs');
    expect(output).toContain(`log_group_name @@{'Ref':'${logGroupId}'}@@`);
    expect(output).toContain('auto_create_group false');
    expect(configMap.data.flb_log_cw).toBe('false');
  });

  test('lets every Fargate pod execution role write to that log group, through a managed policy', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      })] },
      Roles: [{ Ref: logicalId(cluster.fargateProfiles[0].podExecutionRole as any) }],
    });
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('ContainerInsights'));
  });

  test('fails when installed twice on one cluster', () => {
    expect(() => cluster.addAddon(new ContainerInsights())).toThrow(/'amazon-cloudwatch-observability' is already installed/);
  });
});

describe('ContainerInsights on a cluster without Fargate profiles', () => {
  test('sets up no Fargate logging', () => {
    const insights = new ContainerInsights();
    const { template } = synthWith({ addons: [insights], compute: Compute.NODES_ONLY });
    template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability' }, 1);
    expect(installationOf(insights).fargateLogging!).toBeUndefined();
    template.resourcePropertiesCountIs('AWS::IAM::ManagedPolicy', { Description: Match.stringLikeRegexp('Fargate log router') }, 0);
  });
});

describe('ContainerInsights on a Fargate-only cluster', () => {
  const insights = new ContainerInsights();
  const { stack, template } = synthWith({ addons: [insights], compute: Compute.FARGATE_ONLY });

  test('skips the add-on, whose agent is a DaemonSet, and warns why', () => {
    template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability' }, 0);
    Annotations.fromStack(stack).hasWarning('/Test/Cluster/ContainerInsights', Match.stringLikeRegexp('Fargate runs no DaemonSets'));
  });

  test('still ships pod logs through Fargate\'s log router', () => {
    expect(installationOf(insights).fargateLogging!).toBeDefined();
    const [namespace] = manifestObjects(template, customResourceId(installationOf(insights).fargateLogging!));
    expect(namespace.metadata.labels).toEqual({ 'aws-observability': 'enabled' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: { 'Fn::Join': ['', Match.arrayWith(['/fargate'])] }, RetentionInDays: 365 });
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(stack.node.findChild('Cluster').node.findChild('ContainerInsights'));
  });
});

describe('ContainerInsights validation', () => {
  test('fails when the Fargate logging ConfigMap exceeds the router\'s 5300 characters', () => {
    expect(() => clusterWith({ addons: [new ContainerInsights({ fargateLogFilters: `[FILTER]\n    Name grep\n${'    Exclude log healthz\n'.repeat(250)}` })] }))
      .toThrow(/fargateLogFilters: the aws-logging ConfigMap data would hold about \d+ characters.*rejects more than 5300/);
  });

  test('fails when Fargate logging meets a cluster without kubectl', () => {
    expect(() => clusterWith({ addons: [new ContainerInsights()], kubectl: false })).toThrow(/fargateLogging: the Fargate log router is configured by a Kubernetes ConfigMap/);
  });

  test('fails when version is not an EKS add-on version', () => {
    expect(() => new ContainerInsights({ version: AddonVersion.of('latest') })).toThrow(/version: not an EKS add-on version, got 'latest'/);
  });

});
