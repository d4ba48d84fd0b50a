// Module-private: the secrets key of PlatformCluster. Not exported from lib/index.ts.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The key that envelope-encrypts Kubernetes secrets: rotated, retained. */
export function secretsKey(scope: Construct): kms.Key {
  return new kms.Key(scope, 'SecretsKey', {
    description: `Envelope-encrypts the Kubernetes secrets of ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
}

/**
 * A managed policy rather than key.grant's inline one (HIPAA, NIST and PCI flag inline policies); the
 * cluster must not be created before the control plane may use the key.
 */
export function grantSecretsKeyToControlPlane(scope: Construct, cluster: eks.Cluster, key: kms.IKey): void {
  const policy = new iam.ManagedPolicy(scope, 'SecretsKeyPolicy', {
    description: `Lets the control plane of ${scope.node.path} envelope-encrypt secrets`,
    roles: [cluster.role],
    statements: [new iam.PolicyStatement({
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'],
      resources: [key.keyArn],
    })],
  });
  (cluster.node.defaultChild as eks.CfnCluster).node.addDependency(policy);
}
