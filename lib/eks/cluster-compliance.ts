// Module-private: the acknowledgements of what aws-eks-v2 creates inside a PlatformCluster.
// Not exported from lib/index.ts.
import { CfnElement, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { AcknowledgedFinding, Compliance } from '../compliance/acknowledge';

/** The control-plane role aws-eks-v2 creates carries the AWS managed AmazonEKSClusterPolicy. */
export function acknowledgeClusterRole(cluster: eks.Cluster): void {
  const role = cluster.node.tryFindChild('Role');
  if (role) {
    Compliance.acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
      'EKS documents AmazonEKSClusterPolicy as the cluster role\'s policy and AWS extends it as the control plane gains features; a customer-managed copy would fall behind. aws-eks-v2 attaches it to the role it creates (ClusterProps.role takes a role, which would need the same permissions)');
  }
}

const HANDLER = 'the kubectl handler aws-eks-v2 creates for this cluster (kubectl: true), which runs only during deployments';
const FRAMEWORK = 'the provider framework function that CloudFormation invokes and that invokes the kubectl handler';
/** KubectlProviderOptions sets neither the framework's role nor its concurrency, DLQ or runtime; the library sets the handler's. */
const NO_PROP = 'KubectlProviderOptions has no prop for it; set kubectl: false to drop the handler';

/** Reserved concurrency on a function of the kubectl provider, which serves one cluster's deployments. */
function concurrencyFindings(what: string): AcknowledgedFinding[] {
  return [{
    ruleId: 'LambdaConcurrency',
    reason: `${what} serves only this cluster's CloudFormation deployments, so a reserved concurrency would hold back account capacity without bounding anything; ${NO_PROP}`,
  }];
}

function acknowledgeAt(scope: IConstruct, path: string, apply: (node: IConstruct) => void): void {
  let node: IConstruct | undefined = scope;
  for (const part of path.split('/')) {
    node = node?.node.tryFindChild(part);
  }
  if (node) {
    apply(node);
  }
}

/** The kubectl handler: aws-eks-v2's KubectlProvider (a Lambda function and a provider framework). */
export function acknowledgeKubectlHandler(cluster: eks.Cluster): void {
  const provider = cluster.node.tryFindChild('KubectlProvider');
  if (!provider) {
    return;
  }
  // Finding ids carry logical ids, which follow the cluster's construct path: compute them.
  const handlerId = Stack.of(provider).getLogicalId(provider.node.findChild('Handler').node.defaultChild as CfnElement);
  acknowledgeAt(provider, 'Handler', (handler) => {
    for (const f of concurrencyFindings(HANDLER)) {
      Compliance.acknowledgeAcrossPacks(handler, f.ruleId, f.reason);
    }
    Compliance.acknowledgeAcrossPacks(handler, 'LambdaDLQ',
      `the provider framework invokes ${HANDLER} synchronously and reports its failures to CloudFormation, which rolls back; a dead-letter queue only receives asynchronous invocations and would stay empty; ${NO_PROP}`);
    Compliance.acknowledge(handler, 'AwsSolutions-L1',
      `aws-eks-v2 sets the handler's runtime with Runtime.determineLatestPythonRuntime, which returns python3.13 in aws-cdk-lib 2.276.0 although the library lists newer Python runtimes, the newest of which this rule asks for; ${NO_PROP}`);
  });
  acknowledgeAt(provider, 'Provider/framework-onEvent', (framework) => {
    for (const f of concurrencyFindings(FRAMEWORK)) {
      Compliance.acknowledgeAcrossPacks(framework, f.ruleId, f.reason);
    }
    Compliance.acknowledgeAcrossPacks(framework, 'LambdaDLQ',
      `CloudFormation invokes ${FRAMEWORK} asynchronously and the framework answers every event, failures included, so CloudFormation rolls back; a dead-letter queue would hold only events the framework never answered, which CloudFormation already reports as timeouts; ${NO_PROP}`);
  });
  // The Provider attaches AWSLambdaVPCAccessExecutionRole only to a framework in the VPC (not in a public-only VPC).
  const frameworkInVpc = (provider.node.tryFindChild('Provider')?.node.tryFindChild('framework-onEvent') as lambda.Function | undefined)?.isBoundToVpc ?? false;
  acknowledgeAt(provider, 'Provider/framework-onEvent/ServiceRole', (role) => Compliance.acknowledgeAll(role, [
    { ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `aws-cdk-lib's Provider gives ${FRAMEWORK} AWSLambdaBasicExecutionRole to write its logs; ${NO_PROP}` },
    ...(frameworkInVpc ? [{ ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', reason: `aws-cdk-lib's Provider gives ${FRAMEWORK} AWSLambdaVPCAccessExecutionRole to attach to the VPC's private subnets; ${NO_PROP}` }] : []),
    { ruleId: `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`, reason: `aws-cdk-lib's Provider lets ${FRAMEWORK} invoke any version of the handler (lambda:InvokeFunction on <handler arn>:*); ${NO_PROP}` },
  ]));
  acknowledgeAt(provider, 'Provider/framework-onEvent/ServiceRole', (role) => Compliance.acknowledgeAcrossPacks(role, 'IAMNoInlinePolicy',
    `aws-cdk-lib's Provider writes the permissions of ${FRAMEWORK} (invoke the handler) as the role's default inline policy; ${NO_PROP}`));
}
