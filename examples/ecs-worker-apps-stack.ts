import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LoadBalancedService, ServiceCompute, ServiceImage } from '../lib';
import { EcsAppsProps } from './ecs-web-apps-stack';

/**
 * Another application team's stack on the platform's instances: an orders service with one task on the
 * on-demand Graviton group and three of every four more on the x86 Spot group (the image is multi-arch),
 * a reports service on Managed Instances, and a node agent as a DAEMON on every instance of the on-demand
 * group only: a placement constraint on the attribute the group's instances register keeps it off the
 * Spot group and Managed Instances (ECS takes no capacity provider strategy for a DAEMON service).
 */
export class EcsWorkerAppsStack extends Stack {
  public readonly orders: LoadBalancedService;
  public readonly reports: LoadBalancedService;
  public readonly agent: LoadBalancedService;

  constructor(scope: Construct, id: string, props: EcsAppsProps) {
    super(scope, id, props);
    const { onDemand, spot, managedInstances, loadBalancer, logKey } = props.platform;
    const image = ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine');
    const shared = { loadBalancer, logEncryptionKey: logKey, image, user: '101', writablePaths: ['/tmp', '/var/cache/nginx'] };
    this.orders = new LoadBalancedService(this, 'Orders', {
      ...shared,
      priority: 20,
      pathPatterns: ['/orders/*'],
      compute: ServiceCompute.capacity([
        { capacity: onDemand, base: 1, weight: 1 },
        { capacity: spot, weight: 3 },
      ], { cpu: 512, memoryLimitMiB: 1024 }),
    });
    this.reports = new LoadBalancedService(this, 'Reports', {
      ...shared,
      priority: 30,
      pathPatterns: ['/reports/*'],
      compute: ServiceCompute.capacity([{ capacity: managedInstances }], { cpu: 1024, memoryLimitMiB: 2048 }),
    });
    this.agent = new LoadBalancedService(this, 'Agent', {
      ...shared,
      priority: 40,
      pathPatterns: ['/agent/*'],
      compute: ServiceCompute.capacity([{ capacity: onDemand }], { daemon: true, cpu: 128, memoryLimitMiB: 256 }),
    });
  }
}
