/**
 * Synthesizes one benchmark target at several counts in one warmed-up process:
 * `node bench/out/bench/synth-warm.js <target> <runs> <count>...` (compiled by bench/compile.ts). Prints `{ "<count>": medianMs, ... }` as the last
 * line of stdout. Without process start-up and first-run compilation, this shows how synth grows with N.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median } from './median';
import { target as benchTarget } from './targets';

const [name, runsArg, ...countArgs] = process.argv.slice(2);
if (!name || countArgs.length === 0) {
  throw new Error('usage: synth-warm <target> <runs> <count>...');
}
const target = benchTarget(name);

function timeOnce(count: number): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-warm-${name}-`));
  const start = process.hrtime.bigint();
  target.synth(outdir, count);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  return ms;
}

const counts = countArgs.map(Number);
const largest = Math.max(...counts);
timeOnce(largest); // warm-up: module loading and first-run compilation
const samples: Record<number, number[]> = Object.fromEntries(counts.map((c) => [c, []]));
for (let i = 0; i < Number(runsArg); i++) {
  for (const count of counts) {
    samples[count].push(timeOnce(count));
  }
}
const medians = Object.fromEntries(counts.map((c) => [c, median(samples[c])]));
process.stdout.write(`\n${JSON.stringify(medians)}\n`);
