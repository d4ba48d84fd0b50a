import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import {
  AwsLoadBalancerController, ClusterAutoscaler, ClusterAutoscalerInstallation, ContainerInsights, ContainerInsightsInstallation, EbsCsiDriver, EfsCsiDriver, EfsCsiDriverInstallation, EfsStaticVolume,
  MetricsServer, PlatformCluster, PlatformVpc,
} from '../lib';

/** The namespace whose pods run on Fargate. */
const SERVERLESS_NAMESPACE = 'serverless';

/**
 * The full EKS platform: a public/private VPC, a cluster with a managed node group and a Fargate
 * profile, and the add-ons a platform team installs on day one: the AWS Load Balancer Controller
 * (ALB per Ingress, NLB per LoadBalancer Service), EBS CSI (default gp3 StorageClass), EFS CSI (a shared
 * file system, dynamic provisioning for nodes and a static volume for Fargate pods), Container Insights
 * (with Fargate pod logs), metrics-server (for the Horizontal Pod Autoscaler) and the Cluster Autoscaler
 * (the node group grows from 2 to 6 nodes when pods are pending, and shrinks back).
 */
export class EksFullPlatformStack extends Stack {
  public readonly network: PlatformVpc;
  public readonly platform: PlatformCluster;
  public readonly loadBalancerController: AwsLoadBalancerController;
  public readonly ebsCsiDriver: EbsCsiDriver;
  public readonly efsCsiDriver: EfsCsiDriverInstallation;
  public readonly containerInsights: ContainerInsightsInstallation;
  public readonly metricsServer: MetricsServer;
  public readonly clusterAutoscaler: ClusterAutoscalerInstallation;
  public readonly serverlessVolume: EfsStaticVolume;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.network = new PlatformVpc(this, 'Network');

    this.loadBalancerController = new AwsLoadBalancerController();
    this.ebsCsiDriver = new EbsCsiDriver();
    this.metricsServer = new MetricsServer();

    this.platform = new PlatformCluster(this, 'Cluster', {
      vpc: this.network.vpc,
      // desiredSize given, so that it does not follow minSize: see the README's Cluster Autoscaler section.
      nodegroups: [{ id: 'General', instanceTypes: [new ec2.InstanceType('m7i.large')], minSize: 2, desiredSize: 2, maxSize: 6 }],
      fargateProfiles: [{ id: 'Serverless', selectors: [{ namespace: SERVERLESS_NAMESPACE }] }],
      addons: [this.loadBalancerController, this.ebsCsiDriver, this.metricsServer],
    });
    // Installed directly for the typed installation: its file system and log group are read below.
    this.efsCsiDriver = new EfsCsiDriver().install(this.platform, this.platform);
    this.containerInsights = new ContainerInsights().install(this.platform, this.platform);
    this.clusterAutoscaler = new ClusterAutoscaler().install(this.platform, this.platform);

    // Pods on Fargate mount EFS only through static volumes; the claim lives in their namespace.
    const namespace = new eks.KubernetesManifest(this, 'ServerlessNamespace', {
      cluster: this.platform.cluster,
      manifest: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SERVERLESS_NAMESPACE } }],
    });
    this.serverlessVolume = this.efsCsiDriver.addStaticVolume('ServerlessSharedData', { namespace: SERVERLESS_NAMESPACE, claimName: 'shared-data' });
    this.serverlessVolume.manifest.node.addDependency(namespace);

    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
    new CfnOutput(this, 'FileSystemId', { value: this.efsCsiDriver.fileSystem.fileSystemId });
    new CfnOutput(this, 'FargateLogGroup', { value: this.containerInsights.fargateLogGroup!.logGroupName });
  }
}
