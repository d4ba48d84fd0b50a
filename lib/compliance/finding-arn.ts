// Module-private: how cdk-nag spells an ARN inside a finding id. Not exported from lib/index.ts.
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * An ARN of the scope's stack as cdk-nag renders it in a finding id such as
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:container-instance/*]`:
 * pseudo parameters as `<AWS::Region>` in an environment-agnostic stack, literal values in a stack with
 * an account and region. An acknowledgement that spells only one form matches nothing in the other.
 */
export function findingArn(scope: IConstruct, service: string, resource: string): string {
  const stack = Stack.of(scope);
  const part = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return `arn:${part(stack.partition, 'Partition')}:${service}:${part(stack.region, 'Region')}:${part(stack.account, 'AccountId')}:${resource}`;
}
