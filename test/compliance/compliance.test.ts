import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Compliance, ComplianceReport } from '../../lib';
import { newStack } from '../helpers';

describe('Compliance.acknowledge', () => {
  test('silences the finding it names on the construct it is attached to, and no other', () => {
    const stack = newStack();
    const acknowledged = new s3.Bucket(stack, 'Acknowledged');
    new s3.Bucket(stack, 'Other');
    const before = ComplianceReport.check(stack).findings.filter((f) => f.ruleId === 'AwsSolutions-S1');
    expect(before.map((f) => f.path).sort()).toEqual(['Test/Acknowledged/Resource', 'Test/Other/Resource']);

    Compliance.acknowledge(acknowledged, 'AwsSolutions-S1', 'Access logs for this test bucket are not needed by design');
    const after = ComplianceReport.check(stack).findings.filter((f) => f.ruleId === 'AwsSolutions-S1');
    expect(after.map((f) => f.path)).toEqual(['Test/Other/Resource']);
  });

  test('acknowledges one finding of a rule without the others', () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    Compliance.acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', 'The resource wildcard is what this test exercises');
    const ids = ComplianceReport.check(stack).findings.map((f) => f.ruleId);
    expect(ids).toContain('AwsSolutions-IAM5[Action::s3:*]');
    expect(ids).not.toContain('AwsSolutions-IAM5[Resource::*]');
  });

  test('fails when the rule id is not a cdk-nag id', () => {
    expect(() => Compliance.acknowledge(newStack(), 'IAM5', 'a reason that is long enough to pass')).toThrow(/ruleId: expected a cdk-nag rule id .* got 'IAM5'/);
  });

  test('fails when the reason is too short to name a prop or a limit', () => {
    expect(() => Compliance.acknowledge(newStack(), 'AwsSolutions-S1', 'ok')).toThrow(/reason: an acknowledgement needs a reason of at least 20 characters .* got 'ok'/);
  });
});

describe('ComplianceReport', () => {
  test('runs AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1', () => {
    expect(ComplianceReport.standardPacks().map((p) => p.readPackName)).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']);
  });

  test('prints one line per finding with rule id, construct path and message', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Plain');
    const text = ComplianceReport.check(stack).toString();
    expect(text).toMatch(/^AwsSolutions-S1  Test\/Plain\/Resource  The S3 Bucket has server access logs disabled/m);
    expect(text).toMatch(/^NIST\.800\.53\.R5-S3BucketLoggingEnabled  Test\/Plain\/Resource  /m);
  });

  test('says "no findings" for an empty stack', () => {
    expect(ComplianceReport.check(newStack()).toString()).toBe('no findings');
  });
});
