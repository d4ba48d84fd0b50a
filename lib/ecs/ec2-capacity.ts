import { Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { al2023AttributeSetting, bottlerocketAttributeSettings, capacityAttributeOf } from './capacity-attribute';
import type { ContainerInstanceAttribute } from './cluster-capacity';
import { checkWholeNumber } from './compute-validation';
import { ContainerInstanceImage } from './service-compute-options';

/** Two instances: one per zone of a two-zone minimum, so one zone can fail. */
const DEFAULT_MIN_INSTANCES = 2;
const DEFAULT_MAX_INSTANCES = 6;
/** Managed scaling keeps the group exactly as large as the tasks need. */
const DEFAULT_TARGET_CAPACITY_PERCENT = 100;
/** GiB of the encrypted root (AL2023) or data (Bottlerocket) volume: image layers of a few services. */
const DEFAULT_ROOT_VOLUME_GIB = 30;
import { findingArn } from '../compliance/finding-arn';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';

/** Bottlerocket's OS volume: above the AMI's snapshot size, which must fit. */
const BOTTLEROCKET_OS_VOLUME_GIB = 8;

/**
 * ECS agent settings of AL2023 container instances (/etc/ecs/ecs.config; Amazon ECS Developer Guide,
 * "Amazon ECS container agent configuration"). ECS_AWSVPC_BLOCK_IMDS keeps awsvpc tasks from reading the
 * instance role through instance metadata; the awslogs override makes the agent write container logs
 * with the task execution role, so the instance role needs no CloudWatch Logs permission.
 */
const AL2023_AGENT_SETTINGS = [
  'echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config',
  'echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true >> /etc/ecs/ecs.config',
];
/**
 * The Bottlerocket equivalent, a key of the `[settings.ecs]` table (default false). Bottlerocket always
 * runs its agent with ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true. Source: bottlerocket-core-kit
 * packages/ecs-agent/ecs-base-conf and ecs-defaults.conf (commit a10182f, 2024-10-24).
 */
const BOTTLEROCKET_BLOCK_IMDS_SETTING = 'awsvpc-block-imds = true';

/**
 * The container instance role. aws-cdk-lib's `Cluster.addAsgCapacityProvider` grants the agent the
 * wildcard action `ecs:Submit*` on the cluster, and `ecr:GetAuthorizationToken` and
 * `logs:CreateLogStream`/`logs:PutLogEvents` on `*` (and on Bottlerocket attaches
 * AmazonEC2ContainerServiceforEC2Role and AmazonSSMManagedInstanceCore); `withoutClusterGrants` drops
 * what the cluster adds while it configures the group, and `createEc2Capacity` writes the agent's
 * policy itself, scoped to the cluster. Grants made later (by the caller) are kept.
 */
class ContainerInstanceRole extends ManagedPolicyRole {
  private ignoreGrants = false;

  public withoutClusterGrants(configure: () => void): void {
    this.ignoreGrants = true;
    try {
      configure();
    } finally {
      this.ignoreGrants = false;
    }
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (this.ignoreGrants) {
      return { statementAdded: false };
    }
    return super.addToPrincipalPolicy(statement);
  }

  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    if (!this.ignoreGrants) {
      super.addManagedPolicy(policy);
    }
  }
}

/**
 * Spot instances: the agent drains an instance's tasks when EC2 sends its two-minute interruption notice
 * (ECS_ENABLE_SPOT_INSTANCE_DRAINING; Bottlerocket `spot-instance-draining-enabled`, Bottlerocket settings reference).
 */
const AL2023_SPOT_SETTING = 'echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config';
const BOTTLEROCKET_SPOT_SETTING = 'spot-instance-draining-enabled = true';

/** What an Auto Scaling group capacity provider is built from: every default already filled in. Module-private. */
export interface Ec2CapacitySettings {
  readonly instanceType: ec2.InstanceType;
  readonly machineImage?: ContainerInstanceImage;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  readonly targetCapacityPercent?: number;
  readonly managedTerminationProtection?: boolean;
  readonly rootVolumeSizeGiB?: number;
  /** Spot instances only. */
  readonly spot?: boolean;
}

/** Validates the settings of an Auto Scaling group capacity provider and fills in the defaults. */
export function resolveEc2CapacitySettings(options: Ec2CapacitySettings): Ec2CapacitySettings {
  if (Token.isUnresolved(options.instanceType.toString())) {
    // aws-cdk-lib reads the architecture from the name to pick the AMI, and fails on a token naming no prop.
    throw new Error('instanceType: the container instance AMI (x86_64 or arm64) follows from the instance type, so it must be known at synth, got a token; pass a literal such as ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE)');
  }
  const minInstances = options.minInstances ?? DEFAULT_MIN_INSTANCES;
  const maxInstances = options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  checkWholeNumber('minInstances', minInstances, 0, 100000);
  checkWholeNumber('maxInstances', maxInstances, 1, 100000);
  if (!Token.isUnresolved(minInstances) && !Token.isUnresolved(maxInstances) && minInstances > maxInstances) {
    throw new Error(`minInstances and maxInstances: minInstances must not exceed maxInstances, got ${minInstances} > ${maxInstances}; raise maxInstances or lower minInstances`);
  }
  const targetCapacityPercent = options.targetCapacityPercent ?? DEFAULT_TARGET_CAPACITY_PERCENT;
  checkWholeNumber('targetCapacityPercent', targetCapacityPercent, 1, 100);
  const rootVolumeSizeGiB = options.rootVolumeSizeGiB ?? DEFAULT_ROOT_VOLUME_GIB;
  checkWholeNumber('rootVolumeSizeGiB', rootVolumeSizeGiB, 30, 16384);
  return {
    instanceType: options.instanceType,
    machineImage: options.machineImage ?? ContainerInstanceImage.AMAZON_LINUX_2023,
    minInstances,
    maxInstances,
    targetCapacityPercent,
    managedTerminationProtection: options.managedTerminationProtection ?? false,
    rootVolumeSizeGiB,
    spot: options.spot ?? false,
  };
}

