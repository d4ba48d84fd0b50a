import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * examples/eks-fargate-only-stack.ts written with plain aws-eks-v2: a FargateCluster (its default
 * profile selects kube-system and default, and CoreDNS is patched onto Fargate) and a profile for
 * the application namespace.
 */
export class PlainEksFargateOnlyStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const admin = new iam.Role(this, 'PlatformAdminRole', { assumedBy: new iam.AccountRootPrincipal() });
    const cluster = new eks.FargateCluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_36,
      endpointAccess: eks.EndpointAccess.PRIVATE,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(this, 'Kubectl') },
    });
    cluster.grantAccess('Admin', admin.roleArn, [
      eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER }),
    ]);
    cluster.addFargateProfile('Apps', { selectors: [{ namespace: 'apps' }] });
  }
}
