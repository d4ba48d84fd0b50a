import { App, Stack } from 'aws-cdk-lib';
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
