import { CfnJson, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { podIdentityRole, requireFargateSelection, validateKubernetesName, validateReplicas } from './addon-support';
import { HELM_CHARTS } from './addon-versions';
import { ClusterAddon } from './cluster-addon';
import { HelmAddonInstallation } from './helm-addon';
import { loadBalancerControllerPolicyDocument } from './lb-controller-iam-policy';

/** The chart version installed by default: the version table's (with where it was seen). */
const LB_CONTROLLER_CHART_VERSION = HELM_CHARTS['aws-load-balancer-controller'].version;
/** The chart repository AWS publishes the controller in. */
const EKS_CHARTS_REPOSITORY = 'https://aws.github.io/eks-charts';
/** The chart, release and service account name AWS's install guide uses; the IAM binding refers to it. */
const LB_CONTROLLER_NAME = 'aws-load-balancer-controller';
/** The controller lives beside the other cluster components. */
const LB_CONTROLLER_NAMESPACE = 'kube-system';
/** The labels the chart puts on the controller's pods (release name = chart name), for Fargate selectors. */
const LB_CONTROLLER_POD_LABELS = { 'app.kubernetes.io/name': LB_CONTROLLER_NAME, 'app.kubernetes.io/instance': LB_CONTROLLER_NAME };
/** Two replicas: the controller's webhooks must answer while one pod is rescheduled. */
const DEFAULT_REPLICAS = 2;
/** The IngressClass name the controller's documentation uses. */
const DEFAULT_INGRESS_CLASS = 'alb';
/** The controller name an IngressClass must carry for this controller to reconcile it. */
const ALB_INGRESS_CONTROLLER = 'ingress.k8s.aws/alb';

/** Props of {@link AwsLoadBalancerController}. */
export interface AwsLoadBalancerControllerProps {
  /**
   * The Helm chart version. The IAM policy shipped with this library is upstream's for chart 3.5.0;
   * check `docs/install/iam_policy.json` at the matching tag when you change it.
   * @default '3.5.0' (controller v3.5.0)
   */
  readonly chartVersion?: string;

  /**
   * How the controller's pods get AWS credentials.
   * @default - `IdentityType.POD_IDENTITY`; `IdentityType.IRSA` when the controller runs on Fargate (a
   *   Fargate-only cluster, or a profile selecting its pods in kube-system), where Pod Identity does not work
   */
  readonly identityType?: eks.IdentityType;

  /**
   * The name of the IngressClass the library creates for the controller.
   * @default 'alb'
   */
  readonly ingressClassName?: string;

  /**
   * Whether the IngressClass is the cluster's default, used by Ingresses that name no class.
   * @default true
   */
  readonly defaultIngressClass?: boolean;

  /**
   * Controller replicas.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * The controller image repository, for clusters that cannot reach public.ecr.aws (isolated subnets):
   * e.g. the regional `602401143452.dkr.ecr.<region>.amazonaws.com/amazon/aws-load-balancer-controller`.
   * @default - the chart's default, public.ecr.aws/eks/aws-load-balancer-controller
   */
  readonly imageRepository?: string;
}

/**
 * The AWS Load Balancer Controller: an ALB for each Ingress, an NLB for each Service of type LoadBalancer.
 *
 * Installs the `aws-load-balancer-controller` Helm chart into kube-system with the region and VPC id
 * passed as values (a controller on Fargate has no instance metadata to find them), the upstream
 * IAM policy as a customer managed policy, credentials through Pod Identity (IRSA on a Fargate-only
 * cluster), and an IngressClass.
 *
 * Creation: the chart registers admission webhooks with `failurePolicy: Fail` that refuse every new
 * Service and Ingress until the controller's pods are ready, so the chart waits for every EKS managed
 * add-on of the cluster, including those installed later (their Services, such as CoreDNS's kube-dns,
 * are created before the webhooks exist), and Services or Ingresses you create in the stack go through
 * `addLoadBalancedResource` (they are created after the controller is ready).
 *
 * Deletion: the chart depends on the node groups, Fargate profiles and IAM, so the controller keeps
 * running and keeps its permissions until everything that depends on it is gone. Ingresses and
 * LoadBalancer Services you create yourself must be deleted before the stack, or be created in the
 * stack with `addLoadBalancedResource`; otherwise their load balancers outlive the cluster.
 */
export class AwsLoadBalancerController extends ClusterAddon {
  public readonly name: string = LB_CONTROLLER_NAME;
  private readonly props: AwsLoadBalancerControllerProps;

  constructor(props: AwsLoadBalancerControllerProps = {}) {
    super();
    const chartVersion = props.chartVersion;
    if (chartVersion !== undefined && !Token.isUnresolved(chartVersion) && !/^\d+\.\d+\.\d+$/.test(chartVersion)) {
      throw new Error(`chartVersion: not a Helm chart version, got '${chartVersion}'; pass a version such as '${LB_CONTROLLER_CHART_VERSION}' (no leading v)`);
    }
    validateKubernetesName('ingressClassName', props.ingressClassName);
    validateReplicas(props.replicas, 'use 2 or more so the webhooks stay available');
    this.props = props;
  }

  public install(scope: Construct, cluster: IPlatformCluster): AwsLoadBalancerControllerInstallation {
    return new AwsLoadBalancerControllerInstallation(scope, 'AwsLoadBalancerController', { ...this.props, cluster });
  }
}

/** Props of {@link AwsLoadBalancerControllerInstallation}. */
export interface AwsLoadBalancerControllerInstallationProps extends AwsLoadBalancerControllerProps {
  /** The cluster. */
  readonly cluster: IPlatformCluster;
}

/** The AWS Load Balancer Controller installed on one cluster (see {@link AwsLoadBalancerController}). */
export class AwsLoadBalancerControllerInstallation extends HelmAddonInstallation {
  /** The role the controller's pods assume. */
  public readonly role: iam.Role;
  /** The upstream IAM policy, attached to `role`. */
  public readonly policy: iam.ManagedPolicy;
  /** The IngressClass manifest. */
  public readonly ingressClass: eks.KubernetesManifest;
  private readonly props: AwsLoadBalancerControllerInstallationProps;
  private readonly serviceAccountAnnotations: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerInstallationProps) {
    const cluster = props.cluster;
    const identityType = identityFor(cluster, props.identityType);
    super(scope, id, {
      cluster,
      name: LB_CONTROLLER_NAME,
      chart: LB_CONTROLLER_NAME,
      repository: EKS_CHARTS_REPOSITORY,
      version: props.chartVersion ?? LB_CONTROLLER_CHART_VERSION,
      namespace: LB_CONTROLLER_NAMESPACE,
    });
    this.props = props;
    requireFargateSelection(this, cluster, LB_CONTROLLER_NAME, LB_CONTROLLER_NAMESPACE, LB_CONTROLLER_POD_LABELS);
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `AWS Load Balancer Controller of ${cluster.node.path} (upstream iam_policy.json of chart ${this.chartVersion})`,
      document: loadBalancerControllerPolicyDocument(),
    });
    Compliance.acknowledgeAll(policy, [
      {
        ruleId: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: load balancers, target groups, listeners and security groups are created at run time with names unknown at synth; mutating actions are scoped by the elbv2.k8s.aws/cluster tag conditions, Describe* actions have no resource-level permissions.',
      },
      {
        ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:*:*:security-group/*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: tags only security groups it creates, enforced by the elbv2.k8s.aws/cluster request/resource tag conditions; the group ids are unknown at synth.',
      },
      {
        ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:targetgroup/*/*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: target groups are created per Service/Ingress at run time, their names are unknown at synth; tagging is scoped by elbv2.k8s.aws/cluster tag conditions.',
      },
      {
        ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/net/*/*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: NLBs are created per Service at run time with names unknown at synth; tagging is scoped by elbv2.k8s.aws/cluster tag conditions.',
      },
      {
        ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:loadbalancer/app/*/*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: ALBs are created per Ingress group at run time with names unknown at synth; tagging is scoped by elbv2.k8s.aws/cluster tag conditions.',
      },
      {
        ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/net/*/*/*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: tags the listeners of the NLBs it creates at run time; their ARNs are unknown at synth.',
      },
      {
        ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:listener/app/*/*/*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: tags the listeners of the ALBs it creates at run time; their ARNs are unknown at synth.',
      },
      {
        ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/net/*/*/*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: tags the listener rules it creates at run time; their ARNs are unknown at synth.',
      },
      {
        ruleId: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:elasticloadbalancing:*:*:listener-rule/app/*/*/*]',
        reason: 'Upstream policy of the AWS Load Balancer Controller: tags the ALB listener rules it creates for Ingress paths at run time; their ARNs are unknown at synth.',
      },
    ]);
    this.policy = policy;

    // What the pods' credentials come through and must exist before the pods: the Pod Identity association
    // (EKS injects credentials only into pods created after it); with IRSA the role's trust policy
    // already references the OIDC provider.
    let binding: IConstruct | undefined;
    if (identityType === eks.IdentityType.POD_IDENTITY) {
      const role = podIdentityRole(this, 'Role', `AWS Load Balancer Controller of ${cluster.node.path}, through EKS Pod Identity`, [policy]);
      const association = new eks.CfnPodIdentityAssociation(this, 'PodIdentityAssociation', {
        clusterName: cluster.eksCluster.clusterName,
        namespace: LB_CONTROLLER_NAMESPACE,
        serviceAccount: LB_CONTROLLER_NAME,
        roleArn: role.roleArn,
      });
      this.role = role;
      binding = association;
    } else {
      // Fargate pods cannot use Pod Identity: the role trusts the cluster's OIDC provider for this one service account.
      const provider = cluster.eksCluster.openIdConnectProvider;
      const issuer = provider.openIdConnectProviderIssuer;
      const conditions = new CfnJson(this, 'IrsaConditions', {
        value: {
          [`${issuer}:aud`]: 'sts.amazonaws.com',
          [`${issuer}:sub`]: `system:serviceaccount:${LB_CONTROLLER_NAMESPACE}:${LB_CONTROLLER_NAME}`,
        },
      });
      const role = new iam.Role(this, 'Role', {
        description: `AWS Load Balancer Controller of ${cluster.node.path}, through IRSA (pods on Fargate cannot use Pod Identity)`,
        assumedBy: new iam.OpenIdConnectPrincipal(provider).withConditions({ StringEquals: conditions }),
        managedPolicies: [policy],
      });
      this.serviceAccountAnnotations['eks.amazonaws.com/role-arn'] = role.roleArn;
      this.role = role;
    }

    const chart = this.chart;
    // The pods start with their permissions and keep them until the release is gone (the role's reference
    // to the policy orders the policy).
    chart.node.addDependency(this.role);
    // The pods get credentials only if the association exists when they are created.
    if (binding) {
      chart.node.addDependency(binding);
    }
    // The base class makes the release wait for compute: the pods need somewhere to run, and on delete the
    // controller goes before the compute it runs on (Fargate profiles are also covered by aws-eks-v2, whose
    // kubectl barrier waits for every profile of its own stack).
    // Chart 3.5.0's mutating webhook mservice.elbv2.k8s.aws (templates/webhook.yaml) matches every Service
    // CREATE with failurePolicy Fail (values.yaml serviceMutatorWebhookConfig) and no namespace selector,
    // and the Service Endpoints it calls have no ready pod until the release is up: a managed add-on
    // installed beside it (CoreDNS's kube-dns, metrics-server, amazon-cloudwatch-observability) would
    // fail to create its Services. Failing open (failurePolicy Ignore) is no fix: a LoadBalancer Service
    // created then would miss the controller's loadBalancerClass and get a Classic Load Balancer from
    // EKS's cloud controller. So the release waits for every managed add-on, present and future; no
    // cycle, because managed add-ons wait only for compute, which never waits for the release.
    // The other webhooks do not race the library's installs: mpod (readiness gates; failurePolicy Ignore
    // by default), quicid and alb-target-control select pods only in namespaces or pods labelled for
    // them, which no add-on is; vingress matches Ingresses, which the stack creates only through
    // addLoadBalancedResource, after the release; mtargetgroupbinding, vtargetgroupbinding and
    // vingressclassparams match the chart's own CRDs, which do not exist before it.
    cluster.waitForManagedAddons(chart);

    const className = props.ingressClassName ?? DEFAULT_INGRESS_CLASS;
    const isDefault = props.defaultIngressClass ?? true;
    const ingressClass = new eks.KubernetesManifest(this, 'IngressClass', {
      cluster: cluster.eksCluster,
      manifest: [{
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: {
          name: className,
          labels: { 'app.kubernetes.io/name': LB_CONTROLLER_NAME },
          ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
        },
        spec: { controller: ALB_INGRESS_CONTROLLER },
      }],
    });
    // No dependency on the release: no webhook of the chart matches IngressClasses, and the class is a
    // plain object the controller reads when it reconciles an Ingress. Ingresses that need it, and the
    // controller's cleanup of their load balancers on delete, are ordered by addLoadBalancedResource.
    this.ingressClass = ingressClass;
  }

  /**
   * Makes a construct that creates Services or Ingresses (a KubernetesManifest or HelmChart with an
   * Ingress, a Service of type LoadBalancer, or any Service) depend on the controller and its
   * IngressClass: it is created only once the controller's webhooks answer (until then they refuse every
   * new Service and Ingress), and CloudFormation deletes it while the controller still runs and its
   * IngressClass still exists, so the controller can delete the load balancers.
   */
  public addLoadBalancedResource(resource: IConstruct): void {
    // Created once the webhooks answer; deleted while the controller runs (see above).
    resource.node.addDependency(this.chart);
    // An Ingress naming the class (or relying on it as the default, which is assigned at creation) is
    // created after it and deleted before it: with the class gone, the vingress webhook refuses the
    // finalizer removal and the Ingress never finishes deleting (kubernetes-sigs/aws-load-balancer-controller
    // issue 4341, open; fix PR 4624 unmerged).
    resource.node.addDependency(this.ingressClass);
  }

  protected chartValues(): { [key: string]: any } {
    const values: Record<string, unknown> = {
      clusterName: this.cluster.eksCluster.clusterName,
      region: Stack.of(this).region,
      vpcId: this.cluster.vpc.vpcId,
      replicaCount: this.props.replicas ?? DEFAULT_REPLICAS,
      serviceAccount: { create: true, name: LB_CONTROLLER_NAME, annotations: this.serviceAccountAnnotations },
      // The library writes the IngressClass itself, so it is a reviewed object and deleted before the controller.
      createIngressClassResource: false,
      ingressClass: this.props.ingressClassName ?? DEFAULT_INGRESS_CLASS,
    };
    if (this.props.imageRepository !== undefined) {
      values.image = { repository: this.props.imageRepository };
    }
    return values;
  }
}

