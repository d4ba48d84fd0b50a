import { Annotations, CfnJson, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import { CLUSTER_AUTOSCALER_ADDON } from '../node-autoscaling';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { podIdentityRole, requireFargateSelection } from './addon-support';
import { HelmAddonInstallation } from './helm-addon';
import { karpenterPolicyDocuments } from './karpenter-iam-policy';
import { KarpenterInterruptionQueue } from './karpenter-interruption-queue';
import { ec2NodeClassManifest, KarpenterNodeClassOptions, KarpenterNodePoolOptions, KarpenterTaint, nodePoolManifest, taintEffect } from './karpenter-node-pool';

/** The chart's OCI address: the handler runs `helm pull <repository> --version <version>`, so it names the chart. */
const KARPENTER_REPOSITORY = 'oci://public.ecr.aws/karpenter/karpenter';
/** Add-on, release and service account name of upstream's install guide. */
const KARPENTER_NAME = 'karpenter';
/** Upstream's getting-started guide installs into kube-system, beside the other cluster components. */
const KARPENTER_NAMESPACE = 'kube-system';
/** Upstream's getting-started values: 1 vCPU and 1 GiB, requested and limited (also the Fargate size). */
const CONTROLLER_RESOURCES = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };

/** Props of {@link KarpenterInstallation}: the cluster and the settings of the {@link Karpenter} add-on. */
export interface KarpenterInstallationProps {
  /** The cluster, with a kubectl handler. */
  readonly cluster: IPlatformCluster;
  /** The chart version. */
  readonly chartVersion: string;
  /**
   * How the controller gets credentials.
   * @default - Pod Identity; IRSA when the controller runs on Fargate
   */
  readonly identityType?: eks.IdentityType;
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
 * Karpenter installed on one cluster (see {@link Karpenter}): the controller's chart and IAM, the nodes'
 * role and access entry, the interruption queue, and the EC2NodeClasses and NodePools added to it.
 */
export class KarpenterInstallation extends HelmAddonInstallation {
  /** The labels the chart puts on the controller's pods (release name = chart name), for Fargate selectors. */
  public static readonly POD_LABELS: Record<string, string> = { 'app.kubernetes.io/name': KARPENTER_NAME, 'app.kubernetes.io/instance': KARPENTER_NAME };

  /** The EKS cluster name as a literal, which Karpenter's IAM policies name in tag condition keys. */
  public readonly clusterName: string;
  /** How the controller's pods get credentials. */
  public readonly identityType: eks.IdentityType;
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

