import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Options of `PlatformCluster.addFargateProfile` (and of each entry of `PlatformClusterProps.fargateProfiles`).
 *
 * Pods of a profile always run in the cluster VPC's private subnets: EKS refuses public subnets for Fargate.
 */
export interface PlatformFargateProfileOptions {
  /**
   * The pods this profile runs: 1 to 5 selectors, each a namespace and optional labels (up to 5).
   * A pod runs on Fargate when it matches any selector.
   */
  readonly selectors: eks.Selector[];

  /**
   * The profile's name in EKS: up to 63 letters, digits, `-` and `_`, starting with a letter or digit.
   * @default - CloudFormation generates a unique name
   */
  readonly fargateProfileName?: string;

  /**
   * The role Fargate uses to pull images and write logs for the profile's pods.
   * @default - a role with AmazonEKSFargatePodExecutionRolePolicy, exposed as `FargateProfile.podExecutionRole`
   */
  readonly podExecutionRole?: iam.IRole;
}
