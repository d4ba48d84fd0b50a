import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { LoadBalancedService, LoadBalancedServiceProps, PlatformVpc, ServiceCompute, ServiceDeployment, ServiceImage, ServiceLoadBalancer, VpcLayout } from '../../lib';
import { complianceRuleIds, expectNoComplianceFindings, newStack } from '../helpers';

const CERT_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';
const IMAGE = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');

function cert(stack: Stack): acm.ICertificate {
  return acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN);
}

/** A cheap VPC for tests that only need one (validation, EC2 and deployment shapes). */
function plainVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { natGateways: 0, restrictDefaultSecurityGroup: false });
}

describe('LoadBalancedService on Fargate, compliant configuration (HTTPS, WAF, KMS-encrypted logs)', () => {
  const stack = newStack();
  const secret = new secretsmanager.Secret(stack, 'DbSecret');
  const svc = new LoadBalancedService(stack, 'Web', {
    image: ServiceImage.fromNewRepository('1.4.2'),
    loadBalancerOptions: { certificate: cert(stack) },
    environment: { LOG_LEVEL: 'info' },
    secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password') },
    writablePaths: ['/tmp'],
    serviceConnect: { namespace: 'internal.local' },
    requestsPerTarget: 500,
    scheduledScaling: [{ id: 'BusinessHours', schedule: appscaling.Schedule.cron({ hour: '7', minute: '0' }), minTasks: 4 }],
  });
  const template = Template.fromStack(stack);
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild);

  test('creates a PlatformVpc, an ECR repository with the registry defaults, and a cluster with enhanced Container Insights', () => {
    expect(svc.network).toBeDefined();
    expect(svc.repository).toBeDefined();
    template.hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: true }, ImageTagMutability: 'IMMUTABLE' });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }] });
  });

  test('runs an ARM64 Fargate task as a non-root user on a read-only root filesystem, with /tmp writable', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256', Memory: '512', RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      Volumes: [{ Name: 'writable-0' }],
      ContainerDefinitions: [Match.objectLike({
        Name: 'app', User: '1000', ReadonlyRootFilesystem: true,
        Image: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':1.4.2'])]) }),
        PortMappings: [Match.objectLike({ ContainerPort: 8080, Name: 'http' })],
        MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'writable-0', ReadOnly: false }],
        Environment: [{ Name: 'LOG_LEVEL', Value: 'info' }],
        Secrets: [Match.objectLike({ Name: 'DB_PASSWORD' })],
        LogConfiguration: Match.objectLike({ LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': { Ref: id(svc.logGroup) }, mode: 'non-blocking' }) }),
      })],
    });
  });

  test('logs to a retained log group encrypted with a key the CloudWatch Logs service may use', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [id(svc.logKey), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchLogsOfThisAccount' })]) },
      Description: Match.stringLikeRegexp('logs of Test/Web'),
    });
  });

  test('grants the execution role only the repository pull, the secret and the log group, in a managed policy', () => {
    const policy = (svc.executionRole.node.tryFindChild('Policy') as any);
    const statements = template.toJSON().Resources[stack.getLogicalId(policy.node.defaultChild)].Properties.PolicyDocument.Statement;
    const resources = statements.flatMap((s: any) => [].concat(s.Resource));
    expect(resources).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': [id(svc.repository), 'Arn'] }, { Ref: id(secret) }, { 'Fn::GetAtt': [id(svc.logGroup), 'Arn'] }]));
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('gives the task role no permission until one is granted', () => {
    expect(svc.taskRole.node.tryFindChild('Policy')).toBeUndefined();
  });

  test('deploys rolling at 100% minimum healthy with circuit-breaker rollback', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE', DesiredCount: 2,
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true }, Strategy: 'ROLLING' }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED', SecurityGroups: [{ 'Fn::GetAtt': [stack.getLogicalId(svc.securityGroup.node.defaultChild as any), 'GroupId'] }] }) },
      HealthCheckGracePeriodSeconds: 60,
    });
  });

  test('admits only the load balancer to the tasks, on the container port', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [stack.getLogicalId(svc.securityGroup.node.defaultChild as any), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(svc.loadBalancer!.securityGroup.node.defaultChild as any), 'GroupId'] },
      FromPort: 8080, ToPort: 8080,
    });
    const sg = template.toJSON().Resources[stack.getLogicalId(svc.securityGroup.node.defaultChild as any)];
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('routes every path at priority 100 to an IP target group with the health check defaults', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 100, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }] });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip', Port: 8080, HealthCheckPath: '/', Matcher: { HttpCode: '200-399' },
      HealthCheckIntervalSeconds: 30, HealthyThresholdCount: 2, UnhealthyThresholdCount: 3,
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
  });

  test('scales between 2 and 10 tasks on CPU, memory, requests and a schedule', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2, MaxCapacity: 10,
      ScheduledActions: [Match.objectLike({ ScalableTargetAction: { MinCapacity: 4 }, Schedule: 'cron(0 7 * * ? *)' })],
    });
    for (const metric of ['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization', 'ALBRequestCountPerTarget']) {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: metric }) }),
      });
    }
  });

  test('joins Service Connect in an HTTP namespace', () => {
    template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
    template.hasResourceProperties('AWS::ECS::Service', { ServiceConnectConfiguration: Match.objectLike({ Enabled: true, Services: [Match.objectLike({ PortName: 'http' })] }) });
  });

  test('has no unacknowledged finding in the four packs', () => {
    // The secret is the test's own, not the service's.
    expectNoComplianceFindings(svc);
  });
});

