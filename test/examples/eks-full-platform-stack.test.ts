import { EksFullPlatformStack } from '../../examples/eks-full-platform-stack';
import { expectNoComplianceFindings } from '../helpers';
import { synthesizeExample } from './example-harness';

describe('examples/eks-full-platform-stack', () => {
  const { stack, template, validationViolations } = synthesizeExample(EksFullPlatformStack, 'EksFullPlatform');

  test('passes AWS\'s CloudFormation validator', () => {
    expect(validationViolations).toEqual([]);
  });

  test('has no unacknowledged finding in the four cdk-nag packs', () => {
    expectNoComplianceFindings(stack);
  });

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

  test('matches the reviewed template', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
