import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { ContainerInstanceImage, Ec2ComputeOptions } from './service-compute';
import { ManagedPolicyRole } from './managed-policy-role';

/** Bottlerocket's OS volume: above the AMI's snapshot size, which must fit. */
const BOTTLEROCKET_OS_VOLUME_GIB = 8;

/** The EC2 capacity of one service: an Auto Scaling group behind an ECS capacity provider. */
export interface Ec2Capacity {
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly capacityProvider: ecs.AsgCapacityProvider;
  readonly instanceRole: iam.Role;
  readonly launchTemplate: ec2.LaunchTemplate;
}

/**
 * Builds the Auto Scaling group capacity provider of an EC2 service under `scope` and adds it to
 * `cluster`. Module-private: the service exposes the parts.
 */
export function createEc2Capacity(scope: Construct, cluster: ecs.Cluster, vpcSubnets: ec2.SubnetSelection | undefined, options: Ec2ComputeOptions): Ec2Capacity {
  const bottlerocket = options.machineImage === ContainerInstanceImage.BOTTLEROCKET;
  const arm = options.instanceType.architecture === ec2.InstanceArchitecture.ARM_64;
  const machineImage = bottlerocket
    ? new ecs.BottleRocketImage({ variant: ecs.BottlerocketEcsVariant.AWS_ECS_2, architecture: options.instanceType.architecture })
    : ecs.EcsOptimizedImage.amazonLinux2023(arm ? ecs.AmiHardwareType.ARM : ecs.AmiHardwareType.STANDARD);
  const volume = (size: number) => ec2.BlockDeviceVolume.ebs(size, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true });
  const blockDevices: ec2.BlockDevice[] = bottlerocket
    ? [
      { deviceName: '/dev/xvda', volume: volume(BOTTLEROCKET_OS_VOLUME_GIB) },
      // Bottlerocket keeps images and container state on its second (data) volume.
      { deviceName: '/dev/xvdb', volume: volume(options.rootVolumeSizeGiB!) },
    ]
    : [{ deviceName: '/dev/xvda', volume: volume(options.rootVolumeSizeGiB!) }];

  const instanceRole = new ManagedPolicyRole(scope, 'InstanceRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    description: `ECS container instances of ${scope.node.path}`,
  });
  const securityGroup = new ec2.SecurityGroup(scope, 'InstanceSecurityGroup', {
    vpc: cluster.vpc,
    description: `ECS container instances of ${scope.node.path}; tasks have their own groups (awsvpc)`,
  });
  // A launch template set here rather than the group's requireImdsv2 aspect, so IMDSv2 is in place
  // before any aspect runs (compliance checks read the tree as built).
  const launchTemplate = new ec2.LaunchTemplate(scope, 'LaunchTemplate', {
    instanceType: options.instanceType,
    machineImage,
    role: instanceRole,
    securityGroup,
    // Bottlerocket reads TOML settings, not a shell script; the cluster adds its settings to either.
    userData: bottlerocket ? ec2.UserData.custom('') : ec2.UserData.forLinux(),
    httpTokens: ec2.LaunchTemplateHttpTokens.REQUIRED,
    httpEndpoint: true,
    blockDevices,
    detailedMonitoring: true,
  });
  const autoScalingGroup = new autoscaling.AutoScalingGroup(scope, 'AutoScalingGroup', {
    vpc: cluster.vpc,
    vpcSubnets,
    launchTemplate,
    minCapacity: options.minInstances,
    maxCapacity: options.maxInstances,
  });
  const capacityProvider = new ecs.AsgCapacityProvider(scope, 'CapacityProvider', {
    autoScalingGroup,
    machineImageType: bottlerocket ? ecs.MachineImageType.BOTTLEROCKET : ecs.MachineImageType.AMAZON_LINUX_2,
    enableManagedScaling: true,
    targetCapacityPercent: options.targetCapacityPercent,
    // Off by default: protected instances keep CloudFormation from deleting the group (aws-cdk issue 18179).
    enableManagedTerminationProtection: options.managedTerminationProtection,
    // Managed draining moves tasks off an instance before scale-in terminates it, without a drain-hook Lambda.
    enableManagedDraining: true,
  });
  cluster.addAsgCapacityProvider(capacityProvider);

  // The statements below are aws-cdk-lib's ECS agent grants (Cluster.addAsgCapacityProvider), the ones
  // AmazonEC2ContainerServiceforEC2Role holds, scoped to this cluster where the API allows it.
  const agentPolicy = instanceRole.grantsPolicy;
  if (agentPolicy) {
    Compliance.acknowledgeAll(agentPolicy, [
      { ruleId: 'AwsSolutions-IAM5[Action::ecs:Submit*]', reason: 'The ECS container agent reports task and container state changes with ecs:Submit* actions, limited here to this cluster' },
      { ruleId: 'AwsSolutions-IAM5[Resource::*]', reason: 'The ECS container agent needs ecs:Poll, ecs:StartTelemetrySession (conditioned on this cluster), ecs:DiscoverPollEndpoint and ecr:GetAuthorizationToken, which have no resource-level permissions' },
    ]);
  }
  if (bottlerocket) {
    const reason = 'aws-cdk-lib attaches this policy to Bottlerocket container instances (machineImage: BOTTLEROCKET): the ECS agent role and SSM for Bottlerocket\'s control container; use AMAZON_LINUX_2023 to avoid it';
    Compliance.acknowledgeAll(instanceRole, [
      { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]', reason },
      { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]', reason },
    ]);
  }
  Compliance.acknowledge(autoScalingGroup, 'AwsSolutions-AS3', 'ECS managed scaling and managed draining act on this group\'s scaling events; they are visible in the ECS service events and EventBridge, so SNS notifications would only duplicate them');
  return { autoScalingGroup, capacityProvider, instanceRole, launchTemplate };
}
