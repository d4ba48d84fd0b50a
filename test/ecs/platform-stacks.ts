import { App, Size, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ClusterEc2Capacity, ContainerCluster, LogEncryptionKey, ManagedInstancesClusterCapacity, PlatformVpc, ServiceLoadBalancer } from '../../lib';
import { newApp } from '../helpers';

/** An obviously-example certificate ARN; nothing is looked up. */
export const CERT_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

/** What a platform stack shares with application stacks. */
export interface EcsPlatformStacks {
  readonly app: App;
  readonly platform: Stack;
  readonly network: PlatformVpc;
  readonly cluster: ecs.Cluster;
  readonly logKey: LogEncryptionKey;
  readonly loadBalancer: ServiceLoadBalancer;
  /** An empty application stack of the same app, for the services under test. */
  readonly application: Stack;
}

/**
 * The layout platform teams use: a platform stack owns the VPC, cluster, HTTPS load balancer and log key,
 * and an application stack adds services to them.
 */
export function ecsPlatformStacks(): EcsPlatformStacks {
  const app = newApp();
  const platform = new Stack(app, 'Platform');
  const network = new PlatformVpc(platform, 'Network');
  const cluster = new ecs.Cluster(platform, 'Cluster', { vpc: network.vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
  const logKey = new LogEncryptionKey(platform, 'LogKey');
  const loadBalancer = new ServiceLoadBalancer(platform, 'LoadBalancer', {
    vpc: network.vpc,
    certificate: acm.Certificate.fromCertificateArn(platform, 'Cert', CERT_ARN),
  });
  const application = new Stack(app, 'Application');
  return { app, platform, network, cluster, logKey, loadBalancer, application };
}

/** What a platform stack that owns its ECS capacity shares with application stacks. */
export interface EcsCapacityPlatformStacks {
  readonly app: App;
  readonly platform: Stack;
  readonly network: PlatformVpc;
  readonly cluster: ContainerCluster;
  readonly onDemand: ClusterEc2Capacity;
  readonly spot: ClusterEc2Capacity;
  readonly managedInstances: ManagedInstancesClusterCapacity;
  readonly logKey: LogEncryptionKey;
  readonly loadBalancer: ServiceLoadBalancer;
}

/**
 * A platform stack whose ContainerCluster owns Fargate, Fargate Spot, an on-demand Graviton group, a Spot
 * x86 group and Managed Instances, with a shared HTTPS load balancer and log key. Application stacks are
 * added by the tests.
 */
export function ecsCapacityPlatformStacks(): EcsCapacityPlatformStacks {
  const app = newApp();
  const platform = new Stack(app, 'Platform');
  const network = new PlatformVpc(platform, 'Network');
  const logKey = new LogEncryptionKey(platform, 'LogKey');
  const cluster = new ContainerCluster(platform, 'Cluster', { vpc: network.vpc, logEncryptionKey: logKey });
  const onDemand = cluster.addEc2Capacity('OnDemand', { instanceType: new ec2.InstanceType('m7g.large') });
  const spot = cluster.addEc2Capacity('Spot', {
    instanceType: new ec2.InstanceType('m7i.large'), spot: true, minInstances: 0,
  });
  const managedInstances = cluster.addManagedInstancesCapacity('Managed', {
    instanceRequirements: { vCpuCountMin: 2, memoryMin: Size.gibibytes(4) },
  });
  const loadBalancer = new ServiceLoadBalancer(platform, 'LoadBalancer', {
    vpc: network.vpc,
    certificate: acm.Certificate.fromCertificateArn(platform, 'Cert', CERT_ARN),
  });
  return { app, platform, network, cluster, onDemand, spot, managedInstances, logKey, loadBalancer };
}
