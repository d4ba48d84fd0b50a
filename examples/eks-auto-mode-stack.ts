import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AutoModeNodePool, ClusterCompute, MetricsServer, PlatformCluster } from '../lib';

/**
 * An EKS cluster on EKS Auto Mode: EKS launches, patches and scales the nodes of its built-in node pools,
 * and runs pod networking, cluster DNS, the Pod Identity agent, EBS block storage and load balancing
 * itself, so the library installs none of the core add-ons. The stack adds what Auto Mode leaves to the
 * cluster's owner: metrics-server, an encrypted gp3 StorageClass for Auto Mode's block storage, and an
 * IngressClass for Auto Mode's ALBs (internal unless an IngressClassParams says otherwise).
 */
export class EksAutoModeStack extends Stack {
  public readonly platform: PlatformCluster;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const admin = new iam.Role(this, 'PlatformAdminRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Administers the EKS Auto Mode cluster',
    });
    this.platform = new PlatformCluster(this, 'Platform', {
      admins: [admin],
      compute: ClusterCompute.autoMode({ nodePools: [AutoModeNodePool.SYSTEM, AutoModeNodePool.GENERAL_PURPOSE] }),
      addons: [new MetricsServer()],
    });
    // Auto Mode provisions volumes only for StorageClasses naming its provisioner (EKS User Guide,
    // "Create a storage class"); it creates none itself.
    this.platform.cluster.addManifest('Gp3StorageClass', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'auto-ebs-gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.eks.amazonaws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      parameters: { type: 'gp3', encrypted: 'true' },
    });
    // Auto Mode reconciles Ingresses of a class whose controller is eks.amazonaws.com/alb (EKS User Guide,
    // "Create an IngressClass to configure an Application Load Balancer").
    this.platform.cluster.addManifest('AlbIngressClass', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'alb' },
      spec: { controller: 'eks.amazonaws.com/alb' },
    });
    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
  }
}
