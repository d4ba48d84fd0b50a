// Module-private: the acknowledgements of what aws-eks-v2 creates inside a PlatformCluster.
// Not exported from lib/index.ts.
import { CfnElement, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IConstruct } from 'constructs';
import { AcknowledgedFinding, Compliance } from '../compliance/acknowledge';

/** The control-plane role aws-eks-v2 creates carries the AWS managed AmazonEKSClusterPolicy. */
export function acknowledgeClusterRole(cluster: eks.Cluster): void {
  const role = cluster.node.tryFindChild('Role');
  if (role) {
    Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
      'EKS requires AmazonEKSClusterPolicy on the cluster role and AWS keeps it current with the control plane; no prop of aws-eks-v2 replaces it');
  }
}

const HANDLER = 'the kubectl handler aws-eks-v2 creates for this cluster (kubectl: true), which runs only during deployments';
const NO_PROP = 'KubectlProviderOptions has no prop for it; set kubectl: false to drop the handler';

/** Findings every Lambda function of the kubectl handler raises, with why they do not apply. */
function lambdaFindings(what: string): AcknowledgedFinding[] {
  const concurrency = `${what} runs one CloudFormation event at a time, so reserved concurrency would only hold back account capacity; ${NO_PROP}`;
  const dlq = `${what} is invoked synchronously by CloudFormation, which reports and rolls back failures; a dead-letter queue would stay empty; ${NO_PROP}`;
  return [
    { ruleId: 'NIST.800.53.R5-LambdaConcurrency', reason: concurrency },
    { ruleId: 'HIPAA.Security-LambdaConcurrency', reason: concurrency },
    { ruleId: 'NIST.800.53.R5-LambdaDLQ', reason: dlq },
    { ruleId: 'HIPAA.Security-LambdaDLQ', reason: dlq },
  ];
}

/** Findings of a function's default log group: it holds kubectl/Helm output, no secrets, encrypted at rest by CloudWatch. */
function logGroupFindings(what: string): AcknowledgedFinding[] {
  const reason = `the log group of ${what} holds kubectl and Helm command output and is encrypted at rest with a CloudWatch Logs service key; ${NO_PROP}`;
  return [
    { ruleId: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', reason },
    { ruleId: 'HIPAA.Security-CloudWatchLogGroupEncrypted', reason },
    { ruleId: 'PCI.DSS.321-CloudWatchLogGroupEncrypted', reason },
  ];
}

/** The managed policies aws-eks-v2 puts on a function role inside a VPC. */
function lambdaRoleFindings(what: string): AcknowledgedFinding[] {
  const inline = `aws-eks-v2 writes the permissions of ${what} as the role's default inline policy, scoped to this cluster and handler; ${NO_PROP}`;
  return [
    { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `AWSLambdaBasicExecutionRole only lets ${what} write its own logs; ${NO_PROP}` },
    { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', reason: `AWSLambdaVPCAccessExecutionRole lets ${what} attach to the VPC's private subnets, where it reaches the private endpoint; network interface ids are unknown at synth` },
    { ruleId: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: inline },
    { ruleId: 'HIPAA.Security-IAMNoInlinePolicy', reason: inline },
    { ruleId: 'PCI.DSS.321-IAMNoInlinePolicy', reason: inline },
  ];
}

function acknowledgeAt(scope: IConstruct, path: string, findings: AcknowledgedFinding[]): void {
  const target = scope.node.tryFindChild(path.split('/')[0]);
  const rest = path.split('/').slice(1);
  let node: IConstruct | undefined = target;
  for (const part of rest) {
    node = node?.node.tryFindChild(part);
  }
  if (node) {
    Compliance.acknowledgeAll(node, findings);
  }
}

/** The kubectl handler: aws-eks-v2's KubectlProvider (a Lambda function and a provider framework). */
export function acknowledgeKubectlHandler(cluster: eks.Cluster): void {
  const provider = cluster.node.tryFindChild('KubectlProvider');
  if (!provider) {
    return;
  }
  const handler = 'the kubectl handler';
  // Finding ids carry logical ids, which follow the cluster's construct path: compute them.
  const handlerFunction = provider.node.findChild('Handler');
  const stack = Stack.of(provider);
  const handlerId = stack.getLogicalId(handlerFunction.node.defaultChild as CfnElement);
  const ecrPublicCondition = handlerFunction.node.tryFindChild('HasEcrPublic') as CfnElement | undefined;
  const ecrPublicId = ecrPublicCondition ? stack.getLogicalId(ecrPublicCondition) : 'HasEcrPublic';
  acknowledgeAt(provider, 'Handler', [
    ...lambdaFindings(HANDLER),
    { ruleId: 'AwsSolutions-L1', reason: `aws-eks-v2 picks the handler's Python runtime (determineLatestPythonRuntime) to match its bundled kubectl code; ${NO_PROP}` },
  ]);
  acknowledgeAt(provider, 'Handler/LogGroup', logGroupFindings(handler));
  acknowledgeAt(provider, 'Handler/ServiceRole', [
    ...lambdaRoleFindings(handler),
    { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly]', reason: 'aws-eks-v2 gives the kubectl handler ECR read access so that Helm can pull OCI charts from repositories unknown at synth; no prop removes it' },
    { ruleId: `AwsSolutions-IAM4[Policy::{"Fn::If":["${ecrPublicId}",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]`, reason: 'aws-eks-v2 gives the kubectl handler ECR Public read access (in the aws partition) so that Helm can pull public OCI charts; no prop removes it' },
  ]);
  const framework = 'the provider framework function that invokes the kubectl handler';
  acknowledgeAt(provider, 'Provider/framework-onEvent', lambdaFindings(framework));
  acknowledgeAt(provider, 'Provider/framework-onEvent/LogGroup', logGroupFindings(framework));
  acknowledgeAt(provider, 'Provider/framework-onEvent/ServiceRole', [
    ...lambdaRoleFindings(framework),
    { ruleId: `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`, reason: 'the provider framework invokes any version of the kubectl handler (lambda:InvokeFunction on <handler arn>:*), a pattern aws-cdk-lib\'s custom-resource Provider fixes; no prop narrows it' },
  ]);
}