  private readonly props: KarpenterInstallationProps;
  private readonly serviceAccountAnnotations: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: KarpenterInstallationProps) {
    const cluster = props.cluster;
    // Checked before anything is created, so a cluster that cannot take Karpenter fails with one message.
    const clusterName = literalClusterName(cluster);
    const identityType = identityFor(cluster, props.identityType);
    super(scope, id, {
      cluster,
      name: KARPENTER_NAME,
      chart: KARPENTER_NAME,
      repository: KARPENTER_REPOSITORY,
      version: props.chartVersion,
      release: KARPENTER_NAME,
      namespace: KARPENTER_NAMESPACE,
    });
    this.props = props;
    this.clusterName = clusterName;
    this.identityType = identityType;
    requireFargateSelection(this, cluster, KARPENTER_NAME, KARPENTER_NAMESPACE, KarpenterInstallation.POD_LABELS);
    // By name, from every install path (the cluster's addons, addAddon, install in another stack), at synth
    // when every add-on is installed, whatever the order.
    this.node.addValidation({
      validate: () => cluster.installedAddonNames.includes(CLUSTER_AUTOSCALER_ADDON)
        ? [`addons: Karpenter and the Cluster Autoscaler both scale the nodes of ${cluster.node.path}, got both '${KARPENTER_NAME}' and '${CLUSTER_AUTOSCALER_ADDON}'; install one of them (Karpenter for its own nodes, or the Cluster Autoscaler for managed node groups)`]
        : [],
    });

    this.nodeRole = props.nodeRole ?? this.createNodeRole();
    this.nodeAccessEntry = new eks.AccessEntry(this, 'NodeAccessEntry', {
      cluster: cluster.eksCluster,
      principal: this.nodeRole.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      // EKS refuses access policies on EC2_LINUX entries: the nodes get system:nodes from the type.
      accessPolicies: [],
    });

    this.interruptionQueue = new KarpenterInterruptionQueue(this, 'Interruption');
    const docs = karpenterPolicyDocuments(Stack.of(this), { clusterName, nodeRoleArn: this.nodeRole.roleArn, queueArn: this.interruptionQueue.queue.queueArn });
    this.policies = [
      new iam.ManagedPolicy(this, 'NodeLifecyclePolicy', { description: `Karpenter of ${clusterName}: launches and terminates its nodes (upstream NodeLifecyclePolicy)`, document: docs.nodeLifecycle }),
      new iam.ManagedPolicy(this, 'IamIntegrationPolicy', { description: `Karpenter of ${clusterName}: instance profiles of its node role (upstream IAMIntegrationPolicy)`, document: docs.iamIntegration }),
      new iam.ManagedPolicy(this, 'DiscoveryPolicy', { description: `Karpenter of ${clusterName}: cluster, queue, zonal shift, AMI, instance type and price discovery (upstream EKSIntegration, Interruption, ZonalShift and ResourceDiscovery policies)`, document: docs.discovery }),
    ];
    acknowledgeControllerPolicies(this.policies);

    let binding: IConstruct | undefined;
    if (identityType === eks.IdentityType.POD_IDENTITY) {
      this.role = podIdentityRole(this, 'Role', `Karpenter controller of ${clusterName}, through EKS Pod Identity`, this.policies);
      binding = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
        clusterName: cluster.eksCluster.clusterName,
        namespace: KARPENTER_NAMESPACE,
        serviceAccount: KARPENTER_NAME,
        roleArn: this.role.roleArn,
      });
    } else {
      // Fargate pods cannot use Pod Identity: the role trusts the cluster's OIDC provider for this one service account.
      const provider = openIdConnectProviderOf(cluster);
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
      this.serviceAccountAnnotations['eks.amazonaws.com/role-arn'] = this.role.roleArn;
    }

    // The controller starts with its permissions and queue and keeps them until it is gone, so it can
    // still terminate its nodes while its NodeClasses are deleted. (The base class makes the chart wait
    // for compute: the controller needs a node or a Fargate profile, and on delete goes before them.)
    this.chart.node.addDependency(this.role, ...this.policies, this.interruptionQueue);
    if (binding) {
      this.chart.node.addDependency(binding);
    }
    const kubectlRole = cluster.eksCluster.kubectlProvider?.role;
    if (kubectlRole) {
      this.chart.node.addDependency(this.allowChartPull(kubectlRole));
    }
  }

  /**
   * Adds an EC2NodeClass: created after the controller and the nodes' access entry; deleted before
   * them, waiting (its finalizer) until Karpenter has terminated every node launched from it.
   * @param name the EC2NodeClass name
   * @param options its settings
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
    const eksCluster = this.cluster.eksCluster;
    const manifest = new eks.KubernetesManifest(this, `NodeClass-${name}`, {
      cluster: eksCluster,
      manifest: [ec2NodeClassManifest(name, options, {
        nodeRoleName: this.nodeRole.roleName,
        subnetIds: [...this.cluster.vpc.privateSubnets, ...this.cluster.vpc.isolatedSubnets].map((s) => s.subnetId),
        securityGroupIds: [clusterSecurityGroupIdOf(this.cluster)],
      })],
    });
    // The CRD and the controller (which removes the finalizer) exist first and last; nodes can join.
    manifest.node.addDependency(this.chart, this.nodeAccessEntry);
    this.nodeClasses[name] = manifest;
    return manifest;
  }

  /**
   * Adds a NodePool: created after its EC2NodeClass (when added here) and deleted before it.
   * @param name the NodePool name
   * @param options its settings
   */
  public addNodePool(name: string, options: KarpenterNodePoolOptions = {}): eks.KubernetesManifest {
    if (this.nodePools[name]) {
      throw new Error(`name: a NodePool '${name}' already exists on ${this.node.path}, got it again; give each NodePool its own name`);
    }
    const manifest = new eks.KubernetesManifest(this, `NodePool-${name}`, {
      cluster: this.cluster.eksCluster,
      manifest: [nodePoolManifest(name, options)],
    });
    const nodeClass = this.nodeClasses[options.nodeClassName ?? 'default'];
    manifest.node.addDependency(nodeClass ?? this.chart);
    this.nodePools[name] = manifest;
    return manifest;
  }

  protected chartValues(): { [key: string]: any } {
    const eksCluster = this.cluster.eksCluster;
    // Saves the controller a DescribeCluster at start; an imported cluster may not know its endpoint, and
    // the controller then looks it up (its policy allows eks:DescribeCluster on this cluster).
    const clusterEndpoint = attributeOf(() => eksCluster.clusterEndpoint);
    const values: Record<string, unknown> = {
      settings: {
        clusterName: eksCluster.clusterName,
        ...(clusterEndpoint === undefined ? {} : { clusterEndpoint }),
        interruptionQueue: this.interruptionQueue.queue.queueName,
      },
      serviceAccount: { create: true, name: KARPENTER_NAME, annotations: this.serviceAccountAnnotations },
      replicas: this.props.replicas ?? 2,
      // The controller reaches the API server by IP and AWS through the VPC resolver: with the node's DNS
      // it does not depend on CoreDNS, whose replicas may wait for the nodes Karpenter launches.
      dnsPolicy: 'Default',
      controller: { resources: CONTROLLER_RESOURCES },
    };
    if (this.props.nodeSelector) {
      values.nodeSelector = { 'kubernetes.io/os': 'linux', ...this.props.nodeSelector };
    }
    if (this.props.tolerations) {
      values.tolerations = [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        ...this.props.tolerations.map((t) => ({ key: t.key, operator: t.value === undefined ? 'Exists' : 'Equal', value: t.value, effect: taintEffect(t.effect) })),
      ];
    }
    return values;
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
      description: `Nodes Karpenter launches for ${this.clusterName}`,
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

/** An attribute of an imported aws-eks-v2 cluster, which throws when it was not given; undefined then. */
function attributeOf<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/**
 * The cluster name as a literal: the name of an imported cluster, or the name a PlatformCluster created its
 * cluster with (its `clusterName` reference is a token). Karpenter's IAM policies name the cluster in tag
 * condition keys, which CloudFormation cannot compute.
 */
function literalClusterName(cluster: IPlatformCluster): string {
  const name = cluster.eksCluster.clusterName;
  if (!Token.isUnresolved(name)) {
    return name;
  }
  const cfn = cluster.eksCluster.node.defaultChild;
  const given = cfn instanceof eks.CfnCluster ? cfn.name : undefined;
  if (given !== undefined && !Token.isUnresolved(given)) {
    return given;
  }
  throw new Error(`clusterName: Karpenter's IAM policies name the cluster in tag condition keys, which CloudFormation cannot compute, got a cluster name unknown at synth on ${cluster.node.path}; give the cluster a literal clusterName (PlatformCluster props, or PlatformCluster.fromClusterAttributes)`);
}

function identityFor(cluster: IPlatformCluster, given: eks.IdentityType | undefined): eks.IdentityType {
  // A selector unknown at synth (a token) may select the controller: the default is then IRSA, which works
  // on nodes and Fargate, and a given POD_IDENTITY is refused only for a selection known at synth.
  const labels = KarpenterInstallation.POD_LABELS;
  const onFargate = cluster.fargateOnly || cluster.fargateSelects(KARPENTER_NAMESPACE, labels);
  const knownOnFargate = cluster.fargateOnly || cluster.fargateSelects(KARPENTER_NAMESPACE, labels, false);
  if (given === eks.IdentityType.POD_IDENTITY && knownOnFargate) {
    throw new Error(`identityType: EKS Pod Identity does not work for pods on Fargate, got IdentityType.POD_IDENTITY while the Karpenter controller runs on Fargate in ${cluster.node.path}; leave identityType unset (IRSA) or keep the controller on node groups`);
  }
  const identity = given ?? (onFargate ? eks.IdentityType.IRSA : eks.IdentityType.POD_IDENTITY);
  if (identity === eks.IdentityType.POD_IDENTITY && !cluster.podIdentityAgentInstalled) {
    throw new Error(`cluster: the karpenter add-on binds its role through EKS Pod Identity, got ${cluster.node.path} without the Pod Identity agent; install eks-pod-identity-agent on the cluster (podIdentityAgent: true for an imported cluster that has it), or pass identityType: IdentityType.IRSA with the cluster's openIdConnectProvider`);
  }
  return identity;
}

function openIdConnectProviderOf(cluster: IPlatformCluster): iam.IOpenIdConnectProvider {
  const provider = attributeOf(() => cluster.eksCluster.openIdConnectProvider);
  if (provider === undefined) {
    throw new Error(`openIdConnectProvider: the Karpenter controller gets credentials through IRSA (it runs on Fargate, or identityType is IRSA), got ${cluster.node.path} without an OIDC provider; pass openIdConnectProvider to PlatformCluster.fromClusterAttributes, or run the controller on node groups with Pod Identity`);
  }
  return provider;
}

function clusterSecurityGroupIdOf(cluster: IPlatformCluster): string {
  const id = attributeOf(() => cluster.eksCluster.clusterSecurityGroupId);
  if (id === undefined) {
    throw new Error(`clusterSecurityGroupId: Karpenter's nodes join through the cluster security group, got ${cluster.node.path} without one; pass clusterSecurityGroupId to PlatformCluster.fromClusterAttributes`);
  }
  return id;
}
