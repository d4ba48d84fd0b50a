import { EcsEc2BinpackStack } from '../../examples/ecs-ec2-binpack';
import { expectNoComplianceFindings } from '../helpers';
import { synthesizeExample } from './example-harness';

describe('examples/ecs-ec2-binpack', () => {
  const { stack, template, validationViolations } = synthesizeExample(EcsEc2BinpackStack, 'EcsEc2Binpack');

  test('passes AWS\'s CloudFormation validator', () => {
    expect(validationViolations).toEqual([]);
  });

  test('has no unacknowledged finding in the four cdk-nag packs', () => {
    expectNoComplianceFindings(stack);
  });

  test('matches the reviewed template', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
