/**
 * `npm run bench`: synth time, template size and scale of the examples, each against the same
 * architecture written with plain aws-cdk-lib, measured on this machine in one run.
 *
 * - synth wall time: median of RUNS whole-process runs (tsx + app + synth, as `cdk synth` pays it),
 *   ours and plain alternating, and the ratio of their CPU times, which a shared machine disturbs less
 * - resources per template, Lambda functions, custom resources, asset bytes in the cloud assembly
 * - scale: N services in one app, whole-process and warm in one process (growth without start-up),
 *   and how many fit under CloudFormation's 500 resources per stack
 *
 * Prints a markdown table and writes it to bench/RESULTS.md with the date and the machine.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median } from './median';
import { PLATFORM_STACK_ID, SERVICES_PER_STACK } from './scale/ecs-services-app';
import { COMPARISONS, SCALE_TARGET, TARGETS } from './targets';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SCALE_COUNTS = [1, 10, 50];
const CFN_RESOURCE_LIMIT = 500;
const ROOT = path.join(__dirname, '..');

interface Measure {
  readonly medianMs: number;
  /** Median CPU time (user + system) of the synthesizing process. */
  readonly medianCpuMs: number;
  readonly resources: number;
  readonly lambdas: number;
  readonly customResources: number;
  readonly assetBytes: number;
  /** Logical ids of the Lambda functions, to show where each comes from. */
  readonly lambdaIds: string[];
  /** Resources per stack, by stack name. */
  readonly stackResources: Record<string, number>;
}

/** Runs a bench script with tsx in its own process; returns its wall time and the JSON of its last stdout line. */
function runScript(script: string, args: string[]): { ms: number; result: any } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, script), ...args], { cwd: ROOT, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${script} ${args.join(' ')} failed:\n${r.stderr}`);
  }
  return { ms, result: JSON.parse(r.stdout.trim().split('\n').pop()!) };
}

function synthOnce(target: string, count = 1): { ms: number; cpuMs: number; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${target}-`));
  const { ms, result } = runScript('synth-one.ts', [target, outdir, String(count)]);
  return { ms, cpuMs: result.cpuMs, outdir };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : fs.statSync(full).size;
  }
  return total;
}

/** Counts over every template of an assembly (nested stacks included). */
function inspect(outdir: string): Omit<Measure, 'medianMs' | 'medianCpuMs'> {
  let lambdas = 0;
  let customResources = 0;
  let assetBytes = 0;
  const lambdaIds: string[] = [];
  const stackResources: Record<string, number> = {};
  for (const entry of fs.readdirSync(outdir)) {
    const full = path.join(outdir, entry);
    if (entry.endsWith('.template.json')) {
      const template = JSON.parse(fs.readFileSync(full, 'utf8'));
      stackResources[entry.replace(/\.template\.json$/, '')] = Object.keys(template.Resources ?? {}).length;
      for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
        if (r.Type === 'AWS::Lambda::Function') {
          lambdas++;
          lambdaIds.push(id);
        }
        if (r.Type === 'AWS::CloudFormation::CustomResource' || r.Type.startsWith('Custom::')) {
          customResources++;
        }
      }
    } else if (entry.startsWith('asset.')) {
      assetBytes += fs.statSync(full).isDirectory() ? dirBytes(full) : fs.statSync(full).size;
    }
  }
  const resources = Object.values(stackResources).reduce((sum, n) => sum + n, 0);
  return { resources, lambdas, customResources, assetBytes, lambdaIds, stackResources };
}

/**
 * Measures targets in alternation (a, b, a, b, ...), so that a slower spell of a shared machine
 * weighs on each of them alike and their ratio stays fair.
 */
function measureAlternating(targets: string[], count = 1): Measure[] {
  const times: number[][] = targets.map(() => []);
  const cpuTimes: number[][] = targets.map(() => []);
  const counts: Array<Omit<Measure, 'medianMs' | 'medianCpuMs'> | undefined> = targets.map(() => undefined);
  for (let i = 0; i < RUNS; i++) {
    targets.forEach((target, t) => {
      const { ms, cpuMs, outdir } = synthOnce(target, count);
      times[t].push(ms);
      cpuTimes[t].push(cpuMs);
      counts[t] ??= inspect(outdir);
      fs.rmSync(outdir, { recursive: true, force: true });
    });
  }
  return targets.map((_, t) => ({ medianMs: median(times[t]), medianCpuMs: median(cpuTimes[t]), ...counts[t]! }));
}

