import { Annotations, CfnJson, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import { podIdentityRole } from './addon-support';
import { karpenterPolicyDocuments } from './karpenter-iam-policy';
import { KarpenterInterruptionQueue } from './karpenter-interruption-queue';
import { ec2NodeClassManifest, KarpenterNodeClassOptions, KarpenterNodePoolOptions, KarpenterTaint, nodePoolManifest, taintEffect } from './karpenter-node-pool';

/** The chart's OCI address: the handler runs `helm pull <repository> --version <version>`, so it names the chart. */
const KARPENTER_REPOSITORY = 'oci://public.ecr.aws/karpenter/karpenter';
/** Release and service account name of upstream's install guide. */
const KARPENTER_NAME = 'karpenter';
/** Upstream's getting-started guide installs into kube-system, beside the other cluster components. */
const KARPENTER_NAMESPACE = 'kube-system';
/** Helm's own timeout, below the 15 minutes the kubectl handler Lambda may run, so a stuck install fails with Helm's message. */
const HELM_TIMEOUT = Duration.minutes(10);
/** Upstream's getting-started values: 1 vCPU and 1 GiB, requested and limited (also the Fargate size). */
const CONTROLLER_RESOURCES = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };

/** Props of {@link KarpenterResources}: everything it needs from a cluster, named. */
export interface KarpenterResourcesProps {
  /** The EKS cluster, with a kubectl provider. */
  readonly cluster: eks.Cluster;
  /** The EKS cluster name as a literal (part of IAM condition keys). */
  readonly clusterName: string;
  /** The subnets Karpenter launches nodes in. */
  readonly subnets: ec2.ISubnet[];
  /** The kubectl handler's role, which must log in to public ECR to pull the chart. @default - none granted */
  readonly kubectlRole?: iam.IRole;
  /** The chart version. */
  readonly chartVersion: string;
  /** How the controller gets credentials. */
  readonly identityType: eks.IdentityType;
  /** @default 2 */
  readonly replicas?: number;
  /** @default - none beyond the chart's */
  readonly nodeSelector?: Record<string, string>;
  /** @default - CriticalAddonsOnly */
  readonly tolerations?: KarpenterTaint[];
  /** @default - a role is created */
  readonly nodeRole?: iam.IRole;
}

/**
 * Karpenter's AWS and Kubernetes resources for one cluster: the controller's chart and IAM, the nodes'
 * role and access entry, the interruption queue, and EC2NodeClasses and NodePools. Created by the
 * {@link Karpenter} add-on.
 */
export class KarpenterResources extends Construct {
  /** The labels the chart puts on the controller's pods (release name = chart name), for Fargate selectors. */
  public static readonly POD_LABELS: Record<string, string> = { 'app.kubernetes.io/name': KARPENTER_NAME, 'app.kubernetes.io/instance': KARPENTER_NAME };

  /** The Helm release. */
  public readonly chart: eks.HelmChart;
  /** The role the controller's pods assume. */
  public readonly role: iam.Role;
  /** Upstream's controller policies, attached to `role`. */
  public readonly policies: iam.ManagedPolicy[];
  /** The role of the nodes Karpenter launches. */
  public readonly nodeRole: iam.IRole;
  /** The EC2_LINUX access entry that lets the nodes join. */
  public readonly nodeAccessEntry: eks.AccessEntry;
  /** The interruption queue and its rules. */
  public readonly interruptionQueue: KarpenterInterruptionQueue;
  /** The EC2NodeClass manifests, by name. */
  public readonly nodeClasses: Record<string, eks.KubernetesManifest> = {};
  /** The NodePool manifests, by name. */
  public readonly nodePools: Record<string, eks.KubernetesManifest> = {};

  private readonly props: KarpenterResourcesProps;

