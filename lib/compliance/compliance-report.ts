import { IConstruct } from 'constructs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { ContainerPlatformChecks } from './container-platform-checks';

/** One unacknowledged cdk-nag finding. */
export interface ComplianceFinding {
  /** The pack that raised it, e.g. `AwsSolutions`. */
  readonly pack: string;
  /** The rule or finding id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly ruleId: string;
  /** The construct path of the offending resource. */
  readonly path: string;
  /** What the rule says is wrong. */
  readonly message: string;
}

/**
 * Runs cdk-nag packs over a construct tree without synthesizing, for tests and CI.
 *
 * cdk-nag 3 is a policy-validation plugin: `Validations.of(app).addPlugins(pack)`
 * fails `cdk synth`. In unit tests, register nothing on the app and read
 * `ComplianceReport.check(stack).findings` instead.
 */
export class ComplianceReport {
  /**
   * The four packs every construct of this library is clean under: AwsSolutions,
   * NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1.
   */
  public static standardPacks(): NagPack[] {
    return [new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks()];
  }

  /**
   * The four standard packs and this library's `ContainerPlatformChecks`, which checks the container
   * supply chain, ECS/ALB hardening and aws-eks-v2 clusters that the standard packs miss.
   */
  public static platformPacks(): NagPack[] {
    return [...ComplianceReport.standardPacks(), new ContainerPlatformChecks()];
  }

  /**
   * Check a scope against packs.
   * @param scope a stack or any construct
   * @param packs the packs to run
   * @default packs - `ComplianceReport.standardPacks()`
   */
  public static check(scope: IConstruct, packs?: NagPack[]): ComplianceReport {
    const findings: ComplianceFinding[] = [];
    for (const pack of packs ?? ComplianceReport.standardPacks()) {
      const report = pack.validateScope(scope);
      for (const v of report.violations) {
        for (const r of v.violatingResources) {
          findings.push({ pack: pack.readPackName, ruleId: v.ruleName, path: r.constructPath ?? r.resourceLogicalId ?? '?', message: v.description });
        }
      }
    }
    return new ComplianceReport(findings);
  }

  /** Every unacknowledged finding, in pack order. */
  public readonly findings: ComplianceFinding[];

  private constructor(findings: ComplianceFinding[]) {
    this.findings = findings;
  }

  /** One line per finding: `rule id  construct path  message`, or `no findings`. */
  public toString(): string {
    if (this.findings.length === 0) {
      return 'no findings';
    }
    return this.findings.map((f) => `${f.ruleId}  ${f.path}  ${f.message}`).join('\n');
  }
}
