import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ContainerRepository } from '../../../lib';
import { newStack } from '../../helpers';
import { findingsOf } from '../platform-findings';

describe('ContainerPlatform-ECR1 (scan on push)', () => {
  test('passes a repository that scans on push', () => {
    const stack = newStack();
    new ecr.Repository(stack, 'Repo', { imageScanOnPush: true });
    expect(findingsOf(stack, 'ContainerPlatform-ECR1')).toEqual([]);
  });

  test('flags a repository that does not scan on push', () => {
    const stack = newStack();
    new ecr.Repository(stack, 'Repo');
    expect(findingsOf(stack, 'ContainerPlatform-ECR1')).toEqual(['ContainerPlatform-ECR1 Test/Repo/Resource']);
  });

  test('passes a repository covered by enhanced registry scanning in another stack of the app', () => {
    const stack = newStack();
    new ecr.Repository(stack, 'Repo', { repositoryName: 'team/web' });
    const registry = new Stack(stack.node.root as App, 'Registry');
    new ecr.CfnRegistryScanningConfiguration(registry, 'Scanning', {
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'team/*', filterType: 'WILDCARD' }] }],
    });
    expect(findingsOf(stack, 'ContainerPlatform-ECR1')).toEqual([]);
  });

  test('flags a repository that basic registry scanning or a non-matching filter leaves out', () => {
    const stack = newStack();
    new ecr.Repository(stack, 'Repo', { repositoryName: 'team/web' });
    new ecr.CfnRegistryScanningConfiguration(stack, 'Scanning', {
      scanType: 'ENHANCED',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'other/*', filterType: 'WILDCARD' }] }],
    });
    new ecr.CfnRegistryScanningConfiguration(stack, 'Basic', {
      scanType: 'BASIC',
      rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
    });
    expect(findingsOf(stack, 'ContainerPlatform-ECR1')).toEqual(['ContainerPlatform-ECR1 Test/Repo/Resource']);
  });
});

describe('ContainerPlatform-ECR2 (immutable tags)', () => {
  test('passes a repository with immutable tags', () => {
    const stack = newStack();
    new ecr.Repository(stack, 'Repo', { imageTagMutability: ecr.TagMutability.IMMUTABLE });
    expect(findingsOf(stack, 'ContainerPlatform-ECR2')).toEqual([]);
  });

  test('flags a repository with mutable tags, CloudFormation\'s default', () => {
    const stack = newStack();
    new ecr.CfnRepository(stack, 'Repo', {});
    expect(findingsOf(stack, 'ContainerPlatform-ECR2')).toEqual(['ContainerPlatform-ECR2 Test/Repo']);
  });

  test('flags each tag filter left mutable, so each can be acknowledged on its own', () => {
    const stack = newStack();
    new ContainerRepository(stack, 'Repo', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      mutableTagExclusions: [ecr.ImageTagMutabilityExclusionFilter.wildcard('dev-*')],
    });
    expect(findingsOf(stack, 'ContainerPlatform-ECR2')).toEqual(['ContainerPlatform-ECR2[MutableTag::dev-*] Test/Repo/Resource']);
  });
});

describe('ContainerPlatform-ECR2 and deploy-time references', () => {
  test('does not judge mutability read from SSM Parameter Store at deploy time, in every branch', () => {
    const stack = newStack();
    new ecr.CfnRepository(stack, 'Repo', { imageTagMutability: '{{resolve:ssm:/platform/tag-mutability}}' });
    expect(findingsOf(stack, 'ContainerPlatform-ECR2')).toEqual([]);
  });

  test('still flags a branch with a literal MUTABLE next to a dynamic reference', () => {
    const stack = newStack();
    new ecr.CfnRepository(stack, 'Repo', { imageTagMutability: Fn.conditionIf('Dev', 'MUTABLE', '{{resolve:ssm:/platform/tag-mutability}}').toString() });
    expect(findingsOf(stack, 'ContainerPlatform-ECR2')).toEqual(['ContainerPlatform-ECR2 Test/Repo']);
  });
});

describe('ContainerPlatform-ECR3 (lifecycle policy)', () => {
  test('passes a repository with lifecycle rules', () => {
    const stack = newStack();
    new ecr.Repository(stack, 'Repo', { lifecycleRules: [{ maxImageCount: 10 }] });
    expect(findingsOf(stack, 'ContainerPlatform-ECR3')).toEqual([]);
  });

  test('flags a repository without a lifecycle policy', () => {
    const stack = newStack();
    new ecr.Repository(stack, 'Repo');
    expect(findingsOf(stack, 'ContainerPlatform-ECR3')).toEqual(['ContainerPlatform-ECR3 Test/Repo/Resource']);
  });

  test('flags a lifecycle policy with no rule in it', () => {
    const stack = newStack();
    new ecr.CfnRepository(stack, 'Repo', { lifecyclePolicy: { lifecyclePolicyText: JSON.stringify({ rules: [] }) } });
    expect(findingsOf(stack, 'ContainerPlatform-ECR3')).toEqual(['ContainerPlatform-ECR3 Test/Repo']);
  });
});

