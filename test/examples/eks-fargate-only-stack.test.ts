import { EksFargateOnlyStack } from '../../examples/eks-fargate-only-stack';
import { expectNoComplianceFindings } from '../helpers';
import { synthesizeExample } from './example-harness';

describe('examples/eks-fargate-only-stack', () => {
  const { stack, template, validationViolations } = synthesizeExample(EksFargateOnlyStack, 'EksFargateOnly');

  test('passes AWS\'s CloudFormation validator', () => {
    expect(validationViolations).toEqual([]);
  });

  test('has no unacknowledged finding in the four cdk-nag packs', () => {
    expectNoComplianceFindings(stack);
  });

  test('has no node group and schedules CoreDNS on Fargate', () => {
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'coredns', ConfigurationValues: '{"computeType":"Fargate"}' });
  });

  test('matches the reviewed template', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
