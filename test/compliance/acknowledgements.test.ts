import { reportsOf, unmatchedLines, acknowledgedTable, PACKS } from './acknowledgement-counts';
import { synthesizeExamples } from '../examples/example-harness';

// The examples hold no acknowledgement of their own: every one in their trees comes from lib/.
const reports = reportsOf(synthesizeExamples());

describe('acknowledgements in the examples', () => {
  test('each hides at least one finding of a pack that ran', () => {
    // One line per acknowledgement that hides nothing: `<example>  <rule id>  <construct path>`.
    // Remove it where lib/ records it (search the rule id), or fix the id it names.
    expect(unmatchedLines(reports)).toEqual([]);
  });

  test('are counted per example and pack for the README table', () => {
    const table = acknowledgedTable(reports);
    expect(table.split('\n')[0]).toBe(`| Example | ${PACKS.join(' | ')} | Total | Unmatched acknowledgements |`);
    expect(table.split('\n')).toHaveLength(2 + reports.size);
  });
});
