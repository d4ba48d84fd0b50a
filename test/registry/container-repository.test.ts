import { CfnParameter, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ContainerRepository, ContainerRepositoryProps } from '../../lib';
import { expectNoComplianceFindings, newStack } from '../helpers';

function build(props?: ContainerRepositoryProps) {
  const stack = newStack();
  const repo = new ContainerRepository(stack, 'Repo', props);
  return { stack, repo, template: Template.fromStack(stack) };
}

describe('ContainerRepository defaults', () => {
  const { stack, repo, template } = build();

  test('scans on push and keeps tags immutable', () => {
    template.hasResourceProperties('AWS::ECR::Repository', {
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE',
    });
  });

  test('encrypts with AES256, ECR\'s server-side default, without a key to manage', () => {
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: Match.absent() });
  });

  test('is retained when the stack is deleted, and not emptied', () => {
    template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    template.resourceCountIs('Custom::ECRAutoDeleteImages', 0);
    template.hasResourceProperties('AWS::ECR::Repository', { EmptyOnDelete: Match.absent() });
  });

  test('expires untagged images after 14 days and never a tagged image', () => {
    const repoProps = Object.values(template.findResources('AWS::ECR::Repository'))[0].Properties;
    const policy = JSON.parse(repoProps.LifecyclePolicy.LifecyclePolicyText);
    expect(policy.rules).toEqual([
      expect.objectContaining({ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' } }),
    ]);
  });

  test('works wherever an ecr.IRepository is accepted', () => {
    const irepo: ecr.IRepository = repo;
    const image = ecs.ContainerImage.fromEcrRepository(irepo, '1.0.0');
    expect(image).toBeInstanceOf(ecs.EcrImage);
  });

  test('has no unacknowledged finding in the four cdk-nag packs', () => {
    expectNoComplianceFindings(stack);
  });
});

describe('ContainerRepository options', () => {
  test('encrypts with the KMS key given', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new ContainerRepository(stack, 'Repo', { encryptionKey: key });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } },
    });
  });

  test('keeps the tags named by exclusion filters mutable', () => {
    build({ imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, mutableTagExclusions: [ecr.ImageTagMutabilityExclusionFilter.wildcard('dev-*')] })
      .template.hasResourceProperties('AWS::ECR::Repository', {
        ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        ImageTagMutabilityExclusionFilters: [{ ImageTagMutabilityExclusionFilterType: 'WILDCARD', ImageTagMutabilityExclusionFilterValue: 'dev-*' }],
      });
  });

  test('empties the repository on delete only when asked together with DESTROY', () => {
    const { template } = build({ removalPolicy: RemovalPolicy.DESTROY, emptyOnDelete: true });
    template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ EmptyOnDelete: true }) });
  });

  test('lets the accounts named pull, and only pull', () => {
    build({ pullAccounts: ['111122223333'] }).template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: { Statement: [Match.objectLike({
        Sid: 'PullFrom111122223333',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } },
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      })] },
    });
  });

  test('grants pull to the principals named', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Puller', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new ContainerRepository(stack, 'Repo', { pullPrincipals: [role] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['ecr:BatchGetImage']) })]) },
    });
  });

  test('uses the expiry given, and counts only the tags countedTagPatterns names', () => {
    const { template } = build({ untaggedImageExpiryDays: 3, maxImageCount: 20, countedTagPatterns: ['pr-*', 'dev-*'] });
    const text = Object.values(template.findResources('AWS::ECR::Repository'))[0].Properties.LifecyclePolicy.LifecyclePolicyText;
    expect(JSON.parse(text).rules).toEqual([
      expect.objectContaining({ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 3, countUnit: 'days' } }),
      expect.objectContaining({ rulePriority: 2, selection: { tagStatus: 'tagged', tagPatternList: ['pr-*', 'dev-*'], countType: 'imageCountMoreThan', countNumber: 20 } }),
    ]);
  });
});

