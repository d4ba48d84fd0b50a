/**
 * `npm run bench`: import time, synth time, template size and scale of the examples, each against the same
 * architecture written with plain aws-cdk-lib, measured on this machine in one run.
 *
 * Every timed process runs compiled JavaScript with `node`, as a user's compiled app under `cdk synth` does:
 * bench/compile.ts compiles bench/ and examples/ to bench/out/, where `../lib` is the library as published
 * (dist/, from `npm run build`). No TypeScript compiler runs in a timed process, and a plain twin's process
 * never loads this library.
 *
 * - import: `require` of the library against `require('aws-cdk-lib')` (bench/require-time.ts)
 * - synth: median of RUNS whole-process runs, ours and plain alternating, with aws-cdk-lib's CloudFormation
 *   validation off (`CDK_VALIDATION=false`) and on (the default); the process's CPU time, which a shared
 *   machine disturbs less than wall time; inside the process, loading, building the tree and `app.synth()`
 * - per resource: the median of RUNS warm syntheses in one process (after a first one that loads every
 *   module), divided by the resources: what each resource costs once start-up and loading are paid
 * - deploy time: an estimate of CloudFormation create and delete time from each template's critical
 *   path (bench/deploy-estimate.ts, durations in bench/deploy-durations.ts), ours against plain
 * - resources per template, Lambda functions, custom resources, asset bytes in the cloud assembly
 * - scale: N services in one app, whole-process and warm in one process (growth without start-up),
 *   and how many fit under CloudFormation's 500 resources per stack
 *
 * Prints markdown tables and writes them to bench/RESULTS.md with the date and the machine.
 * `tsx bench/run.ts --deploy` prints only the deploy-time estimate (one synth per example, seconds).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileBench } from './compile';
import { durationOf, unlistedTypes } from './deploy-durations';
import { DeployEstimate, describePath, estimateDeploy, formatDuration } from './deploy-estimate';
import { median } from './median';
import { REQUIRE_CASES, requireTable, timeRequires } from './require-time';
import { PLATFORM_STACK_ID, SERVICES_PER_STACK } from './scale/ecs-services-app';
import { COMPARISONS, DEPLOY_ONLY, SCALE_TARGET } from './targets';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const REQUIRE_RUNS = Number(process.env.BENCH_REQUIRE_RUNS ?? 31);
const SCALE_COUNTS = [1, 10, 50];
const CFN_RESOURCE_LIMIT = 500;
const ROOT = path.join(__dirname, '..');
/** The compiled bench scripts (bench/compile.ts), set by main() and deployOnly(). */
let compiledBench = '';

/** Medians, in milliseconds, of one target's runs. */
interface Timing {
  /** Wall time of the whole process: node's start-up, loading, building, synthesizing, exit. */
  readonly medianMs: number;
  /** CPU time (user + system) of the process. */
  readonly medianCpuMs: number;
  /** Inside the process: from its first line until the target's modules are loaded. */
  readonly loadMs: number;
  /** Inside the process: the stacks' constructors. */
  readonly constructMs: number;
  /** Inside the process: `app.synth()`. */
  readonly synthMs: number;
}

interface Measure extends Timing {
  readonly resources: number;
  readonly lambdas: number;
  readonly customResources: number;
  readonly assetBytes: number;
  /** Logical ids of the Lambda functions, to show where each comes from. */
  readonly lambdaIds: string[];
  /** Resources per stack, by stack name. */
  readonly stackResources: Record<string, number>;
  /** Estimated CloudFormation create and delete time of the app's single stack (none for several stacks). */
  readonly deploy?: { readonly create: DeployEstimate; readonly delete: DeployEstimate; readonly unlisted: string[] };
}

type Counts = Omit<Measure, keyof Timing>;

/** A target and the CloudFormation validation setting to synthesize it with. */
interface Run {
  readonly target: string;
  readonly validation: boolean;
}

