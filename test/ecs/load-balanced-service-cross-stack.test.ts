import { Match, Template } from 'aws-cdk-lib/assertions';
import { LoadBalancedService, ServiceImage } from '../../lib';
import { expectNoComplianceFindings, resourcesOfType } from '../helpers';
import { ecsPlatformStacks } from './platform-stacks';

/** A value the application stack reads from the platform stack (an output, under this project's feature flags). */
const FROM_PLATFORM = { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'Platform' }) };

// The layout platform teams use: a platform stack owns the VPC, cluster, load balancer and log key,
// and each application stack adds its services to them.
describe('LoadBalancedService in an application stack, on a platform stack\'s cluster and load balancer', () => {
  const { app, platform, cluster, logKey, loadBalancer, application } = ecsPlatformStacks();
  for (const [id, priority] of [['Web', 100], ['Api', 10]] as const) {
    new LoadBalancedService(application, id, {
      cluster,
      loadBalancer,
      logEncryptionKey: logKey,
      priority,
      pathPatterns: [id === 'Api' ? '/api/*' : '/*'],
      image: ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine'),
      user: '101',
      writablePaths: ['/tmp'],
    });
  }
  // Synthesizing the whole app fails on a reference cycle between the two stacks.
  const assembly = app.synth();
  const platformTemplate = Template.fromJSON(assembly.getStackByName('Platform').template);
  const appTemplate = Template.fromJSON(assembly.getStackByName('Application').template);

  test('creates the services, their rules and target groups in the application stack only', () => {
    appTemplate.resourceCountIs('AWS::ECS::Service', 2);
    appTemplate.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 2);
    platformTemplate.resourceCountIs('AWS::ECS::Service', 0);
    platformTemplate.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    appTemplate.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 10, ListenerArn: FROM_PLATFORM });
  });

  test('opens the load balancer to the tasks with rules in the application stack, so the platform stack never refers to it', () => {
    appTemplate.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: FROM_PLATFORM,
    });
    appTemplate.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, GroupId: FROM_PLATFORM,
    });
    expect(assembly.getStackByName('Application').dependencies.map((d) => d.id)).toContain('Platform');
    expect(assembly.getStackByName('Platform').dependencies.map((d) => d.id)).not.toContain('Application');
  });

  test('uses the shared key and cluster rather than creating its own', () => {
    appTemplate.resourceCountIs('AWS::KMS::Key', 0);
    appTemplate.resourceCountIs('AWS::ECS::Cluster', 0);
    for (const [, group] of resourcesOfType(appTemplate, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'Platform', OutputName: expect.stringMatching(/LogKey/) }) });
    }
  });

  test('has no unacknowledged finding in either stack', () => {
    expectNoComplianceFindings(platform);
    expectNoComplianceFindings(application);
  });
});
