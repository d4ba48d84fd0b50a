import { Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { COMPLIANCE_PACK_RULES } from './pack-rules';

/**
 * One of the cdk-nag compliance packs whose rules share names: NIST 800-53 R5, HIPAA Security and
 * PCI DSS 3.2.1 each prefix the same rule (e.g. `CloudWatchLogGroupEncrypted`) with their own name.
 */
export class CompliancePack {
  /** `NIST.800.53.R5-<rule>` findings of cdk-nag's `NIST80053R5Checks`. */
  public static readonly NIST_800_53_R5 = new CompliancePack('NIST.800.53.R5');
  /** `HIPAA.Security-<rule>` findings of cdk-nag's `HIPAASecurityChecks`. */
  public static readonly HIPAA_SECURITY = new CompliancePack('HIPAA.Security');
  /** `PCI.DSS.321-<rule>` findings of cdk-nag's `PCIDSS321Checks`. */
  public static readonly PCI_DSS_321 = new CompliancePack('PCI.DSS.321');

  /** The three packs, in the order `ComplianceReport.standardPacks()` runs them. */
  public static all(): CompliancePack[] {
    return [CompliancePack.NIST_800_53_R5, CompliancePack.HIPAA_SECURITY, CompliancePack.PCI_DSS_321];
  }

  /** The prefix of the pack's rule ids, as cdk-nag prints it, e.g. `HIPAA.Security`. */
  public readonly packName: string;

  private constructor(packName: string) {
    this.packName = packName;
  }

  /** Whether the pack (as of cdk-nag 3.0.2) runs a rule of this name. */
  public hasRule(ruleName: string): boolean {
    return (COMPLIANCE_PACK_RULES[this.packName] ?? []).includes(ruleName);
  }
}

/**
 * The one way this library records why a compliance finding does not apply.
 *
 * Acknowledgements go through aws-cdk-lib's `Validations` API, which cdk-nag 3
 * reads, so they stay on the narrowest construct and show up in the
 * validation report with their reason.
 */
export class Compliance {
  /**
   * Acknowledge one finding on one construct (and the resources below it).
   *
   * @param scope the narrowest construct the finding is raised on
   * @param ruleId a rule id such as `AwsSolutions-IAM4`, or a finding id such as
   *   `AwsSolutions-IAM5[Resource::*]` to keep the acknowledgement narrow, or a CloudFormation
   *   validator id such as `CloudFormation-Validate::W9009`
   * @param reason why the finding does not apply: name the prop that would
   *   remove it, or the AWS limit that makes it unavoidable
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (!ruleId || ruleId.trim() !== ruleId || !/^[A-Za-z0-9.]+-[A-Za-z0-9]+(::[A-Za-z0-9]+)?(\[.+\])?$/.test(ruleId)) {
      throw new Error(`ruleId: expected a cdk-nag rule id such as 'AwsSolutions-IAM4' or 'AwsSolutions-IAM5[Resource::*]', got '${ruleId}'; pass the id printed in the validation report`);
    }
    if (!Token.isUnresolved(reason) && reason.trim().length < 20) {
      throw new Error(`reason: an acknowledgement needs a reason of at least 20 characters that names the prop or AWS limit behind it, got '${reason}'; explain why ${ruleId} does not apply`);
    }
    Validations.of(scope).acknowledge({ id: ruleId, reason });
  }

  /**
   * Acknowledge one rule, for one reason, in every compliance pack that runs it: e.g.
   * `CloudWatchLogGroupEncrypted` becomes `NIST.800.53.R5-CloudWatchLogGroupEncrypted`,
   * `HIPAA.Security-CloudWatchLogGroupEncrypted` and `PCI.DSS.321-CloudWatchLogGroupEncrypted`.
   *
   * Packs that have no rule of that name are left out (PCI DSS 3.2.1 has no `LambdaConcurrency`),
   * so the acknowledgement never names a finding no pack can raise.
   *
   * @param scope the narrowest construct the finding is raised on
   * @param ruleName the rule name without pack prefix, e.g. `CloudWatchLogGroupEncrypted`
   * @param reason why the finding does not apply: name the prop that would remove it, or the AWS limit behind it
   * @param packs the packs to acknowledge it in; each must run the rule
   * @default packs - every pack of `CompliancePack.all()` that runs the rule
   * @returns the rule ids acknowledged
   */
  public static acknowledgeAcrossPacks(scope: IConstruct, ruleName: string, reason: string, packs?: CompliancePack[]): string[] {
    if (!/^[A-Za-z0-9]+$/.test(ruleName)) {
      throw new Error(`ruleName: expected a rule name without pack prefix such as 'CloudWatchLogGroupEncrypted', got '${ruleName}'; drop the '<pack>-' prefix, or use Compliance.acknowledge for one pack's finding id`);
    }
    const missing = (packs ?? []).filter((p) => !p.hasRule(ruleName));
    if (missing.length > 0) {
      throw new Error(`packs: ${missing.map((p) => p.packName).join(', ')} has no rule '${ruleName}', got packs ${packs!.map((p) => p.packName).join(', ')}; leave packs unset to acknowledge it only where it exists`);
    }
    const chosen = (packs ?? CompliancePack.all()).filter((p) => p.hasRule(ruleName));
    if (chosen.length === 0) {
      throw new Error(`ruleName: no pack of ${CompliancePack.all().map((p) => p.packName).join(', ')} has a rule of that name, got '${ruleName}'; use the name the validation report prints after the pack prefix`);
    }
    const ids = chosen.map((p) => `${p.packName}-${ruleName}`);
    for (const id of ids) {
      Compliance.acknowledge(scope, id, reason);
    }
    return ids;
  }

  /** Acknowledge several findings on one construct with their reasons. */
  public static acknowledgeAll(scope: IConstruct, findings: AcknowledgedFinding[]): void {
    for (const f of findings) {
      Compliance.acknowledge(scope, f.ruleId, f.reason);
    }
  }

  private constructor() {}
}

/** A finding to acknowledge, with its reason. */
export interface AcknowledgedFinding {
  /** The rule or finding id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly ruleId: string;
  /** Why the finding does not apply: the prop that would remove it, or the AWS limit behind it. */
  readonly reason: string;
}
