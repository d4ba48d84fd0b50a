import { Names, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';
import { CapacityKind, IClusterCapacity } from './cluster-capacity';
import { addAgentPolicy } from './ec2-capacity';

/**
 * The AWS managed policy's iam:PassRole covers only roles whose name starts with this (ECS Developer
 * Guide, "Amazon ECS Managed Instances instance profile").
 */
const INSTANCE_ROLE_PREFIX = 'ecsInstanceRole';
/** IAM role names have at most 64 characters. */
const MAX_ROLE_NAME = 64;
/** ECS's default task volume of Managed Instances (aws-cdk-lib: Size.gibibytes(80)). */
const DEFAULT_TASK_VOLUME_GIB = 80;

/** Options of {@link ContainerCluster.addManagedInstancesCapacity}. */
export interface ManagedInstancesCapacityOptions {
  /**
   * What instances ECS may launch: vCPU and memory ranges, CPU makers, generations, allowed types...
   * @default - ECS chooses instance types that fit the tasks
   */
  readonly instanceRequirements?: ec2.InstanceRequirementsConfig;

  /**
   * Spot instances instead of on-demand.
   * @default false
   */
  readonly spot?: boolean;

  /**
   * The volume of each instance for images, container logs and scratch space.
   * @default Size.gibibytes(80)
   */
  readonly taskVolumeStorage?: Size;

  /**
   * CloudWatch monitoring of the instances.
   * @default ecs.InstanceMonitoring.DETAILED
   */
  readonly monitoring?: ecs.InstanceMonitoring;

  /**
   * The subnets of the instances.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The role ECS uses to launch and replace instances.
   * @default - a role with the AWS managed policy AmazonECSInfrastructureRolePolicyForManagedInstances
   */
  readonly infrastructureRole?: iam.IRole;
}

/** Props of {@link ManagedInstancesClusterCapacity}. */
export interface ManagedInstancesClusterCapacityProps extends ManagedInstancesCapacityOptions {
  /** The cluster the provider is scoped to; of the same stack. */
  readonly cluster: ecs.Cluster;
}

/**
 * An ECS Managed Instances capacity provider: ECS launches, patches and replaces the EC2 instances,
 * chosen by instance requirements. The instance role holds only the ECS agent's actions, limited to
 * the cluster, and carries the `ecsInstanceRole` name prefix the infrastructure policy may pass.
 */
export class ManagedInstancesClusterCapacity extends Construct implements IClusterCapacity {
  /** The capacity provider's name, for capacity provider strategies. */
  public readonly capacityProviderName: string;
  /** Always MANAGED_INSTANCES. */
  public readonly kind: CapacityKind;
  /** Whether the provider launches Spot instances. */
  public readonly spot: boolean;
  /** The cluster. */
  public readonly cluster?: ecs.ICluster;
  /** The capacity provider. */
  public readonly capacityProvider: ecs.ManagedInstancesCapacityProvider;
  /** The instances' role (through `instanceProfile`). */
  public readonly instanceRole: iam.Role;
  /** The instance profile ECS attaches to the instances. */
  public readonly instanceProfile: iam.InstanceProfile;
  /** The role ECS uses to manage the instances. */
  public readonly infrastructureRole: iam.IRole;
  /** The instances' security group; tasks have their own (awsvpc). */
  public readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ManagedInstancesClusterCapacityProps) {
    super(scope, id);
    const cluster = props.cluster;
    if (Stack.of(cluster) !== Stack.of(this)) {
      throw new Error(`cluster: a Managed Instances capacity provider is scoped to its cluster and belongs in the cluster's stack, got a cluster of stack ${Stack.of(cluster).stackName} for capacity in stack ${Stack.of(this).stackName}; create the capacity in the cluster's stack (ContainerCluster.addManagedInstancesCapacity)`);
    }
    const storage = props.taskVolumeStorage;
    if (storage !== undefined && !storage.isUnresolved() && storage.toMebibytes() % 1024 !== 0) {
      // CloudFormation takes whole GiB (StorageSizeGiB); aws-cdk-lib would fail with a message naming no prop.
      throw new Error(`taskVolumeStorage: ECS takes a whole number of GiB, got ${storage.toMebibytes()} MiB; e.g. Size.gibibytes(${DEFAULT_TASK_VOLUME_GIB})`);
    }
    const subnets = cluster.vpc.selectSubnets(props.vpcSubnets ?? {}).subnets;
    const publicIds = new Set(cluster.vpc.publicSubnets.map((s) => s.subnetId));
    if (subnets.length === 0 || subnets.every((s) => publicIds.has(s.subnetId))) {
      throw new Error(`vpcSubnets: Managed Instances get no public IP, so they need private subnets with a route to ECS, got ${subnets.length === 0 ? 'no subnets' : 'public subnets only'}; select private subnets (PlatformVpc's PUBLIC_AND_PRIVATE or PRIVATE_ONLY layout)`);
    }
    this.kind = CapacityKind.MANAGED_INSTANCES;
    this.spot = props.spot ?? false;
    this.cluster = cluster;

    this.instanceRole = new ManagedPolicyRole(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      roleName: `${INSTANCE_ROLE_PREFIX}${Names.uniqueResourceName(this, { maxLength: MAX_ROLE_NAME - INSTANCE_ROLE_PREFIX.length })}`,
      description: `ECS Managed Instances of ${this.node.path}`,
    });
    addAgentPolicy(this.instanceRole as ManagedPolicyRole, cluster);
    // The agent of Managed Instances also ships its own system logs to ECS (aws-cdk-lib's default instance policy).
    this.instanceRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PutSystemLogEvents',
      actions: ['ecs:PutSystemLogEvents'],
      resources: [Stack.of(this).formatArn({ service: 'ecs', resource: 'container-instance', resourceName: '*' })],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
    }));
    this.instanceProfile = new iam.InstanceProfile(this, 'InstanceProfile', { role: this.instanceRole });

    if (props.infrastructureRole) {
      this.infrastructureRole = props.infrastructureRole;
    } else {
      const role = new ManagedPolicyRole(this, 'InfrastructureRole', {
        assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
        description: `Lets ECS launch and replace the Managed Instances of ${this.node.path}`,
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonECSInfrastructureRolePolicyForManagedInstances')],
      });
      Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances]',
        'ECS launches, tags, replaces and terminates Managed Instances (EC2 fleets, launch templates, network interfaces) through this role; AWS keeps AmazonECSInfrastructureRolePolicyForManagedInstances in step with what the feature calls, and its iam:PassRole covers only roles named ecsInstanceRole*. Pass infrastructureRole to use a policy of your own');
      this.infrastructureRole = role;
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: `ECS Managed Instances of ${this.node.path}; tasks have their own groups (awsvpc)`,
    });
    this.capacityProvider = new ecs.ManagedInstancesCapacityProvider(this, 'CapacityProvider', {
      infrastructureRole: this.infrastructureRole,
      ec2InstanceProfile: this.instanceProfile,
      subnets,
      securityGroups: [this.securityGroup],
      instanceRequirements: props.instanceRequirements,
      capacityOptionType: this.spot ? ecs.CapacityOptionType.SPOT : ecs.CapacityOptionType.ON_DEMAND,
      taskVolumeStorage: storage,
      monitoring: props.monitoring ?? ecs.InstanceMonitoring.DETAILED,
      propagateTags: ecs.PropagateManagedInstancesTags.CAPACITY_PROVIDER,
    });
    cluster.addManagedInstancesCapacityProvider(this.capacityProvider);
    this.capacityProviderName = this.capacityProvider.capacityProviderName;
  }
}
