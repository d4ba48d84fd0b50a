import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LoadBalancedService, PlatformVpc, ServiceDeployment, ServiceImage } from '../../lib';
import { expectNoComplianceFindings, newStack } from '../helpers';

const IMAGE = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
const LISTENER_ARN = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';

/** A listener of another app, known by its ARN and security group: what a platform team exports. */
function importedListener(stack: Stack): elbv2.IApplicationListener {
  return elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'SharedListener', {
    listenerArn: LISTENER_ARN,
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'SharedAlbSg', 'sg-0123456789abcdef0', { allowAllOutbound: false }),
  });
}

describe('LoadBalancedService on an imported listener', () => {
  const stack = newStack();
  const vpc = new PlatformVpc(stack, 'Network').vpc;
  const svc = new LoadBalancedService(stack, 'Svc', {
    vpc, listener: importedListener(stack), priority: 7, hostHeaders: ['api.example.com'], image: IMAGE, user: '101', writablePaths: ['/tmp'],
    deployment: ServiceDeployment.blueGreen(),
  });
  const template = Template.fromStack(stack);

  test('adds its rule to the listener and creates no load balancer', () => {
    expect(svc.loadBalancer).toBeUndefined();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { ListenerArn: LISTENER_ARN, Priority: 7 });
  });

  test('opens the tasks to the listener\'s security group, and that group to the tasks, on the container port', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourceSecurityGroupId: 'sg-0123456789abcdef0', FromPort: 8080, ToPort: 8080 });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: 'sg-0123456789abcdef0', FromPort: 8080, ToPort: 8080 });
  });

  test('lets ECS shift traffic on the imported listener in blue/green deployments', () => {
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).toContain(LISTENER_ARN);
  });

  test('reads target group metrics of the listener\'s load balancer, named from the listener ARN', () => {
    const metric = stack.resolve(svc.metricTarget5xxCount().dimensions);
    expect(metric.TargetGroup).toEqual(stack.resolve(svc.targetGroup.targetGroupFullName));
    expect(JSON.stringify(metric.LoadBalancer)).toContain('shared-alb');
  });

  test('has no unacknowledged finding', () => {
    expectNoComplianceFindings(svc);
  });
});

describe('LoadBalancedService as a grantable, connectable construct with metrics', () => {
  // Each test adds to its own stack: a synthesized stack takes no new constructs.
  const build = () => {
    const stack = newStack();
    return { stack, svc: new LoadBalancedService(stack, 'Svc', { image: IMAGE, user: '101', writablePaths: ['/tmp'] }) };
  };

  test('grants to the task role', () => {
    const { stack, svc } = build();
    const bucket = new s3.Bucket(stack, 'Data');
    bucket.grantRead(svc);
    expect(svc.grantPrincipal).toBe(svc.taskRole);
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy'))
      .find((p) => /TaskRole/.test(p.Properties.Description));
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('s3:GetObject*');
  });

  test('admits other clients through its connections, the tasks\' security group', () => {
    const { stack, svc } = build();
    const client = new ec2.SecurityGroup(stack, 'Client', { vpc: svc.vpc });
    svc.connections.allowFrom(client, ec2.Port.tcp(8080), 'Client');
    expect(svc.connections.securityGroups).toContain(svc.securityGroup);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: stack.resolve(client.securityGroupId), GroupId: stack.resolve(svc.securityGroup.securityGroupId),
    });
  });

  test('offers the metrics an on-call engineer watches', () => {
    const { stack, svc } = build();
    const described = [
      svc.metricRequestCount(), svc.metricTarget5xxCount(), svc.metricTargetResponseTime(), svc.metricUnhealthyTargets(),
      svc.metricCpuUtilization(), svc.metricMemoryUtilization(), svc.metricRunningTaskCount(),
    ].map((m) => `${m.namespace}/${m.metricName}`);
    expect(described).toEqual([
      'AWS/ApplicationELB/RequestCount', 'AWS/ApplicationELB/HTTPCode_Target_5XX_Count', 'AWS/ApplicationELB/TargetResponseTime',
      'AWS/ApplicationELB/UnHealthyHostCount', 'AWS/ECS/CPUUtilization', 'AWS/ECS/MemoryUtilization', 'ECS/ContainerInsights/RunningTaskCount',
    ]);
    const running = svc.metricRunningTaskCount({ period: undefined, statistic: 'Minimum' });
    expect(running.statistic).toBe('Minimum');
    expect(stack.resolve(running.dimensions)).toEqual({ ClusterName: stack.resolve(svc.cluster.clusterName), ServiceName: stack.resolve(svc.service.serviceName) });
  });

  test('fails when a listener is given with a shared load balancer or load balancer options', () => {
    const other = newStack();
    expect(() => new LoadBalancedService(other, 'Svc', { image: IMAGE, listener: importedListener(other), loadBalancerOptions: { internetFacing: false } }))
      .toThrow(/listener and loadBalancerOptions: the service attaches to one listener/);
  });

  test('fails when the listener rule priority is out of ALB\'s range on an imported listener', () => {
    const other = newStack();
    expect(() => new LoadBalancedService(other, 'Svc', { image: IMAGE, listener: importedListener(other), priority: 50001 }))
      .toThrow(/priority: listener rule priorities are whole numbers from 1 to 50000, got 50001/);
  });
});