/** The EC2 capacity of one service: an Auto Scaling group behind an ECS capacity provider. */
export interface Ec2Capacity {
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly capacityProvider: ecs.AsgCapacityProvider;
  readonly instanceRole: iam.Role;
  readonly launchTemplate: ec2.LaunchTemplate;
  readonly securityGroup: ec2.SecurityGroup;
  /** The attribute the instances register with, naming this capacity (for DAEMON placement). */
  readonly instanceAttribute: ContainerInstanceAttribute;
}

/**
 * Builds the Auto Scaling group capacity provider of an EC2 service under `scope` and adds it to
 * `cluster`. Module-private: the service exposes the parts.
 */
export function createEc2Capacity(scope: Construct, cluster: ecs.Cluster, vpcSubnets: ec2.SubnetSelection | undefined, options: Ec2CapacitySettings): Ec2Capacity {
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

  const instanceRole = new ContainerInstanceRole(scope, 'InstanceRole', {
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
    // Spot through the launch template rather than a mixed instances policy, whose template the compliance
    // packs cannot read (they report IMDSv2 and volume encryption as missing).
    spotOptions: options.spot ? { interruptionBehavior: ec2.SpotInstanceInterruption.TERMINATE } : undefined,
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
  instanceRole.withoutClusterGrants(() => cluster.addAsgCapacityProvider(capacityProvider));
  // Every instance names its capacity, so a DAEMON service (which takes no capacity provider strategy)
  // can be held to the capacity it names instead of running on every instance of the cluster.
  const instanceAttribute = capacityAttributeOf(scope);
  if (bottlerocket) {
    // Appended to the `[settings.ecs]` table the cluster has just opened with its `cluster = ...` line;
    // the attribute table opens last, after every `[settings.ecs]` key.
    autoScalingGroup.addUserData(BOTTLEROCKET_BLOCK_IMDS_SETTING, ...(options.spot ? [BOTTLEROCKET_SPOT_SETTING] : []), ...bottlerocketAttributeSettings(instanceAttribute));
  } else {
    autoScalingGroup.addUserData(...AL2023_AGENT_SETTINGS, ...(options.spot ? [AL2023_SPOT_SETTING] : []), al2023AttributeSetting(instanceAttribute));
  }
  addAgentPolicy(instanceRole, cluster);
  // EventBridge event reference, "Amazon EC2 Auto Scaling events": sent directly, best effort.
  Compliance.acknowledge(autoScalingGroup, 'AwsSolutions-AS3', 'ECS managed scaling sets this group\'s capacity and managed draining handles its terminations; EC2 Auto Scaling already sends every launch and termination of the group to EventBridge (source aws.autoscaling), where a rule can notify, so SNS notifications would only duplicate them');
  return { autoScalingGroup, capacityProvider, instanceRole, launchTemplate, securityGroup, instanceAttribute };
}

/**
 * What the ECS container agent calls, scoped to one cluster: the actions of AmazonEC2ContainerServiceforEC2Role
 * that this agent configuration uses. Images are pulled and awslogs written with the task execution role,
 * so neither ECR nor CloudWatch Logs permissions are needed here.
 */
export function addAgentPolicy(role: ManagedPolicyRole, cluster: ecs.ICluster): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'RegisterAndReportState',
    actions: [
      'ecs:RegisterContainerInstance',
      'ecs:DeregisterContainerInstance',
      'ecs:SubmitAttachmentStateChanges',
      'ecs:SubmitContainerStateChange',
      'ecs:SubmitTaskStateChange',
    ],
    resources: [cluster.clusterArn],
  }));
  // Container instance ids are assigned at registration; the condition keeps the grant to this cluster's
  // instances (as aws-cdk-lib's own ECS agent and Managed Instances policies do).
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'PollForTasks',
    actions: ['ecs:Poll', 'ecs:StartTelemetrySession'],
    resources: [Stack.of(role).formatArn({ service: 'ecs', resource: 'container-instance', resourceName: '*' })],
    conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'DiscoverPollEndpoint',
    actions: ['ecs:DiscoverPollEndpoint'],
    resources: ['*'],
  }));
  Compliance.acknowledgeAll(role.grantsPolicy!, [
    { ruleId: 'AwsSolutions-IAM5[Resource::*]', reason: 'ecs:DiscoverPollEndpoint, the ECS container agent\'s first call, has no resource-level permission' },
    { ruleId: `AwsSolutions-IAM5[Resource::${findingArn(role, 'ecs', 'container-instance/*')}]`, reason: 'ECS assigns container instance ids at registration, so ecs:Poll and ecs:StartTelemetrySession name them with a wildcard; the statement is conditioned on ecs:cluster being this cluster' },
  ]);
}
