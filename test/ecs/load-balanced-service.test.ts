import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { LoadBalancedService, LoadBalancedServiceProps, ServiceCompute, ServiceDeployment, ServiceImage, ServiceLoadBalancer } from '../../lib';
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

describe('LoadBalancedService on Fargate, compliant configuration (HTTPS, WAF, KMS-encrypted logs, ECS Exec)', () => {
  const stack = newStack();
  const secret = new secretsmanager.Secret(stack, 'DbSecret');
  const svc = new LoadBalancedService(stack, 'Web', {
    image: ServiceImage.fromNewRepository('1.4.2'),
    loadBalancerOptions: { certificate: cert(stack) },
    environment: { LOG_LEVEL: 'info' },
    secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password') },
    writablePaths: ['/tmp'],
    enableExecuteCommand: true,
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
      DeletionPolicy: 'Retain',
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
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(svc.loadBalancer.securityGroup.node.defaultChild as any), 'GroupId'] },
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

describe('LoadBalancedService defaults', () => {
  test('serves plain HTTP without a certificate and leaves the HTTPS findings visible', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Web', { image: IMAGE, vpc: plainVpc(stack) });
    expect(svc.loadBalancer.redirectListener).toBeUndefined();
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
  test('fails when the health check interval is outside 5-300 seconds', () => {
    expect(attempt({ healthCheckInterval: Duration.seconds(2) })).toThrow(/healthCheckInterval: ALB checks every 5 to 300 seconds, got 2 seconds/);
  });
  test('fails when a threshold count is outside 2-10', () => {
    expect(attempt({ unhealthyThresholdCount: 11 })).toThrow(/unhealthyThresholdCount: must be a whole number from 2 to 10, got 11/);
  });
  test('fails when the deregistration delay exceeds an hour', () => {
    expect(attempt({ deregistrationDelay: Duration.hours(2) })).toThrow(/deregistrationDelay: must be 0 to 3600 seconds/);
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
