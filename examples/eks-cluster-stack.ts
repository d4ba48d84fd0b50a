import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ClusterAutoscaler, ClusterAutoscalerInstallation, NamespaceAccessLevel, PlatformCluster } from '../lib';

/**
 * An EKS cluster with the mix most platforms start from: an on-demand x86 node group for steady
 * workloads, a spot Graviton node group for interruptible ones, and a Fargate profile for batch jobs.
 * The Cluster Autoscaler scales both groups between their sizes: the spot group idles at zero to one node
 * and grows to ten only while tolerating pods are pending, which is what its range is for.
 * The API endpoint is private; a platform admin role and a team role scoped to its namespace reach it
 * through access entries.
 */
export class EksClusterStack extends Stack {
  public readonly platform: PlatformCluster;
  public readonly clusterAutoscaler: ClusterAutoscalerInstallation;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const admin = new iam.Role(this, 'PlatformAdminRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Administers the EKS cluster (assumed by the platform team)',
    });
    const teamA = new iam.Role(this, 'TeamARole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Deploys team A workloads into its namespace',
    });

    this.platform = new PlatformCluster(this, 'Platform', {
      admins: [admin],
      namespaceAccess: [{ role: teamA, namespaces: ['team-a'], level: NamespaceAccessLevel.EDIT }],
      nodegroups: [
        {
          id: 'General',
          instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.M7I, ec2.InstanceSize.LARGE)],
          amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
          minSize: 2,
          // Given, so that it does not follow minSize: see the README's Cluster Autoscaler section.
          desiredSize: 2,
          maxSize: 6,
          labels: { 'platform.example.com/pool': 'general' },
        },
        {
          id: 'SpotArm',
          instanceTypes: [
            ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
            ec2.InstanceType.of(ec2.InstanceClass.C7G, ec2.InstanceSize.XLARGE),
            ec2.InstanceType.of(ec2.InstanceClass.M6G, ec2.InstanceSize.LARGE),
          ],
          amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
          capacityType: eks.CapacityType.SPOT,
          minSize: 0,
          desiredSize: 1,
          maxSize: 10,
          labels: { 'platform.example.com/pool': 'spot-arm' },
          taints: [{ key: 'platform.example.com/spot', value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }],
          maxUnavailablePercentage: 33,
        },
      ],
      fargateProfiles: [{ id: 'Batch', selectors: [{ namespace: 'batch' }] }],
    });

    // Scales a group from zero too: it reads the group's labels and taints with eks:DescribeNodegroup.
    this.clusterAutoscaler = new ClusterAutoscaler().install(this.platform, this.platform);

    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
    new CfnOutput(this, 'UpdateKubeconfig', { value: `aws eks update-kubeconfig --name ${this.platform.cluster.clusterName} --region ${this.region} --role-arn ${admin.roleArn}` });
  }
}