describe('ContainerRepository, bad input', () => {
  test.each(['My-Repo', 'a', 'team//web', '-web', 'web-'])('fails when repositoryName is %p', (repositoryName) => {
    expect(() => build({ repositoryName })).toThrow(/^repositoryName: ECR names are 2-256 lowercase letters/);
  });

  test.each([0, -1, 1.5])('fails when untaggedImageExpiryDays is %p', (untaggedImageExpiryDays) => {
    expect(() => build({ untaggedImageExpiryDays })).toThrow(/untaggedImageExpiryDays: must be a whole number of days of at least 1, got/);
  });

  test.each([0, 20001])('fails when maxImageCount is %p', (maxImageCount) => {
    expect(() => build({ maxImageCount, countedTagPatterns: ['pr-*'] })).toThrow(/maxImageCount: must be a whole number from 1 to 20000, got/);
  });

  test('fails when maxImageCount would count every tag (no countedTagPatterns)', () => {
    expect(() => build({ maxImageCount: 100 })).toThrow(/^maxImageCount and countedTagPatterns: a count over every tag can expire an image a running service uses, got maxImageCount 100 without countedTagPatterns/);
  });

  test('fails when countedTagPatterns are given without maxImageCount', () => {
    expect(() => build({ countedTagPatterns: ['pr-*'] })).toThrow(/^countedTagPatterns: the patterns say which tags maxImageCount counts, got 1 patterns without maxImageCount/);
  });

  test.each(['*', '**'])('fails when a counted tag pattern matches every tag (%p)', (pattern) => {
    expect(() => build({ maxImageCount: 10, countedTagPatterns: [pattern] })).toThrow(/^countedTagPatterns: '\*+' matches every tag/);
  });

  test.each(['pr/*', 'a*b*c*d*e*f', 'x'.repeat(129), 'with space'])('fails when a counted tag pattern is not an ECR tag pattern (%p)', (pattern) => {
    expect(() => build({ maxImageCount: 10, countedTagPatterns: [pattern] })).toThrow(/^countedTagPatterns: not an ECR tag pattern, got/);
  });

  test('fails when more than 100 counted tag patterns are given', () => {
    const countedTagPatterns = Array.from({ length: 101 }, (_, i) => `pr${i}-*`);
    expect(() => build({ maxImageCount: 10, countedTagPatterns })).toThrow(/^countedTagPatterns: ECR takes at most 100 patterns in a rule, got 101/);
  });

  test('fails when exclusion filters are given with plain immutable tags', () => {
    expect(() => build({ mutableTagExclusions: [ecr.ImageTagMutabilityExclusionFilter.wildcard('dev-*')] }))
      .toThrow(/mutableTagExclusions: exclusion filters need imageTagMutability IMMUTABLE_WITH_EXCLUSION, got IMMUTABLE/);
  });

  test('fails when emptyOnDelete is asked while the repository is retained', () => {
    expect(() => build({ emptyOnDelete: true })).toThrow(/^emptyOnDelete: images can only be deleted with the repository, got emptyOnDelete: true with removalPolicy retain-on-update-or-delete; set removalPolicy: RemovalPolicy.DESTROY/);
  });

  test('fails when a lifecycle prop is a token (the policy is JSON text CloudFormation does not resolve)', () => {
    const stack = newStack();
    const days = new CfnParameter(stack, 'Days', { type: 'Number' }).valueAsNumber;
    const count = new CfnParameter(stack, 'Count', { type: 'Number' }).valueAsNumber;
    const tag = new CfnParameter(stack, 'Tag').valueAsString;
    expect(() => new ContainerRepository(stack, 'Days', { untaggedImageExpiryDays: days }))
      .toThrow(/^untaggedImageExpiryDays: the ECR lifecycle policy is a JSON text in which CloudFormation resolves no parameter or reference, got a token; pass literal values$/);
    expect(() => new ContainerRepository(stack, 'Count', { maxImageCount: count, countedTagPatterns: ['pr-*'] })).toThrow(/^maxImageCount: the ECR lifecycle policy is a JSON text/);
    expect(() => new ContainerRepository(stack, 'Tag', { maxImageCount: 10, countedTagPatterns: [tag] })).toThrow(/^countedTagPatterns: the ECR lifecycle policy is a JSON text/);
  });

  test('fails when a pull account is not a 12-digit id', () => {
    expect(() => build({ pullAccounts: ['prod'] })).toThrow(/pullAccounts: an AWS account id is 12 digits, got 'prod'/);
  });
});
