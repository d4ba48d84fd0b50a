import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { Construct } from 'constructs';
import { LoadBalancedService, PlatformVpc, ServiceDeployment, ServiceImage, ServiceLoadBalancer } from '../lib';
import { acknowledgeExampleTeardown, EcsExampleProps } from './example-teardown';

const EXAMPLE_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

/**
 * Two services behind one ALB and in one cluster, routed by path with explicit priorities:
 * `/api/*` (priority 10) goes to the API, which deploys blue/green; everything else (priority 100) to the web front end.
 */
export class EcsSharedAlbStack extends Stack {
  public readonly loadBalancer: ServiceLoadBalancer;
  public readonly web: LoadBalancedService;
  public readonly api: LoadBalancedService;

  constructor(scope: Construct, id: string, props: EcsExampleProps = {}) {
    super(scope, id, props);
    const deletionProtection = props.deletionProtection ?? true;
    const network = new PlatformVpc(this, 'Network');
    this.loadBalancer = new ServiceLoadBalancer(this, 'LoadBalancer', {
      vpc: network.vpc,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', EXAMPLE_CERTIFICATE_ARN),
      deletionProtection,
    });
    if (!deletionProtection) {
      acknowledgeExampleTeardown(this.loadBalancer);
    }
    const image = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
    this.web = new LoadBalancedService(this, 'Web', {
      vpc: network.vpc,
      loadBalancer: this.loadBalancer,
      priority: 100,
      pathPatterns: ['/*'],
      image,
      user: '101',
      writablePaths: ['/tmp', '/var/cache/nginx'],
    });
    this.api = new LoadBalancedService(this, 'Api', {
      cluster: this.web.cluster,
      loadBalancer: this.loadBalancer,
      priority: 10,
      pathPatterns: ['/api/*'],
      image,
      user: '101',
      writablePaths: ['/tmp', '/var/cache/nginx'],
      healthCheckPath: '/',
      deployment: ServiceDeployment.blueGreen(),
    });
    new CfnOutput(this, 'LoadBalancerDns', { value: this.loadBalancer.loadBalancer.loadBalancerDnsName });
  }
}
