import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CapacityKind, ClusterCapacity, ClusterEc2Capacity, ContainerInstanceImage, LoadBalancedService, ServiceCompute, ServiceImage } from '../../lib';
import { ecsCapacityPlatformStacks, ecsPlatformStacks } from './platform-stacks';

const IMAGE = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
const ATTRIBUTE = 'cdk-container-platform-capacity';

/** The launch template's user data as one string, tokens resolved in the capacity's stack. */
function userDataOf(capacity: { launchTemplate: ec2.LaunchTemplate }): string {
  const stack = Stack.of(capacity.launchTemplate);
  return JSON.stringify(stack.resolve((capacity.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate).launchTemplateData));
}

function constraintsOf(service: LoadBalancedService): any[] | undefined {
  return Stack.of(service).resolve((service.service.node.defaultChild as ecs.CfnService).placementConstraints);
}

const memberOf = (value: string) => ({ type: 'memberOf', expression: `attribute:${ATTRIBUTE} == ${value}` });

// The platform stack's cluster has an on-demand AL2023 group, a Spot AL2023 group and a Spot Bottlerocket group.
describe('a DAEMON service on one EC2 capacity of a shared ContainerCluster', () => {
  const { app, cluster, onDemand, spot, logKey, loadBalancer } = ecsCapacityPlatformStacks();
  const rocket = cluster.addEc2Capacity('Rocket', { instanceType: new ec2.InstanceType('m7i.large'), spot: true, minInstances: 0, machineImage: ContainerInstanceImage.BOTTLEROCKET });
  const workers = new Stack(app, 'Workers');
  const shared = { loadBalancer, logEncryptionKey: logKey, image: IMAGE, user: '101', writablePaths: ['/tmp'] };
  const agent = new LoadBalancedService(workers, 'Agent', { ...shared, priority: 10, pathPatterns: ['/agent/*'], compute: ServiceCompute.capacity([{ capacity: onDemand }], { daemon: true }) });
  const pinned = new LoadBalancedService(workers, 'Pinned', {
    ...shared, priority: 20, pathPatterns: ['/pinned/*'],
    compute: ServiceCompute.capacity([{ capacity: spot }], { daemon: true, placementConstraints: [ecs.PlacementConstraint.memberOf('attribute:ecs.os-type == linux')] }),
  });
  const replica = new LoadBalancedService(workers, 'Replica', { ...shared, priority: 30, pathPatterns: ['/replica/*'], compute: ServiceCompute.capacity([{ capacity: onDemand }]) });

  test('registers each capacity\'s instances with an attribute naming that capacity', () => {
    expect(onDemand.instanceAttribute).toEqual({ name: ATTRIBUTE, value: expect.stringMatching(/^Platform-Cluster-OnDemand-[0-9A-F]{8}$/) });
    expect(spot.instanceAttribute!.value).not.toEqual(onDemand.instanceAttribute!.value);
  });

  test('writes the attribute to the AL2023 agent configuration', () => {
    const userData = userDataOf(onDemand);
    expect(userData).toContain(`echo 'ECS_INSTANCE_ATTRIBUTES={\\"${ATTRIBUTE}\\":\\"${onDemand.instanceAttribute!.value}\\"}' >> /etc/ecs/ecs.config`);
    expect(userData).not.toContain(spot.instanceAttribute!.value);
  });

  test('writes the attribute to Bottlerocket\'s settings.ecs.instance-attributes table, after every [settings.ecs] key', () => {
    const lines = rocket.autoScalingGroup.userData.render().split('\n');
    const table = lines.indexOf('[settings.ecs.instance-attributes]');
    expect(lines[table + 1]).toBe(`${ATTRIBUTE} = "${rocket.instanceAttribute!.value}"`);
    expect(table).toBe(lines.length - 2);
    expect(lines.indexOf('[settings.ecs]')).toBeLessThan(lines.indexOf('awsvpc-block-imds = true'));
    expect(lines.indexOf('spot-instance-draining-enabled = true')).toBeGreaterThan(lines.indexOf('[settings.ecs]'));
    expect(lines.indexOf('spot-instance-draining-enabled = true')).toBeLessThan(table);
    expect(new Set([onDemand, spot, rocket].map((c) => c.instanceAttribute!.value)).size).toBe(3);
  });

  test('holds the daemon to the instances of the capacity it names, with no capacity provider strategy', () => {
    expect(constraintsOf(agent)).toEqual([memberOf(onDemand.instanceAttribute!.value)]);
    Template.fromStack(workers).hasResourceProperties('AWS::ECS::Service', {
      SchedulingStrategy: 'DAEMON', LaunchType: 'EC2', CapacityProviderStrategy: Match.absent(),
      PlacementConstraints: [{ Type: 'memberOf', Expression: `attribute:${ATTRIBUTE} == ${onDemand.instanceAttribute!.value}` }],
    });
  });

  test('keeps the daemon\'s own placement constraints beside the capacity\'s', () => {
    expect(constraintsOf(pinned)).toEqual([{ type: 'memberOf', expression: 'attribute:ecs.os-type == linux' }, memberOf(spot.instanceAttribute!.value)]);
  });

  test('adds no constraint to REPLICA services, which their capacity provider strategy places', () => {
    expect(JSON.stringify(constraintsOf(replica) ?? [])).not.toContain(ATTRIBUTE);
  });
});