describe('LoadBalancedService with ECS Exec (writable root filesystem)', () => {
  const stack = newStack();
  const svc = new LoadBalancedService(stack, 'Web', {
    image: IMAGE,
    loadBalancerOptions: { certificate: cert(stack) },
    enableExecuteCommand: true,
    readonlyRootFilesystem: false,
  });
  const template = Template.fromStack(stack);
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild);

  test('gives the task role nothing but ECS Exec', () => {
    const policy = (svc.taskRole.node.tryFindChild('Policy') as any);
    const statements = template.toJSON().Resources[stack.getLogicalId(policy.node.defaultChild)].Properties.PolicyDocument.Statement;
    expect(statements.flatMap((s: any) => [].concat(s.Action)).every((a: string) => /^(ssmmessages|logs|kms):/.test(a))).toBe(true);
  });

  test('encrypts and logs ECS Exec sessions through the cluster', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: { ExecuteCommandConfiguration: {
        KmsKeyId: { 'Fn::GetAtt': [id(svc.logKey), 'Arn'] }, Logging: 'OVERRIDE',
        LogConfiguration: { CloudWatchLogGroupName: { Ref: id(svc.execLogGroup) }, CloudWatchEncryptionEnabled: true },
      } },
    });
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
  });

  test('leaves only the writable root filesystem visible to the audit', () => {
    // ECS Exec needs it; the finding is the price of shell access and stays visible.
    expect(complianceRuleIds(svc)).toEqual(['ContainerPlatform-ECS3[Container::app]']);
  });
});

describe('LoadBalancedService defaults', () => {
  test('serves plain HTTP without a certificate and leaves the HTTPS findings visible', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack) });
    expect(svc.loadBalancer!.redirectListener).toBeUndefined();
    expect(complianceRuleIds(svc)).toEqual(expect.arrayContaining(['NIST.800.53.R5-ALBHttpToHttpsRedirection', 'PCI.DSS.321-ALBHttpToHttpsRedirection', 'HIPAA.Security-ALBHttpToHttpsRedirection']));
  });

  test('mixes Fargate Spot above an on-demand base through the cluster capacity providers', () => {
    const stack = newStack();
    new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack), compute: ServiceCompute.fargate({ spot: true, onDemandBase: 2, spotWeight: 4 }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']) });
    template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 2, Weight: 1 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 4 }],
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' } });
  });

  test('warns when the container runs as root', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack), user: 'root' });
    Annotations.fromStack(stack).hasWarning(`/${svc.node.path}`, Match.stringLikeRegexp('user: the container runs as root'));
  });
});

