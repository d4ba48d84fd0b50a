/**
 * Synthesizes one benchmark target in its own process: `tsx bench/synth-one.ts <target> <outdir> [count]`.
 * bench/run.ts times the whole process, the way `npx cdk synth` pays for it, and reads the CPU time it prints.
 */
import { TARGETS } from './targets';

const [name, outdir, countArg] = process.argv.slice(2);
const target = TARGETS[name];
if (!target || !outdir) {
  throw new Error(`usage: synth-one <target> <outdir> [count]; targets: ${Object.keys(TARGETS).join(', ')}`);
}
target.synth(outdir, countArg === undefined ? 1 : Number(countArg));
// The CPU time of this process (tsx runs the script in a child of its CLI), a steadier measure than
// wall time on a shared machine: bench/run.ts reads the last line of stdout.
const cpu = process.cpuUsage();
process.stdout.write(`\n${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
