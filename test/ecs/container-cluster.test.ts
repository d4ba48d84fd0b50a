import { Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClusterEc2Capacity, ContainerCluster, ManagedInstancesClusterCapacity, ContainerInstanceImage, LogEncryptionKey, PlatformVpc } from '../../lib';
import { expectNoComplianceFindings, newApp, newStack } from '../helpers';

function platform(stack: Stack = newStack()): { stack: Stack; vpc: ec2.IVpc } {
  return { stack, vpc: new PlatformVpc(stack, 'Network').vpc };
}

describe('ContainerCluster with every kind of capacity', () => {
  const { stack, vpc } = platform();
  const cluster = new ContainerCluster(stack, 'Cluster', { vpc });
  const onDemand = cluster.addEc2Capacity('Arm', { instanceType: new ec2.InstanceType('m7g.large') });
  const spot = cluster.addEc2Capacity('Spot', { instanceType: new ec2.InstanceType('m7i.large'), spot: true, machineImage: ContainerInstanceImage.BOTTLEROCKET });
  const managed = cluster.addManagedInstancesCapacity('Managed', { spot: true, instanceRequirements: { vCpuCountMin: 2, memoryMin: Size.gibibytes(4) } });
  const template = Template.fromStack(stack);

  test('turns on Container Insights (enhanced) and ECS Exec sessions encrypted with the log key and logged to an encrypted group', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
      Configuration: {
        ExecuteCommandConfiguration: {
          KmsKeyId: stack.resolve(cluster.logKey!.keyArn),
          Logging: 'OVERRIDE',
          LogConfiguration: { CloudWatchEncryptionEnabled: true, CloudWatchLogGroupName: stack.resolve(cluster.execLogGroup.logGroupName) },
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(cluster.logKey!.keyArn), RetentionInDays: 365 });
  });

  test('associates Fargate, Fargate Spot and both Auto Scaling group providers with the cluster', () => {
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT', stack.resolve(onDemand.capacityProviderName), stack.resolve(spot.capacityProviderName)]),
    });
    expect(cluster.capacityProviders.map((c) => c.kind)).toEqual(['FARGATE', 'FARGATE', 'EC2', 'EC2', 'MANAGED_INSTANCES']);
  });

  test('launches Spot instances through the launch template, drained by the agent on interruption', () => {
    const spotTemplate = stack.getLogicalId(spot.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate);
    const data = template.toJSON().Resources[spotTemplate].Properties.LaunchTemplateData;
    expect(data.InstanceMarketOptions).toEqual({ MarketType: 'spot', SpotOptions: { InstanceInterruptionBehavior: 'terminate' } });
    expect(JSON.stringify(data.UserData)).toContain('spot-instance-draining-enabled = true');
    expect(JSON.stringify(data.UserData)).toContain('awsvpc-block-imds = true');
    const onDemandData = template.toJSON().Resources[stack.getLogicalId(onDemand.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate)].Properties.LaunchTemplateData;
    expect(onDemandData.InstanceMarketOptions).toBeUndefined();
    expect(onDemand.spot).toBe(false);
    expect(spot.spot).toBe(true);
  });

  test('scopes Managed Instances to the cluster, with an ecsInstanceRole-prefixed role the infrastructure policy may pass', () => {
    template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      ClusterName: stack.resolve(cluster.cluster.clusterName),
      ManagedInstancesProvider: Match.objectLike({
        InfrastructureRoleArn: stack.resolve(managed.infrastructureRole.roleArn),
        InstanceLaunchTemplate: Match.objectLike({ CapacityOptionType: 'SPOT', Monitoring: 'DETAILED', InstanceRequirements: Match.objectLike({ VCpuCount: { Min: 2 } }) }),
      }),
    });
    const role = template.toJSON().Resources[stack.getLogicalId(managed.instanceRole.node.defaultChild as any)];
    expect(role.Properties.RoleName).toMatch(/^ecsInstanceRole/);
    expect(role.Properties.RoleName.length).toBeLessThanOrEqual(64);
  });

  test('gives the instance roles only the ECS agent\'s actions, limited to the cluster', () => {
    const policies = JSON.stringify(Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) => /InstanceRole/.test(p.Properties.Description)));
    expect(policies.match(/RegisterAndReportState/g)).toHaveLength(3);
    expect(policies).toContain('ecs:RegisterContainerInstance');
    expect(policies).not.toMatch(/"ecs:\*"|"logs:|"ecr:/);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('has no unacknowledged finding', () => {
    expectNoComplianceFindings(stack);
  });
});

