import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { LoadBalancedService, PlatformVpc, ServiceCompute, ServiceImage } from '../lib';
import { acknowledgeExampleTeardown, EcsExampleProps } from './example-teardown';

/** An obviously-example certificate ARN: replace it with your own (nothing is looked up at synth). */
const EXAMPLE_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

/**
 * A public web service on Fargate (ARM64): HTTPS with an HTTP redirect, WAF with AWS managed rules,
 * access logs, KMS-encrypted container logs, a non-root read-only container, CPU/memory auto scaling
 * and rolling deployments with circuit-breaker rollback. (ECS Exec needs a writable root filesystem, so
 * this read-only service leaves it off.)
 */
export class EcsFargateWebStack extends Stack {
  public readonly web: LoadBalancedService;

  constructor(scope: Construct, id: string, props: EcsExampleProps = {}) {
    super(scope, id, props);
    const deletionProtection = props.deletionProtection ?? true;
    const network = new PlatformVpc(this, 'Network');
    this.web = new LoadBalancedService(this, 'Web', {
      vpc: network.vpc,
      compute: ServiceCompute.fargate({ cpu: 512, memoryLimitMiB: 1024 }),
      image: ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine'),
      containerPort: 8080,
      user: '101', // the nginx user of the unprivileged image
      writablePaths: ['/tmp', '/var/cache/nginx'],
      loadBalancerOptions: {
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', EXAMPLE_CERTIFICATE_ARN),
        deletionProtection,
      },
      healthCheckPath: '/',
      minTasks: 2,
      maxTasks: 6,
    });
    // The service built its own load balancer from loadBalancerOptions.
    const loadBalancer = this.web.loadBalancer;
    if (loadBalancer) {
      if (!deletionProtection) {
        acknowledgeExampleTeardown(loadBalancer);
      }
      new CfnOutput(this, 'LoadBalancerDns', { value: loadBalancer.loadBalancer.loadBalancerDnsName });
    }
  }
}
