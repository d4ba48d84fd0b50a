import { EcsFargateWebStack } from '../../examples/ecs-fargate-web';
import { expectNoComplianceFindings } from '../helpers';
import { synthesizeExample } from './example-harness';

describe('examples/ecs-fargate-web', () => {
  const { stack, template, validationViolations } = synthesizeExample(EcsFargateWebStack, 'EcsFargateWeb');

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
