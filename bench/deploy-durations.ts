/**
 * Typical CloudFormation durations per resource type, in seconds, for bench/deploy-estimate.ts.
 * Each row says where its figures come from; "estimate" means a typical figure seen in deployments,
 * not a documented one. They weigh the critical path; the ratio ours/plain matters more than the
 * absolute minutes, because both sides use the same table.
 */
import { DeployPhase, TemplateResource } from './deploy-estimate';

export interface Duration {
  readonly create: number;
  readonly delete: number;
  readonly source: string;
}

const MIN = 60;

/** Keyed by resource type, or by a variant `durationKey` derives (e.g. a Lambda function in a VPC). */
export const DEPLOY_DURATIONS: Record<string, Duration> = {
  // EKS
  'AWS::EKS::Cluster': {
    create: 10 * MIN,
    delete: 5 * MIN,
    source: 'estimate; control plane creation averaged 15 min in 2021 and EKS has shortened it since (github.com/aws/containers-roadmap/issues/1227)',
  },
  'AWS::EKS::Nodegroup': { create: 4 * MIN, delete: 5 * MIN, source: 'estimate: 3-5 min to launch and register nodes; deletion drains and terminates them' },
  'AWS::EKS::FargateProfile': {
    create: 2.5 * MIN,
    delete: 2.5 * MIN,
    source: 'estimate: 2-3 min each; one profile of a cluster at a time (EKS API reference, DeleteFargateProfile), serialized by the model',
  },
  'AWS::EKS::Addon': { create: 1 * MIN, delete: 1 * MIN, source: 'estimate: about a minute until ACTIVE / removed' },
  'AWS::EKS::AccessEntry': { create: 5, delete: 5, source: 'estimate: an API call' },
  'AWS::EKS::PodIdentityAssociation': { create: 5, delete: 5, source: 'estimate: an API call' },
  // Kubernetes objects through the aws-eks-v2 kubectl provider (a Lambda function in the VPC)
  'Custom::AWSCDK-EKS-KubernetesResource': { create: 30, delete: 30, source: 'estimate: kubectl apply/delete from the kubectl handler, cold start included' },
  'Custom::AWSCDK-EKS-KubernetesPatch': { create: 30, delete: 10, source: 'estimate: kubectl patch from the kubectl handler' },
  'Custom::AWSCDK-EKS-HelmChart': { create: 2 * MIN, delete: 1 * MIN, source: 'estimate: helm install --wait until the pods are ready / helm uninstall' },
  'Custom::AWSCDKCfnJson': { create: 5, delete: 5, source: 'estimate: a Lambda call' },
  'Custom::VpcRestrictDefaultSG': { create: 10, delete: 10, source: 'estimate: a Lambda call revoking two rules' },
  'AWS::CloudFormation::CustomResource': { create: 10, delete: 10, source: 'estimate: a Lambda call' },
  // Compute
  'AWS::Lambda::Function': { create: 10, delete: 5, source: 'estimate' },
  'AWS::Lambda::Function (in a VPC)': {
    create: 1 * MIN,
    delete: 1 * MIN,
    source: 'estimate: Hyperplane ENIs are created with the function and released after it, holding its subnets and security groups meanwhile',
  },
  'AWS::Lambda::LayerVersion': { create: 10, delete: 5, source: 'estimate' },
  'AWS::Lambda::Permission': { create: 5, delete: 5, source: 'estimate' },
  'AWS::ECS::Cluster': { create: 10, delete: 10, source: 'estimate' },
  'AWS::ECS::ClusterCapacityProviderAssociations': { create: 10, delete: 10, source: 'estimate' },
  'AWS::ECS::CapacityProvider': { create: 10, delete: 30, source: 'estimate' },
  'AWS::ECS::TaskDefinition': { create: 5, delete: 5, source: 'estimate' },
  'AWS::ECS::Service': { create: 3 * MIN, delete: 2 * MIN, source: 'estimate: waits for steady state behind the load balancer / for tasks to drain' },
  'AWS::AutoScaling::AutoScalingGroup': { create: 2 * MIN, delete: 3 * MIN, source: 'estimate: instances launched / terminated' },
  'AWS::EC2::LaunchTemplate': { create: 5, delete: 5, source: 'estimate' },
  'AWS::IAM::InstanceProfile': { create: 1 * MIN, delete: 5, source: 'estimate: CloudFormation waits for the profile to propagate' },
  // Networking
  'AWS::EC2::VPC': { create: 15, delete: 10, source: 'estimate' },
  'AWS::EC2::Subnet': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::RouteTable': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::SubnetRouteTableAssociation': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::Route': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::InternetGateway': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::VPCGatewayAttachment': { create: 15, delete: 15, source: 'estimate' },
  'AWS::EC2::EIP': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::NatGateway': { create: 2 * MIN, delete: 1 * MIN, source: 'estimate: about 2 min until available' },
  'AWS::EC2::VPCEndpoint': { create: 10, delete: 10, source: 'estimate: gateway endpoint, route table entries only' },
  'AWS::EC2::VPCEndpoint (Interface)': { create: 2 * MIN, delete: 1 * MIN, source: 'estimate: ENIs in each subnet' },
  'AWS::EC2::SecurityGroup': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::SecurityGroupIngress': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::SecurityGroupEgress': { create: 5, delete: 5, source: 'estimate' },
  'AWS::EC2::FlowLog': { create: 5, delete: 5, source: 'estimate' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { create: 3 * MIN, delete: 30, source: 'estimate: about 3 min from provisioning to active' },
  'AWS::ElasticLoadBalancingV2::Listener': { create: 5, delete: 5, source: 'estimate' },
  'AWS::ElasticLoadBalancingV2::ListenerRule': { create: 5, delete: 5, source: 'estimate' },
  'AWS::ElasticLoadBalancingV2::TargetGroup': { create: 5, delete: 5, source: 'estimate' },
  // Storage, keys, logs, identity
  'AWS::EFS::FileSystem': { create: 10, delete: 10, source: 'estimate' },
  'AWS::EFS::MountTarget': { create: 90, delete: 90, source: 'estimate: an ENI per subnet, about 1.5 min each way' },
  'AWS::EFS::AccessPoint': { create: 5, delete: 5, source: 'estimate' },
  'AWS::ECR::Repository': { create: 5, delete: 5, source: 'estimate' },
  'AWS::KMS::Key': { create: 30, delete: 5, source: 'estimate; deletion only schedules it' },
  'AWS::KMS::Alias': { create: 5, delete: 5, source: 'estimate' },
  'AWS::Logs::LogGroup': { create: 5, delete: 5, source: 'estimate' },
  'AWS::SSM::Parameter': { create: 5, delete: 5, source: 'estimate' },
  'AWS::IAM::Role': { create: 15, delete: 5, source: 'estimate: CloudFormation waits a few seconds for propagation' },
  'AWS::IAM::Policy': { create: 15, delete: 5, source: 'estimate' },
  'AWS::IAM::ManagedPolicy': { create: 15, delete: 5, source: 'estimate' },
  'AWS::IAM::OIDCProvider': { create: 5, delete: 5, source: 'estimate' },
  'AWS::ApplicationAutoScaling::ScalableTarget': { create: 5, delete: 5, source: 'estimate' },
  'AWS::ApplicationAutoScaling::ScalingPolicy': { create: 5, delete: 5, source: 'estimate' },
  'AWS::CloudWatch::Alarm': { create: 5, delete: 5, source: 'estimate' },
};

/** For a type the table does not list. */
export const UNLISTED_DURATION: Duration = { create: 10, delete: 10, source: 'estimate for a type not in the table' };

/** The table row of a resource: its type, or a variant whose duration differs. */
export function durationKey(resource: TemplateResource): string {
  if (resource.Type === 'AWS::Lambda::Function' && resource.Properties?.VpcConfig) {
    return 'AWS::Lambda::Function (in a VPC)';
  }
  if (resource.Type === 'AWS::EC2::VPCEndpoint' && resource.Properties?.VpcEndpointType === 'Interface') {
    return 'AWS::EC2::VPCEndpoint (Interface)';
  }
  return resource.Type;
}

/**
 * Seconds a resource takes. A retained resource costs nothing at deletion: CloudFormation only
 * drops it from the stack.
 */
export function durationOf(resource: TemplateResource, phase: DeployPhase): number {
  if (phase === 'delete' && (resource.DeletionPolicy === 'Retain' || resource.DeletionPolicy === 'RetainExceptOnCreate')) {
    return 0;
  }
  return (DEPLOY_DURATIONS[durationKey(resource)] ?? UNLISTED_DURATION)[phase];
}

/** Types of a template the table does not list, to keep the table honest. */
export function unlistedTypes(resources: Record<string, TemplateResource>): string[] {
  return [...new Set(Object.values(resources).map(durationKey).filter((k) => !(k in DEPLOY_DURATIONS)))].sort();
}
