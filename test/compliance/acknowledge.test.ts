import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Compliance, CompliancePack, ComplianceReport } from '../../lib';
import { COMPLIANCE_PACK_RULES } from '../../lib/compliance/pack-rules';
import { newStack } from '../helpers';

const REASON = 'a reason long enough to name the prop behind it';

describe('Compliance.acknowledgeAcrossPacks', () => {
  test('acknowledges the rule in NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 when all three run it', () => {
    const stack = newStack();
    const group = new logs.LogGroup(stack, 'Logs');
    const before = ComplianceReport.check(stack).findings.map((f) => f.ruleId);
    expect(before).toEqual(expect.arrayContaining([
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted', 'HIPAA.Security-CloudWatchLogGroupEncrypted', 'PCI.DSS.321-CloudWatchLogGroupEncrypted',
    ]));

    const ids = Compliance.acknowledgeAcrossPacks(group, 'CloudWatchLogGroupEncrypted', REASON);

    expect(ids).toEqual(['NIST.800.53.R5-CloudWatchLogGroupEncrypted', 'HIPAA.Security-CloudWatchLogGroupEncrypted', 'PCI.DSS.321-CloudWatchLogGroupEncrypted']);
    expect(ComplianceReport.check(stack).findings.map((f) => f.ruleId)).not.toContain('HIPAA.Security-CloudWatchLogGroupEncrypted');
    expect(ComplianceReport.check(stack).acknowledged.map((f) => f.ruleId)).toEqual(ids);
  });

  test('leaves out the packs that do not run the rule', () => {
    // PCI DSS 3.2.1 has no LambdaConcurrency rule (cdk-nag 3.0.2).
    expect(Compliance.acknowledgeAcrossPacks(newStack(), 'LambdaConcurrency', REASON))
      .toEqual(['NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency']);
  });

  test('acknowledges only in the packs it is given', () => {
    expect(Compliance.acknowledgeAcrossPacks(newStack(), 'IAMNoInlinePolicy', REASON, [CompliancePack.HIPAA_SECURITY]))
      .toEqual(['HIPAA.Security-IAMNoInlinePolicy']);
  });

  test('fails when a pack it is given does not run the rule', () => {
    expect(() => Compliance.acknowledgeAcrossPacks(newStack(), 'LambdaConcurrency', REASON, [CompliancePack.PCI_DSS_321]))
      .toThrow(/packs: PCI.DSS.321 has no rule 'LambdaConcurrency', got packs PCI.DSS.321; leave packs unset/);
  });

  test('fails when no pack runs a rule of that name', () => {
    expect(() => Compliance.acknowledgeAcrossPacks(newStack(), 'LogGroupEncrypted', REASON))
      .toThrow(/ruleName: no pack of NIST.800.53.R5, HIPAA.Security, PCI.DSS.321 has a rule of that name, got 'LogGroupEncrypted'/);
  });

  test('fails when the rule name carries a pack prefix', () => {
    expect(() => Compliance.acknowledgeAcrossPacks(newStack(), 'HIPAA.Security-LambdaDLQ', REASON))
      .toThrow(/ruleName: expected a rule name without pack prefix .* got 'HIPAA.Security-LambdaDLQ'/);
  });
});

describe('the rule table of the compliance packs', () => {
  test.each([
    ['NIST.800.53.R5', 'nist-800-53-r5'], ['HIPAA.Security', 'hipaa-security'], ['PCI.DSS.321', 'pci-dss-321'],
  ])('lists every rule %s runs in the installed cdk-nag', (pack, file) => {
    const source = fs.readFileSync(path.join(path.dirname(require.resolve('cdk-nag')), 'packs', `${file}.js`), 'utf8');
    const rules = [...source.matchAll(/rule: [A-Za-z_0-9]+\.([A-Za-z0-9]+)/g)].map((m) => m[1]).sort();
    expect(rules.length).toBeGreaterThan(50);
    expect([...COMPLIANCE_PACK_RULES[pack]]).toEqual(rules);
  });
});

