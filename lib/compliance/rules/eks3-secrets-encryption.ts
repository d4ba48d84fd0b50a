import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { possibleAt, possibleLists, UNKNOWN } from './possible-values';

/** EKS3: Kubernetes secrets are envelope-encrypted with a KMS key the account controls. */
export const EKS3_SECRETS_ENCRYPTION: PlatformRule = {
  id: 'EKS3',
  statement: 'The EKS cluster has an `EncryptionConfig` whose `Resources` include `secrets` and whose `Provider.KeyArn` names a KMS key, in every branch.',
  info: 'The EKS cluster does not envelope-encrypt Kubernetes secrets with a customer-managed KMS key.',
  explanation: 'With a customer-managed key, reading secrets out of etcd needs the key too, and every decrypt is in CloudTrail. Pass secretsEncryptionKey to the cluster.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Cluster')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const everyBranch = possibleLists(cfnProperties(node).EncryptionConfig, node).every((list) => list !== UNKNOWN
      && list.some((element) => element.length > 0 && element.every((config) => encryptsSecrets(config, node))));
    return everyBranch ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

/** Resources certainly lists `secrets` and a key is named (a key ARN from GetAtt is only known at deploy time, and is a key). */
function encryptsSecrets(config: unknown, node: CfnResource): boolean {
  const lists = possibleAt(config, 'Resources', node).flatMap((list) => possibleLists(list, node));
  return lists.every((list) => list !== UNKNOWN && list.some((element) => element.length > 0 && element.every((r) => r === 'secrets')))
    && possibleAt(config, 'Provider.KeyArn', node).every((key) => key !== undefined);
}
