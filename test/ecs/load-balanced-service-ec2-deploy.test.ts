import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ComplianceReport, ContainerInstanceImage, LoadBalancedService, ServiceCompute, ServiceDeployment, ServiceImage } from '../../lib';
import { expectNoComplianceFindings, newApp, newStack } from '../helpers';

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

/** The user data text of the only launch template, with the cluster reference as `<cluster>`. */
function userDataOf(template: Template): string {
  const [lt] = Object.values(template.findResources('AWS::EC2::LaunchTemplate')) as any[];
  const parts: unknown[] = lt.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1];
  return parts.map((p) => (typeof p === 'string' ? p : '<cluster>')).join('');
}

/** The statements of the container instance role's policy. */
function instancePolicyStatements(stack: Stack, svc: LoadBalancedService): any[] {
  const role = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(svc.instanceRole!.node.defaultChild as iam.CfnRole)];
  const [policyRef] = role.Properties.ManagedPolicyArns;
  return Template.fromStack(stack).toJSON().Resources[policyRef.Ref].Properties.PolicyDocument.Statement;
}

describe('EC2 container instances keep tasks off the instance role', () => {
  const stack = newStack();
  const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE, compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large') }) });
  const template = Template.fromStack(stack);
  const clusterArn = { 'Fn::GetAtt': [stack.getLogicalId(svc.cluster.node.defaultChild as ecs.CfnCluster), 'Arn'] };

  test('blocks instance metadata for awsvpc tasks and writes awslogs with the execution role on AL2023', () => {
    const userData = userDataOf(template);
    expect(userData).toContain('echo ECS_CLUSTER=<cluster> >> /etc/ecs/ecs.config');
    expect(userData).toContain('echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config');
    expect(userData).toContain('echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true >> /etc/ecs/ecs.config');
  });

  test('grants the agent its ECS actions on this cluster only, spelled out, with no CloudWatch Logs or ECR permission', () => {
    const statements = instancePolicyStatements(stack, svc);
    const actions = statements.flatMap((s) => [].concat(s.Action));
    expect(actions.filter((a: string) => a.startsWith('logs:') || a.startsWith('ecr:') || a.endsWith('*'))).toEqual([]);
    expect(statements).toEqual([
      expect.objectContaining({ Action: ['ecs:DeregisterContainerInstance', 'ecs:RegisterContainerInstance', 'ecs:SubmitAttachmentStateChanges', 'ecs:SubmitContainerStateChange', 'ecs:SubmitTaskStateChange'], Resource: clusterArn }),
      expect.objectContaining({ Action: ['ecs:Poll', 'ecs:StartTelemetrySession'], Condition: { ArnEquals: { 'ecs:cluster': clusterArn } } }),
      expect.objectContaining({ Action: 'ecs:DiscoverPollEndpoint', Resource: '*' }),
    ]);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('keeps grants the caller adds to the instance role after the cluster is configured', () => {
    const s = newStack();
    const other = new LoadBalancedService(s, 'Svc', { image: IMAGE, compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large') }) });
    other.instanceRole!.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:us-east-1:111122223333:parameter/x'] }));
    expect(instancePolicyStatements(s, other).map((st) => st.Action)).toContain('ssm:GetParameter');
  });
});

describe('Bottlerocket container instances keep tasks off the instance role', () => {
  const stack = newStack();
  const svc = new LoadBalancedService(stack, 'Svc', {
    image: IMAGE,
    compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7i.large'), machineImage: ContainerInstanceImage.BOTTLEROCKET }),
    loadBalancerOptions: { certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000') },
  });
  const template = Template.fromStack(stack);

  test('sets awsvpc-block-imds in the [settings.ecs] table it joins the cluster with', () => {
    // The capacity's attribute table opens after every [settings.ecs] key.
    expect(userDataOf(template)).toMatch(/\[settings\.ecs\]\ncluster = "<cluster>"\nawsvpc-block-imds = true\n\[settings\.ecs\.instance-attributes\]\ncdk-container-platform-capacity = "Test-Svc-[0-9A-F]{8}"$/);
  });

  test('attaches no AWS managed policy (no AmazonEC2ContainerServiceforEC2Role, no SSM) and no logs:* grant', () => {
    const role = template.toJSON().Resources[stack.getLogicalId(svc.instanceRole!.node.defaultChild as iam.CfnRole)];
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: expect.stringMatching(/InstanceRolePolicy/) }]);
    const actions = instancePolicyStatements(stack, svc).flatMap((s) => [].concat(s.Action));
    expect(actions.some((a: string) => a.startsWith('logs:'))).toBe(false);
  });

  test('has no unacknowledged finding in the five packs (ContainerPlatform-ECS9 included)', () => {
    expectNoComplianceFindings(svc);
  });
});

describe('the traffic-shifting role of blue/green, canary and linear deployments', () => {
  const stack = newStack();
  const svc = new LoadBalancedService(stack, 'Api', { image: IMAGE, deployment: ServiceDeployment.canary() });
  const template = Template.fromStack(stack);
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild ?? c);

  test('holds a customer-managed policy limited to this service\'s listener, rule and target groups, and no AWS managed policy', () => {
    const role = template.toJSON().Resources[id(svc.loadBalancerRole)];
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: expect.stringMatching(/LoadBalancerRolePolicy/) }]);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Version: '2012-10-17', Statement: [
        Match.objectLike({ Action: 'elasticloadbalancing:ModifyListener', Resource: { Ref: id(svc.listener) } }),
        Match.objectLike({ Action: 'elasticloadbalancing:ModifyRule', Resource: { Ref: id(svc.listenerRule) } }),
        Match.objectLike({ Action: ['elasticloadbalancing:DeregisterTargets', 'elasticloadbalancing:RegisterTargets'], Resource: Match.anyValue() }),
        Match.objectLike({ Action: Match.arrayWith(['elasticloadbalancing:DescribeTargetHealth']), Resource: '*' }),
      ] },
    });
    const policy = template.toJSON().Resources[role.Properties.ManagedPolicyArns[0].Ref];
    const register = policy.Properties.PolicyDocument.Statement.find((st: any) => st.Sid === 'RegisterTargets');
    expect(register.Resource).toHaveLength(2);
    expect(register.Resource).toEqual(expect.arrayContaining([{ Ref: id(svc.targetGroup) }, { Ref: id(svc.alternateTargetGroup) }]));
  });

  test('has no unacknowledged finding in the five packs with HTTPS', () => {
    const s = newStack();
    const certificate = acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000');
    const other = new LoadBalancedService(s, 'Api', { image: IMAGE, deployment: ServiceDeployment.linear(), loadBalancerOptions: { certificate } });
    expectNoComplianceFindings(other);
  });
});

