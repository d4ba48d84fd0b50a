import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import {
  AwsLoadBalancerController, AwsLoadBalancerControllerInstallation, ClusterAutoscaler, EbsCsiDriver, EbsCsiDriverInstallation, ManagedAddonInstallation, MetricsServer,
  PlatformCluster, PlatformNodegroup, PlatformVpc,
} from '../lib';

/**
 * The platform team's stack: the network and the cluster with a system node group (CoreDNS, the core
 * add-ons) and the Cluster Autoscaler. Application teams add node groups and add-ons in stacks of their own (below); this stack never
 * depends on theirs.
 */
export class EksPlatformStack extends Stack {
  public readonly network: PlatformVpc;
  public readonly platform: PlatformCluster;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.network = new PlatformVpc(this, 'Network');
    this.platform = new PlatformCluster(this, 'Cluster', {
      vpc: this.network.vpc,
      nodegroups: [{ id: 'System', instanceTypes: [new ec2.InstanceType('m7i.large')], minSize: 2, desiredSize: 2, maxSize: 3 }],
      // The platform team owns capacity: the autoscaler finds every managed node group of the cluster by the
      // tags EKS puts on its Auto Scaling group, the application teams' groups in other stacks included.
      addons: [new ClusterAutoscaler()],
    });
    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
  }
}

/** Props of the stacks that build on the platform stack. */
export interface EksPlatformConsumerProps extends StackProps {
  /** The cluster of the platform stack. */
  readonly platform: PlatformCluster;
}

/**
 * The add-ons stack: add-ons installed on the platform's cluster from a stack of their own. Each install
 * returns its construct with defined members. The add-ons wait for the platform stack's node groups; the
 * load balancer controller waits for the managed add-ons of this stack.
 */
export class EksAddonsStack extends Stack {
  public readonly loadBalancerController: AwsLoadBalancerControllerInstallation;
  public readonly ebsCsiDriver: EbsCsiDriverInstallation;
  public readonly metricsServer: ManagedAddonInstallation;

  constructor(scope: Construct, id: string, props: EksPlatformConsumerProps) {
    super(scope, id, props);
    this.ebsCsiDriver = new EbsCsiDriver().install(this, props.platform);
    this.metricsServer = new MetricsServer().install(this, props.platform);
    this.loadBalancerController = new AwsLoadBalancerController().install(this, props.platform);
    new CfnOutput(this, 'ControllerRoleArn', { value: this.loadBalancerController.role.roleArn });
  }
}

/**
 * An application team's node group stack: spot Graviton nodes, tainted so that only the team's pods run
 * there. They wait for the platform's vpc-cni, kube-proxy and Pod Identity agent across stacks.
 */
export class EksNodegroupStack extends Stack {
  public readonly nodes: PlatformNodegroup;

  constructor(scope: Construct, id: string, props: EksPlatformConsumerProps) {
    super(scope, id, props);
    this.nodes = new PlatformNodegroup(this, 'TeamNodes', {
      cluster: props.platform,
      instanceTypes: [new ec2.InstanceType('m7g.large'), new ec2.InstanceType('c7g.xlarge')],
      amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
      capacityType: eks.CapacityType.SPOT,
      minSize: 0,
      desiredSize: 1,
      maxSize: 6,
      labels: { 'platform.example.com/team': 'a' },
      taints: [{ key: 'platform.example.com/team', value: 'a', effect: eks.TaintEffect.NO_SCHEDULE }],
    });
  }
}
