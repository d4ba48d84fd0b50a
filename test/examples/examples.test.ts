import { EXAMPLES } from '../../examples';
import { EksFullPlatformStack } from '../../examples/eks-full-platform-stack';
import { expectNoComplianceFindings } from '../helpers';
import { synthesizeExamples } from './example-harness';

// One App for all examples, as bin/app.ts builds it; each example then gets its own checks.
const examples = synthesizeExamples();
const example = (id: string) => examples.get(id)!;

describe.each(EXAMPLES.map((e) => e.id))('example %s', (id) => {
  test('passes AWS\'s CloudFormation validator', () => {
    expect(example(id).validationViolations).toEqual([]);
  });

  test('has no unacknowledged finding in the four cdk-nag packs and the ContainerPlatform pack', () => {
    expectNoComplianceFindings(example(id).stack);
  });

  test('matches the reviewed template', () => {
    expect(example(id).template.toJSON()).toMatchSnapshot();
  });
});

describe('example EksCluster', () => {
  test('runs an on-demand x86 group, a spot ARM group and a Fargate profile', () => {
    const { template } = example('EksCluster');
    template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'ON_DEMAND', AmiType: 'AL2023_x86_64_STANDARD' });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'SPOT', AmiType: 'AL2023_ARM_64_STANDARD' });
    template.resourceCountIs('AWS::EKS::FargateProfile', 1);
  });
});

describe('example EksFargateOnly', () => {
  test('has no node group and schedules CoreDNS on Fargate', () => {
    const { template } = example('EksFargateOnly');
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'coredns', ConfigurationValues: '{"computeType":"Fargate"}' });
  });
});

describe('example EksFullPlatform', () => {
  const { template } = example('EksFullPlatform');
  const stack = example('EksFullPlatform').stack as EksFullPlatformStack;

  test('installs all five add-ons on one cluster with a node group and a Fargate profile', () => {
    expect(stack.platform.addons.map((a) => a.name)).toEqual(expect.arrayContaining([
      'aws-load-balancer-controller', 'aws-ebs-csi-driver', 'aws-efs-csi-driver', 'amazon-cloudwatch-observability', 'metrics-server',
    ]));
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.resourceCountIs('AWS::EKS::FargateProfile', 1);
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
  });

  test('creates the serverless namespace before the static EFS volume that claims storage in it', () => {
    const volumeId = stack.getLogicalId(stack.serverlessVolume.manifest.node.findChild('Resource').node.defaultChild as any);
    const namespaceId = stack.getLogicalId(stack.node.findChild('ServerlessNamespace').node.findChild('Resource').node.defaultChild as any);
    expect(template.toJSON().Resources[volumeId].DependsOn).toContain(namespaceId);
  });
});