/** Runs a compiled bench script with node in its own process; returns its wall time and the JSON of its last stdout line. */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; result: any } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(compiledBench, script), ...args], { cwd: ROOT, encoding: 'utf8', env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${script} ${args.join(' ')} failed:\n${r.stderr}`);
  }
  return { ms, result: JSON.parse(r.stdout.trim().split('\n').pop()!) };
}

/** aws-cdk-lib reads CDK_VALIDATION=false to skip its CloudFormation validation at synth. */
function validationEnv(validation: boolean): NodeJS.ProcessEnv {
  return { ...process.env, CDK_VALIDATION: validation ? 'true' : 'false' };
}

interface OneRun {
  readonly ms: number;
  readonly cpuMs: number;
  readonly loadMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly outdir: string;
}

function synthOnce(target: string, count = 1, validation = true): OneRun {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${target}-`));
  const { ms, result } = runScript('synth-one.js', [target, outdir, String(count)], validationEnv(validation));
  return { ms, ...result, outdir };
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
function inspect(outdir: string): Counts {
  let lambdas = 0;
  let customResources = 0;
  let assetBytes = 0;
  const lambdaIds: string[] = [];
  const stackResources: Record<string, number> = {};
  const templates: any[] = [];
  for (const entry of fs.readdirSync(outdir)) {
    const full = path.join(outdir, entry);
    if (entry.endsWith('.template.json')) {
      const template = JSON.parse(fs.readFileSync(full, 'utf8'));
      templates.push(template);
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
  const deploy = templates.length === 1
    ? {
      create: estimateDeploy(templates[0], 'create', durationOf),
      delete: estimateDeploy(templates[0], 'delete', durationOf),
      unlisted: unlistedTypes(templates[0].Resources ?? {}),
    }
    : undefined;
  return { resources, lambdas, customResources, assetBytes, lambdaIds, stackResources, deploy };
}

/**
 * Measures runs in alternation (a, b, a, b, ...), so that a slower spell of a shared machine
 * weighs on each of them alike and their ratio stays fair.
 */
function measureAlternating(runs: Run[], count = 1): Measure[] {
  const samples: OneRun[][] = runs.map(() => []);
  const counts: Array<Counts | undefined> = runs.map(() => undefined);
  for (let i = 0; i < RUNS; i++) {
    runs.forEach((run, t) => {
      const one = synthOnce(run.target, count, run.validation);
      samples[t].push(one);
      counts[t] ??= inspect(one.outdir);
      fs.rmSync(one.outdir, { recursive: true, force: true });
    });
  }
  return runs.map((_, t) => {
    const m = (key: keyof Omit<OneRun, 'outdir'>) => median(samples[t].map((one) => one[key]));
    return { medianMs: m('ms'), medianCpuMs: m('cpuMs'), loadMs: m('loadMs'), constructMs: m('constructMs'), synthMs: m('synthMs'), ...counts[t]! };
  });
}

function measure(target: string, count = 1): Measure {
  return measureAlternating([{ target, validation: process.env.CDK_VALIDATION !== 'false' }], count)[0];
}

/** Synthesizes a target once, without validation (the template is the same), and reads it. */
function inspectOnce(target: string): Counts {
  const { outdir } = synthOnce(target, 1, false);
  const counts = inspect(outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  return counts;
}

const ratio = (a: number, b: number) => (a / b).toFixed(2);

/**
 * The deploy-time section: create and delete estimates, ours against plain, and the critical path
 * of each, so a reader sees which resources decide the time.
 */
function deploySection(rows: Array<{ title: string; ours: string; plain?: string; o: Counts; p?: Counts }>): string[] {
  const lines = [
    '', 'Deploy time (estimate): the longest chain of dependencies in each template (DependsOn, Ref, Fn::GetAtt, Fn::Sub), each resource weighted by a typical ' +
    'CloudFormation duration for its type (bench/deploy-durations.ts, with a source or "estimate" per row); the Fargate profiles of a cluster one at a time, as EKS ' +
    'handles them; deletion walks the graph backwards, retained resources free. Minutes:seconds; what matters is the ratio, both sides using one table.', '',
    '| example | create (ours) | create (plain) | ratio | delete (ours) | delete (plain) | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const paths: string[] = [];
  for (const { title, ours, plain, o, p } of rows) {
    if (!o.deploy) {
      continue;
    }
    const od = o.deploy;
    const pd = p?.deploy;
    lines.push(`| ${title} | ${formatDuration(od.create.seconds)} | ${pd ? formatDuration(pd.create.seconds) : '—'} | ${pd ? ratio(od.create.seconds, pd.create.seconds) : '—'} | ` +
      `${formatDuration(od.delete.seconds)} | ${pd ? formatDuration(pd.delete.seconds) : '—'} | ${pd ? ratio(od.delete.seconds, pd.delete.seconds) : '—'} |`);
    paths.push(`- ${ours} create: ${describePath(od.create.path)}`);
    if (pd) {
      paths.push(`- ${plain} create: ${describePath(pd.create.path)}`);
    }
    paths.push(`- ${ours} delete: ${describePath(od.delete.path)}`);
    if (pd) {
      paths.push(`- ${plain} delete: ${describePath(pd.delete.path)}`);
    }
  }
  const unlisted = [...new Set(rows.flatMap((r) => [...(r.o.deploy?.unlisted ?? []), ...(r.p?.deploy?.unlisted ?? [])]))].sort();
  if (unlisted.length > 0) {
    lines.push('', `Types not in the duration table (weighted as unlisted): ${unlisted.join(', ')}.`);
  }
  return [
    ...lines, '',
    'The plain EKS twins run the vpc-cni, kube-proxy and CoreDNS that EKS installs by itself (no CloudFormation resource, so nothing on their path); ' +
    'ours installs them as managed add-ons, and its CoreDNS add-on waits for nodes or Fargate to run on. The model gives each add-on its minute once its ' +
    'stated dependencies are done; an add-on whose pods need nodes but does not wait for them (the plain twins\' add-ons) may in fact take longer. ' +
    '`npm run bench:deploy` prints this section alone.',
    '', 'Critical paths (resource types in order, consecutive repeats folded, time on the path):', '', ...paths,
  ];
}

function deployOnly(): void {
  compiledBench = path.join(compileBench(), 'bench');
  const rows = [
    ...COMPARISONS.map((c) => ({ ...c, o: inspectOnce(c.ours), p: inspectOnce(c.plain) })),
    ...DEPLOY_ONLY.map((d) => ({ ...d, o: inspectOnce(d.ours) })),
  ];
  process.stdout.write(`${deploySection(rows).join('\n')}\n`);
}

/** Median warm synth time per count, from one process (bench/synth-warm.ts). */
function synthWarm(target: string, counts: number[], env: NodeJS.ProcessEnv = process.env): Record<number, number> {
  return runScript('synth-warm.js', [target, String(RUNS), ...counts.map(String)], env).result;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Median wall time of a `node` process that does nothing: the start-up every row pays. */
function nodeStartupMs(): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

interface Row {
  readonly title: string;
  readonly ours: Measure;
  readonly plain: Measure;
  /** Median warm synthesis, ms (bench/synth-warm.ts). */
  readonly oursWarm: number;
  readonly plainWarm: number;
}

/** One table of the comparison rows for one validation setting. */
function synthTable(rows: Row[]): string[] {
  const f = (n: number) => n.toFixed(0);
  const perResource = (ms: number, resources: number) => ms / resources;
  return [
    '| example | resources (ours / plain) | process ms (ours / plain) | ratio | CPU ms (ours / plain) | ratio | ' +
    'in process: load ms (ours / plain) | build ms | synth ms | warm synth ms (ours / plain) | warm ms per resource (ours / plain) | ratio |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(({ title, ours: o, plain: p, oursWarm, plainWarm }) => {
      const po = perResource(oursWarm, o.resources);
      const pp = perResource(plainWarm, p.resources);
      return `| ${title} | ${o.resources} / ${p.resources} | ${f(o.medianMs)} / ${f(p.medianMs)} | ${ratio(o.medianMs, p.medianMs)} | ` +
        `${f(o.medianCpuMs)} / ${f(p.medianCpuMs)} | ${ratio(o.medianCpuMs, p.medianCpuMs)} | ` +
        `${f(o.loadMs)} / ${f(p.loadMs)} | ${f(o.constructMs)} / ${f(p.constructMs)} | ${f(o.synthMs)} / ${f(p.synthMs)} | ` +
        `${f(oursWarm)} / ${f(plainWarm)} | ${po.toFixed(2)} / ${pp.toFixed(2)} | ${ratio(po, pp)} |`;
    }),
  ];
}

function main(): void {
  compiledBench = path.join(compileBench(), 'bench');
  const lines: string[] = [];
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  const load = os.loadavg()[0];
  const requireTimes = timeRequires(REQUIRE_CASES, REQUIRE_RUNS);
  const startup = nodeStartupMs();
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version} ` +
    `(load average ${load.toFixed(1)} when the run started: other work on the machine slows every number, ours and plain alike). ` +
    'Every timed process is `node` running compiled JavaScript (bench/compile.ts); the library is `dist/` as `npm run build` writes it.',
    '', ...requireTable(requireTimes, REQUIRE_RUNS), '',
  );
  const lambdaNotes: string[] = [];
  const deployRows: Parameters<typeof deploySection>[0] = [];
  const rowsOff: Row[] = [];
  const rowsOn: Row[] = [];
  const assetLines: string[] = [];
  for (const c of COMPARISONS) {
    const [oursOff, plainOff, ours, plain] = measureAlternating([
      { target: c.ours, validation: false }, { target: c.plain, validation: false },
      { target: c.ours, validation: true }, { target: c.plain, validation: true },
    ]);
    const warm = (t: string, v: boolean) => synthWarm(t, [1], validationEnv(v))[1];
    rowsOff.push({ title: c.title, ours: oursOff, plain: plainOff, oursWarm: warm(c.ours, false), plainWarm: warm(c.plain, false) });
    rowsOn.push({ title: c.title, ours, plain, oursWarm: warm(c.ours, true), plainWarm: warm(c.plain, true) });
    lambdaNotes.push(`- ${c.ours}: ${ours.lambdaIds.join(', ') || 'none'}; ${c.plain}: ${plain.lambdaIds.join(', ') || 'none'}`);
    assetLines.push(`| ${c.title} | ${ours.lambdas} / ${plain.lambdas} | ${ours.customResources} / ${plain.customResources} | ${mb(ours.assetBytes)} / ${mb(plain.assetBytes)} |`);
    deployRows.push({ ...c, o: ours, p: plain });
    process.stderr.write(`${synthTable([rowsOff[rowsOff.length - 1]]).pop()}\n`);
  }
  lines.push(
    `Synth, validation off (\`CDK_VALIDATION=false\`): median of ${RUNS} whole-process runs per row (ours and plain alternate); ` +
    `a \`node\` process that does nothing takes ${startup.toFixed(0)} ms here. In process: load is from the process's first line until the app's ` +
    'modules are loaded (ours: the library; aws-cdk-lib loads most of its modules lazily, during build); build is the stacks\' constructors; ' +
    `synth is \`app.synth()\`. Warm: median of ${RUNS} syntheses in one process after a first one, every module loaded: what the resources themselves cost.`,
    '', ...synthTable(rowsOff), '',
    'Synth, validation on (aws-cdk-lib\'s CloudFormation validation at synth, the default):', '', ...synthTable(rowsOn), '',
    '| example | Lambda functions (ours / plain) | custom resources (ours / plain) | asset MB (ours / plain) |',
    '| --- | --- | --- | --- |', ...assetLines,
  );

  lines.push('', 'Lambda functions by logical id:', '', ...lambdaNotes);

  deployRows.push(...DEPLOY_ONLY.map((d) => ({ ...d, o: inspectOnce(d.ours) })));
  lines.push(...deploySection(deployRows));

  // BENCH_SCALE=false skips the scale section (several minutes on a busy machine).
  if (process.env.BENCH_SCALE !== 'false') {
    lines.push('', `Scale: N Fargate services in one app: a platform stack (VPC, cluster, ALB, log key) and stacks of up to ${SERVICES_PER_STACK} services (${SCALE_TARGET}); validation ${process.env.CDK_VALIDATION === 'false' ? 'off' : 'on'}.`, '',
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

if (process.argv.includes('--deploy')) {
  deployOnly();
} else {
  main();
}