describe('AwsSolutions-ECS2 acknowledgements', () => {
  /** The ECS2 acknowledgement reason on a service's task definition, if any. */
  function ecs2Reason(svc: LoadBalancedService): string | undefined {
    const entries = svc.taskDefinition.node.metadata.filter((m) => JSON.stringify(m.data).includes('AwsSolutions-ECS2'));
    return entries.length === 0 ? undefined : JSON.stringify(entries.map((m) => m.data));
  }

  test('acknowledges nothing on a Fargate task definition without environment', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE });
    Template.fromStack(stack);
    expect(ecs2Reason(svc)).toBeUndefined();
  });

  test('names only the caller\'s environment on Fargate, and only AWS_REGION on EC2 without environment', () => {
    const stack = newStack();
    const fargate = new LoadBalancedService(stack, 'Fargate', { image: IMAGE, environment: { LOG_LEVEL: 'info' } });
    const onEc2 = new LoadBalancedService(stack, 'Ec2', { image: IMAGE, compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large') }) });
    Template.fromStack(stack);
    expect(ecs2Reason(fargate)).toMatch(/environment holds only non-secret settings/);
    expect(ecs2Reason(fargate)).not.toMatch(/AWS_REGION/);
    expect(ecs2Reason(onEc2)).toMatch(/AWS_REGION.*ECS_AWSVPC_BLOCK_IMDS/);
    expect(ecs2Reason(onEc2)).not.toMatch(/environment holds/);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['EC2'],
      ContainerDefinitions: [Match.objectLike({ Environment: [{ Name: 'AWS_REGION', Value: { Ref: 'AWS::Region' } }] })],
    });
  });
});

describe('acknowledgements in a stack with an account and region', () => {
  test('EC2 compute with ECS Exec has no unacknowledged finding and no acknowledgement that matches nothing', () => {
    // cdk-nag renders ARNs with literal region and account there, not <AWS::Region> and <AWS::AccountId>.
    const stack = new Stack(newApp(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000');
    const svc = new LoadBalancedService(stack, 'Svc', {
      image: IMAGE,
      compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large') }),
      loadBalancerOptions: { certificate },
      enableExecuteCommand: true,
      readonlyRootFilesystem: false,
    });
    const report = ComplianceReport.check(svc, ComplianceReport.platformPacks());
    // ECS Exec needs a writable root filesystem: that finding is the caller's choice and stays visible.
    expect(report.findings.map((f) => f.ruleId)).toEqual(['ContainerPlatform-ECS3[Container::app]']);
    expect(report.unmatchedAcknowledgements).toEqual([]);
    expect(report.acknowledged.map((a) => a.ruleId)).toEqual(expect.arrayContaining([
      'AwsSolutions-IAM5[Resource::arn:aws:ecs:eu-west-1:111122223333:container-instance/*]',
      `AwsSolutions-IAM5[Resource::arn:aws:logs:eu-west-1:111122223333:log-group:<${stack.getLogicalId(svc.execLogGroup!.node.defaultChild as CfnElement)}>:*]`,
    ]));
  });
});
