import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LoadBalancedService, ServiceCompute, ServiceImage } from '../../lib';
import { expectNoComplianceFindings, resourcesOfType } from '../helpers';
import { ecsCapacityPlatformStacks } from './platform-stacks';

const IMAGE = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
/** A value an application stack reads from the platform stack (an output, under this project's feature flags). */
const FROM_PLATFORM = { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Platform' }) };

// A platform stack owns the cluster and every kind of capacity; two application stacks add services on each.
describe('services of two application stacks on the capacity of a platform stack\'s ContainerCluster', () => {
  const { app, platform, cluster, onDemand, spot, managedInstances, logKey, loadBalancer } = ecsCapacityPlatformStacks();
  const web = new Stack(app, 'Web');
  const workers = new Stack(app, 'Workers');
  const shared = { loadBalancer, logEncryptionKey: logKey, image: IMAGE, user: '101', writablePaths: ['/tmp'] };
  const services = {
    fargate: new LoadBalancedService(web, 'Fargate', { ...shared, priority: 10, pathPatterns: ['/fargate/*'], compute: ServiceCompute.capacity([{ capacity: cluster.fargate }]) }),
    fargateSpot: new LoadBalancedService(web, 'FargateSpot', {
      ...shared, priority: 20, pathPatterns: ['/spot/*'],
      compute: ServiceCompute.capacity([{ capacity: cluster.fargate, base: 1, weight: 1 }, { capacity: cluster.fargateSpot, weight: 3 }]),
    }),
    ec2: new LoadBalancedService(workers, 'Ec2', { ...shared, priority: 30, pathPatterns: ['/ec2/*'], compute: ServiceCompute.capacity([{ capacity: onDemand }]) }),
    ec2Spot: new LoadBalancedService(workers, 'Ec2Spot', {
      ...shared, priority: 40, pathPatterns: ['/ec2-spot/*'],
      compute: ServiceCompute.capacity([{ capacity: onDemand, base: 1, weight: 1 }, { capacity: spot, weight: 4 }]),
    }),
    managed: new LoadBalancedService(workers, 'Managed', { ...shared, priority: 50, pathPatterns: ['/managed/*'], compute: ServiceCompute.capacity([{ capacity: managedInstances }]) }),
    daemon: new LoadBalancedService(workers, 'Daemon', { ...shared, priority: 60, pathPatterns: ['/daemon/*'], compute: ServiceCompute.capacity([{ capacity: onDemand }], { daemon: true }) }),
  };
  // Synthesizing the whole app fails on a reference cycle between the stacks.
  const assembly = app.synth();
  const templateOf = (stack: Stack) => Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  const platformTemplate = templateOf(platform);
  const dependencies = (stack: Stack) => assembly.getStackByName(stack.stackName).dependencies.map((d) => d.id);

  test('keeps the platform stack independent of both application stacks', () => {
    expect(dependencies(platform)).not.toContain('Web');
    expect(dependencies(platform)).not.toContain('Workers');
    expect(dependencies(web)).toContain('Platform');
    expect(dependencies(workers)).toContain('Platform');
  });

  test('creates the capacity providers and their association in the platform stack only', () => {
    platformTemplate.resourceCountIs('AWS::ECS::CapacityProvider', 3);
    platformTemplate.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 2);
    platformTemplate.resourceCountIs('AWS::ECS::Service', 0);
    const association = Object.values<any>(platformTemplate.findResources('AWS::ECS::ClusterCapacityProviderAssociations'))[0];
    expect(association.Properties.CapacityProviders).toEqual(expect.arrayContaining(['FARGATE', 'FARGATE_SPOT', ...[onDemand, spot].map((c) => platform.resolve(c.capacityProviderName))]));
    for (const stack of [web, workers]) {
      const template = templateOf(stack);
      template.resourceCountIs('AWS::ECS::CapacityProvider', 0);
      template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 0);
      template.resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 0);
    }
  });

  test('runs each service on the providers its strategy names, with base and weights', () => {
    templateOf(web).hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 3 }],
    });
    const workerServices = Object.values<any>(templateOf(workers).findResources('AWS::ECS::Service')).map((s) => s.Properties);
    expect(workerServices).toEqual(expect.arrayContaining([
      expect.objectContaining({ CapacityProviderStrategy: [{ CapacityProvider: expect.objectContaining(FROM_PLATFORM_SHAPE), Base: 1, Weight: 1 }, { CapacityProvider: expect.objectContaining(FROM_PLATFORM_SHAPE), Weight: 4 }] }),
      expect.objectContaining({ SchedulingStrategy: 'DAEMON', LaunchType: 'EC2' }),
    ]));
    expect(workerServices.find((s) => s.SchedulingStrategy === 'DAEMON').CapacityProviderStrategy).toBeUndefined();
  });

  test('runs Managed Instances tasks from a MANAGED_INSTANCES task definition', () => {
    const taskDefinition = (services.managed.taskDefinition.node.defaultChild as any);
    const props = templateOf(workers).toJSON().Resources[workers.getLogicalId(taskDefinition)].Properties;
    expect(props.RequiresCompatibilities).toEqual(['MANAGED_INSTANCES']);
    expect(props.NetworkMode).toBe('awsvpc');
    expect(props.ContainerDefinitions[0].Privileged).toBe(false);
  });

  test('creates every listener rule, target group and security-group rule in the application stacks', () => {
    platformTemplate.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    platformTemplate.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 0);
    for (const [stack, count] of [[web, 2], [workers, 4]] as const) {
      const template = templateOf(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', count);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', count);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, SourceSecurityGroupId: FROM_PLATFORM });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 8080, GroupId: FROM_PLATFORM });
    }
    const platformIngress = resourcesOfType(platformTemplate, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) => r.Properties.FromPort === 8080);
    expect(platformIngress).toEqual([]);
  });

  test('admits the application stacks\' log groups in the platform key by name pattern, without referring to them', () => {
    expect(logKey.admittedLogGroupNames()).toEqual(['Platform-*', 'Web-*', 'Workers-*']);
    expect(JSON.stringify(platformTemplate.toJSON())).not.toMatch(/"StackName":"(Web|Workers)"/);
  });

  test('has no unacknowledged finding in any of the three stacks', () => {
    expectNoComplianceFindings(platform);
    expectNoComplianceFindings(web);
    expectNoComplianceFindings(workers);
  });
});

/** The shape of a reference to the platform stack, for values nested in arrays. */
const FROM_PLATFORM_SHAPE = { 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Platform' }) };