describe('a DAEMON service with an Auto Scaling group of its own on a shared cluster', () => {
  const { platform, cluster, logKey, loadBalancer } = ecsPlatformStacks();
  const shared = { cluster, loadBalancer, logEncryptionKey: logKey, image: IMAGE, user: '101', writablePaths: ['/tmp'] };
  const other = new ClusterEc2Capacity(platform, 'Other', { cluster, instanceType: new ec2.InstanceType('m7i.large') });
  const agent = new LoadBalancedService(platform, 'Agent', { ...shared, priority: 10, pathPatterns: ['/agent/*'], compute: ServiceCompute.ec2({ instanceType: new ec2.InstanceType('m7g.large'), daemon: true }) });

  test('runs only on its own group\'s instances, not on the cluster\'s other capacity', () => {
    const value = /ECS_INSTANCE_ATTRIBUTES=\{"cdk-container-platform-capacity":"([^"]+)"\}/.exec(agent.autoScalingGroup!.userData.render())![1];
    expect(value).toMatch(/^Platform-Agent-/);
    expect(value).not.toEqual(other.instanceAttribute!.value);
    expect(constraintsOf(agent)).toEqual([memberOf(value)]);
  });
});

describe('a DAEMON service on EC2 capacity known by name', () => {
  const { application, cluster, logKey, loadBalancer } = ecsPlatformStacks();
  const shared = { cluster, loadBalancer, logEncryptionKey: logKey, image: IMAGE, user: '101', writablePaths: ['/tmp'] };
  const attributed = ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'platform-ondemand', kind: CapacityKind.EC2, instanceAttribute: { name: 'pool', value: 'on-demand' } });
  const agent = new LoadBalancedService(application, 'Agent', { ...shared, priority: 10, pathPatterns: ['/agent/*'], compute: ServiceCompute.capacity([{ capacity: attributed }], { daemon: true }) });
  const unknown = ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'platform-legacy', kind: CapacityKind.EC2 });
  const legacy = new LoadBalancedService(application, 'Legacy', { ...shared, priority: 20, pathPatterns: ['/legacy/*'], compute: ServiceCompute.capacity([{ capacity: unknown }], { daemon: true }) });
  const annotations = Annotations.fromStack(application);

  test('is held to the instances that carry the attribute it is given', () => {
    expect(constraintsOf(agent)).toEqual([{ type: 'memberOf', expression: 'attribute:pool == on-demand' }]);
    annotations.hasNoWarning('/Application/Agent', Match.stringLikeRegexp('every EC2 container instance'));
  });

  test('warns that it runs on every instance of the cluster when the capacity carries no known attribute', () => {
    expect(constraintsOf(legacy) ?? []).toEqual([]);
    annotations.hasWarning('/Application/Legacy', Match.stringLikeRegexp('platform-legacy.*runs a task on every EC2 container instance of the cluster.*Pass instanceAttribute'));
  });
});

describe('DAEMON combinations that are refused', () => {
  const { managedInstances } = ecsCapacityPlatformStacks();

  test('fails when a daemon names Managed Instances capacity', () => {
    expect(() => ServiceCompute.capacity([{ capacity: managedInstances }], { daemon: true })).toThrow(/daemon: a DAEMON service on Managed Instances is not supported .*ECS Managed Daemon/);
  });

  test('fails when an imported capacity\'s attribute name has characters ECS refuses', () => {
    expect(() => ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'cp', kind: CapacityKind.EC2, instanceAttribute: { name: 'pool:name', value: 'a' } }))
      .toThrow(/instanceAttribute.name: ECS attribute names are 1 to 128 .*got 'pool:name'/);
  });

  test('fails when an imported capacity\'s attribute value has a space', () => {
    expect(() => ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'cp', kind: CapacityKind.EC2, instanceAttribute: { name: 'pool', value: 'on demand' } }))
      .toThrow(/instanceAttribute.value: .*no spaces\), got 'on demand'/);
  });

  test('fails when an attribute is given to capacity that runs no DAEMON service', () => {
    expect(() => ClusterCapacity.fromCapacityProviderAttributes({ capacityProviderName: 'FARGATE', kind: CapacityKind.FARGATE, instanceAttribute: { name: 'pool', value: 'a' } }))
      .toThrow(/instanceAttribute: only EC2 capacity runs DAEMON services/);
  });
});
