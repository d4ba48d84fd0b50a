import { CfnResource, Validations } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import { IConstruct, MetadataEntry } from 'constructs';
import { ContainerPlatformChecks } from './container-platform-checks';
import { cdkNag } from './lazy-nag';

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

/** One cdk-nag finding that an acknowledgement hid. */
export interface AcknowledgedComplianceFinding {
  /** The pack that raised it, e.g. `AwsSolutions`. */
  readonly pack: string;
  /** The rule or finding id, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly ruleId: string;
  /** The construct path of the resource. */
  readonly path: string;
  /** The construct path the acknowledgement is recorded on: the resource or one of its ancestors. */
  readonly acknowledgedAt: string;
  /** The reason the acknowledgement gives. */
  readonly reason: string;
}

/** An acknowledgement of a pack that ran, which hid no finding of that pack. */
export interface UnmatchedAcknowledgement {
  /** The pack the id belongs to, e.g. `HIPAA.Security`. */
  readonly pack: string;
  /** The acknowledged rule or finding id. */
  readonly ruleId: string;
  /** The construct path the acknowledgement is recorded on. */
  readonly path: string;
  /** The reason the acknowledgement gives. */
  readonly reason: string;
}

/** cdk-nag 3 reads acknowledgements through this method of NagPack (private in its typings, see nag-pack.js). */
const IS_ACKNOWLEDGED = 'isAcknowledged';

/** aws-cdk-lib before 2.262.1 prefixed acknowledged ids with `annotation::`, later ones with `Annotation::`; cdk-nag drops either. */
function unqualified(id: string): string {
  return id.replace(/^annotation::/i, '');
}

/**
 * Runs cdk-nag packs over a construct tree without synthesizing, for tests and CI.
 *
 * cdk-nag 3 is a policy-validation plugin: `Validations.of(app).addPlugins(pack)`
 * fails `cdk synth`. In unit tests, register nothing on the app and read
 * `ComplianceReport.check(stack).findings` instead.
 *
 * Acknowledged findings leave no trace in cdk-nag's own report; this one also lists them
 * (`acknowledged`), and the acknowledgements that hid nothing (`unmatchedAcknowledgements`),
 * so that an acknowledgement whose cause was fixed does not linger.
 */
