import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { dependOnCapacityProviderAssociation } from './capacity-ordering';
import { memberOfCapacity } from './capacity-attribute';
import { CapacityKind, CapacityStrategyEntry, IClusterCapacity } from './cluster-capacity';
import { createEc2Capacity, Ec2Capacity } from './ec2-capacity';
import { CapacityComputeOptions, Ec2ComputeOptions, FargateComputeOptions } from './service-compute-options';

/** What a service hands its compute choice when it binds it. Module-private. */
export interface ComputeBindContext {
  readonly cluster: ecs.ICluster;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly executionRole: iam.IRole;
  readonly taskRole: iam.IRole;
}

/** The service props that do not depend on the compute choice. */
export interface CommonServiceProps extends ecs.BaseServiceOptions {
  readonly taskDefinition: ecs.TaskDefinition;
  readonly securityGroups: ec2.ISecurityGroup[];
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/** The service a compute choice creates, and the EC2 capacity it created for it. */
export interface BoundService {
  readonly service: ecs.BaseService;
  readonly fargateService?: ecs.FargateService;
  readonly ec2Service?: ecs.Ec2Service;
  readonly capacity?: Ec2Capacity;
}

/** What a compute choice gives the service: its task definition, container settings, and how to make the service. */
export interface ComputeBinding {
  readonly taskDefinition: ecs.TaskDefinition;
  readonly containerCpu?: number;
  readonly containerMemoryLimitMiB?: number;
  /** Set to false on instances the account runs (EC2, Managed Instances), where ECS1 checks it. */
  readonly privileged?: boolean;
  readonly daemon: boolean;
  /** Whether aws-cdk-lib adds AWS_REGION to the containers (awsvpc on EC2 instances). */
  readonly addsRegionVariable: boolean;
  createService(scope: Construct, common: CommonServiceProps, desiredCount: number | undefined): BoundService;
}

/** The Linux task definition of a Fargate service, sized and with the service's roles. */
function fargateTaskDefinition(scope: Construct, size: { cpu?: number; memoryLimitMiB?: number; cpuArchitecture?: ecs.CpuArchitecture }, ctx: ComputeBindContext): ecs.FargateTaskDefinition {
  return new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: size.cpu,
    memoryLimitMiB: size.memoryLimitMiB,
    runtimePlatform: { cpuArchitecture: size.cpuArchitecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    executionRole: ctx.executionRole,
    taskRole: ctx.taskRole,
  });
}

/** On-demand or Fargate Spot tasks on a cluster's Fargate providers. */
export function bindFargate(scope: Construct, f: FargateComputeOptions, ctx: ComputeBindContext): ComputeBinding {
  const taskDefinition = fargateTaskDefinition(scope, f, ctx);
  return {
    taskDefinition,
    daemon: false,
    addsRegionVariable: false,
    createService: (s, common, desiredCount) => {
      const ownCluster = ctx.cluster instanceof ecs.Cluster ? ctx.cluster : undefined;
      if (f.spot) {
        ownCluster?.enableFargateCapacityProviders();
      }
      const service = new ecs.FargateService(s, 'Service', {
        ...common,
        desiredCount,
        platformVersion: f.platformVersion,
        assignPublicIp: false,
        capacityProviderStrategies: f.spot ? [
          { capacityProvider: 'FARGATE', base: f.onDemandBase, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: f.spotWeight },
        ] : undefined,
      });
      if (f.spot && ownCluster) {
        dependOnCapacityProviderAssociation(service, ownCluster);
      }
      return { service, fargateService: service };
    },
  };
}

