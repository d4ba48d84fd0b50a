import { Fn } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { newStack } from '../../helpers';
import { findingsOf } from '../platform-findings';

const RULE = 'ContainerPlatform-ECS9';

/** A launch template with the given user data lines (AL2023 shell or Bottlerocket TOML). */
function templateWith(lines: string[] | undefined, type: 'shell' | 'toml' = 'shell') {
  const stack = newStack();
  const text = lines === undefined ? undefined : (type === 'shell' ? ['#!/bin/bash', ...lines] : lines).join('\n');
  new ec2.CfnLaunchTemplate(stack, 'Template', {
    launchTemplateData: { imageId: 'ami-12345678', userData: text === undefined ? undefined : Fn.base64(text) },
  });
  return stack;
}

describe('ContainerPlatform-ECS9 (awsvpc tasks cannot reach instance metadata)', () => {
  test('passes AL2023 user data that joins a cluster with ECS_AWSVPC_BLOCK_IMDS=true', () => {
    const stack = templateWith(['echo ECS_CLUSTER=web >> /etc/ecs/ecs.config', 'echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config']);
    expect(findingsOf(stack, RULE)).toEqual([]);
  });

  test('flags AL2023 user data that joins a cluster without the line', () => {
    const stack = templateWith(['echo ECS_CLUSTER=web >> /etc/ecs/ecs.config']);
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('flags the line set to false, also when a later line overrides an earlier true', () => {
    expect(findingsOf(templateWith(['echo ECS_CLUSTER=web >> /etc/ecs/ecs.config', 'echo ECS_AWSVPC_BLOCK_IMDS=false >> /etc/ecs/ecs.config']), RULE))
      .toEqual([`${RULE} Test/Template`]);
    expect(findingsOf(templateWith(['echo ECS_CLUSTER=web >> /etc/ecs/ecs.config', 'echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config',
      'echo ECS_AWSVPC_BLOCK_IMDS=false >> /etc/ecs/ecs.config']), RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('passes Bottlerocket settings with awsvpc-block-imds = true, and flags them without it', () => {
    expect(findingsOf(templateWith(['[settings.ecs]', 'cluster = "web"', 'awsvpc-block-imds = true'], 'toml'), RULE)).toEqual([]);
    expect(findingsOf(templateWith(['[settings.ecs]', 'cluster = "web"'], 'toml'), RULE)).toEqual([`${RULE} Test/Template`]);
    expect(findingsOf(templateWith(['[settings.ecs]', 'cluster = "web"', 'awsvpc-block-imds = false'], 'toml'), RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('flags a launch configuration that joins a cluster without the block', () => {
    const stack = newStack();
    new autoscaling.CfnLaunchConfiguration(stack, 'Config', {
      imageId: 'ami-12345678', instanceType: 'm7i.large',
      userData: Fn.base64('#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config'),
    });
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Config`]);
  });

  test('flags the launch template of a capacity provider\'s group even when its user data does not name the cluster', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const launchTemplate = new ec2.LaunchTemplate(stack, 'Template', {
      instanceType: new ec2.InstanceType('m7i.large'),
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
      userData: ec2.UserData.forLinux(),
    });
    const group = new autoscaling.AutoScalingGroup(stack, 'Group', { vpc, launchTemplate });
    new ecs.CfnCapacityProvider(stack, 'Provider', { autoScalingGroupProvider: { autoScalingGroupArn: group.autoScalingGroupName } });
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Template/Resource`]);
  });

  test('flags aws-cdk-lib\'s own ECS capacity, which does not block instance metadata', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('m7i.large') });
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Cluster/Capacity/LaunchTemplate/Resource`]);
  });

  test('flags a block line that is commented out, in shell and in Bottlerocket TOML', () => {
    expect(findingsOf(templateWith(['echo ECS_CLUSTER=web >> /etc/ecs/ecs.config', '#echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config']), RULE))
      .toEqual([`${RULE} Test/Template`]);
    expect(findingsOf(templateWith(['echo ECS_CLUSTER=web >> /etc/ecs/ecs.config', '  # ECS_AWSVPC_BLOCK_IMDS=true']), RULE)).toEqual([`${RULE} Test/Template`]);
    expect(findingsOf(templateWith(['[settings.ecs]', 'cluster = "web"', '# awsvpc-block-imds = true'], 'toml'), RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('flags another variable whose name ends in ECS_AWSVPC_BLOCK_IMDS', () => {
    expect(findingsOf(templateWith(['echo ECS_CLUSTER=web >> /etc/ecs/ecs.config', 'export OLD_ECS_AWSVPC_BLOCK_IMDS=true']), RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('reads Bottlerocket dotted keys: passes settings.ecs.awsvpc-block-imds = true and flags them without it', () => {
    expect(findingsOf(templateWith(['settings.ecs.cluster = "web"', 'settings.ecs.awsvpc-block-imds = true'], 'toml'), RULE)).toEqual([]);
    expect(findingsOf(templateWith(['settings.ecs.cluster = "web"'], 'toml'), RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('judges every Fn::If branch: a branch that overrides the block later is a finding', () => {
    const stack = newStack();
    new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { userData: Fn.base64(Fn.join('', [
      '#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config\necho ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config\n',
      Fn.conditionIf('Debug', 'echo ECS_AWSVPC_BLOCK_IMDS=false >> /etc/ecs/ecs.config\n', '').toString(),
    ])) } });
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('judges the literal branch of user data whose other branch is only known at deploy time', () => {
    const stack = newStack();
    new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { userData: Fn.base64(Fn.conditionIf('Shared',
      Fn.importValue('SharedUserData'), '#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config').toString()) } });
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('reads Fn::Join with its delimiter: one that turns the block into a comment is a finding', () => {
    const stack = newStack();
    new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { userData: Fn.base64(Fn.join('\n#', [
      '#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config', 'echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config',
    ])) } });
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Template`]);
  });

  test('passes Windows user data with the ECSTools -AwsvpcBlockIMDS switch or the machine variable, and flags :$false', () => {
    const windows = (lines: string[]) => {
      const stack = newStack();
      new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { userData: Fn.base64(['<powershell>', ...lines, '</powershell>'].join('\n')) } });
      return findingsOf(stack, RULE);
    };
    expect(windows(['Import-Module ECSTools', 'Initialize-ECSAgent -Cluster web -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS'])).toEqual([]);
    expect(windows(['[Environment]::SetEnvironmentVariable("ECS_AWSVPC_BLOCK_IMDS", "$TRUE", "Machine")', 'Initialize-ECSAgent -Cluster web'])).toEqual([]);
    expect(windows(['Initialize-ECSAgent -Cluster web -EnableTaskENI -AwsvpcBlockIMDS:$false'])).toEqual([`${RULE} Test/Template`]);
    expect(windows(['Initialize-ECSAgent -Cluster web -EnableTaskENI'])).toEqual([`${RULE} Test/Template`]);
  });

  test('flags a single EC2 instance whose user data joins a cluster without the block, and passes one with it', () => {
    const stack = newStack();
    new ec2.CfnInstance(stack, 'Open', { imageId: 'ami-12345678', userData: Fn.base64('#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config') });
    new ec2.CfnInstance(stack, 'Blocked', { imageId: 'ami-12345678',
      userData: Fn.base64('#!/bin/bash\necho ECS_CLUSTER=web >> /etc/ecs/ecs.config\necho ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config') });
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Open`]);
  });

  test('flags a template a capacity provider\'s group launches through a mixed instances override', () => {
    const stack = newStack();
    const main = new ec2.CfnLaunchTemplate(stack, 'Main', { launchTemplateData: { userData: Fn.base64('#!/bin/bash\necho ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config') } });
    const graviton = new ec2.CfnLaunchTemplate(stack, 'Graviton', { launchTemplateData: { userData: Fn.base64('#!/bin/bash\nyum update -y') } });
    const group = new autoscaling.CfnAutoScalingGroup(stack, 'Group', {
      minSize: '0', maxSize: '2', availabilityZones: ['us-east-1a'],
      mixedInstancesPolicy: { launchTemplate: {
        launchTemplateSpecification: { launchTemplateId: main.ref, version: main.attrLatestVersionNumber },
        overrides: [{ instanceType: 'm7g.large', launchTemplateSpecification: { launchTemplateId: graviton.ref, version: graviton.attrLatestVersionNumber } }],
      } },
    });
    new ecs.CfnCapacityProvider(stack, 'Provider', { autoScalingGroupProvider: { autoScalingGroupArn: group.ref } });
    expect(findingsOf(stack, RULE)).toEqual([`${RULE} Test/Graviton`]);
  });

  test('does not judge instances that join no cluster, or user data with no literal part', () => {
    expect(findingsOf(templateWith(['yum install -y nginx']), RULE)).toEqual([]);
    expect(findingsOf(templateWith(undefined), RULE)).toEqual([]);
    const stack = newStack();
    new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { userData: Fn.importValue('SharedUserData') } });
    expect(findingsOf(stack, RULE)).toEqual([]);
  });
});
