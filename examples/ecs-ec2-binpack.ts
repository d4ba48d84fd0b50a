import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ContainerInstanceImage, LoadBalancedService, PlatformVpc, ServiceCompute, ServiceImage } from '../lib';
import { acknowledgeExampleTeardown, EcsExampleProps } from './example-teardown';

const EXAMPLE_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

/**
 * A service on EC2 capacity: Graviton instances from the ECS-optimized AL2023 AMI (IMDSv2 required,
 * encrypted root volume) in an Auto Scaling group capacity provider with managed scaling, tasks
 * bin-packed on memory to use as few instances as possible.
 */
export class EcsEc2BinpackStack extends Stack {
  public readonly service: LoadBalancedService;

  constructor(scope: Construct, id: string, props: EcsExampleProps = {}) {
    super(scope, id, props);
    const deletionProtection = props.deletionProtection ?? true;
    const network = new PlatformVpc(this, 'Network');
    this.service = new LoadBalancedService(this, 'Service', {
      vpc: network.vpc,
      compute: ServiceCompute.ec2({
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
        machineImage: ContainerInstanceImage.AMAZON_LINUX_2023,
        minInstances: 2,
        maxInstances: 4,
        cpu: 256,
        memoryLimitMiB: 512,
        placementStrategies: [ecs.PlacementStrategy.packedByMemory()],
      }),
      image: ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine'),
      user: '101',
      writablePaths: ['/tmp', '/var/cache/nginx'],
      loadBalancerOptions: {
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', EXAMPLE_CERTIFICATE_ARN),
        deletionProtection,
      },
      minTasks: 2,
      maxTasks: 8,
    });
    // The service built its own load balancer from loadBalancerOptions.
    const loadBalancer = this.service.loadBalancer;
    if (loadBalancer) {
      if (!deletionProtection) {
        acknowledgeExampleTeardown(loadBalancer);
      }
      new CfnOutput(this, 'LoadBalancerDns', { value: loadBalancer.loadBalancer.loadBalancerDnsName });
    }
  }
}
