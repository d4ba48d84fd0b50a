// Module-private: the control-plane log group of PlatformCluster. Not exported from lib/index.ts.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * EKS creates /aws/eks/<name>/cluster itself, unencrypted and kept forever, unless the group exists
 * first: creating it here makes CloudFormation own its retention, key and deletion.
 */
export function controlPlaneLogGroup(scope: Construct, clusterName: string, retention: logs.RetentionDays, key: kms.IKey): logs.LogGroup {
  return new logs.LogGroup(scope, 'ControlPlaneLogs', {
    logGroupName: `/aws/eks/${clusterName}/cluster`,
    retention,
    encryptionKey: key,
    // Kept when the stack is deleted; removed when the first create rolls back, because its fixed name
    // would make the retry fail with 'already exists'. The cluster depends on it, so it goes after the cluster.
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
}
