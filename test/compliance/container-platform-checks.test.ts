import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Compliance, ComplianceReport, ContainerPlatformChecks, ContainerRepository, PlatformVpc, VpcLayout } from '../../lib';
import { newApp, newStack } from '../helpers';
import { platformFindings } from './platform-findings';

describe('ContainerPlatformChecks', () => {
  test('names its rules ContainerPlatform-<id>, each with a one-line statement', () => {
    const rules = ContainerPlatformChecks.rules();
    expect(rules.map((r) => r.ruleId)).toEqual([
      'ECR1', 'ECR2', 'ECR3', 'ECR4', 'ECS1', 'ECS2', 'ECS3', 'ECS4', 'ECS5', 'ECS6', 'ECS7', 'ECS8', 'ECS9',
      'ELB1', 'ELB2', 'ELB3', 'EKS1', 'EKS2', 'EKS3', 'EKS4', 'EKS5', 'EKS6',
    ].map((id) => `ContainerPlatform-${id}`));
    for (const rule of rules) {
      expect(rule.statement).toMatch(/^\S.{20,}\.$/);
      expect(rule.statement).not.toMatch(/\n/);
    }
  });

  test('lists every rule with its statement in the README rule table', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const rule of ContainerPlatformChecks.rules()) {
      expect(readme).toContain(`| \`${rule.ruleId}\` | ${rule.statement.replace(/\|/g, '\\|')} |`);
    }
  });

  test('is a cdk-nag pack called ContainerPlatform', () => {
    const pack = new ContainerPlatformChecks();
    expect(pack.name).toBe('ContainerPlatform');
    expect(pack.readPackName).toBe('ContainerPlatform');
  });

  test('fails cdk synth when registered like the built-in packs and a finding is not acknowledged', () => {
    const app = newApp();
    Validations.of(app).addPlugins(new ContainerPlatformChecks());
    new ecr.CfnRepository(new Stack(app, 'Registry'), 'Repo', {});
    expect(() => app.synth()).toThrow(/ERROR The ECR repository does not scan images on push\. \(ContainerPlatform\)[\s\S]*ContainerPlatform-ECR1/);
  });

  test('lets synth pass once the finding is fixed or acknowledged with a reason', () => {
    const app = newApp();
    Validations.of(app).addPlugins(new ContainerPlatformChecks());
    const stack = new Stack(app, 'Registry');
    const repo = new ContainerRepository(stack, 'Repo', { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, mutableTagExclusions: [ecr.ImageTagMutabilityExclusionFilter.wildcard('cache')] });
    Compliance.acknowledge(repo, 'ContainerPlatform-ECR2[MutableTag::cache]', 'The build cache tag is rewritten by every CI run and never deployed');
    expect(() => app.synth()).not.toThrow();
  });

  test('silences one finding-level id without the others of the same rule', () => {
    const stack = newStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    const web = task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.0') });
    task.addContainer('proxy', { image: ecs.ContainerImage.fromRegistry('envoy:1.31.0') });
    Compliance.acknowledge(task, 'ContainerPlatform-ECS2[Container::proxy]', 'Envoy binds port 80 and drops root itself after start');
    expect(web.containerName).toBe('web');
    expect(platformFindings(stack).filter((f) => f.startsWith('ContainerPlatform-ECS2'))).toEqual(['ContainerPlatform-ECS2[Container::web] Test/Task/Resource']);
  });

  test('does not throw on values only known at deploy time', () => {
    const stack = newStack();
    const p = (id: string) => new CfnParameter(stack, id).valueAsString;
    new ecr.CfnRepository(stack, 'Repo', { imageTagMutability: p('Mutability'), encryptionConfiguration: { encryptionType: p('Encryption') }, lifecyclePolicy: { lifecyclePolicyText: p('Lifecycle') } });
    new ecs.CfnTaskDefinition(stack, 'Task', { containerDefinitions: Fn.conditionIf('C', [], []) as any });
    new ecs.CfnService(stack, 'Service', { deploymentConfiguration: { minimumHealthyPercent: new CfnParameter(stack, 'Min', { type: 'Number' }).valueAsNumber } });
    new elbv2.CfnListener(stack, 'Listener', { loadBalancerArn: 'arn', port: 443, protocol: 'HTTPS', sslPolicy: p('Policy'), defaultActions: [] });
    new eks.CfnCluster(stack, 'Cluster', { roleArn: 'arn', resourcesVpcConfig: { subnetIds: Fn.split(',', p('Subnets')), endpointPublicAccess: Fn.conditionIf('Pub', true, false) as any } });
    new eks.CfnNodegroup(stack, 'Nodes', { clusterName: 'c', nodeRole: 'arn', subnets: Fn.split(',', p('NodeSubnets')), launchTemplate: { id: p('Lt') } });
    const findings = ComplianceReport.check(stack, [new ContainerPlatformChecks()]).findings;
    expect(findings.filter((f) => /threw an error/.test(f.message))).toEqual([]);
  });

  test('is one of the five platform packs, after the four standard ones', () => {
    expect(ComplianceReport.platformPacks().map((p) => p.readPackName)).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321', 'ContainerPlatform']);
  });
});

describe('the foundation constructs in their default configuration', () => {
  test.each([VpcLayout.PUBLIC_AND_PRIVATE, VpcLayout.PUBLIC_ONLY, VpcLayout.PRIVATE_ONLY])('PlatformVpc (%s) has no ContainerPlatform finding', (layout) => {
    const stack = newStack();
    new PlatformVpc(stack, 'Net', { layout });
    expect(platformFindings(stack)).toEqual([]);
  });

  test('ContainerRepository has no ContainerPlatform finding', () => {
    const stack = newStack();
    new ContainerRepository(stack, 'Repo');
    expect(platformFindings(stack)).toEqual([]);
  });

  test('ContainerRepository with a KMS key passes even when the pack requires one', () => {
    const stack = newStack();
    new ContainerRepository(stack, 'Repo', { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    expect(platformFindings(stack, { requireRepositoryKmsKey: true })).toEqual([]);
  });
});
