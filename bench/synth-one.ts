/**
 * Synthesizes one benchmark target in its own process: `node bench/out/bench/synth-one.js <target> <outdir> [count]`
 * (compiled by bench/compile.ts; `tsx bench/synth-one.ts` works too, but then the TypeScript compiler is timed).
 * bench/run.ts times the whole process, the way `cdk synth` pays for a compiled app, and reads the last line of
 * stdout: the process's CPU time and, in milliseconds, how long loading, building and synthesizing took inside it.
 */
const started = process.hrtime.bigint();
// eslint-disable-next-line import/first
import { target } from './targets';

const [name, outdir, countArg] = process.argv.slice(2);
if (!name || !outdir) {
  throw new Error('usage: synth-one <target> <outdir> [count]');
}
const t = target(name);
t.load();
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
const { constructMs, synthMs } = t.synth(outdir, countArg === undefined ? 1 : Number(countArg));
const cpu = process.cpuUsage();
process.stdout.write(`\n${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, loadMs, constructMs, synthMs })}\n`);
