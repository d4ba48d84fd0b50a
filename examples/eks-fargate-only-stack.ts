import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PlatformCluster } from '../lib';

/**
 * An EKS cluster without nodes: every pod runs on Fargate. One profile selects CoreDNS
 * (kube-system pods labelled k8s-app=kube-dns), which the coredns add-on then schedules on Fargate;
 * another selects the application namespaces.
 */
export class EksFargateOnlyStack extends Stack {
  public readonly platform: PlatformCluster;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const admin = new iam.Role(this, 'PlatformAdminRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Administers the Fargate-only EKS cluster',
    });
    this.platform = new PlatformCluster(this, 'Platform', {
      admins: [admin],
      fargateProfiles: [
        { id: 'CoreDns', selectors: [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }] },
        { id: 'Apps', selectors: [{ namespace: 'apps' }, { namespace: 'default' }] },
      ],
    });
    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
  }
}
