import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ContainerInstanceImage, LoadBalancedService, ServiceCompute, ServiceDeployment, ServiceImage } from '../../lib';
import { expectNoComplianceFindings, newStack } from '../helpers';

const IMAGE = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');

describe('LoadBalancedService on EC2 (AL2023, binpack)', () => {
  const stack = newStack();
  const svc = new LoadBalancedService(stack, 'Svc', {
    image: IMAGE,
    compute: ServiceCompute.ec2({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
      placementStrategies: [ecs.PlacementStrategy.packedByMemory()],
      placementConstraints: [ecs.PlacementConstraint.distinctInstances()],
    }),
  });
  const template = Template.fromStack(stack);

  test('launches ARM64 ECS-optimized AL2023 instances with IMDSv2 required and an encrypted gp3 root volume', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: 'm7g.large',
        ImageId: { Ref: Match.stringLikeRegexp('SsmParameterValue.*amazonlinux2023.*arm64') },
        MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true, VolumeType: 'gp3', VolumeSize: 30 }) }],
        Monitoring: { Enabled: true },
      }),
    });
  });

  test('scales the group by ECS managed scaling, with managed draining and no termination protection (deletes cleanly)', () => {
    template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: Match.objectLike({
        ManagedScaling: Match.objectLike({ Status: 'ENABLED', TargetCapacity: 100 }),
        ManagedTerminationProtection: 'DISABLED',
        ManagedDraining: 'ENABLED',
      }),
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '2', MaxSize: '6' });
    const group = template.toJSON().Resources[stack.getLogicalId(svc.autoScalingGroup!.node.defaultChild as any)];
    expect(group.Properties.NewInstancesProtectedFromScaleIn).toBeUndefined();
  });

  test('places tasks by binpack with its constraints through the capacity provider, and deletes the service before its instances', () => {
    const service = template.toJSON().Resources[stack.getLogicalId(svc.service.node.defaultChild as any)];
    expect(service.Properties.PlacementStrategies).toEqual([{ Type: 'binpack', Field: 'MEMORY' }]);
    expect(service.Properties.PlacementConstraints).toEqual([{ Type: 'distinctInstance' }]);
    expect(service.Properties.CapacityProviderStrategy).toEqual([{ CapacityProvider: stack.resolve(svc.capacityProvider!.capacityProviderName), Weight: 1 }]);
    expect(service.DependsOn).toEqual(expect.arrayContaining([stack.getLogicalId(svc.autoScalingGroup!.node.defaultChild as any)]));
  });

  test('runs awsvpc tasks with a task size and no privileged container', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      NetworkMode: 'awsvpc', RequiresCompatibilities: ['EC2'],
      ContainerDefinitions: [Match.objectLike({ Cpu: 256, Memory: 512, Privileged: false, User: '1000', ReadonlyRootFilesystem: true })],
    });
  });
});

describe('LoadBalancedService on EC2, DAEMON on Bottlerocket', () => {
  const stack = newStack();
  const svc = new LoadBalancedService(stack, 'Agent', {
    image: IMAGE,
    compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7i.large'), machineImage: ContainerInstanceImage.BOTTLEROCKET, daemon: true }),
  });
  const template = Template.fromStack(stack);

  test('schedules one task per instance, half the instances at a time, without auto scaling or capacity provider strategy', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      SchedulingStrategy: 'DAEMON', LaunchType: 'EC2',
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 50, MaximumPercent: 100 }),
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    expect(svc.scaling).toBeUndefined();
  });

  test('uses the Bottlerocket AMI with encrypted OS and data volumes', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        ImageId: { Ref: Match.stringLikeRegexp('bottlerocket') },
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true }) },
          { DeviceName: '/dev/xvdb', Ebs: Match.objectLike({ Encrypted: true, VolumeSize: 30 }) },
        ],
      }),
    });
  });
});

describe('LoadBalancedService compliant EC2 and blue/green configurations', () => {
  test('EC2 with HTTPS has no unacknowledged finding in the four packs', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000');
    const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE, compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large') }), loadBalancerOptions: { certificate } });
    expectNoComplianceFindings(svc);
  });
});

describe('LoadBalancedService with ECS-native blue/green', () => {
  const stack = newStack();
  const svc = new LoadBalancedService(stack, 'Api', { image: IMAGE, deployment: ServiceDeployment.blueGreen() });
  const template = Template.fromStack(stack);
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild ?? c);

  test('forwards through a rule that weights blue 100 and green 0, which ECS rewrites with its own role', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Actions: [Match.objectLike({ ForwardConfig: { TargetGroups: [
        { TargetGroupArn: { Ref: id(svc.targetGroup) }, Weight: 100 },
        { TargetGroupArn: { Ref: id(svc.alternateTargetGroup) }, Weight: 0 },
      ] } })],
    });
    template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [Match.objectLike({
        TargetGroupArn: { Ref: id(svc.targetGroup) },
        AdvancedConfiguration: {
          AlternateTargetGroupArn: { Ref: id(svc.alternateTargetGroup) },
          ProductionListenerRule: { Ref: id(svc.listenerRule) },
          RoleArn: { 'Fn::GetAtt': [id(svc.loadBalancerRole), 'Arn'] },
        },
      })],
    });
  });

  test('bakes ten minutes and rolls back on the target groups\' 5XX and unhealthy-target alarms', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 10, MinimumHealthyPercent: 100,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        Alarms: { Enable: true, Rollback: true, AlarmNames: svc.deploymentAlarms.map((a) => ({ Ref: id(a) })) },
      }),
    });
    expect(svc.deploymentAlarms).toHaveLength(4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HTTPCode_Target_5XX_Count', Threshold: 5 });
  });

  test('shifts traffic in canary and linear steps', () => {
    const s = newStack();
    new LoadBalancedService(s, 'Canary', { image: IMAGE, deployment: ServiceDeployment.canary({ stepPercent: 5 }) });
    new LoadBalancedService(s, 'Linear', { image: IMAGE, deployment: ServiceDeployment.linear(), priority: 200 });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ Strategy: 'CANARY', CanaryConfiguration: { CanaryPercent: 5, CanaryBakeTimeInMinutes: 5 } }) });
    t.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ Strategy: 'LINEAR', LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 5 } }) });
  });
});
