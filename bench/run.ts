/**
 * `npm run bench`: synth time, template size and scale of the examples, each against the same
 * architecture written with plain aws-cdk-lib, measured on this machine in one run.
 *
 * - synth wall time: median of RUNS whole-process runs (tsx + app + synth, as `cdk synth` pays it),
 *   ours and plain alternating, and the ratio of their CPU times, which a shared machine disturbs less;
 *   with aws-cdk-lib's CloudFormation validation on (the default) and off (`CDK_VALIDATION=false`)
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
import { durationOf, unlistedTypes } from './deploy-durations';
import { DeployEstimate, describePath, estimateDeploy, formatDuration } from './deploy-estimate';
import { median } from './median';
import { PLATFORM_STACK_ID, SERVICES_PER_STACK } from './scale/ecs-services-app';
import { COMPARISONS, DEPLOY_ONLY, SCALE_TARGET, TARGETS } from './targets';

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
  /** Estimated CloudFormation create and delete time of the app's single stack (none for several stacks). */
  readonly deploy?: { readonly create: DeployEstimate; readonly delete: DeployEstimate; readonly unlisted: string[] };
}

type Counts = Omit<Measure, 'medianMs' | 'medianCpuMs'>;

/** A target and the CloudFormation validation setting to synthesize it with. */
interface Run {
  readonly target: string;
  readonly validation: boolean;
}

/** Runs a bench script with tsx in its own process; returns its wall time and the JSON of its last stdout line. */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; result: any } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, script), ...args], { cwd: ROOT, encoding: 'utf8', env });
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

function synthOnce(target: string, count = 1, validation = true): { ms: number; cpuMs: number; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${target}-`));
  const { ms, result } = runScript('synth-one.ts', [target, outdir, String(count)], validationEnv(validation));
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
  const times: number[][] = runs.map(() => []);
  const cpuTimes: number[][] = runs.map(() => []);
  const counts: Array<Counts | undefined> = runs.map(() => undefined);
  for (let i = 0; i < RUNS; i++) {
    runs.forEach((run, t) => {
      const { ms, cpuMs, outdir } = synthOnce(run.target, count, run.validation);
      times[t].push(ms);
      cpuTimes[t].push(cpuMs);
      counts[t] ??= inspect(outdir);
      fs.rmSync(outdir, { recursive: true, force: true });
    });
  }
  return runs.map((_, t) => ({ medianMs: median(times[t]), medianCpuMs: median(cpuTimes[t]), ...counts[t]! }));
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
  const rows = [
    ...COMPARISONS.map((c) => ({ ...c, o: inspectOnce(c.ours), p: inspectOnce(c.plain) })),
    ...DEPLOY_ONLY.map((d) => ({ ...d, o: inspectOnce(d.ours) })),
  ];
  process.stdout.write(`${deploySection(rows).join('\n')}\n`);
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
    `${RUNS} whole-process synth runs per row and setting (median; ours and plain alternate). ` +
    'Validation: aws-cdk-lib\'s CloudFormation validation at synth, on by default, off with `CDK_VALIDATION=false`.',
    '',
    '| example | synth ms (ours) | synth ms (plain aws-cdk-lib) | ratio | CPU ms (ours / plain) | CPU ms ratio | ' +
    'without validation: synth ms (ours / plain) | ratio | CPU ms (ours / plain) | CPU ms ratio | ' +
    'resources (ours / plain) | Lambda functions (ours / plain) | custom resources (ours / plain) | asset MB (ours / plain) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- |',
  );
  const lambdaNotes: string[] = [];
  const deployRows: Parameters<typeof deploySection>[0] = [];
  for (const c of COMPARISONS) {
    const [ours, plain, oursOff, plainOff] = measureAlternating([
      { target: c.ours, validation: true }, { target: c.plain, validation: true },
      { target: c.ours, validation: false }, { target: c.plain, validation: false },
    ]);
    lambdaNotes.push(`- ${c.ours}: ${ours.lambdaIds.join(', ') || 'none'}; ${c.plain}: ${plain.lambdaIds.join(', ') || 'none'}`);
    deployRows.push({ ...c, o: ours, p: plain });
    lines.push(`| ${c.title} | ${ours.medianMs.toFixed(0)} | ${plain.medianMs.toFixed(0)} | ${ratio(ours.medianMs, plain.medianMs)} | ` +
      `${ours.medianCpuMs.toFixed(0)} / ${plain.medianCpuMs.toFixed(0)} | ${ratio(ours.medianCpuMs, plain.medianCpuMs)} | ` +
      `${oursOff.medianMs.toFixed(0)} / ${plainOff.medianMs.toFixed(0)} | ${ratio(oursOff.medianMs, plainOff.medianMs)} | ` +
      `${oursOff.medianCpuMs.toFixed(0)} / ${plainOff.medianCpuMs.toFixed(0)} | ${ratio(oursOff.medianCpuMs, plainOff.medianCpuMs)} | ` +
      `${ours.resources} / ${plain.resources} | ${ours.lambdas} / ${plain.lambdas} | ${ours.customResources} / ${plain.customResources} | ${mb(ours.assetBytes)} / ${mb(plain.assetBytes)} |`);
    process.stderr.write(`${lines[lines.length - 1]}\n`);
  }

  lines.push('', 'Lambda functions by logical id:', '', ...lambdaNotes);

  deployRows.push(...DEPLOY_ONLY.map((d) => ({ ...d, o: inspectOnce(d.ours) })));
  lines.push(...deploySection(deployRows));

  if (SCALE_TARGET in TARGETS) {
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