  constructor(scope: Construct, id: string, props: KarpenterResourcesProps) {
    super(scope, id);
    this.props = props;
    const { cluster, clusterName } = props;
    if (Token.isUnresolved(clusterName)) {
      throw new Error(`clusterName: Karpenter's IAM policies name the cluster in tag condition keys, which CloudFormation cannot compute, got a cluster name unknown at synth; give the cluster a literal clusterName`);
    }
    const stack = Stack.of(this);

    this.nodeRole = props.nodeRole ?? this.createNodeRole();
    this.nodeAccessEntry = new eks.AccessEntry(this, 'NodeAccessEntry', {
      cluster,
      principal: this.nodeRole.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      // EKS refuses access policies on EC2_LINUX entries: the nodes get system:nodes from the type.
      accessPolicies: [],
    });

    this.interruptionQueue = new KarpenterInterruptionQueue(this, 'Interruption');
    const docs = karpenterPolicyDocuments(stack, { clusterName, nodeRoleArn: this.nodeRole.roleArn, queueArn: this.interruptionQueue.queue.queueArn });
    this.policies = [
      new iam.ManagedPolicy(this, 'NodeLifecyclePolicy', { description: `Karpenter of ${clusterName}: launches and terminates its nodes (upstream NodeLifecyclePolicy)`, document: docs.nodeLifecycle }),
      new iam.ManagedPolicy(this, 'IamIntegrationPolicy', { description: `Karpenter of ${clusterName}: instance profiles of its node role (upstream IAMIntegrationPolicy)`, document: docs.iamIntegration }),
      new iam.ManagedPolicy(this, 'DiscoveryPolicy', { description: `Karpenter of ${clusterName}: cluster, queue, zonal shift, AMI, instance type and price discovery (upstream EKSIntegration, Interruption, ZonalShift and ResourceDiscovery policies)`, document: docs.discovery }),
    ];
    acknowledgeControllerPolicies(this.policies);

    const serviceAccountAnnotations: Record<string, string> = {};
    let binding: IConstruct | undefined;
    if (props.identityType === eks.IdentityType.POD_IDENTITY) {
      this.role = podIdentityRole(this, 'Role', `Karpenter controller of ${clusterName}, through EKS Pod Identity`, this.policies);
      binding = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
        clusterName: cluster.clusterName,
        namespace: KARPENTER_NAMESPACE,
        serviceAccount: KARPENTER_NAME,
        roleArn: this.role.roleArn,
      });
    } else {
      // Fargate pods cannot use Pod Identity: the role trusts the cluster's OIDC provider for this one service account.
      const provider = cluster.openIdConnectProvider;
      const issuer = provider.openIdConnectProviderIssuer;
      const conditions = new CfnJson(this, 'IrsaConditions', {
        value: {
          [`${issuer}:aud`]: 'sts.amazonaws.com',
          [`${issuer}:sub`]: `system:serviceaccount:${KARPENTER_NAMESPACE}:${KARPENTER_NAME}`,
        },
      });
      this.role = new iam.Role(this, 'Role', {
        description: `Karpenter controller of ${clusterName}, through IRSA (pods on Fargate cannot use Pod Identity)`,
        assumedBy: new iam.OpenIdConnectPrincipal(provider).withConditions({ StringEquals: conditions }),
        managedPolicies: this.policies,
      });
      serviceAccountAnnotations['eks.amazonaws.com/role-arn'] = this.role.roleArn;
    }

    const values: Record<string, unknown> = {
      settings: {
        clusterName: cluster.clusterName,
        // Saves the controller a DescribeCluster at start.
        clusterEndpoint: cluster.clusterEndpoint,
        interruptionQueue: this.interruptionQueue.queue.queueName,
      },
      serviceAccount: { create: true, name: KARPENTER_NAME, annotations: serviceAccountAnnotations },
      replicas: props.replicas ?? 2,
      // The controller reaches the API server by IP and AWS through the VPC resolver: with the node's DNS
      // it does not depend on CoreDNS, whose replicas may wait for the nodes Karpenter launches.
      dnsPolicy: 'Default',
      controller: { resources: CONTROLLER_RESOURCES },
    };
    if (props.nodeSelector) {
      values.nodeSelector = { 'kubernetes.io/os': 'linux', ...props.nodeSelector };
    }
    if (props.tolerations) {
      values.tolerations = [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        ...props.tolerations.map((t) => ({ key: t.key, operator: t.value === undefined ? 'Exists' : 'Equal', value: t.value, effect: taintEffect(t.effect) })),
      ];
    }
    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster,
      chart: KARPENTER_NAME,
      repository: KARPENTER_REPOSITORY,
      version: props.chartVersion,
      release: KARPENTER_NAME,
      namespace: KARPENTER_NAMESPACE,
      createNamespace: false,
      wait: true,
      timeout: HELM_TIMEOUT,
      values,
    });
    // The controller starts with its permissions and queue and keeps them until it is gone, so it can
    // still terminate its nodes while its NodeClasses are deleted.
    this.chart.node.addDependency(this.role, ...this.policies, this.interruptionQueue);
    if (binding) {
      this.chart.node.addDependency(binding);
    }
    if (props.kubectlRole) {
      this.chart.node.addDependency(this.allowChartPull(props.kubectlRole));
    }
  }

  /**
   * Adds an EC2NodeClass: created after the controller and the nodes' access entry; deleted before
   * them, waiting (its finalizer) until Karpenter has terminated every node launched from it.
   */
  public addNodeClass(name: string, options: KarpenterNodeClassOptions = {}): eks.KubernetesManifest {
    if (this.nodeClasses[name]) {
      throw new Error(`name: an EC2NodeClass '${name}' already exists on ${this.node.path}, got it again; give each EC2NodeClass its own name`);
    }
    const ami = options.ami;
    if (ami === undefined || ami.isLatest) {
      Annotations.of(this).addWarningV2('cdk-container-platform:karpenter-ami-latest',
        `ami: EC2NodeClass '${name}' uses ${ami?.alias ?? 'al2023@latest'}, so every AMI release drifts its nodes and a redeploy of the same code can run another AMI; pin a release, e.g. ${ami?._bottlerocket ? 'KarpenterAmi.bottlerocket(\'v1.65.0\')' : 'KarpenterAmi.al2023(\'v20260903\')'}`);
    }
    const manifest = new eks.KubernetesManifest(this, `NodeClass-${name}`, {
      cluster: this.props.cluster,
      manifest: [ec2NodeClassManifest(name, options, {
        nodeRoleName: this.nodeRole.roleName,
        subnetIds: this.props.subnets.map((s) => s.subnetId),
        securityGroupIds: [this.props.cluster.clusterSecurityGroupId],
      })],
    });
    // The CRD and the controller (which removes the finalizer) exist first and last; nodes can join.
    manifest.node.addDependency(this.chart, this.nodeAccessEntry);
    this.nodeClasses[name] = manifest;
    return manifest;
  }

  /** Adds a NodePool: created after its EC2NodeClass (when added here) and deleted before it. */
  public addNodePool(name: string, options: KarpenterNodePoolOptions = {}): eks.KubernetesManifest {
    if (this.nodePools[name]) {
      throw new Error(`name: a NodePool '${name}' already exists on ${this.node.path}, got it again; give each NodePool its own name`);
    }
    const manifest = new eks.KubernetesManifest(this, `NodePool-${name}`, {
      cluster: this.props.cluster,
      manifest: [nodePoolManifest(name, options)],
    });
    const nodeClass = this.nodeClasses[options.nodeClassName ?? 'default'];
    manifest.node.addDependency(nodeClass ?? this.chart);
    this.nodePools[name] = manifest;
    return manifest;
  }

  /**
   * aws-eks-v2's handler logs in to public ECR before `helm pull oci://public.ecr.aws/...` in the aws
   * partition (`aws ecr-public get-login-password`, helm/__init__.py) and fails the install if it cannot.
   * The library's kubectl role declines AmazonElasticContainerRegistryPublicReadOnly, so grant the two
   * actions the login needs.
   */
  private allowChartPull(kubectlRole: iam.IRole): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, 'ChartPullPolicy', {
      description: 'Lets the kubectl handler log in to public ECR to pull the karpenter chart',
      roles: [kubectlRole],
      statements: [new iam.PolicyStatement({ actions: ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'], resources: ['*'] })],
    });
    Compliance.acknowledge(policy, 'AwsSolutions-IAM5[Resource::*]',
      'ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken have no resource types in the Service Authorization Reference, so they take Resource "*"; the handler needs them to pull the karpenter chart from public ECR');
    return policy;
  }

  private createNodeRole(): iam.Role {
    const role = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Nodes Karpenter launches for ${this.props.clusterName}`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodePolicy'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
      ],
    });
    Compliance.acknowledgeAll(role, [
      { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy]', reason: 'EKS requires AmazonEKSWorkerNodePolicy (or an equal policy AWS keeps current) on node roles so nodes can join and use Pod Identity. Pass nodeRole to use your own' },
      { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly]', reason: 'AmazonEC2ContainerRegistryPullOnly is the narrowest AWS managed policy for image pulls, which come from repositories unknown at synth (and ecr:GetAuthorizationToken has no resource scope). Pass nodeRole to use your own' },
    ]);
    return role;
  }
}

/** Wildcard resources of upstream's policies, each with why it cannot name the resource at synth. */
function acknowledgeControllerPolicies([nodeLifecycle, iamIntegration, discovery]: iam.ManagedPolicy[]): void {
  const ec2 = (type: string, account = '*') => `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:${account}:${type}/*]`;
  const launchInputs = 'Upstream Karpenter policy (AllowScopedEC2InstanceAccessActions): RunInstances and CreateFleet read the AMIs, snapshots, subnets, security groups, capacity reservations and placement groups that EC2NodeClasses select at run time (addNodeClass may select any); these resources are only launched into, never changed';
  const created = 'Upstream Karpenter policy: fleets, instances, volumes, network interfaces, launch templates and spot requests are created at run time with ids unknown at synth; every action on them requires the request or resource tags kubernetes.io/cluster/<cluster name>=owned and karpenter.sh/nodepool';
  Compliance.acknowledgeAll(nodeLifecycle, [
    ...['image', 'snapshot'].map((t) => ({ ruleId: ec2(t, ''), reason: launchInputs })),
    ...['security-group', 'subnet', 'capacity-reservation', 'placement-group'].map((t) => ({ ruleId: ec2(t), reason: launchInputs })),
    ...['launch-template', 'fleet', 'instance', 'volume', 'network-interface', 'spot-instances-request'].map((t) => ({ ruleId: ec2(t), reason: created })),
  ]);
  Compliance.acknowledge(iamIntegration, 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*]',
    'Upstream Karpenter policy: Karpenter creates one instance profile per EC2NodeClass at run time, named by a hash; creating, tagging and changing them requires the tags kubernetes.io/cluster/<cluster name>=owned, the region and karpenter.k8s.aws/ec2nodeclass, and the only role it may pass is the node role');
  Compliance.acknowledgeAll(discovery, [
    { ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*]', reason: 'Upstream Karpenter policy: iam:GetInstanceProfile reads the instance profiles Karpenter created at run time, whose names are unknown at synth; it is read-only' },
    { ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>::parameter/aws/service/*]', reason: 'Upstream Karpenter policy: ssm:GetParameter reads the public AWS parameters that name the EKS-optimized AMIs of an alias (/aws/service/eks/...), read-only' },
    { ruleId: 'AwsSolutions-IAM5[Resource::*]', reason: 'Upstream Karpenter policy: the ec2:Describe* actions (limited to the stack\'s region by aws:RequestedRegion), pricing:GetProducts and iam:ListInstanceProfiles have no resource-level permissions, and arc-zonal-shift:GetManagedResource is limited to this cluster by arc-zonal-shift:ResourceIdentifier' },
  ]);
}
