import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { LoadBalancedService, LogEncryptionKey, PlatformVpc, ServiceImage, ServiceLoadBalancer } from '../../lib';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';
/** Services per application stack: well under CloudFormation's 500 resources per stack. */
export const SERVICES_PER_STACK = 25;
/** The id of the shared platform stack, which bench/run.ts reads apart from the service stacks. */
export const PLATFORM_STACK_ID = 'BenchPlatform';

/**
 * N services the way a platform team lays them out: one platform stack (VPC, cluster, ALB, log key)
 * and application stacks of up to SERVICES_PER_STACK services each, every service routed by its own path.
 */
export function addEcsServices(app: App, count: number): void {
  const platform = new Stack(app, PLATFORM_STACK_ID);
  const network = new PlatformVpc(platform, 'Network');
  const cluster = new ecs.Cluster(platform, 'Cluster', { vpc: network.vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
  const logKey = new LogEncryptionKey(platform, 'LogKey', { description: 'Encrypts the logs of every benchmark service' });
  const loadBalancer = new ServiceLoadBalancer(platform, 'LoadBalancer', {
    vpc: network.vpc,
    certificate: acm.Certificate.fromCertificateArn(platform, 'Certificate', CERTIFICATE_ARN),
  });
  const image = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
  let stack: Stack | undefined;
  for (let i = 1; i <= count; i++) {
    if ((i - 1) % SERVICES_PER_STACK === 0) {
      stack = new Stack(app, `BenchServices${Math.ceil(i / SERVICES_PER_STACK)}`);
    }
    new LoadBalancedService(stack!, `Service${i}`, {
      cluster,
      loadBalancer,
      logEncryptionKey: logKey,
      priority: i,
      pathPatterns: [`/service-${i}/*`],
      image,
      user: '101',
      writablePaths: ['/tmp', '/var/cache/nginx'],
    });
  }
}
