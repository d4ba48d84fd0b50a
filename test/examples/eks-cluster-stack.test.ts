import { EksClusterStack } from '../../examples/eks-cluster-stack';
import { expectNoComplianceFindings } from '../helpers';
import { synthesizeExample } from './example-harness';

describe('examples/eks-cluster-stack', () => {
  const { stack, template, validationViolations } = synthesizeExample(EksClusterStack, 'EksCluster');

  test('passes AWS\'s CloudFormation validator', () => {
    expect(validationViolations).toEqual([]);
  });

  test('has no unacknowledged finding in the four cdk-nag packs', () => {
    expectNoComplianceFindings(stack);
  });

  test('runs an on-demand x86 group, a spot ARM group and a Fargate profile', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'ON_DEMAND', AmiType: 'AL2023_x86_64_STANDARD' });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'SPOT', AmiType: 'AL2023_ARM_64_STANDARD' });
    template.resourceCountIs('AWS::EKS::FargateProfile', 1);
  });

  test('matches the reviewed template', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
