/**
 * `npm run guard`: the AWS Control Tower proactive controls (CloudFormation Guard rules bundled
 * with @cdklabs/cdk-validator-cfnguard) against the EKS examples and their plain aws-eks-v2 twins.
 * Prints, per stack, the rules that fire and on how many resources, then the rules that fire on
 * ours but not on the plain twin, and writes the same to bench/CFN-GUARD.md.
 *
 * It runs the validator the way its CDK plugin does at synth (`validate({ templatePaths })`), on
 * templates synthesized here, so an example's findings can be read without failing its synth.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMPARISONS, target } from './targets';

/** The part of @cdklabs/cdk-validator-cfnguard's report read here. */
interface GuardReport {
  readonly violations: Array<{
    readonly ruleName: string;
    readonly description?: string;
    readonly violatingResources: Array<{ readonly resourceLogicalId: string }>;
  }>;
}

interface GuardValidator {
  validate(context: { templatePaths: string[] }): GuardReport;
}

function loadValidator(): GuardValidator {
  let mod: { CfnGuardValidator: new () => GuardValidator };
  try {
    // Loaded at run time so that type-checking the repository does not need the package.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('@cdklabs/cdk-validator-cfnguard');
  } catch {
    throw new Error('@cdklabs/cdk-validator-cfnguard is not installed; run `npm install` (it is a devDependency)');
  }
  return new mod.CfnGuardValidator();
}

/** Rule name → the logical ids of the resources it flags, for one template. */
export type Findings = Map<string, { description: string; resources: Set<string> }>;

function findingsOf(validator: GuardValidator, templatePath: string): Findings {
  const findings: Findings = new Map();
  for (const v of validator.validate({ templatePaths: [templatePath] }).violations) {
    const entry = findings.get(v.ruleName) ?? { description: v.description ?? '', resources: new Set<string>() };
    // Guard also reports a failed rule clause without a resource; only resources are counted.
    v.violatingResources.filter((r) => r.resourceLogicalId).forEach((r) => entry.resources.add(r.resourceLogicalId));
    findings.set(v.ruleName, entry);
  }
  return findings;
}

function synthTemplate(name: string): { dir: string; template: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `guard-${name}-`));
  target(name).synth(dir, 1);
  const template = fs.readdirSync(dir).find((f) => f.endsWith('.template.json'));
  if (!template) {
    throw new Error(`${name}: no template in ${dir}`);
  }
  return { dir, template: path.join(dir, template) };
}

function main(): void {
  // The templates are the same either way; skipping aws-cdk-lib's own validation saves time.
  process.env.CDK_VALIDATION = 'false';
  const validator = loadValidator();
  const pairs = COMPARISONS.filter((c) => c.ours.startsWith('Eks'));
  const lines: string[] = [
    'Control Tower proactive controls from @cdklabs/cdk-validator-cfnguard (its bundled rules, all enabled), ' +
    'on the EKS examples and the same architecture in plain aws-eks-v2 (bench/plain/). Per rule: the resources it flags.',
  ];
  const onlyOurs: string[] = [];
  for (const { ours, plain } of pairs) {
    const results = [ours, plain].map((target) => {
      const { dir, template } = synthTemplate(target);
      const findings = findingsOf(validator, template);
      fs.rmSync(dir, { recursive: true, force: true });
      return { target, findings };
    });
    for (const { target, findings } of results) {
      const total = [...findings.values()].reduce((n, f) => n + f.resources.size, 0);
      lines.push('', `**${target}**: ${findings.size} rules, ${total} findings`, '');
      if (findings.size > 0) {
        lines.push('| rule | resources | flagged |', '| --- | ---: | --- |');
        for (const [rule, f] of [...findings].sort(([a], [b]) => a.localeCompare(b))) {
          lines.push(`| ${rule} | ${f.resources.size} | ${[...f.resources].sort().join(', ')} |`);
        }
      }
      process.stderr.write(`${target}: ${total} findings\n`);
    }
    const [o, p] = results.map((r) => r.findings);
    const extra = [...o.keys()].filter((rule) => !p.has(rule)).sort();
    onlyOurs.push(`- ${ours} (vs ${plain}): ${extra.map((rule) => `${rule} (${o.get(rule)!.description.split(':')[0]})`).join(', ') || 'none'}`);
  }
  lines.push('', 'Rules that fire on ours but not on the plain twin:', '', ...onlyOurs);
  const markdown = lines.join('\n');
  process.stdout.write(`${markdown}\n`);
  fs.writeFileSync(path.join(__dirname, 'CFN-GUARD.md'), `# Control Tower guard rules\n\nWritten by \`npm run guard\` (bench/cfn-guard.ts).\n\n${markdown}\n`);
}

main();
