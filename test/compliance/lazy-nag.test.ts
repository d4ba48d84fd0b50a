import * as cdkNag from 'cdk-nag';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { ComplianceReport } from '../../lib/compliance/compliance-report';
import { ContainerPlatformChecks } from '../../lib/compliance/container-platform-checks';
import { NagMessageLevel, NagRuleCompliance } from '../../lib/compliance/lazy-nag';

describe('cdk-nag loaded on first use', () => {
  test('spells every value of cdk-nag\'s enums as cdk-nag does', () => {
    expect(NagMessageLevel).toEqual({ ...cdkNag.NagMessageLevel });
    expect(NagRuleCompliance).toEqual({ ...cdkNag.NagRuleCompliance });
  });

  test('builds ContainerPlatformChecks as a NagPack with its own prototype and fields', () => {
    const pack = new ContainerPlatformChecks(undefined, { requireRepositoryKmsKey: true });
    expect(pack).toBeInstanceOf(cdkNag.NagPack);
    expect(pack).toBeInstanceOf(ContainerPlatformChecks);
    expect(pack.readPackName).toBe('ContainerPlatform');
    expect(pack.name).toBe('ContainerPlatform');
    expect(Object.getPrototypeOf(ContainerPlatformChecks.prototype).constructor.name).toBe('LazyNagPack');
  });

  test('runs the pack as a validation plugin and through ComplianceReport', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    Validations.of(app).addPlugins(new ContainerPlatformChecks());
    expect(ComplianceReport.check(stack, [new ContainerPlatformChecks()]).toString()).toBe('no findings');
    expect(ComplianceReport.standardPacks().map((p) => p.readPackName)).toEqual(['AwsSolutions', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']);
  });
});
