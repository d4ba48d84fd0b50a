// Module-private: the kubectl handler's role and log groups, which aws-eks-v2's KubectlProvider creates
// with AWS managed policies, an inline policy and unencrypted log groups. Not exported from lib/index.ts.
import { CfnCondition, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { findingArn } from '../compliance/finding-arn';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';

/**
 * The kubectl handler's role (`KubectlProviderOptions.role`): every grant lands in a customer-managed policy,
 * and the AWS managed policies aws-eks-v2 attaches while it builds the provider are declined.
 *
 * aws-eks-v2 attaches AWSLambdaVPCAccessExecutionRole (replaced by `allowVpcNetworkInterfaces`),
 * AmazonEC2ContainerRegistryReadOnly and, in the aws partition, AmazonElasticContainerRegistryPublicReadOnly
 * (for Helm charts pulled from ECR over OCI, which no add-on of this library uses: grant a repository to
 * `PlatformCluster.kubectlRole` to install such a chart). Its own grants (eks:DescribeCluster on the
 * cluster, a chart asset's bucket) go through `addToPrincipalPolicy` and are kept.
 */
export class KubectlHandlerRole extends ManagedPolicyRole {
  private declining = true;

  constructor(scope: Construct, id: string) {
    super(scope, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `The kubectl handler of ${scope.node.path}: applies manifests and Helm charts during deployments`,
    });
  }

  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    // Only the three policies named above are declined: anything else aws-eks-v2 may attach in a later
    // release is kept, and the audit then shows it rather than the handler failing at deploy.
    if (this.declining && REPLACED_POLICIES.some((name) => JSON.stringify(Stack.of(this).resolve(policy.managedPolicyArn)).includes(`:iam::aws:policy/${name}`))) {
      return;
    }
    super.addManagedPolicy(policy);
  }

  /** Ends the window in which aws-eks-v2 builds the provider; later managed policies are attached as given. */
  public stopDeclining(): void {
    this.declining = false;
  }
}

/** The AWS managed policies aws-eks-v2's KubectlProvider attaches to the handler role (aws-cdk-lib 2.276.0). */
const REPLACED_POLICIES = [
  'service-role/AWSLambdaVPCAccessExecutionRole',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonElasticContainerRegistryPublicReadOnly',
];

/**
 * Lets a Lambda function in a VPC manage its network interfaces, as AWSLambdaVPCAccessExecutionRole does,
 * in the role's customer-managed policy and limited to this account and region.
 */
function allowVpcNetworkInterfaces(role: iam.IRole): void {
  const stack = Stack.of(role);
  // The Lambda developer guide (configuration-vpc): ec2:DescribeNetworkInterfaces works only on "*"
  // (ec2:DescribeSubnets, like every EC2 Describe action, has no resource-level permission), and the others
  // should name all resource ids of the account and region, because Lambda creates the interfaces.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'DescribeNetworkInterfaces',
    actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
    resources: ['*'],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ManageNetworkInterfaces',
    actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
    resources: [`arn:${stack.partition}:ec2:${stack.region}:${stack.account}:*/*`],
  }));
}

/** Where the handler's log groups go and for how long. */
export interface KubectlLogOptions {
  readonly key: kms.IKey;
  readonly retention: logs.RetentionDays;
}

/**
 * Encrypts and bounds the log group of one function of the kubectl provider, and gives it a name that
 * does not depend on the function.
 *
 * With `@aws-cdk/aws-lambda:useCdkManagedLogGroup` each function gets a `LogGroup` child named
 * `/aws/lambda/<function name>`. Leaving the name to CloudFormation (`<stack name>-<logical id>-<suffix>`)
 * and pointing the function at it (LoggingConfig.LogGroup) lets the handler's policy name the group without
 * a dependency cycle, and puts the group under the LogEncryptionKey's default `<stack name>-*` pattern.
 */
function secureFunctionLogs(fn: IConstruct | undefined, options: KubectlLogOptions): logs.LogGroup | undefined {
  if (!(fn instanceof lambda.Function)) {
    return undefined;
  }
  // Without that flag (an app whose cdk.json lacks it) the function has no log group, and the handler's
  // role, which no longer carries AWSLambdaVPCAccessExecutionRole, could not create /aws/lambda/<name>: its
  // logs would be lost. The group is then created here, under another id, because Function.logGroup
  // imports one as 'LogGroup' when the flag is off.
  const group = fn.node.tryFindChild('LogGroup') ?? new logs.LogGroup(fn, 'EncryptedLogGroup');
  if (!(group instanceof logs.LogGroup)) {
    return undefined;
  }
  const cfnGroup = group.node.defaultChild as logs.CfnLogGroup;
  cfnGroup.logGroupName = undefined;
  cfnGroup.kmsKeyId = options.key.keyArn;
  cfnGroup.retentionInDays = options.retention;
  (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('LoggingConfig.LogGroup', group.logGroupName);
  return group;
}

/**
 * Gives the kubectl provider aws-eks-v2 created encrypted, bounded log groups and finishes the handler
 * role: network interfaces in the VPC and writing to its own log group.
 */
export function secureKubectlProvider(cluster: eks.Cluster, role: KubectlHandlerRole, logOptions: KubectlLogOptions): void {
  role.stopDeclining();
  // aws-eks-v2 writes the partition condition of the declined ECR Public policy beside the role; unused, it
  // would fail CloudFormation's validator (W8001).
  const condition = role.node.scope?.node.tryFindChild('HasEcrPublic');
  if (condition instanceof CfnCondition) {
    role.node.scope!.node.tryRemoveChild('HasEcrPublic');
  }
  const provider = cluster.node.tryFindChild('KubectlProvider');
  if (!provider) {
    return;
  }
  const handler = provider.node.tryFindChild('Handler');
  const inVpc = handler instanceof lambda.Function && handler.isBoundToVpc;
  if (inVpc) {
    allowVpcNetworkInterfaces(role);
  }
  const handlerLogs = secureFunctionLogs(handler, logOptions);
  if (handlerLogs) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [handlerLogs.logGroupArn],
    }));
  }
  secureFunctionLogs(provider.node.tryFindChild('Provider')?.node.tryFindChild('framework-onEvent'), logOptions);
  // Outside the VPC (a public-only VPC) the role holds no network-interface grant to acknowledge.
  if (inVpc && role.grantsPolicy) {
    Compliance.acknowledge(role.grantsPolicy, 'AwsSolutions-IAM5[Resource::*]',
      'ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets have no resource-level permission (the Lambda developer guide, configuration-vpc: DescribeNetworkInterfaces works only on "*"); set kubectl: false to drop the handler');
    Compliance.acknowledge(role.grantsPolicy, `AwsSolutions-IAM5[Resource::${findingArn(role, 'ec2', '*/*')}]`,
      'Lambda creates and deletes the handler\'s network interfaces, whose ids are unknown at synth; the Lambda developer guide (configuration-vpc) asks for all resource ids of the account and region; set kubectl: false to drop the handler');
  }
}
