import { Size, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import {
  ClusterEc2Capacity, ContainerCluster, ContainerInstanceImage, LogEncryptionKey, ManagedInstancesClusterCapacity, PlatformVpc, ServiceLoadBalancer,
} from '../lib';
import { acknowledgeExampleTeardown, EcsExampleProps } from './example-teardown';

const EXAMPLE_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

/**
 * What a platform team owns and shares with application stacks: the VPC, a log key, a cluster with every
 * kind of capacity (Fargate, Fargate Spot, Graviton on-demand instances, x86 Spot instances on
 * Bottlerocket, ECS Managed Instances) and one HTTPS load balancer. Application stacks
 * (EcsWebAppsStack, EcsWorkerAppsStack) add services, listener rules and security-group rules of their
 * own; this stack never depends on them.
 */
export class EcsPlatformStack extends Stack {
  public readonly network: PlatformVpc;
  public readonly logKey: LogEncryptionKey;
  public readonly cluster: ContainerCluster;
  public readonly onDemand: ClusterEc2Capacity;
  public readonly spot: ClusterEc2Capacity;
  public readonly managedInstances: ManagedInstancesClusterCapacity;
  public readonly loadBalancer: ServiceLoadBalancer;

  constructor(scope: Construct, id: string, props: EcsExampleProps = {}) {
    super(scope, id, props);
    const deletionProtection = props.deletionProtection ?? true;
    this.network = new PlatformVpc(this, 'Network');
    this.logKey = new LogEncryptionKey(this, 'LogKey', { description: 'Encrypts the logs of every ECS service on the platform' });
    this.cluster = new ContainerCluster(this, 'Cluster', { vpc: this.network.vpc, logEncryptionKey: this.logKey });
    this.onDemand = this.cluster.addEc2Capacity('OnDemand', {
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
      minInstances: 2,
      maxInstances: 6,
    });
    this.spot = this.cluster.addEc2Capacity('Spot', {
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7I, ec2.InstanceSize.LARGE),
      machineImage: ContainerInstanceImage.BOTTLEROCKET,
      spot: true,
      minInstances: 0,
      maxInstances: 10,
    });
    this.managedInstances = this.cluster.addManagedInstancesCapacity('Managed', {
      instanceRequirements: { vCpuCountMin: 2, vCpuCountMax: 8, memoryMin: Size.gibibytes(4) },
    });
    this.loadBalancer = new ServiceLoadBalancer(this, 'LoadBalancer', {
      vpc: this.network.vpc,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', EXAMPLE_CERTIFICATE_ARN),
      deletionProtection,
    });
    if (!deletionProtection) {
      acknowledgeExampleTeardown(this.loadBalancer);
    }
  }
}

/** The platform stack of an app: the one with this id in `scope`, else a new one, so that application examples share it. */
export function ecsPlatformOf(scope: Construct, props: EcsExampleProps, id = 'EcsPlatform'): EcsPlatformStack {
  const existing = scope.node.tryFindChild(id);
  return existing instanceof EcsPlatformStack ? existing : new EcsPlatformStack(scope, id, props);
}