describe('LoadBalancedService with CloudFormation parameters', () => {
  test('synthesizes parameter-driven task counts, skipping their order check with a warning', () => {
    const stack = newStack();
    const min = new CfnParameter(stack, 'MinTasks', { type: 'Number', default: 2 }).valueAsNumber;
    const max = new CfnParameter(stack, 'MaxTasks', { type: 'Number', default: 6 }).valueAsNumber;
    const desired = new CfnParameter(stack, 'DesiredTasks', { type: 'Number', default: 3 }).valueAsNumber;
    const svc = new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack), minTasks: min, maxTasks: max, desiredCount: desired });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: { Ref: 'MinTasks' }, MaxCapacity: { Ref: 'MaxTasks' } });
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: { Ref: 'DesiredTasks' } });
    Annotations.fromStack(stack).hasWarning(`/${svc.node.path}`, Match.stringLikeRegexp('minTasks, maxTasks and desiredCount: some are tokens'));
  });

  test('warns when ECS Exec is asked of a cluster the service did not create (its session settings are the cluster\'s)', () => {
    const stack = newStack();
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: plainVpc(stack) });
    const svc = new LoadBalancedService(stack, 'Web', { image: IMAGE, cluster, enableExecuteCommand: true, readonlyRootFilesystem: false });
    Annotations.fromStack(stack).hasWarning(`/${svc.node.path}`, Match.stringLikeRegexp('^enableExecuteCommand: session encryption and logging are settings of the cluster, which this service did not create, got cluster Test/Cluster;'));
  });

  test('warns when minHealthyPercent is below 100, and not when it is a parameter', () => {
    const stack = newStack();
    const vpc = plainVpc(stack);
    const low = new LoadBalancedService(stack, 'Low', { image: IMAGE, vpc, deployment: ServiceDeployment.rolling({ minHealthyPercent: 50 }) });
    const minHealthyPercent = new CfnParameter(stack, 'MinHealthy', { type: 'Number', default: 100 }).valueAsNumber;
    const param = new LoadBalancedService(stack, 'Param', { image: IMAGE, vpc, deployment: ServiceDeployment.rolling({ minHealthyPercent }) });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: { Ref: 'MinHealthy' } }) });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning(`/${low.node.path}`, Match.stringLikeRegexp('deployment: minHealthyPercent 50 stops tasks before their replacements are healthy'));
    expect(annotations.findWarning(`/${param.node.path}`, Match.anyValue())).toEqual([]);
  });
});

describe('LoadBalancedService accepts good inputs', () => {
  test('takes valid names, codes, intervals, retention, routes and schedules without a warning', () => {
    const stack = newStack();
    const schedule = appscaling.Schedule.cron({ hour: '7', minute: '0' });
    const svc = new LoadBalancedService(stack, 'Web', {
      image: IMAGE, vpc: plainVpc(stack),
      serviceName: 'Orders_api-2', user: 'app.user:1000',
      healthCheckCodes: '200,202-204,300-300',
      healthCheckInterval: Duration.seconds(7),
      logRetention: logs.RetentionDays.TWO_WEEKS,
      pathPatterns: ['/api/*', '/v2/*', '/health'],
      hostHeaders: ['api.example.com', '*.example.org'],
      scheduledScaling: [{ id: 'Morning', schedule, minTasks: 4, maxTasks: 10 }, { id: 'Night', schedule, minTasks: 2 }],
      enableExecuteCommand: true, readonlyRootFilesystem: false,
      compute: ServiceCompute.fargate({ platformVersion: ecs.FargatePlatformVersion.VERSION1_4 }),
    });
    expect(svc.service).toBeDefined();
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
  });
  test('takes an EC2 task that fits its instance type, and INFINITE retention', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Web', {
      image: IMAGE, vpc: plainVpc(stack), logRetention: logs.RetentionDays.INFINITE,
      compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large'), cpu: 2048, memoryLimitMiB: 7680 }),
    });
    expect(svc.ec2Service).toBeDefined();
  });
});

