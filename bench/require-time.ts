/**
 * How long `require` of the built library (dist/, `npm run build` first) takes against `require('aws-cdk-lib')`,
 * each in a fresh `node` process (no tsx), median of many runs, the cases alternating so that a busy
 * spell of a shared machine weighs on each alike. The time is taken inside the process around the
 * `require` calls alone, so node's own start-up (about 40 ms here) is left out of every number.
 *
 * `tsx bench/require-time.ts [runs]` prints a markdown table; bench/run.ts writes the same table into
 * bench/RESULTS.md.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { median } from './median';

const ROOT = path.join(__dirname, '..');

/** One thing to time: modules required in order, after some loaded untimed, with some replaced by empty stand-ins. */
export interface RequireCase {
  readonly label: string;
  /** Required in the timed window, in order (resolved from the repository root). */
  readonly modules: string[];
  /** Required before the timed window: already paid for. */
  readonly preload?: string[];
  /** Replaced by an empty module before anything loads, to show what leaving them out would save. */
  readonly stub?: string[];
}

export interface RequireTime {
  readonly label: string;
  /** Median wall time of the `require` calls. */
  readonly ms: number;
  /** Median CPU time (user + system) of the `require` calls: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  /** Modules in node's require cache after the timed window (the process's whole load). */
  readonly modulesLoaded: number;
}

/** The script a child runs: stubs, preloads, then the timed requires; prints its numbers as JSON. */
function childScript(c: RequireCase): string {
  return [
    'const Module = require("module");',
    ...(c.stub ?? []).map((s) => `{ const f = require.resolve(${JSON.stringify(s)}); const m = new Module(f); m.filename = f; m.loaded = true; m.exports = {}; require.cache[f] = m; }`),
    ...(c.preload ?? []).map((p) => `require(${JSON.stringify(p)});`),
    'const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();',
    ...c.modules.map((m) => `require(${JSON.stringify(m)});`),
    'const t1 = process.hrtime.bigint(); const c1 = process.cpuUsage(c0);',
    'process.stdout.write(JSON.stringify({ ms: Number(t1 - t0) / 1e6, cpuMs: (c1.user + c1.system) / 1000, modules: Object.keys(require.cache).length }));',
  ].join('\n');
}

/** Times each case `runs` times, in alternation, each run a fresh `node -e` process. */
export function timeRequires(cases: RequireCase[], runs: number): RequireTime[] {
  const samples = cases.map(() => ({ ms: [] as number[], cpuMs: [] as number[], modules: 0 }));
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, j) => {
      const r = spawnSync(process.execPath, ['-e', childScript(c)], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) {
        throw new Error(`require case '${c.label}' failed:\n${r.stderr}`);
      }
      const out = JSON.parse(r.stdout);
      samples[j].ms.push(out.ms);
      samples[j].cpuMs.push(out.cpuMs);
      samples[j].modules = out.modules;
    });
  }
  return cases.map((c, j) => ({ label: c.label, ms: median(samples[j].ms), cpuMs: median(samples[j].cpuMs), modulesLoaded: samples[j].modules }));
}

/** The library's entry point as built by jsii. */
export const LIBRARY = './dist/index.js';
const KUBECTL_LAYER = '@aws-cdk/lambda-layer-kubectl-v36';

/** The cases bench/run.ts reports; the first is the baseline the others are compared with. */
export const REQUIRE_CASES: RequireCase[] = [
  { label: "`require('aws-cdk-lib')`", modules: ['aws-cdk-lib'] },
  { label: 'the library (`dist/`, aws-cdk-lib included)', modules: ['aws-cdk-lib', LIBRARY] },
  { label: `the library without ${KUBECTL_LAYER} (an empty stand-in: what an optional, lazily loaded layer saves)`, modules: ['aws-cdk-lib', LIBRARY], stub: [KUBECTL_LAYER] },
  { label: 'cdk-nag alone (aws-cdk-lib included), which the library loads only when a compliance API runs', modules: ['aws-cdk-lib', 'cdk-nag'] },
];

/** Markdown lines: each case, and its cost over the first. */
export function requireTable(times: RequireTime[], runs: number): string[] {
  const base = times[0];
  return [
    `Import cost: \`require\` in a fresh \`node\` process, timed inside it (node's start-up left out), median of ${runs} runs, cases alternating.`, '',
    '| what is required | ms | over aws-cdk-lib (ms) | CPU ms | modules loaded |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...times.map((t) => `| ${t.label} | ${t.ms.toFixed(1)} | ${t === base ? '' : (t.ms - base.ms).toFixed(1)} | ${t.cpuMs.toFixed(1)} | ${t.modulesLoaded} |`),
  ];
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? process.env.BENCH_REQUIRE_RUNS ?? 21);
  process.stdout.write(`${requireTable(timeRequires(REQUIRE_CASES, runs), runs).join('\n')}\n`);
}