function identityFor(cluster: IPlatformCluster, given: eks.IdentityType | undefined): eks.IdentityType {
  // The controller runs on Fargate when the cluster has no nodes or a profile selects its pods. A selector
  // unknown at synth (a token) may select them: the default is then IRSA, which works on nodes and Fargate,
  // and a given POD_IDENTITY is refused only for a selection known at synth.
  const onFargate = cluster.fargateOnly || cluster.fargateSelects(LB_CONTROLLER_NAMESPACE, LB_CONTROLLER_POD_LABELS);
  const knownOnFargate = cluster.fargateOnly || cluster.fargateSelects(LB_CONTROLLER_NAMESPACE, LB_CONTROLLER_POD_LABELS, false);
  if (given === eks.IdentityType.POD_IDENTITY && knownOnFargate) {
    throw new Error(`identityType: EKS Pod Identity does not work for pods on Fargate, got IdentityType.POD_IDENTITY while the controller's pods run on Fargate in ${cluster.node.path} (${cluster.fargateOnly ? 'a Fargate-only cluster' : 'a profile selects them in kube-system'}); leave identityType unset (IRSA) or keep the controller on node groups`);
  }
  return given ?? (onFargate ? eks.IdentityType.IRSA : eks.IdentityType.POD_IDENTITY);
}
