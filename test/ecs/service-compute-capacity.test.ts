import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CapacityKind, ClusterCapacity, ComputeType, ContainerCluster, IClusterCapacity, LoadBalancedService, PlatformVpc, ServiceCompute, ServiceImage } from '../../lib';
import { newStack } from '../helpers';

const IMAGE = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
const EC2_A: IClusterCapacity = ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'ec2-a', kind: CapacityKind.EC2 });
const EC2_B: IClusterCapacity = ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'ec2-b', kind: CapacityKind.EC2, spot: true });
const FARGATE = ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'FARGATE', kind: CapacityKind.FARGATE });
const FARGATE_SPOT = ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'FARGATE_SPOT', kind: CapacityKind.FARGATE });

describe('ServiceCompute.capacity', () => {
  test('fills in the task size and, on EC2, spread-then-binpack placement', () => {
    const compute = ServiceCompute.capacity([{ capacity: EC2_A }]);
    expect(compute.type).toBe(ComputeType.CAPACITY_PROVIDERS);
    expect(compute.capacityKind).toBe(CapacityKind.EC2);
    expect(compute.capacityOptions).toMatchObject({ cpu: 256, memoryLimitMiB: 512, daemon: false });
    expect(compute.capacityOptions!.placementStrategies).toHaveLength(2);
  });

  test('defaults Fargate tasks to ARM64, and to X86_64 when the strategy names Fargate Spot', () => {
    expect(ServiceCompute.capacity([{ capacity: FARGATE }]).capacityOptions!.cpuArchitecture).toBe(ecs.CpuArchitecture.ARM64);
    expect(ServiceCompute.capacity([{ capacity: FARGATE }, { capacity: FARGATE_SPOT }]).capacityOptions!.cpuArchitecture).toBe(ecs.CpuArchitecture.X86_64);
    expect(FARGATE_SPOT.spot).toBe(true);
  });

  test('runs in the cluster of a ContainerCluster capacity, after its capacity-provider association', () => {
    const stack = newStack();
    const cluster = new ContainerCluster(stack, 'Cluster', { vpc: new PlatformVpc(stack, 'Network').vpc });
    const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE, compute: ServiceCompute.capacity([{ capacity: cluster.fargateSpot }]) });
    expect(svc.cluster).toBe(cluster.cluster);
    // The association exists once the stack is synthesized.
    const service = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(svc.service.node.defaultChild as ecs.CfnService)];
    const association = cluster.cluster.node.findChild(cluster.cluster.node.id) as ecs.CfnClusterCapacityProviderAssociations;
    expect(service.DependsOn).toContain(stack.getLogicalId(association));
    expect(service.Properties.CapacityProviderStrategy).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }]);
  });

  test('fails when the strategy is empty', () => {
    expect(() => ServiceCompute.capacity([])).toThrow(/strategy: a capacity provider strategy has 1 to 20 entries, got 0/);
  });

  test('fails when the strategy mixes kinds of capacity', () => {
    expect(() => ServiceCompute.capacity([{ capacity: FARGATE }, { capacity: EC2_A }])).toThrow(/strategy: .*providers must be of one kind, got FARGATE and EC2/);
  });

  test('fails when a provider appears twice', () => {
    expect(() => ServiceCompute.capacity([{ capacity: EC2_A }, { capacity: EC2_A, weight: 2 }])).toThrow(/strategy: each capacity provider may appear once, got ec2-a twice/);
  });

  test('fails when more than one entry has a base', () => {
    expect(() => ServiceCompute.capacity([{ capacity: EC2_A, base: 1 }, { capacity: EC2_B, base: 2 }])).toThrow(/strategy: only one capacity provider of a strategy may have a base, got bases on ec2-a, ec2-b/);
  });

  test('fails when every weight is 0', () => {
    expect(() => ServiceCompute.capacity([{ capacity: EC2_A, weight: 0 }])).toThrow(/strategy: every weight is 0/);
  });

  test('fails when a weight is out of range', () => {
    expect(() => ServiceCompute.capacity([{ capacity: EC2_A, weight: 1001 }])).toThrow(/strategy weight: must be a whole number from 0 to 1000, got 1001/);
  });

  test('fails when a daemon names more than one capacity', () => {
    expect(() => ServiceCompute.capacity([{ capacity: EC2_A }, { capacity: EC2_B }], { daemon: true })).toThrow(/strategy: a DAEMON service .* got 2 entries/);
  });

  test('fails when a daemon is asked of Fargate', () => {
    expect(() => ServiceCompute.capacity([{ capacity: FARGATE }], { daemon: true })).toThrow(/daemon: Fargate has no instances/);
  });

  test('fails when a Fargate-only option is given for EC2 capacity', () => {
    expect(() => ServiceCompute.capacity([{ capacity: EC2_A }], { cpuArchitecture: ecs.CpuArchitecture.ARM64 })).toThrow(/cpuArchitecture: applies to Fargate tasks only, got cpuArchitecture set for EC2 capacity/);
  });

  test('fails when a Fargate task size is not a valid pair', () => {
    expect(() => ServiceCompute.capacity([{ capacity: FARGATE }], { cpu: 256, memoryLimitMiB: 4096 })).toThrow(/memoryLimitMiB: 4096 MiB is not a valid Fargate size with cpu 256/);
  });

  test('fails when a daemon is given placement strategies', () => {
    expect(() => ServiceCompute.capacity([{ capacity: EC2_A }], { daemon: true, placementStrategies: [ecs.PlacementStrategy.randomly()] }))
      .toThrow(/placementStrategies: DAEMON scheduling puts one task on every instance/);
  });

  test('fails when ARM64 Fargate tasks are pinned to a platform version before 1.4.0', () => {
    expect(() => ServiceCompute.capacity([{ capacity: FARGATE }], { platformVersion: ecs.FargatePlatformVersion.VERSION1_3 }))
      .toThrow(/cpuArchitecture and platformVersion: Fargate runs ARM64 tasks from platform version 1.4.0, got ARM64 on 1.3.0/);
  });

  test('fails when placement strategies are given for Managed Instances', () => {
    const managed = ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'mi', kind: CapacityKind.MANAGED_INSTANCES });
    expect(() => ServiceCompute.capacity([{ capacity: managed }], { placementStrategies: [ecs.PlacementStrategy.randomly()] }))
      .toThrow(/placementStrategies: Managed Instances capacity places tasks itself/);
  });

  test('fails when a provider name is not a capacity provider name', () => {
    expect(() => ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'bad name', kind: CapacityKind.EC2 })).toThrow(/capacityProviderName: capacity provider names are 1 to 255 letters.*got 'bad name'/);
  });

  test('fails when FARGATE is named with another kind', () => {
    expect(() => ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'FARGATE', kind: CapacityKind.EC2 })).toThrow(/kind: FARGATE is a Fargate provider, got kind EC2; use CapacityKind.FARGATE/);
  });

  describe('on a service', () => {
    function platform(): { stack: Stack; cluster: ContainerCluster } {
      const stack = newStack();
      return { stack, cluster: new ContainerCluster(stack, 'Cluster', { vpc: new PlatformVpc(stack, 'Network').vpc }) };
    }

    test('fails when the service is given another cluster than the capacity\'s', () => {
      const { stack, cluster } = platform();
      const other = new ecs.Cluster(stack, 'Other', { vpc: cluster.vpc });
      expect(() => new LoadBalancedService(stack, 'Svc', { image: IMAGE, cluster: other, compute: ServiceCompute.capacity([{ capacity: cluster.fargate }]) }))
        .toThrow(/cluster and compute: the capacity providers belong to cluster Test\/Cluster\/Cluster, got cluster Test\/Other/);
    });

    test('fails when a listener is given with a shared load balancer', () => {
      const { stack, cluster } = platform();
      const shared = new LoadBalancedService(stack, 'First', { image: IMAGE, compute: ServiceCompute.capacity([{ capacity: cluster.fargate }]) });
      expect(() => new LoadBalancedService(stack, 'Svc', {
        image: IMAGE, listener: shared.listener, loadBalancer: shared.loadBalancer, compute: ServiceCompute.capacity([{ capacity: cluster.fargate }]),
      })).toThrow(/listener and loadBalancer: the service attaches to one listener, got a listener and a shared loadBalancer/);
    });

    test('fails when capacity named only by name comes without a cluster', () => {
      const stack = newStack();
      expect(() => new LoadBalancedService(stack, 'Svc', { image: IMAGE, compute: ServiceCompute.capacity([{ capacity: EC2_A }]) }))
        .toThrow(/cluster: capacity providers named by name belong to a cluster this service cannot see, got no cluster/);
    });

    test('fails when a vpc is given besides the capacity\'s cluster', () => {
      const { stack, cluster } = platform();
      expect(() => new LoadBalancedService(stack, 'Svc', { image: IMAGE, vpc: cluster.vpc, compute: ServiceCompute.capacity([{ capacity: cluster.fargate }]) }))
        .toThrow(/vpc and compute: the service runs in the VPC of its capacity's cluster, got vpc as well/);
    });

    test('runs a named provider on an imported cluster given to the service', () => {
      const stack = newStack();
      const vpc = new PlatformVpc(stack, 'Network').vpc;
      const imported = ecs.Cluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'platform', vpc, securityGroups: [] });
      const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE, cluster: imported, compute: ServiceCompute.capacity([{ capacity: EC2_A }]) });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', { Cluster: 'platform', CapacityProviderStrategy: [{ CapacityProvider: 'ec2-a', Weight: 1 }] });
      expect(svc.ec2Service).toBeDefined();
    });
  });
});
