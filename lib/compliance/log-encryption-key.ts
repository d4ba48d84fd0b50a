import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props of {@link LogEncryptionKey}. */
export interface LogEncryptionKeyProps {
  /**
   * What the key encrypts, shown in the KMS console.
   * @default - 'Encrypts CloudWatch log groups of <construct path>'
   */
  readonly description?: string;

  /**
   * What happens to the key when it leaves the stack. Logs encrypted with a deleted key are lost.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A KMS key for CloudWatch log groups: rotation on, retained, and a key policy that lets the
 * CloudWatch Logs service of the stack's region use it for this account's log groups.
 *
 * Without that key policy statement the log group fails to create at deploy time, and no
 * synth-time check can see it; this class is the one place that writes it.
 */
export class LogEncryptionKey extends kms.Key {
  constructor(scope: Construct, id: string, props: LogEncryptionKeyProps = {}) {
    super(scope, id, {
      description: props.description ?? `Encrypts CloudWatch log groups of ${scope.node.path}/${id}`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const stack = Stack.of(this);
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
      },
    }));
  }
}