/** Tasks on an Auto Scaling group capacity provider the service creates for itself. */
export function bindOwnEc2(scope: Construct, e: Ec2ComputeOptions, ctx: ComputeBindContext): ComputeBinding {
  const cluster = ctx.cluster;
  if (!(cluster instanceof ecs.Cluster)) {
    throw new Error(`cluster: EC2 compute adds an Auto Scaling group capacity provider to its cluster, got an imported cluster (${cluster.node.path}); pass an ecs.Cluster defined in this app, omit cluster, or use ServiceCompute.capacity with the cluster's own EC2 capacity`);
  }
  if (Stack.of(cluster) !== Stack.of(scope)) {
    // The cluster's one capacity-provider association would name this stack's provider while this stack
    // refers to the cluster: each stack would depend on the other.
    throw new Error(`cluster: EC2 compute adds its capacity provider to the cluster's capacity-provider association, which lives in the cluster's stack, got a cluster of stack ${Stack.of(cluster).stackName} for a service in stack ${Stack.of(scope).stackName}; give the cluster its EC2 capacity (ContainerCluster.addEc2Capacity) and choose it with ServiceCompute.capacity, or define the service in the cluster's stack`);
  }
  const daemon = e.daemon ?? false;
  return {
    taskDefinition: ec2TaskDefinition(scope, ctx),
    containerCpu: e.cpu,
    containerMemoryLimitMiB: e.memoryLimitMiB,
    privileged: false,
    daemon,
    addsRegionVariable: true,
    createService: (s, common, desiredCount) => {
      const capacity = createEc2Capacity(s, cluster, ctx.vpcSubnets, e);
      const service = new ecs.Ec2Service(s, 'Service', {
        ...common,
        daemon,
        desiredCount: daemon ? undefined : desiredCount,
        placementStrategies: daemon ? undefined : e.placementStrategies,
        // DAEMON services take no capacity provider strategy; the constraint keeps them off the instances
        // of the cluster's other capacity (a shared cluster), which would otherwise each get a task.
        placementConstraints: daemon ? [...e.placementConstraints ?? [], memberOfCapacity(capacity.instanceAttribute)] : e.placementConstraints,
        capacityProviderStrategies: daemon ? undefined : [{ capacityProvider: capacity.capacityProvider.capacityProviderName, weight: 1 }],
      });
      // Deleted before its instances, so tasks stop cleanly instead of dying with the hosts.
      service.node.addDependency(capacity.autoScalingGroup);
      if (!daemon) {
        dependOnCapacityProviderAssociation(service, cluster);
      }
      return { service, ec2Service: service, capacity };
    },
  };
}

/** Tasks on capacity providers a cluster owns, by a strategy of one kind (validated by ServiceCompute.capacity). */
export function bindCapacity(scope: Construct, kind: CapacityKind, strategy: CapacityStrategyEntry[], o: CapacityComputeOptions, ctx: ComputeBindContext): ComputeBinding {
  const strategies: ecs.CapacityProviderStrategy[] = strategy.map((e) => ({ capacityProvider: e.capacity.capacityProviderName, base: e.base, weight: e.weight ?? 1 }));
  const order = (service: ecs.BaseService) => {
    const clusters = new Set(strategy.map((e) => e.capacity.cluster ?? ctx.cluster));
    for (const cluster of clusters) {
      if (cluster instanceof ecs.Cluster) {
        dependOnCapacityProviderAssociation(service, cluster);
      }
    }
  };
  if (kind === CapacityKind.FARGATE) {
    const taskDefinition = fargateTaskDefinition(scope, o, ctx);
    return {
      taskDefinition,
      daemon: false,
      addsRegionVariable: false,
      createService: (s, common, desiredCount) => {
        for (const e of strategy) {
          // FARGATE and FARGATE_SPOT join a cluster's association only when asked for.
          const cluster = e.capacity.cluster ?? ctx.cluster;
          if (cluster instanceof ecs.Cluster) {
            cluster.enableFargateCapacityProviders();
          }
        }
        const service = new ecs.FargateService(s, 'Service', { ...common, desiredCount, platformVersion: o.platformVersion, assignPublicIp: false, capacityProviderStrategies: strategies });
        order(service);
        return { service, fargateService: service };
      },
    };
  }
  if (kind === CapacityKind.MANAGED_INSTANCES) {
    // ECS Managed Instances run awsvpc task definitions of MANAGED_INSTANCES compatibility under a
    // service with a capacity provider strategy (aws-cdk-lib's FargateService accepts them).
    const taskDefinition = new ecs.TaskDefinition(scope, 'TaskDefinition', {
      compatibility: ecs.Compatibility.MANAGED_INSTANCES,
      networkMode: ecs.NetworkMode.AWS_VPC,
      cpu: `${o.cpu}`,
      memoryMiB: `${o.memoryLimitMiB}`,
      executionRole: ctx.executionRole,
      taskRole: ctx.taskRole,
    });
    return {
      taskDefinition,
      privileged: false,
      daemon: false,
      addsRegionVariable: false,
      createService: (s, common, desiredCount) => {
        const service = new ecs.FargateService(s, 'Service', { ...common, desiredCount, capacityProviderStrategies: strategies });
        order(service);
        return { service, fargateService: service };
      },
    };
  }
  const daemon = o.daemon ?? false;
  return {
    taskDefinition: ec2TaskDefinition(scope, ctx),
    containerCpu: o.cpu,
    containerMemoryLimitMiB: o.memoryLimitMiB,
    privileged: false,
    daemon,
    addsRegionVariable: true,
    createService: (s, common, desiredCount) => {
      const service = new ecs.Ec2Service(s, 'Service', {
        ...common,
        daemon,
        desiredCount: daemon ? undefined : desiredCount,
        placementStrategies: daemon ? undefined : o.placementStrategies,
        placementConstraints: daemon ? daemonConstraints(s, strategy[0].capacity, o.placementConstraints ?? []) : o.placementConstraints,
        // DAEMON services take no capacity provider strategy (CreateService refuses one).
        capacityProviderStrategies: daemon ? undefined : strategies,
      });
      if (!daemon) {
        order(service);
      }
      return { service, ec2Service: service };
    },
  };
}

