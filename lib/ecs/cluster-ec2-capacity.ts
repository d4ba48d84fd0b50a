import { Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CapacityKind, ContainerInstanceAttribute, IClusterCapacity } from './cluster-capacity';
import { createEc2Capacity, resolveEc2CapacitySettings } from './ec2-capacity';
import { ContainerInstanceImage } from './service-compute-options';

/** Options of {@link ContainerCluster.addEc2Capacity}. */
export interface ClusterEc2CapacityOptions {
  /** The instance type of the container instances; its architecture picks the AMI's. */
  readonly instanceType: ec2.InstanceType;

  /**
   * The AMI family.
   * @default ContainerInstanceImage.AMAZON_LINUX_2023
   */
  readonly machineImage?: ContainerInstanceImage;

  /**
   * Spot instances only, drained by the ECS agent on an interruption notice. To spread over more Spot
   * pools, add several Spot capacities of different types and weight them in the services' strategies.
   * @default false
   */
  readonly spot?: boolean;

  /**
   * The fewest instances in the Auto Scaling group.
   * @default 2
   */
  readonly minInstances?: number;

  /**
   * The most instances in the Auto Scaling group.
   * @default 6
   */
  readonly maxInstances?: number;

  /**
   * How full managed scaling keeps the instances, in percent (1-100). Below 100 leaves headroom for fast scale-out.
   * @default 100
   */
  readonly targetCapacityPercent?: number;

  /**
   * Managed termination protection: ECS stops scale-in from terminating instances that run tasks. It also
   * stops CloudFormation from deleting a group whose instances run tasks (aws-cdk issue 18179).
   * @default false
   */
  readonly managedTerminationProtection?: boolean;

  /**
   * Size of the encrypted root volume (the data volume on Bottlerocket), in GiB.
   * @default 30
   */
  readonly rootVolumeSizeGiB?: number;

  /**
   * The subnets of the instances.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** Props of {@link ClusterEc2Capacity}. */
export interface ClusterEc2CapacityProps extends ClusterEc2CapacityOptions {
  /** The cluster whose capacity-provider association gets the provider; of the same stack. */
  readonly cluster: ecs.Cluster;
}

/**
 * An Auto Scaling group of ECS container instances behind a capacity provider with managed scaling and
 * draining, added to a cluster for any number of services (`ServiceCompute.capacity`) and daemons; its
 * instances carry an attribute naming the capacity, which holds a DAEMON service to them.
 * Instances require IMDSv2, encrypt their volumes, block instance metadata for awsvpc tasks, and their
 * role holds only the ECS agent's actions, limited to the cluster.
 */
export class ClusterEc2Capacity extends Construct implements IClusterCapacity {
  /** The capacity provider's name, for capacity provider strategies. */
  public readonly capacityProviderName: string;
  /** Always EC2. */
  public readonly kind: CapacityKind;
  /** Whether the group runs Spot instances. */
  public readonly spot: boolean;
  /** The cluster. */
  public readonly cluster?: ecs.ICluster;
  /**
   * The Auto Scaling group. On Bottlerocket its user data ends with the `[settings.ecs.instance-attributes]`
   * table, so settings added with `addUserData` need a table header of their own.
   */
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** The capacity provider. */
  public readonly capacityProvider: ecs.AsgCapacityProvider;
  /** The instances' launch template (IMDSv2 required, encrypted volumes). */
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** The container instances' role. */
  public readonly instanceRole: iam.Role;
  /** The container instances' security group; tasks have their own (awsvpc). */
  public readonly securityGroup: ec2.SecurityGroup;
  /**
   * The custom attribute every instance of this group registers with (`cdk-container-platform-capacity` =
   * this construct's unique path), so that a DAEMON service naming this capacity runs on these instances
   * only. Always set.
   */
  public readonly instanceAttribute?: ContainerInstanceAttribute;

  constructor(scope: Construct, id: string, props: ClusterEc2CapacityProps) {
    super(scope, id);
    if (Stack.of(props.cluster) !== Stack.of(this)) {
      // The association that names the provider lives in the cluster's stack.
      throw new Error(`cluster: a capacity provider joins the cluster's capacity-provider association, which lives in the cluster's stack, got a cluster of stack ${Stack.of(props.cluster).stackName} for capacity in stack ${Stack.of(this).stackName}; create the capacity in the cluster's stack (ContainerCluster.addEc2Capacity)`);
    }
    const settings = resolveEc2CapacitySettings(props);
    const capacity = createEc2Capacity(this, props.cluster, props.vpcSubnets, settings);
    this.capacityProviderName = capacity.capacityProvider.capacityProviderName;
    this.kind = CapacityKind.EC2;
    this.spot = settings.spot ?? false;
    this.cluster = props.cluster;
    this.autoScalingGroup = capacity.autoScalingGroup;
    this.capacityProvider = capacity.capacityProvider;
    this.launchTemplate = capacity.launchTemplate;
    this.instanceRole = capacity.instanceRole;
    this.securityGroup = capacity.securityGroup;
    this.instanceAttribute = capacity.instanceAttribute;
  }
}