describe('LoadBalancedService validation', () => {
  function attempt(props: Partial<LoadBalancedServiceProps>): () => void {
    return () => {
      const stack = newStack();
      new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack), ...props } as LoadBalancedServiceProps);
    };
  }
  const daemon = ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large'), daemon: true });

  test('fails when the container port is outside 1-65535', () => {
    expect(attempt({ containerPort: 70000 })).toThrow(/containerPort: must be a whole number from 1 to 65535, got 70000/);
  });
  test('fails when minTasks exceeds maxTasks', () => {
    expect(attempt({ minTasks: 5, maxTasks: 3 })).toThrow(/minTasks and maxTasks: minTasks must not exceed maxTasks, got 5 > 3/);
  });
  test('fails when the desired count is outside [minTasks, maxTasks]', () => {
    expect(attempt({ desiredCount: 12 })).toThrow(/desiredCount: must be a whole number within \[minTasks, maxTasks\] = \[2, 10\], got 12/);
  });
  test('fails when a DAEMON service is given a desired count', () => {
    expect(attempt({ compute: daemon, desiredCount: 2 })).toThrow(/desiredCount: a DAEMON service runs one task per container instance/);
  });
  test('fails when a DAEMON service is given scheduled scaling', () => {
    expect(attempt({ compute: daemon, scheduledScaling: [{ id: 'X', schedule: appscaling.Schedule.rate(Duration.hours(1)), minTasks: 1 }] })).toThrow(/scheduledScaling: a DAEMON service has no task count/);
  });
  test('fails when a DAEMON service deploys blue/green', () => {
    expect(attempt({ compute: daemon, deployment: ServiceDeployment.blueGreen() })).toThrow(/deployment: ECS blue\/green, canary and linear deployments need REPLICA scheduling/);
  });
  test('fails when the health check path does not start with /', () => {
    expect(attempt({ healthCheckPath: 'health' })).toThrow(/healthCheckPath: must start with '\/'.*got 'health'/);
  });
  test('fails when the health check codes are not ALB codes', () => {
    expect(attempt({ healthCheckCodes: '500' })).toThrow(/healthCheckCodes: ALB takes codes 200-499.*got '500'/);
  });
  test('fails when the health check interval is outside 7-300 seconds', () => {
    expect(attempt({ healthCheckInterval: Duration.seconds(2) })).toThrow(/healthCheckInterval: ALB checks every 7 to 300 whole seconds here, got 2 seconds/);
    expect(attempt({ healthCheckInterval: Duration.minutes(6) })).toThrow(/healthCheckInterval: .*got 6 minutes/);
  });
  test('fails when the health check interval is not longer than the default health check timeout', () => {
    // ELB accepts 5 s alone, but not with its default 5-6 s timeout, which the target group leaves unset.
    expect(attempt({ healthCheckInterval: Duration.seconds(5) })).toThrow(/healthCheckInterval: .*got 5 seconds; the interval must exceed the target group's default health check timeout/);
    expect(attempt({ healthCheckInterval: Duration.millis(7500) })).toThrow(/healthCheckInterval: .*whole seconds/);
  });
  test('fails when a health check code range is reversed', () => {
    expect(attempt({ healthCheckCodes: '200,299-200' })).toThrow(/healthCheckCodes: a range must start at or below its end, got '299-200' in '200,299-200'/);
  });
  test('fails when the service name is not an ECS service name', () => {
    expect(attempt({ serviceName: 'orders.api' })).toThrow(/serviceName: ECS service names are 1 to 255 letters, digits, hyphens and underscores, got 'orders.api'/);
    expect(attempt({ serviceName: 'a'.repeat(256) })).toThrow(/serviceName: ECS service names are 1 to 255/);
    expect(attempt({ serviceName: '' })).toThrow(/serviceName: /);
  });
  test('fails when the log retention is a number CloudWatch Logs does not accept', () => {
    // TypeScript needs a cast; JavaScript and Python callers can pass any number.
    expect(attempt({ logRetention: 45 as logs.RetentionDays })).toThrow(/logRetention: CloudWatch Logs keeps logs for one of 1, 3, 5, .* days \(or INFINITE\), got 45/);
    expect(attempt({ logRetention: 0 as logs.RetentionDays })).toThrow(/logRetention: .*got 0/);
  });
  test('fails when ECS Exec meets a read-only root filesystem, by default or explicitly', () => {
    expect(attempt({ enableExecuteCommand: true })).toThrow(/enableExecuteCommand and readonlyRootFilesystem: ECS Exec's SSM agent must write to the container's root filesystem, got enableExecuteCommand: true with readonlyRootFilesystem: true \(the default\); set readonlyRootFilesystem: false/);
    expect(attempt({ enableExecuteCommand: true, readonlyRootFilesystem: true, writablePaths: ['/tmp'] })).toThrow(/enableExecuteCommand and readonlyRootFilesystem: .*got enableExecuteCommand: true with readonlyRootFilesystem: true;/);
  });
  test('fails when ECS Exec or Service Connect run on a Fargate platform version before 1.4.0', () => {
    const old = ServiceCompute.fargate({ cpuArchitecture: ecs.CpuArchitecture.X86_64, platformVersion: ecs.FargatePlatformVersion.VERSION1_3 });
    expect(attempt({ compute: old, enableExecuteCommand: true, readonlyRootFilesystem: false })).toThrow(/enableExecuteCommand and platformVersion: ECS Exec needs Fargate platform version 1.4.0 or later, got 1.3.0/);
    expect(attempt({ compute: old, serviceConnect: { namespace: 'internal.local' } })).toThrow(/serviceConnect and platformVersion: Service Connect needs Fargate platform version 1.4.0 or later, got 1.3.0/);
  });
  test('fails when two scheduled actions share an id', () => {
    const schedule = appscaling.Schedule.cron({ hour: '7', minute: '0' });
    expect(attempt({ scheduledScaling: [{ id: 'Morning', schedule, minTasks: 4 }, { id: 'Morning', schedule, minTasks: 2 }] }))
      .toThrow(/scheduledScaling: action id 'Morning' is used twice/);
  });
  test('fails when a scheduled action sets a task count that is not a whole number', () => {
    const schedule = appscaling.Schedule.cron({ hour: '7', minute: '0' });
    expect(attempt({ scheduledScaling: [{ id: 'Morning', schedule, minTasks: 2.5 }] })).toThrow(/scheduledScaling \(action 'Morning'\) minTasks: must be a whole number from 0 to 5000, got 2.5/);
    expect(attempt({ scheduledScaling: [{ id: 'Night', schedule, maxTasks: 0 }] })).toThrow(/scheduledScaling \(action 'Night'\) maxTasks: must be a whole number from 1 to 5000, got 0/);
  });
  test('fails when a condition of the listener rule has more values than ALB takes', () => {
    expect(attempt({ pathPatterns: ['/a/*', '/b/*', '/c/*', '/d/*'] })).toThrow(/pathPatterns: an ALB rule condition takes at most 3 values, got 4/);
    expect(attempt({ hostHeaders: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'] })).toThrow(/hostHeaders: an ALB rule condition takes at most 3 values, got 4/);
  });
  test('fails when the listener rule has more than five condition values or wildcards in total', () => {
    expect(attempt({ pathPatterns: ['/a', '/b', '/c'], hostHeaders: ['a.example.com', 'b.example.com', 'c.example.com'] })).toThrow(/pathPatterns and hostHeaders: an ALB rule takes at most 5 condition values in total, got 6/);
    expect(attempt({ pathPatterns: ['/a/*', '/b/*', '/c/*'], hostHeaders: ['*.example.com', '*.example.org', '*.example.net'] })).toThrow(/pathPatterns and hostHeaders: an ALB rule takes at most 5 condition values in total/);
    expect(attempt({ pathPatterns: ['/a/*/*', '/b/*/*', '/c/*/*'] })).toThrow(/pathPatterns and hostHeaders: an ALB rule takes at most 5 wildcards \('\*' or '\?'\) in total, got 6/);
  });
  test('fails when a path pattern or host is listed twice', () => {
    expect(attempt({ pathPatterns: ['/api/*', '/api/*'] })).toThrow(/pathPatterns: each value may appear once/);
  });
  test('fails when Fargate tasks would run in public subnets without a public IP', () => {
    const stack = newStack();
    const publicOnly = new PlatformVpc(stack, 'Net', { layout: VpcLayout.PUBLIC_ONLY });
    expect(() => new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: publicOnly.vpc })).toThrow(/vpcSubnets: Fargate tasks get no public IP from this library, so in public subnets they cannot reach ECR, ECS or CloudWatch Logs, got the VPC's only \(public\) subnets; run them in private subnets/);
    expect(attempt({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })).toThrow(/vpcSubnets: Fargate tasks get no public IP .*got a selection of public subnets/);
  });
  test('fails when EC2 container instances would run in public subnets', () => {
    expect(attempt({ compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large') }), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
      .toThrow(/vpcSubnets: EC2 container instances get no public IP from this library/);
  });
  test('fails when the shared load balancer is in another VPC', () => {
    const stack = newStack();
    const loadBalancer = new ServiceLoadBalancer(stack, 'Lb', { vpc: new ec2.Vpc(stack, 'LbVpc', { natGateways: 0, restrictDefaultSecurityGroup: false }) });
    expect(() => new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack), loadBalancer })).toThrow(/loadBalancer: the shared load balancer is in another VPC than the service, got Test\/LbVpc for the load balancer and Test\/Vpc for the service/);
    const imported = new ServiceLoadBalancer(stack, 'Lb2', { vpc: ec2.Vpc.fromVpcAttributes(stack, 'Other', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-1'], publicSubnetIds: ['subnet-2'] }) });
    const serviceVpc = ec2.Vpc.fromVpcAttributes(stack, 'Mine', { vpcId: 'vpc-0fedcba9876543210', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-3'] });
    expect(() => new LoadBalancedService(stack, 'Web2', { image: IMAGE, vpc: serviceVpc, loadBalancer: imported })).toThrow(/loadBalancer: .*got vpc-0123456789abcdef0 for the load balancer and vpc-0fedcba9876543210 for the service/);
  });
  test('fails when its own internet-facing load balancer meets a VPC without public subnets', () => {
    const stack = newStack();
    const privateOnly = new PlatformVpc(stack, 'Net', { layout: VpcLayout.PRIVATE_ONLY });
    expect(() => new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: privateOnly.vpc })).toThrow(/internetFacing: an internet-facing load balancer needs public subnets, got a VPC without any/);
  });
  test('fails when the user is not an ECS user, uid, user:group or uid:gid', () => {
    expect(attempt({ user: 'app user' })).toThrow(/user: ECS takes a user or uid, optionally with ':' and a group or gid, got 'app user'/);
    expect(attempt({ user: '1000:' })).toThrow(/user: .*got '1000:'/);
    expect(attempt({ user: '1000:1000:1' })).toThrow(/user: .*got '1000:1000:1'/);
  });
  test('warns when Fargate Spot runs on an imported cluster whose capacity providers it cannot set', () => {
    const stack = newStack();
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'platform', vpc: plainVpc(stack) });
    const svc = new LoadBalancedService(stack, 'Web', { image: IMAGE, cluster, compute: ServiceCompute.fargate({ spot: true }) });
    Annotations.fromStack(stack).hasWarning(`/${svc.node.path}`, Match.stringLikeRegexp('compute: Fargate Spot needs the FARGATE and FARGATE_SPOT capacity providers on the cluster, got an imported cluster'));
  });
  test('warns when a non-root container is given a port below 1024', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack), containerPort: 80 });
    Annotations.fromStack(stack).hasWarning(`/${svc.node.path}`, Match.stringLikeRegexp('containerPort: a process running as a non-root user usually cannot bind ports below 1024'));
  });
  test('warns and skips the fit check when the EC2 instance type is unknown', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack), compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('x2gd.large'), memoryLimitMiB: 65536 }) });
    Annotations.fromStack(stack).hasWarning(`/${svc.node.path}`, Match.stringLikeRegexp('instanceType: the library knows .* got x2gd.large; the check that the task .* fits one instance was skipped'));
  });
  test('fails when a threshold count is outside 2-10', () => {
    expect(attempt({ unhealthyThresholdCount: 11 })).toThrow(/unhealthyThresholdCount: must be a whole number from 2 to 10, got 11/);
  });
  test('fails when the deregistration delay exceeds an hour, or a delay is not whole seconds', () => {
    expect(attempt({ deregistrationDelay: Duration.hours(2) })).toThrow(/deregistrationDelay: must be 0 to 3600 whole seconds/);
    expect(attempt({ deregistrationDelay: Duration.millis(1500) })).toThrow(/^deregistrationDelay: must be 0 to 3600 whole seconds, got 1 second 500 millis;/);
    expect(attempt({ healthCheckGracePeriod: Duration.millis(500) })).toThrow(/^healthCheckGracePeriod: must be 0 to 2147483647 whole seconds, got 500 millis/);
  });
  test('fails when a target utilization is not a percentage', () => {
    expect(attempt({ cpuTargetPercent: 150 })).toThrow(/cpuTargetPercent: a target utilization is a percentage above 0 and at most 100, got 150/);
  });
  test('fails when a scheduled action changes nothing', () => {
    expect(attempt({ scheduledScaling: [{ id: 'Noop', schedule: appscaling.Schedule.rate(Duration.hours(1)) }] })).toThrow(/scheduledScaling: action 'Noop' changes nothing/);
  });
  test('fails when an environment variable looks like a secret', () => {
    expect(attempt({ environment: { DB_PASSWORD: 'hunter2' } })).toThrow(/environment: 'DB_PASSWORD' looks like a secret.*pass it in secrets/);
  });
  test('fails when a name is both an environment variable and a secret', () => {
    const stack = newStack();
    const secret = ecs.Secret.fromSecretsManager(new secretsmanager.Secret(stack, 'S'));
    expect(() => new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack), environment: { DB_HOST: 'x' }, secrets: { DB_HOST: secret } })).toThrow(/environment and secrets: 'DB_HOST' is set in both/);
  });
  test('fails when a writable path is relative', () => {
    expect(attempt({ writablePaths: ['tmp'] })).toThrow(/writablePaths: each path must be an absolute directory other than '\/', got 'tmp'/);
  });
  test('fails when the Service Connect namespace is blank', () => {
    expect(attempt({ serviceConnect: { namespace: ' ' } })).toThrow(/^serviceConnect.namespace: an empty namespace name, got ' '; name the Cloud Map namespace/);
  });
  test('fails when a writable path is listed twice', () => {
    expect(attempt({ writablePaths: ['/tmp', '/tmp'] })).toThrow(/writablePaths: each path may appear once/);
  });
  test('fails when writable paths are given with a writable root filesystem', () => {
    expect(attempt({ readonlyRootFilesystem: false, writablePaths: ['/tmp'] })).toThrow(/writablePaths: the root filesystem is already writable/);
  });
  test('fails when both cluster and vpc are given', () => {
    const stack = newStack();
    const vpc = plainVpc(stack);
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    expect(() => new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc, cluster })).toThrow(/cluster and vpc: the service runs in the cluster's VPC, got both/);
  });
  test('fails when a shared load balancer is combined with load balancer options', () => {
    const stack = newStack();
    const vpc = plainVpc(stack);
    const loadBalancer = new ServiceLoadBalancer(stack, 'Lb', { vpc });
    expect(() => new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc, loadBalancer, loadBalancerOptions: { internetFacing: false } })).toThrow(/loadBalancer and loadBalancerOptions: .*got a shared loadBalancer as well/);
  });
  test('fails when EC2 compute is given an imported cluster', () => {
    const stack = newStack();
    const vpc = plainVpc(stack);
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'platform', vpc });
    expect(() => new LoadBalancedService(stack, 'Web', { image: IMAGE, cluster, compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large') }) })).toThrow(/cluster: EC2 compute adds an Auto Scaling group capacity provider to its cluster, got an imported cluster/);
  });
  test('fails when two services on a shared load balancer take the same priority', () => {
    const stack = newStack();
    const vpc = plainVpc(stack);
    const loadBalancer = new ServiceLoadBalancer(stack, 'Lb', { vpc });
    const first = new LoadBalancedService(stack, 'First', { image: IMAGE, vpc, loadBalancer });
    expect(() => new LoadBalancedService(stack, 'Second', { image: IMAGE, cluster: first.cluster, loadBalancer, pathPatterns: ['/api/*'] })).toThrow(/priority: 100 is already used on Test\/Lb by Test\/First, got it again for Test\/Second/);
  });
});

describe('LoadBalancedService behind an internal load balancer', () => {
  test('has no unacknowledged finding in the five packs, and admits only the VPC to the load balancer', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE, loadBalancerOptions: { internetFacing: false, certificate: cert(stack) } });
    expectNoComplianceFindings(svc);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Clients to the load balancer Test/Svc/LoadBalancer',
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 443 })]),
    });
  });
});