export class ComplianceReport {
  /**
   * The four packs every construct of this library is clean under: AwsSolutions,
   * NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1.
   */
  public static standardPacks(): NagPack[] {
    const { AwsSolutionsChecks, NIST80053R5Checks, HIPAASecurityChecks, PCIDSS321Checks } = cdkNag();
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
    const acknowledged: AcknowledgedComplianceFinding[] = [];
    // The ids of each acknowledgement entry that hid at least one finding: an entry may hold several ids.
    const used = new Map<MetadataEntry, Set<string>>();
    // A pack given twice (e.g. platformPacks() plus a ContainerPlatformChecks with other props) raises and
    // hides the same finding twice; each is listed and counted once.
    const seen = new Set<string>();
    const once = (...parts: string[]): boolean => {
      const key = parts.join('\u0000');
      const first = !seen.has(key);
      seen.add(key);
      return first;
    };
    const packNames: string[] = [];
    for (const pack of packs ?? ComplianceReport.standardPacks()) {
      packNames.push(pack.readPackName);
      const report = ComplianceReport.validateCountingAcknowledgements(pack, (resource, ruleId, holder, entry) => {
        used.set(entry, (used.get(entry) ?? new Set()).add(ruleIdKey(entry, ruleId)));
        if (!once('acknowledged', pack.readPackName, ruleId, resource.node.path)) {
          return;
        }
        acknowledged.push({
          pack: pack.readPackName, ruleId, path: resource.node.path,
          acknowledgedAt: holder.node.path, reason: String((entry.data as Record<string, unknown>)[ruleIdKey(entry, ruleId)]),
        });
      }, scope);
      for (const v of report.violations) {
        for (const r of v.violatingResources) {
          const path = r.constructPath ?? r.resourceLogicalId ?? '?';
          if (!once('finding', pack.readPackName, v.ruleName, path)) {
            continue;
          }
          findings.push({ pack: pack.readPackName, ruleId: v.ruleName, path, message: v.description });
        }
      }
    }
    const unmatched: UnmatchedAcknowledgement[] = [];
    for (const c of scope.node.findAll()) {
      for (const entry of c.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) {
          continue;
        }
        for (const [key, reason] of Object.entries(entry.data as Record<string, unknown>)) {
          if (used.get(entry)?.has(key)) {
            continue;
          }
          const ruleId = unqualified(key);
          // Only ids of the packs that ran: a CloudFormation-Validate:: id or another pack's id is not this report's to judge.
          const pack = packNames.find((p) => ruleId.startsWith(`${p}-`));
          if (pack !== undefined) {
            unmatched.push({ pack, ruleId, path: c.node.path, reason: String(reason) });
          }
        }
      }
    }
    return new ComplianceReport(findings, acknowledged, unmatched);
  }

  /**
   * Runs one pack with its acknowledgement check observed: cdk-nag asks `isAcknowledged(resource, ruleId)`
   * only for a finding, and answers from the nearest acknowledgement on the resource or an ancestor.
   * This answers the same way and reports which acknowledgement entry answered.
   */
  private static validateCountingAcknowledgements(
    pack: NagPack,
    onAcknowledged: (resource: CfnResource, ruleId: string, holder: IConstruct, entry: MetadataEntry) => void,
    scope: IConstruct,
  ) {
    const original = (pack as any)[IS_ACKNOWLEDGED];
    if (typeof original !== 'function') {
      throw new Error(`cdk-nag: NagPack.${IS_ACKNOWLEDGED} not found, got a cdk-nag whose acknowledgement check ComplianceReport cannot observe; use cdk-nag 3.0.x`);
    }
    (pack as any)[IS_ACKNOWLEDGED] = (resource: CfnResource, ruleId: string): boolean => {
      for (let current: IConstruct | undefined = resource; current; current = current.node.scope) {
        for (const entry of current.node.metadata) {
          if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data
            && Object.keys(entry.data).some((k) => unqualified(k) === ruleId)) {
            onAcknowledged(resource, ruleId, current, entry);
            return true;
          }
        }
      }
      return false;
    };
    try {
      return pack.validateScope(scope);
    } finally {
      delete (pack as any)[IS_ACKNOWLEDGED];
    }
  }

  /** Every unacknowledged finding, in pack order. */
  public readonly findings: ComplianceFinding[];
  /** Every finding an acknowledgement hid, in pack order. */
  public readonly acknowledged: AcknowledgedComplianceFinding[];
  /**
   * Every acknowledgement in the scope, of a pack that ran, that hid no finding: its cause is gone,
   * its id is misspelt, or a nearer acknowledgement of the same id answers for every finding.
   */
  public readonly unmatchedAcknowledgements: UnmatchedAcknowledgement[];

  private constructor(findings: ComplianceFinding[], acknowledged: AcknowledgedComplianceFinding[], unmatched: UnmatchedAcknowledgement[]) {
    this.findings = findings;
    this.acknowledged = acknowledged;
    this.unmatchedAcknowledgements = unmatched;
  }

  /**
   * How many findings of one pack acknowledgements hid.
   * @param pack a pack name, e.g. `AwsSolutions` or `HIPAA.Security`
   */
  public acknowledgedCount(pack: string): number {
    return this.acknowledged.filter((f) => f.pack === pack).length;
  }

  /** One line per finding: `rule id  construct path  message`, or `no findings`. */
  public toString(): string {
    if (this.findings.length === 0) {
      return 'no findings';
    }
    return this.findings.map((f) => `${f.ruleId}  ${f.path}  ${f.message}`).join('\n');
  }
}

/** The key of an acknowledgement entry that holds a rule id, qualified or not. */
function ruleIdKey(entry: MetadataEntry, ruleId: string): string {
  return Object.keys(entry.data as Record<string, unknown>).find((k) => unqualified(k) === ruleId)!;
}
