import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ClusterAddon } from './addons/cluster-addon';
import type { CoreDnsAddon } from './addons/coredns';
import type { KubeProxyAddon } from './addons/kube-proxy';
import type { PodIdentityAgentAddon } from './addons/pod-identity-agent';
import type { VpcCniAddon } from './addons/vpc-cni';
import { NamespaceAccess } from './cluster-access';
import type { ClusterCompute } from './cluster-compute';
import { PlatformFargateProfileOptions } from './fargate-profile-options';
import { PlatformNodegroupOptions } from './nodegroup-options';

/** Which EKS support period the cluster stays on when its version leaves standard support. */
export enum ClusterSupportType {
  /** EKS upgrades the control plane automatically when standard support ends (no extra cost). */
  STANDARD = 'STANDARD',
  /** The cluster stays on its version for up to 12 more months, billed at the extended-support rate. */
  EXTENDED = 'EXTENDED',
}

/** The core add-ons every PlatformCluster installs; pass an object to pin a version or configure one. */
export interface CoreAddons {
  /** @default - new VpcCniAddon() */
  readonly vpcCni?: VpcCniAddon;
  /** @default - new CoreDnsAddon() */
  readonly coreDns?: CoreDnsAddon;
  /** @default - new KubeProxyAddon() */
  readonly kubeProxy?: KubeProxyAddon;
  /** @default - new PodIdentityAgentAddon() */
  readonly podIdentityAgent?: PodIdentityAgentAddon;
}

/** A managed node group given through props: its construct id and options. */
export interface PlatformNodegroupSpec extends PlatformNodegroupOptions {
  /** The construct id, as for `addNodegroup(id, ...)`. Changing it replaces the node group. */
  readonly id: string;
}

/** A Fargate profile given through props: its construct id and options. */
export interface PlatformFargateProfileSpec extends PlatformFargateProfileOptions {
  /** The construct id, as for `addFargateProfile(id, ...)`. Changing it replaces the profile. */
  readonly id: string;
}

/** Props of {@link PlatformCluster}. */
export interface PlatformClusterProps {
  /**
   * The VPC. Nodes, Fargate pods, the control plane's network interfaces and the kubectl handler use its
   * private (or isolated) subnets. A private-only VPC needs interface endpoints for ECR, STS, EKS Auth,
   * EC2, CloudWatch Logs and Lambda (the kubectl handler's provider calls it).
   * @default - a PlatformVpc with the public+private layout, created as `network`
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The Kubernetes version, pinned; node groups follow it. 1.33 to 1.36 need no other pin; a version in
   * extended support or leaving standard support within 90 days of the library's release warns, one EKS
   * no longer or not yet offers fails. Change it one minor at a time (README, "Upgrading Kubernetes").
   * @default eks.KubernetesVersion.V1_36
   */
  readonly version?: eks.KubernetesVersion;

  /**
   * The EKS cluster name. It is fixed at synth because the control-plane log group is named after it.
   * @default - a name unique to this construct path, at most 100 characters
   */
  readonly clusterName?: string;

  /**
   * Who can reach the Kubernetes API endpoint. `eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(cidr)`
   * opens it to named ranges; an unrestricted public endpoint raises a warning and stays visible to audits.
   * @default eks.EndpointAccess.PRIVATE (reached from inside the VPC, a VPN or a peered network only)
   */
  readonly endpointAccess?: eks.EndpointAccess;

  /**
   * The KMS key that envelope-encrypts Kubernetes secrets.
   * @default - a key is created with rotation on, retained when the stack is deleted
   */
  readonly secretsKey?: kms.IKey;

  /**
   * How long control-plane logs (all five types) are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The KMS key that encrypts the control-plane log group and the kubectl handler's log groups. Its key
   * policy must let the CloudWatch Logs service principal of the region use it for `/aws/eks/<cluster name>/cluster`
   * and, with the kubectl handler, `<stack name>-*` (a LogEncryptionKey of this app admits them by itself).
   * @default - a LogEncryptionKey is created (rotation on, retained)
   */
  readonly logKey?: kms.IKey;

  /**
   * What happens when the Kubernetes version leaves standard support.
   * @default ClusterSupportType.STANDARD (EKS upgrades the control plane; no extended-support charge)
   */
  readonly supportType?: ClusterSupportType;

  /**
   * IAM roles that administer the whole cluster (AmazonEKSClusterAdminPolicy through access entries).
   * @default - none; without admins and without the kubectl handler nobody can use the Kubernetes API
   */
  readonly admins?: iam.IRole[];

  /**
   * Roles that get access to some namespaces only.
   * @default - none
   */
  readonly namespaceAccess?: NamespaceAccess[];

  /**
   * Make the IAM identity that creates the cluster (the CloudFormation role) a cluster admin.
   * Changing it replaces the cluster.
   * @default false (admins are named in `admins`)
   */
  readonly clusterCreatorAdmin?: boolean;

  /**
   * Create the kubectl handler (a Lambda function in the VPC's private subnets) that applies manifests
   * and Helm charts. Without it, add-ons that install charts or manifests fail at synth.
   * @default true
   */
  readonly kubectl?: boolean;

  /**
   * The kubectl Lambda layer, matching `version`: the escape hatch for versions this library bundles no
   * layer for (e.g. `new KubectlV35Layer(this, 'Kubectl')` from `@aws-cdk/lambda-layer-kubectl-v35`).
   * @default - the layer of `version` (1.33 to 1.36) from its package `@aws-cdk/lambda-layer-kubectl-vNN`, an
   * optional peer dependency loaded only here (synth fails, naming the install command, when it is missing);
   * other versions fail at synth
   */
  readonly kubectlLayer?: lambda.ILayerVersion;

  /**
   * Where pods run: managed node groups and Fargate profiles, or EKS Auto Mode (`ClusterCompute.autoMode()`),
   * which runs the core add-ons, EBS block storage, load balancing and node autoscaling itself, and so
   * refuses `coreAddons`, node groups, Fargate profiles and the add-ons that would duplicate them.
   * @default ClusterCompute.managed()
   */
  readonly compute?: ClusterCompute;

  /**
   * Managed node groups, created in order.
   * @default - none (add them with addNodegroup, or run on Fargate only)
   */
  readonly nodegroups?: PlatformNodegroupSpec[];

  /**
   * Fargate profiles, created one after another in order.
   * @default - none
   */
  readonly fargateProfiles?: PlatformFargateProfileSpec[];

  /**
   * The core add-on objects, to pin their versions or configure them.
   * @default - vpc-cni, coredns, kube-proxy and eks-pod-identity-agent at the versions pinned for `version`
   */
  readonly coreAddons?: CoreAddons;

  /**
   * Further add-ons, installed at the end of the constructor after node groups and profiles.
   * @default - none
   */
  readonly addons?: ClusterAddon[];
}

