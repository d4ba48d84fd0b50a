import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';

/** EKS3: Kubernetes secrets are envelope-encrypted with a KMS key the account controls. */
export const EKS3_SECRETS_ENCRYPTION: PlatformRule = {
  id: 'EKS3',
  statement: 'The EKS cluster has an `EncryptionConfig` whose `Resources` include `secrets` and whose `Provider.KeyArn` names a KMS key.',
  info: 'The EKS cluster does not envelope-encrypt Kubernetes secrets with a customer-managed KMS key.',
  explanation: 'With a customer-managed key, reading secrets out of etcd needs the key too, and every decrypt is in CloudTrail. Pass secretsEncryptionKey to the cluster.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Cluster')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const configs = cfnProperties(node).EncryptionConfig;
    if (configs !== undefined && !Array.isArray(configs)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const encryptsSecrets = (configs ?? []).some((c: any) => Array.isArray(c?.Resources) && c.Resources.includes('secrets') && c?.Provider?.KeyArn !== undefined);
    return encryptsSecrets ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