describe('ContainerCluster settings', () => {
  test('uses a given key and retention for ECS Exec logs and creates no key', () => {
    const { stack, vpc } = platform();
    const key = new LogEncryptionKey(stack, 'SharedKey');
    const cluster = new ContainerCluster(stack, 'Cluster', { vpc, logEncryptionKey: key, execLogRetention: logs.RetentionDays.THREE_MONTHS, clusterName: 'platform' });
    expect(cluster.logKey).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90, KmsKeyId: stack.resolve(key.keyArn) });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'platform' });
  });

  test('fails when clusterName is not an ECS cluster name', () => {
    const { stack, vpc } = platform();
    expect(() => new ContainerCluster(stack, 'Cluster', { vpc, clusterName: 'my cluster' })).toThrow(/clusterName: ECS cluster names are 1 to 255 letters.*got 'my cluster'/);
  });

  test('fails when execLogRetention is not a CloudWatch Logs retention', () => {
    const { stack, vpc } = platform();
    expect(() => new ContainerCluster(stack, 'Cluster', { vpc, execLogRetention: 42 as logs.RetentionDays })).toThrow(/execLogRetention: CloudWatch Logs keeps logs for one of/);
  });

  test('fails when an EC2 capacity has more minimum than maximum instances', () => {
    const { stack, vpc } = platform();
    const cluster = new ContainerCluster(stack, 'Cluster', { vpc });
    expect(() => cluster.addEc2Capacity('Ec2', { instanceType: new ec2.InstanceType('m7g.large'), minInstances: 5, maxInstances: 2 }))
      .toThrow(/minInstances and maxInstances: minInstances must not exceed maxInstances, got 5 > 2/);
  });

  test('fails when EC2 capacity is created in another stack than its cluster, whose association would name it', () => {
    const app = newApp();
    const { vpc } = platform(new Stack(app, 'Platform'));
    const cluster = new ContainerCluster(Stack.of(vpc), 'Cluster', { vpc });
    expect(() => new ClusterEc2Capacity(new Stack(app, 'Other'), 'Ec2', { cluster: cluster.cluster, instanceType: new ec2.InstanceType('m7g.large') }))
      .toThrow(/cluster: a capacity provider joins the cluster's capacity-provider association.*got a cluster of stack Platform for capacity in stack Other/);
  });

  test('fails when Managed Instances capacity is created in another stack than its cluster', () => {
    const app = newApp();
    const { vpc } = platform(new Stack(app, 'Platform'));
    const cluster = new ContainerCluster(Stack.of(vpc), 'Cluster', { vpc });
    expect(() => new ManagedInstancesClusterCapacity(new Stack(app, 'Other'), 'Managed', { cluster: cluster.cluster }))
      .toThrow(/cluster: a Managed Instances capacity provider is scoped to its cluster.*got a cluster of stack Platform for capacity in stack Other/);
  });

  test('fails when Managed Instances would run in public subnets only', () => {
    const { stack, vpc } = platform();
    const cluster = new ContainerCluster(stack, 'Cluster', { vpc });
    expect(() => cluster.addManagedInstancesCapacity('Managed', { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
      .toThrow(/vpcSubnets: Managed Instances get no public IP.*got public subnets only/);
  });

  test('fails when the Managed Instances task volume is not a whole number of GiB', () => {
    const { stack, vpc } = platform();
    const cluster = new ContainerCluster(stack, 'Cluster', { vpc });
    expect(() => cluster.addManagedInstancesCapacity('Managed', { taskVolumeStorage: Size.mebibytes(1500) }))
      .toThrow(/taskVolumeStorage: ECS takes a whole number of GiB, got 1500 MiB/);
  });
});