function measure(target: string, count = 1): Measure {
  return measureAlternating([target], count)[0];
}

/** Median warm synth time per count, from one process (bench/synth-warm.ts). */
function synthWarm(target: string, counts: number[]): Record<number, number> {
  return runScript('synth-warm.ts', [target, String(RUNS), ...counts.map(String)]).result;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function main(): void {
  const lines: string[] = [];
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
    `${RUNS} whole-process synth runs per row (median; ours and plain alternate). CDK_VALIDATION=${process.env.CDK_VALIDATION ?? 'on'}.`,
    '',
    '| example | synth ms (ours) | synth ms (plain aws-cdk-lib) | ratio | CPU ms ratio | resources (ours / plain) | Lambda functions (ours / plain) | custom resources (ours / plain) | asset MB (ours / plain) |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- |',
  );
  const lambdaNotes: string[] = [];
  for (const c of COMPARISONS) {
    const [ours, plain] = measureAlternating([c.ours, c.plain]);
    lambdaNotes.push(`- ${c.ours}: ${ours.lambdaIds.join(', ') || 'none'}; ${c.plain}: ${plain.lambdaIds.join(', ') || 'none'}`);
    lines.push(`| ${c.title} | ${ours.medianMs.toFixed(0)} | ${plain.medianMs.toFixed(0)} | ${(ours.medianMs / plain.medianMs).toFixed(2)} | ${(ours.medianCpuMs / plain.medianCpuMs).toFixed(2)} | ` +
      `${ours.resources} / ${plain.resources} | ${ours.lambdas} / ${plain.lambdas} | ${ours.customResources} / ${plain.customResources} | ${mb(ours.assetBytes)} / ${mb(plain.assetBytes)} |`);
    process.stderr.write(`${lines[lines.length - 1]}\n`);
  }

  lines.push('', 'Lambda functions by logical id:', '', ...lambdaNotes);

  if (SCALE_TARGET in TARGETS) {
    lines.push('', `Scale: N Fargate services in one app: a platform stack (VPC, cluster, ALB, log key) and stacks of up to ${SERVICES_PER_STACK} services (${SCALE_TARGET}).`, '',
      '| services | stacks | synth ms (whole process) | synth ms (warm, in process) | resources | largest stack | resources per added service | ms per added service (whole) | ms per added service (warm) |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const rows = SCALE_COUNTS.map((n) => ({ n, m: measure(SCALE_TARGET, n) }));
    const warm = synthWarm(SCALE_TARGET, SCALE_COUNTS);
    const first = rows[0];
    for (const { n, m } of rows) {
      const added = n === first.n ? ['', '', ''] : [
        ((m.resources - first.m.resources) / (n - first.n)).toFixed(1),
        ((m.medianMs - first.m.medianMs) / (n - first.n)).toFixed(0),
        ((warm[n] - warm[first.n]) / (n - first.n)).toFixed(1),
      ];
      lines.push(`| ${n} | ${Object.keys(m.stackResources).length} | ${m.medianMs.toFixed(0)} | ${warm[n].toFixed(0)} | ${m.resources} | ${Math.max(...Object.values(m.stackResources))} | ${added.join(' | ')} |`);
    }
    const last = rows[rows.length - 1];
    const perService = (last.m.resources - first.m.resources) / (last.n - first.n);
    const shared = first.m.stackResources[PLATFORM_STACK_ID];
    lines.push('', `Each service adds ${perService.toFixed(1)} resources; the platform stack holds ${shared}. ` +
      `**${Math.floor(CFN_RESOURCE_LIMIT / perService)} services fit in one application stack** under CloudFormation's ${CFN_RESOURCE_LIMIT} resources, ` +
      `${Math.floor((CFN_RESOURCE_LIMIT - shared) / perService)} when they share a stack with the platform.`);
  }

  const table = lines.join('\n');
  process.stdout.write(`${table}\n`);
  fs.writeFileSync(path.join(__dirname, 'RESULTS.md'), `# Benchmark results\n\nWritten by \`npm run bench\` (bench/run.ts).\n\n${table}\n`);
}

main();
