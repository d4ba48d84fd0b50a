import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { LoadBalancedService, PlatformVpc, ServiceCompute, ServiceImage } from '../../lib';
import { expectNoComplianceFindings, newApp, newStack } from '../helpers';

const IMAGE = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
const INSTANCE_TYPE = new ec2.InstanceType('m7g.large');
const CERT_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

/** The capacity-provider association ecs.Cluster adds at synthesis, as the child of the cluster's own id. */
function associationOf(cluster: ecs.ICluster): ecs.CfnClusterCapacityProviderAssociations {
  return cluster.node.findChild(cluster.node.id) as ecs.CfnClusterCapacityProviderAssociations;
}

function dependsOn(stack: Stack, service: ecs.BaseService): string[] {
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(service.node.defaultChild as ecs.CfnService)].DependsOn ?? [];
}

function logicalId(resource: IConstruct): string {
  return Stack.of(resource).getLogicalId(resource as ecs.CfnClusterCapacityProviderAssociations);
}

describe('services on capacity providers wait for the cluster\'s capacity-provider association', () => {
  test('creates an EC2 service after the association of the cluster it creates, and deletes it before', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE, compute: ServiceCompute.ec2({ instanceType: INSTANCE_TYPE }) });
    const deps = dependsOn(stack, svc.service);
    const association = associationOf(svc.cluster);
    expect(deps).toContain(logicalId(association));
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: [stack.resolve(svc.capacityProvider!.capacityProviderName)],
    });
  });

  test('creates a Fargate Spot service after the association that adds FARGATE and FARGATE_SPOT', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE, compute: ServiceCompute.fargate({ spot: true }) });
    expect(dependsOn(stack, svc.service)).toContain(logicalId(associationOf(svc.cluster)));
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
  });

  test('waits for the association of a cluster passed in, which another service\'s capacity created', () => {
    const stack = newStack();
    const first = new LoadBalancedService(stack, 'First', { image: IMAGE, compute: ServiceCompute.ec2({ instanceType: INSTANCE_TYPE }) });
    const second = new LoadBalancedService(stack, 'Second', {
      cluster: first.cluster, loadBalancer: first.loadBalancer, priority: 10, pathPatterns: ['/api/*'],
      image: IMAGE, compute: ServiceCompute.ec2({ instanceType: INSTANCE_TYPE }),
    });
    const firstDeps = dependsOn(stack, first.service);
    const association = logicalId(associationOf(first.cluster));
    expect(firstDeps).toContain(association);
    expect(dependsOn(stack, second.service)).toContain(association);
    Template.fromStack(stack).resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 1);
  });

  test('adds no association and no dependency for an on-demand Fargate service (launch type, no capacity provider)', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE });
    Template.fromStack(stack).resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 0);
    expect(dependsOn(stack, svc.service).some((d) => /Cluster/.test(d))).toBe(false);
  });

  test('does not order a DAEMON service, which names no capacity provider, after the association', () => {
    const stack = newStack();
    const svc = new LoadBalancedService(stack, 'Svc', { image: IMAGE, compute: ServiceCompute.ec2({ instanceType: INSTANCE_TYPE, daemon: true }) });
    expect(dependsOn(stack, svc.service)).not.toContain(logicalId(associationOf(svc.cluster)));
  });

  describe('on a platform stack\'s cluster', () => {
    const app = newApp();
    const platform = new Stack(app, 'Platform');
    const network = new PlatformVpc(platform, 'Network');
    const cluster = new ecs.Cluster(platform, 'Cluster', { vpc: network.vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    const application = new Stack(app, 'Application');
    new LoadBalancedService(application, 'Batch', {
      cluster, image: IMAGE, compute: ServiceCompute.fargate({ spot: true }),
      loadBalancerOptions: { certificate: acm.Certificate.fromCertificateArn(application, 'Cert', CERT_ARN) },
    });
    // Synthesizing the whole app fails on a dependency cycle between the two stacks.
    const assembly = app.synth();

    test('makes the application stack depend on the platform stack, which holds the association, and never the reverse', () => {
      Template.fromJSON(assembly.getStackByName('Platform').template).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      });
      expect(assembly.getStackByName('Application').dependencies.map((d) => d.id)).toContain('Platform');
      expect(assembly.getStackByName('Platform').dependencies.map((d) => d.id)).not.toContain('Application');
    });

    test('has no unacknowledged finding in either stack', () => {
      expectNoComplianceFindings(platform);
      expectNoComplianceFindings(application);
    });
  });

  test('fails when EC2 compute is given a cluster of another stack, whose association would name this stack\'s provider', () => {
    const app = newApp();
    const platform = new Stack(app, 'Platform');
    const cluster = new ecs.Cluster(platform, 'Cluster', { vpc: new PlatformVpc(platform, 'Network').vpc });
    const application = new Stack(app, 'Application');
    expect(() => new LoadBalancedService(application, 'Svc', { cluster, image: IMAGE, compute: ServiceCompute.ec2({ instanceType: INSTANCE_TYPE }) }))
      .toThrow(/cluster: EC2 compute adds its capacity provider to the cluster's capacity-provider association.*got a cluster of stack Platform for a service in stack Application/);
  });
});
