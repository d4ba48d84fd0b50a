import { EcsSharedAlbStack } from '../../examples/ecs-shared-alb';
import { expectNoComplianceFindings } from '../helpers';
import { synthesizeExample } from './example-harness';

describe('examples/ecs-shared-alb', () => {
  const { stack, template, validationViolations } = synthesizeExample(EcsSharedAlbStack, 'EcsSharedAlb');

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
