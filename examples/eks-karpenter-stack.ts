import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { Karpenter, KarpenterAmi, KarpenterArchitecture, KarpenterCapacityType, KarpenterInstallation, PlatformCluster } from '../lib';

/** The label of the system node group, which the Karpenter controller is pinned to. */
const SYSTEM_POOL = { 'platform.example.com/pool': 'system' };

/**
 * Node autoscaling with Karpenter: a small, fixed system node group runs the cluster's components and
 * the Karpenter controller (tainted CriticalAddonsOnly, so workloads stay off it), and Karpenter launches
 * every other node from a default NodePool (spot and on-demand, x86 and Graviton) and an on-demand
 * x86 pool for workloads that must not be interrupted.
 *
 * Teardown: `cdk destroy` deletes the NodePools and EC2NodeClasses first; each EC2NodeClass waits until
 * Karpenter has terminated its nodes, then the controller goes.
 */
export class EksKarpenterStack extends Stack {
  public readonly platform: PlatformCluster;
  public readonly karpenter: KarpenterInstallation;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.platform = new PlatformCluster(this, 'Platform', {
      nodegroups: [{
        id: 'System',
        instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.M7I, ec2.InstanceSize.LARGE)],
        // Two nodes: the chart's two controller replicas refuse to share one.
        minSize: 2,
        maxSize: 2,
        labels: SYSTEM_POOL,
        taints: [{ key: 'CriticalAddonsOnly', value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }],
      }],
    });
    // install() returns the typed installation, which adds NodePools; the add-on object holds settings only.
    this.karpenter = new Karpenter({
      nodeSelector: SYSTEM_POOL,
      defaultNodePool: { cpuLimit: 64, memoryLimitGiB: 256 },
    }).install(this.platform, this.platform);
    this.karpenter.addNodePool('on-demand', {
      capacityTypes: [KarpenterCapacityType.ON_DEMAND],
      architectures: [KarpenterArchitecture.AMD64],
      labels: { 'platform.example.com/pool': 'on-demand' },
      taints: [{ key: 'platform.example.com/on-demand', value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }],
      expireAfter: Duration.days(14),
    });

    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
  }
}

/**
 * Karpenter with its controller on Fargate: no node group at all. CoreDNS and the controller run on
 * Fargate (the controller with IRSA, since Fargate pods cannot use Pod Identity), and Karpenter
 * launches every node, here Bottlerocket.
 */
export class EksKarpenterFargateStack extends Stack {
  public readonly platform: PlatformCluster;
  public readonly karpenter: KarpenterInstallation;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.platform = new PlatformCluster(this, 'Platform', {
      fargateProfiles: [{
        id: 'System',
        selectors: [
          { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
          { namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'karpenter' } },
        ],
      }],
    });
    this.karpenter = new Karpenter({ defaultNodeClass: { ami: KarpenterAmi.bottlerocket() } }).install(this.platform, this.platform);

    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
  }
}
