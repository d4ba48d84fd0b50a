import { Stack } from 'aws-cdk-lib';
import { FoundationStack } from '../../examples/foundation-stack';
import { ComplianceReport } from '../../lib';
import { newApp } from '../helpers';

// The examples in examples/ when the pack was written; ECS and EKS examples join as they land.
const EXAMPLES: Array<[string, (app: ReturnType<typeof newApp>) => Stack]> = [
  ['FoundationStack', (app) => new FoundationStack(app, 'Foundation')],
];

describe('the example stacks under the five platform packs', () => {
  test.each(EXAMPLES)('%s has no unacknowledged finding', (_, build) => {
    const stack = build(newApp());
    expect(ComplianceReport.check(stack, ComplianceReport.platformPacks()).toString()).toBe('no findings');
  });
});
