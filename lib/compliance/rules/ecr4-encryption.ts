import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule, PlatformRuleOptions } from './platform-rule';
import { judge, possibleAt, toResult, Verdict, worst } from './possible-values';

/** ECR's encryption types (CreateRepository, EncryptionConfiguration). */
const KMS_TYPES = ['KMS', 'KMS_DSSE'];

/**
 * ECR4: images are encrypted at rest. ECR encrypts every repository with AES256 when
 * EncryptionConfiguration is absent and that cannot be turned off, so absence is compliant unless the
 * pack is built with `requireRepositoryKmsKey: true`, which demands a customer-managed KMS key.
 */
export const ECR4_ENCRYPTION: PlatformRule = {
  id: 'ECR4',
  statement: 'The ECR repository is encrypted with AES256 (also when `EncryptionConfiguration` is absent: ECR\'s always-on default) or KMS; with `requireRepositoryKmsKey: true`, only KMS or KMS_DSSE with a `KmsKey`, in every branch (a type only known at deploy time is then non-compliant).',
  info: 'The ECR repository is not encrypted with the required key.',
  explanation: 'Images hold code and configuration. ECR always encrypts with AES256; a customer-managed KMS key adds key policies and CloudTrail records of every decrypt. Pass encryptionKey to ContainerRepository (or encryption: RepositoryEncryption.KMS with encryptionKey to ecr.Repository).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource, options: PlatformRuleOptions): NagRuleResult => {
    if (!appliesTo(node, 'AWS::ECR::Repository')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const props = cfnProperties(node);
    const types = possibleAt(props, 'EncryptionConfiguration.EncryptionType', node);
    if (!options.requireRepositoryKmsKey) {
      // Whatever a deploy-time value is, ECR encrypts: CloudFormation rejects a type ECR does not know.
      return toResult(judge(types, (t) => t === undefined || t === 'AES256' || KMS_TYPES.includes(t), Verdict.COMPLIANT));
    }
    // Without KmsKey, KMS means the AWS-managed aws/ecr key, whose policy nobody can restrict.
    return toResult(worst(
      judge(types, (t) => KMS_TYPES.includes(t)),
      // A key only known at deploy time (a key ARN from GetAtt) is still a key.
      judge(possibleAt(props, 'EncryptionConfiguration.KmsKey', node), (k) => k !== undefined, Verdict.COMPLIANT),
    ));
  },
};
