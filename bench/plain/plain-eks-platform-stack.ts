import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';

/**
 * The full EKS platform example written with plain aws-eks-v2: a cluster with its albController,
 * a managed node group, a Fargate profile and the same managed add-ons.
 */
export class PlainEksPlatformStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const cluster = new eks.Cluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_36,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(this, 'Kubectl') },
      albController: { version: eks.AlbControllerVersion.V3_2_2 },
      clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR, eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER],
    });
    cluster.addNodegroupCapacity('Nodes', {
      instanceTypes: [new ec2.InstanceType('m7i.large')],
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      minSize: 2,
      maxSize: 6,
    });
    cluster.addFargateProfile('Fargate', { selectors: [{ namespace: 'serverless' }] });
    for (const addonName of ['aws-ebs-csi-driver', 'aws-efs-csi-driver', 'amazon-cloudwatch-observability', 'metrics-server', 'eks-pod-identity-agent']) {
      new eks.Addon(this, addonName, { cluster, addonName });
    }
  }
}