describe('ContainerPlatform-ECR4 (encryption)', () => {
  test('accepts ECR\'s always-on AES256 when EncryptionConfiguration is absent', () => {
    const stack = newStack();
    new ecr.CfnRepository(stack, 'Repo', {});
    expect(findingsOf(stack, 'ContainerPlatform-ECR4')).toEqual([]);
  });

  test('flags an encryption type ECR does not know', () => {
    const stack = newStack();
    new ecr.CfnRepository(stack, 'Repo', { encryptionConfiguration: { encryptionType: 'NONE' } });
    expect(findingsOf(stack, 'ContainerPlatform-ECR4')).toEqual(['ContainerPlatform-ECR4 Test/Repo']);
  });

  describe('with requireRepositoryKmsKey', () => {
    test('passes a repository encrypted with a customer-managed KMS key', () => {
      const stack = newStack();
      new ContainerRepository(stack, 'Repo', { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
      expect(findingsOf(stack, 'ContainerPlatform-ECR4', { requireRepositoryKmsKey: true })).toEqual([]);
    });

    test('flags AES256 and the AWS-managed aws/ecr key', () => {
      const stack = newStack();
      new ContainerRepository(stack, 'Aes');
      new ecr.Repository(stack, 'AwsManaged', { encryption: ecr.RepositoryEncryption.KMS });
      expect(findingsOf(stack, 'ContainerPlatform-ECR4', { requireRepositoryKmsKey: true })).toEqual([
        'ContainerPlatform-ECR4 Test/Aes/Resource',
        'ContainerPlatform-ECR4 Test/AwsManaged/Resource',
      ]);
    });
  });
});

describe('ECR rule variants', () => {
  /** An L1 repository with its properties written as the template would have them. */
  function repository(properties: Record<string, unknown>, build: (stack: Stack) => void = () => undefined): Stack {
    const stack = newStack();
    build(stack);
    const repo = new ecr.CfnRepository(stack, 'Repo', {});
    for (const [key, value] of Object.entries(properties)) {
      repo.addPropertyOverride(key, value);
    }
    return stack;
  }

  test('ECR1 flags scan on push that one branch turns off, and one only known at deploy time', () => {
    expect(findingsOf(repository({ ImageScanningConfiguration: { ScanOnPush: { 'Fn::If': ['Prod', true, false] } } }), 'ContainerPlatform-ECR1')).toEqual(['ContainerPlatform-ECR1 Test/Repo']);
    expect(findingsOf(repository({ ImageScanningConfiguration: { ScanOnPush: { Ref: 'Scan' } } }, (s) => new CfnParameter(s, 'Scan')), 'ContainerPlatform-ECR1')).toEqual(['ContainerPlatform-ECR1 Test/Repo']);
    expect(findingsOf(repository({ ImageScanningConfiguration: { ScanOnPush: { Ref: 'Scan' } } }, (s) => new CfnParameter(s, 'Scan', { default: 'true' })), 'ContainerPlatform-ECR1')).toEqual([]);
  });

  test('ECR2 flags mutability that one branch, an allowed value or an unknown parameter leaves mutable', () => {
    expect(findingsOf(repository({ ImageTagMutability: { 'Fn::If': ['Prod', 'IMMUTABLE', 'MUTABLE'] } }), 'ContainerPlatform-ECR2')).toEqual(['ContainerPlatform-ECR2 Test/Repo']);
    expect(findingsOf(repository({ ImageTagMutability: { Ref: 'Mode' } }, (s) => new CfnParameter(s, 'Mode', { default: 'IMMUTABLE', allowedValues: ['IMMUTABLE', 'MUTABLE'] })), 'ContainerPlatform-ECR2'))
      .toEqual(['ContainerPlatform-ECR2 Test/Repo']);
    expect(findingsOf(repository({ ImageTagMutability: { Ref: 'Mode' } }, (s) => new CfnParameter(s, 'Mode')), 'ContainerPlatform-ECR2')).toEqual(['ContainerPlatform-ECR2 Test/Repo']);
    expect(findingsOf(repository({ ImageTagMutability: 'MUTABLE_WITH_EXCLUSION' }), 'ContainerPlatform-ECR2')).toEqual(['ContainerPlatform-ECR2 Test/Repo']);
  });

  test('ECR3 flags a lifecycle policy that one branch removes, and counts one only known at deploy time', () => {
    const policy = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } }] });
    expect(findingsOf(repository({ LifecyclePolicy: { 'Fn::If': ['Prod', { LifecyclePolicyText: policy }, { Ref: 'AWS::NoValue' }] } }), 'ContainerPlatform-ECR3')).toEqual(['ContainerPlatform-ECR3 Test/Repo']);
    expect(findingsOf(repository({ LifecyclePolicy: { LifecyclePolicyText: { Ref: 'Policy' } } }, (s) => new CfnParameter(s, 'Policy')), 'ContainerPlatform-ECR3')).toEqual([]);
  });

  test('ECR4 with requireRepositoryKmsKey flags AES256 in one branch, and accepts a key only known at deploy time', () => {
    const options = { requireRepositoryKmsKey: true };
    expect(findingsOf(repository({ EncryptionConfiguration: { EncryptionType: { 'Fn::If': ['Prod', 'KMS', 'AES256'] }, KmsKey: 'arn:aws:kms:eu-west-1:111122223333:key/k' } }), 'ContainerPlatform-ECR4', options))
      .toEqual(['ContainerPlatform-ECR4 Test/Repo']);
    expect(findingsOf(repository({ EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': ['Key', 'Arn'] } } }), 'ContainerPlatform-ECR4', options)).toEqual([]);
    expect(findingsOf(repository({ EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::If': ['Own', 'arn:aws:kms:eu-west-1:111122223333:key/k', { Ref: 'AWS::NoValue' }] } } }), 'ContainerPlatform-ECR4', options))
      .toEqual(['ContainerPlatform-ECR4 Test/Repo']);
  });
});