/**
 * A DAEMON service runs a task on every container instance of its cluster that meets its placement
 * constraints, so the one capacity it names is enforced by a constraint on the attribute that capacity's
 * instances carry. Capacity known only by name may carry none: then say where the tasks will run.
 */
function daemonConstraints(scope: Construct, capacity: IClusterCapacity, constraints: ecs.PlacementConstraint[]): ecs.PlacementConstraint[] {
  if (capacity.instanceAttribute === undefined) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:daemonOnEveryInstance', `The DAEMON service names capacity provider ${capacity.capacityProviderName}, whose instances carry no known attribute, so it runs a task on every EC2 container instance of the cluster${constraints.length > 0 ? ' that meets its placementConstraints' : ''}, whichever capacity launched it. Pass instanceAttribute to ClusterCapacity.fromCapacityProviderAttributes (an attribute only that capacity's instances register with), or use a ContainerCluster's own EC2 capacity`);
    return constraints;
  }
  return [...constraints, memberOfCapacity(capacity.instanceAttribute)];
}

function ec2TaskDefinition(scope: Construct, ctx: ComputeBindContext): ecs.Ec2TaskDefinition {
  // awsvpc on EC2 too: every task gets its own security group that admits only the load balancer.
  return new ecs.Ec2TaskDefinition(scope, 'TaskDefinition', {
    networkMode: ecs.NetworkMode.AWS_VPC,
    executionRole: ctx.executionRole,
    taskRole: ctx.taskRole,
  });
}

/** The cluster of a service given none: Container Insights, and ECS Exec encrypted and logged when asked for. */
export function createServiceCluster(scope: Construct, vpc: ec2.IVpc, logKey: kms.IKey, logRetention: logs.RetentionDays, exec: boolean): { cluster: ecs.Cluster; execLogGroup?: logs.LogGroup } {
  const execLogGroup = exec
    ? new logs.LogGroup(scope, 'ExecLogGroup', { retention: logRetention, encryptionKey: logKey, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE })
    : undefined;
  const cluster = new ecs.Cluster(scope, 'Cluster', {
    vpc,
    containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    executeCommandConfiguration: execLogGroup ? {
      kmsKey: logKey,
      logging: ecs.ExecuteCommandLogging.OVERRIDE,
      logConfiguration: { cloudWatchLogGroup: execLogGroup, cloudWatchEncryptionEnabled: true },
    } : undefined,
  });
  return { cluster, execLogGroup };
}
