// How many findings each example's acknowledgements hide, per pack, and which acknowledgements hide
// nothing. The README's Compliance table comes from this file:
//   npx tsx test/compliance/acknowledgement-counts.ts
// prints the table in Markdown (test/compliance/acknowledgements.test.ts checks the same numbers' sources).
import { ComplianceReport } from '../../lib/compliance/compliance-report';
import { synthesizeExamples, SynthesizedExample } from '../examples/example-harness';

/** The five packs every example is clean under, in report order. */
export const PACKS = ComplianceReport.platformPacks().map((p) => p.readPackName);

/** Each example's report under the five packs, by example id. */
export function reportsOf(examples: Map<string, SynthesizedExample>): Map<string, ComplianceReport> {
  return new Map([...examples].map(([id, e]) => [id, ComplianceReport.check(e.stack, ComplianceReport.platformPacks())]));
}

/** The README's column titles of the packs. */
const TITLES: Record<string, string> = {
  'NIST.800.53.R5': 'NIST 800-53 R5', 'HIPAA.Security': 'HIPAA Security', 'PCI.DSS.321': 'PCI DSS 3.2.1',
};

/** The README's header row of the table. */
export const HEADER = `| Example | ${PACKS.map((p) => TITLES[p] ?? p).join(' | ')} | Total | Unmatched acknowledgements |`;

/** A Markdown table: one row per example, one column per pack, the acknowledged findings in each cell. */
export function acknowledgedTable(reports: Map<string, ComplianceReport>): string {
  const rows = [...reports].map(([id, r]) => {
    const counts = PACKS.map((p) => r.acknowledgedCount(p));
    return `| ${id} | ${counts.join(' | ')} | ${r.acknowledged.length} | ${r.unmatchedAcknowledgements.length} |`;
  });
  return [
    HEADER,
    `| --- |${PACKS.map(() => ' ---: |').join('')} ---: | ---: |`,
    ...rows,
  ].join('\n');
}

/** One line per unmatched acknowledgement: `<example>  <rule id>  <construct path>`. */
export function unmatchedLines(reports: Map<string, ComplianceReport>): string[] {
  return [...reports].flatMap(([id, r]) => r.unmatchedAcknowledgements.map((u) => `${id}  ${u.ruleId}  ${u.path}`));
}

if (require.main === module) {
  const reports = reportsOf(synthesizeExamples());
  process.stdout.write(`${acknowledgedTable(reports)}\n`);
  if (process.argv.includes('--unmatched')) {
    process.stdout.write(`\n${unmatchedLines(reports).join('\n')}\n`);
  }
}
