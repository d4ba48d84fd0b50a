import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LoadBalancedService, ServiceCompute, ServiceDeployment, ServiceImage } from '../lib';
import { EcsPlatformStack } from './ecs-platform-stack';
import { EcsExampleProps } from './example-teardown';

/** Props of {@link EcsWebAppsStack}. */
export interface EcsAppsProps extends EcsExampleProps {
  /** The platform stack whose cluster, capacity, load balancer and log key the services use. */
  readonly platform: EcsPlatformStack;
}

/**
 * An application team's stack on the platform: a web front end on Fargate and an API on Fargate with
 * Fargate Spot above one on-demand task, behind the platform's load balancer.
 */
export class EcsWebAppsStack extends Stack {
  public readonly web: LoadBalancedService;
  public readonly api: LoadBalancedService;

  constructor(scope: Construct, id: string, props: EcsAppsProps) {
    super(scope, id, props);
    const { cluster, loadBalancer, logKey } = props.platform;
    const image = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
    const shared = { loadBalancer, logEncryptionKey: logKey, image, user: '101', writablePaths: ['/tmp', '/var/cache/nginx'] };
    this.web = new LoadBalancedService(this, 'Web', {
      ...shared,
      priority: 100,
      pathPatterns: ['/*'],
      compute: ServiceCompute.capacity([{ capacity: cluster.fargate }]),
    });
    this.api = new LoadBalancedService(this, 'Api', {
      ...shared,
      priority: 10,
      pathPatterns: ['/api/*'],
      compute: ServiceCompute.capacity([
        { capacity: cluster.fargate, base: 1, weight: 1 },
        { capacity: cluster.fargateSpot, weight: 3 },
      ]),
      deployment: ServiceDeployment.blueGreen(),
    });
  }
}
