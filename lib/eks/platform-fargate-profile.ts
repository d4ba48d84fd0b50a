import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { validateFargateProfile } from './cluster-validation';
import { PlatformFargateProfileOptions } from './fargate-profile-options';
import type { IPlatformCluster } from './platform-cluster-ref';
import { Compliance } from '../compliance/acknowledge';

/** Props of {@link PlatformFargateProfile}. */
export interface PlatformFargateProfileProps extends PlatformFargateProfileOptions {
  /** The cluster: a PlatformCluster, or one imported with `PlatformCluster.fromClusterAttributes`. */
  readonly cluster: IPlatformCluster;
}

/**
 * A Fargate profile in a scope of its own, e.g. an application team's stack, in the cluster VPC's private
 * subnets.
 *
 * EKS takes one profile change at a time per cluster. aws-eks-v2 chains the profiles of a cluster object
 * and makes the cluster's kubectl barrier wait for each, which across stacks would make the cluster's stack
 * depend on this one; so this construct creates the `AWS::EKS::FargateProfile` itself and chains it to the
 * previous profile of its own stack. Profiles of the cluster's stack are created before it (its stack
 * depends on the cluster's). Two application stacks that add profiles must not deploy at the same time
 * (`cdk deploy --concurrency 1`, the default), or EKS refuses the second change.
 */
export class PlatformFargateProfile extends Construct {
  /** The profile. */
  public readonly profile: eks.CfnFargateProfile;
  /** The role Fargate uses to pull images and write logs for the profile's pods. */
  public readonly podExecutionRole: iam.IRole;
  /** The profile's name. */
  public readonly fargateProfileName: string;

  constructor(scope: Construct, id: string, props: PlatformFargateProfileProps) {
    super(scope, id);
    const { cluster, ...options } = props;
    validateFargateProfile(this, id, options, new Set());
    const subnets = [...cluster.vpc.privateSubnets, ...cluster.vpc.isolatedSubnets];
    if (subnets.length === 0) {
      throw new Error(`fargateProfiles: Fargate runs pods only in private subnets, got a VPC without private or isolated subnets for profile '${id}'; use a VPC with private subnets (PlatformVpc's default layout)`);
    }
    this.podExecutionRole = options.podExecutionRole ?? this.createRole();
    this.profile = new eks.CfnFargateProfile(this, 'Resource', {
      clusterName: cluster.eksCluster.clusterName,
      fargateProfileName: options.fargateProfileName,
      podExecutionRoleArn: this.podExecutionRole.roleArn,
      selectors: options.selectors.map((s) => ({ namespace: s.namespace, labels: Object.entries(s.labels ?? {}).map(([key, value]) => ({ key, value })) })),
      subnets: subnets.map((s) => s.subnetId),
    });
    this.fargateProfileName = this.profile.ref;
    const previous = cluster.registerFargateProfile(this, options.selectors, this.podExecutionRole, options.fargateProfileName);
    // One profile change at a time per cluster (see above).
    if (previous !== undefined && Stack.of(previous) === Stack.of(this)) {
      this.profile.node.addDependency(previous);
    }
  }

  private createRole(): iam.Role {
    const role = new iam.Role(this, 'PodExecutionRole', {
      assumedBy: new iam.ServicePrincipal('eks-fargate-pods.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSFargatePodExecutionRolePolicy')],
    });
    Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy]',
      'AWS maintains AmazonEKSFargatePodExecutionRolePolicy for Fargate image pulls; it allows only ECR reads, on every repository because the images pods run are unknown at synth (and ecr:GetAuthorizationToken has no resource scope). Pass podExecutionRole to use your own');
    return role;
  }
}