describe('ComplianceReport acknowledgements', () => {
  test('lists each finding an acknowledgement hides, with where it is recorded and why', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    Compliance.acknowledge(bucket, 'AwsSolutions-S1', REASON);
    const report = ComplianceReport.check(stack);
    expect(report.acknowledged).toEqual([
      { pack: 'AwsSolutions', ruleId: 'AwsSolutions-S1', path: 'Test/Bucket/Resource', acknowledgedAt: 'Test/Bucket', reason: REASON },
    ]);
    expect(report.acknowledgedCount('AwsSolutions')).toBe(1);
    expect(report.acknowledgedCount('HIPAA.Security')).toBe(0);
    expect(report.unmatchedAcknowledgements).toEqual([]);
  });

  test('counts one hidden finding per resource under an acknowledged scope', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'One');
    new s3.Bucket(stack, 'Two');
    Compliance.acknowledge(stack, 'AwsSolutions-S1', REASON);
    expect(ComplianceReport.check(stack).acknowledged.map((f) => f.path)).toEqual(['Test/One/Resource', 'Test/Two/Resource']);
  });

  test('reports an acknowledgement that hides no finding', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { serverAccessLogsBucket: new s3.Bucket(stack, 'Logs') });
    Compliance.acknowledge(bucket, 'AwsSolutions-S1', REASON);
    expect(ComplianceReport.check(stack).unmatchedAcknowledgements).toContainEqual(
      { pack: 'AwsSolutions', ruleId: 'AwsSolutions-S1', path: 'Test/Bucket', reason: REASON });
  });

  test('reports an outer acknowledgement that a nearer one of the same id answers for', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    Compliance.acknowledge(stack, 'AwsSolutions-S1', REASON);
    Compliance.acknowledge(bucket, 'AwsSolutions-S1', REASON);
    expect(ComplianceReport.check(stack).unmatchedAcknowledgements.map((u) => `${u.ruleId} ${u.path}`)).toEqual(['AwsSolutions-S1 Test']);
  });

  test('counts a rule acknowledged across packs once in each pack that hid it', () => {
    const stack = newStack();
    new logs.LogGroup(stack, 'Logs');
    Compliance.acknowledgeAcrossPacks(stack, 'CloudWatchLogGroupEncrypted', REASON);
    const report = ComplianceReport.check(stack);
    expect(report.acknowledged.filter((f) => f.ruleId.endsWith('-CloudWatchLogGroupEncrypted')).map((f) => f.ruleId)).toEqual([
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted', 'HIPAA.Security-CloudWatchLogGroupEncrypted', 'PCI.DSS.321-CloudWatchLogGroupEncrypted',
    ]);
    expect(['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((p) => report.acknowledged.filter((f) => f.pack === p && f.ruleId === `${p}-CloudWatchLogGroupEncrypted`).length)).toEqual([1, 1, 1]);
    expect(report.unmatchedAcknowledgements).toEqual([]);
  });

  test('lists and counts a finding once when the same pack runs twice', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Hidden');
    new s3.Bucket(stack, 'Shown', { serverAccessLogsBucket: new s3.Bucket(stack, 'AccessLogs') });
    Compliance.acknowledge(stack.node.findChild('Hidden'), 'AwsSolutions-S1', REASON);
    const report = ComplianceReport.check(stack, [new AwsSolutionsChecks(), new AwsSolutionsChecks()]);
    expect(report.acknowledgedCount('AwsSolutions')).toBe(report.acknowledged.length);
    expect(report.acknowledged.map((f) => `${f.ruleId} ${f.path}`)).toEqual(['AwsSolutions-S1 Test/Hidden/Resource']);
    const keys = report.findings.map((f) => `${f.ruleId} ${f.path}`);
    expect(keys).toEqual([...new Set(keys)]);
  });

  test('reports an id that hid nothing even when its acknowledgement entry holds another id that did', () => {
    const stack = newStack();
    new s3.Bucket(stack, 'Bucket');
    // One metadata entry with two ids, as hand-written metadata or another tool may record it.
    stack.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { 'AwsSolutions-S1': REASON, 'AwsSolutions-IAM4': REASON });
    const report = ComplianceReport.check(stack, [new AwsSolutionsChecks()]);
    expect(report.acknowledged.map((f) => f.ruleId)).toEqual(['AwsSolutions-S1']);
    expect(report.unmatchedAcknowledgements.map((u) => u.ruleId)).toEqual(['AwsSolutions-IAM4']);
  });

  test('judges only the ids of the packs that ran', () => {
    const stack = newStack();
    Compliance.acknowledge(stack, 'ContainerPlatform-ECR1', REASON);
    Compliance.acknowledge(stack, 'CloudFormation-Validate::W9009', REASON);
    Compliance.acknowledge(stack, 'AwsSolutions-S1', REASON);
    expect(ComplianceReport.check(stack).unmatchedAcknowledgements.map((u) => u.ruleId)).toEqual(['AwsSolutions-S1']);
  });
});
