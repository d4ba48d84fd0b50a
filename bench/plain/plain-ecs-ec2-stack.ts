import { Stack, StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

/**
 * The bin-packed EC2 example written with aws-ecs-patterns: a VPC, a cluster with an Auto Scaling group
 * capacity provider of Graviton instances (ECS-optimized AL2023, IMDSv2), and an HTTPS ALB EC2 service
 * bin-packed on memory, scaling on CPU.
 */
export class PlainEcsEc2Stack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 3 });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    const group = new autoscaling.AutoScalingGroup(this, 'Capacity', {
      vpc,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.ARM),
      minCapacity: 2,
      maxCapacity: 4,
      requireImdsv2: true,
    });
    cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(this, 'CapacityProvider', { autoScalingGroup: group }));
    const web = new ecsPatterns.ApplicationLoadBalancedEc2Service(this, 'Web', {
      cluster,
      cpu: 256,
      memoryLimitMiB: 512,
      desiredCount: 2,
      circuitBreaker: { rollback: true },
      placementStrategies: [ecs.PlacementStrategy.packedByMemory()],
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', CERTIFICATE_ARN),
      protocol: elbv2.ApplicationProtocol.HTTPS,
      redirectHTTP: true,
      taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine'), containerPort: 8080 },
    });
    web.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 8 }).scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
  }
}
