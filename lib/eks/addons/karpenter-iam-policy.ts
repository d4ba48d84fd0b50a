// Module-private: the Karpenter controller's IAM policies. Not exported from lib/index.ts.
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/** What the upstream policies are scoped to. */
export interface KarpenterPolicyScope {
  /** The EKS cluster name, a literal: it is part of tag condition keys, which CloudFormation cannot compute. */
  readonly clusterName: string;
  /** The role of Karpenter's nodes, the only role the controller may pass. */
  readonly nodeRoleArn: string;
  /** The interruption queue the controller reads. */
  readonly queueArn: string;
}

/**
 * The Karpenter controller's IAM policy documents, statement for statement as published upstream in
 * aws/karpenter-provider-aws, website/content/en/preview/getting-started/getting-started-with-karpenter/cloudformation.yaml
 * at tag v1.14.1 (unchanged at the docs commit of 2026-08-21): NodeLifecyclePolicy, IAMIntegrationPolicy,
 * EKSIntegrationPolicy, InterruptionPolicy, ZonalShiftPolicy and ResourceDiscoveryPolicy, with
 * `${ClusterName}`, `${AWS::Region}`, `${AWS::AccountId}` and `${AWS::Partition}` filled in from the stack.
 *
 * Grouped into three documents rather than one, because one managed policy holds at most 6,144
 * characters and the six together exceed it with a long cluster name (terraform-aws-eks issue 3512).
 */
export function karpenterPolicyDocuments(stack: Stack, scope: KarpenterPolicyScope): { nodeLifecycle: iam.PolicyDocument; iamIntegration: iam.PolicyDocument; discovery: iam.PolicyDocument } {
  const { clusterName, nodeRoleArn, queueArn } = scope;
  const p = stack.partition;
  const r = stack.region;
  const a = stack.account;
  const clusterTag = `kubernetes.io/cluster/${clusterName}`;
  const ec2Arn = (type: string, account = '*') => `arn:${p}:ec2:${r}:${account}:${type}`;
  const taggedAtLaunch = [ec2Arn('fleet/*'), ec2Arn('instance/*'), ec2Arn('volume/*'), ec2Arn('network-interface/*'), ec2Arn('launch-template/*'), ec2Arn('spot-instances-request/*')];
  const clusterArn = `arn:${p}:eks:${r}:${a}:cluster/${clusterName}`;
  const instanceProfiles = `arn:${p}:iam::${a}:instance-profile/*`;
  const json = (statements: Array<Record<string, unknown>>) => new iam.PolicyDocument({ statements: statements.map((s) => iam.PolicyStatement.fromJson(s)) });

  const nodeLifecycle = json([
    {
      Sid: 'AllowScopedEC2InstanceAccessActions',
      Effect: 'Allow',
      Resource: [ec2Arn('image/*', ''), ec2Arn('snapshot/*', ''), ec2Arn('security-group/*'), ec2Arn('subnet/*'), ec2Arn('capacity-reservation/*'), ec2Arn('placement-group/*')],
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
    },
    {
      Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
      Effect: 'Allow',
      Resource: ec2Arn('launch-template/*'),
      Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'AllowScopedEC2InstanceActionsWithTags',
      Effect: 'Allow',
      Resource: taggedAtLaunch,
      Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
      Condition: {
        StringEquals: { [`aws:RequestTag/${clusterTag}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': clusterName },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'AllowScopedResourceCreationTagging',
      Effect: 'Allow',
      Resource: taggedAtLaunch,
      Action: 'ec2:CreateTags',
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${clusterTag}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': clusterName,
          'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
        },
        StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
      },
    },
    {
      Sid: 'AllowScopedResourceTagging',
      Effect: 'Allow',
      Resource: ec2Arn('instance/*'),
      Action: 'ec2:CreateTags',
      Condition: {
        'StringEquals': { [`aws:ResourceTag/${clusterTag}`]: 'owned' },
        'StringLike': { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
        'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
      },
    },
    {
      Sid: 'AllowScopedDeletion',
      Effect: 'Allow',
      Resource: [ec2Arn('instance/*'), ec2Arn('launch-template/*')],
      Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned' },
        StringLike: { 'aws:ResourceTag/karpenter.sh/nodepool': '*' },
      },
    },
  ]);

  const iamIntegration = json([
    {
      Sid: 'AllowPassingInstanceRole',
      Effect: 'Allow',
      Resource: nodeRoleArn,
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    },
    {
      Sid: 'AllowScopedInstanceProfileCreationActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:CreateInstanceProfile'],
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${clusterTag}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': clusterName,
          'aws:RequestTag/topology.kubernetes.io/region': r,
        },
        StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileTagActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:TagInstanceProfile'],
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${clusterTag}`]: 'owned',
          'aws:ResourceTag/topology.kubernetes.io/region': r,
          [`aws:RequestTag/${clusterTag}`]: 'owned',
          'aws:RequestTag/eks:eks-cluster-name': clusterName,
          'aws:RequestTag/topology.kubernetes.io/region': r,
        },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
    {
      Sid: 'AllowScopedInstanceProfileActions',
      Effect: 'Allow',
      Resource: instanceProfiles,
      Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      Condition: {
        StringEquals: { [`aws:ResourceTag/${clusterTag}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': r },
        StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
      },
    },
  ]);

  const discovery = json([
    // EKSIntegrationPolicy
    { Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Resource: clusterArn, Action: 'eks:DescribeCluster' },
    // InterruptionPolicy
    { Sid: 'AllowInterruptionQueueActions', Effect: 'Allow', Resource: queueArn, Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'] },
    // ZonalShiftPolicy
    {
      Sid: 'AllowZonalShiftStatusReadOnly',
      Effect: 'Allow',
      Resource: '*',
      Action: ['arc-zonal-shift:GetManagedResource'],
      Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } },
    },
    // ResourceDiscoveryPolicy
    {
      Sid: 'AllowRegionalReadActions',
      Effect: 'Allow',
      Resource: '*',
      Action: [
        'ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
        'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups',
        'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets',
      ],
      Condition: { StringEquals: { 'aws:RequestedRegion': r } },
    },
    { Sid: 'AllowSSMReadActions', Effect: 'Allow', Resource: `arn:${p}:ssm:${r}::parameter/aws/service/*`, Action: 'ssm:GetParameter' },
    { Sid: 'AllowPricingReadActions', Effect: 'Allow', Resource: '*', Action: 'pricing:GetProducts' },
    { Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Resource: '*', Action: 'iam:ListInstanceProfiles' },
    { Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Resource: instanceProfiles, Action: 'iam:GetInstanceProfile' },
  ]);

  return { nodeLifecycle, iamIntegration, discovery };
}
