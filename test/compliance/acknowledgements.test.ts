import * as fs from 'fs';
import * as path from 'path';
import { acknowledgedTable, HEADER, reportsOf, unmatchedLines } from './acknowledgement-counts';
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
    expect(table.split('\n')[0]).toBe(HEADER);
    expect(table.split('\n')).toHaveLength(2 + reports.size);
    // The README shows the same columns, so the printed table can replace its rows.
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain(HEADER);
  });
});
