// Refreshes the managed add-on builds of lib/eks/addons/addon-versions.ts from the JSON output of
// `aws eks describe-addon-versions --kubernetes-version 1.NN`.
//
//   npm run addon-versions -- --seen 2026-11-30 out-1.35.json out-1.36.json
//   npm run addon-versions -- --seen 2026-11-30 --aws 1.35,1.36      (calls the AWS CLI; needs credentials)
//
// For each add-on of the table and each Kubernetes version the output lists it for, the table gets the
// build EKS marks default there, else the newest build offered there. Entries the output says nothing
// about are kept. Only the GENERATED block of the table file is rewritten. Everything except `main`
// is pure, so the tests run it on recorded output without spawning processes.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { MANAGED_ADDON_BUILDS, SeenBuild } from '../lib/eks/addons/addon-versions';

/** The parts of `aws eks describe-addon-versions` JSON output this script reads. */
export interface DescribeAddonVersionsOutput {
  readonly addons: ReadonlyArray<{
    readonly addonName: string;
    readonly addonVersions: ReadonlyArray<{
      readonly addonVersion: string;
      readonly compatibilities?: ReadonlyArray<{ readonly clusterVersion: string; readonly defaultVersion?: boolean }>;
    }>;
  }>;
}

/** One saved or fetched output and where it came from. */
export interface AddonVersionsRecord {
  readonly output: DescribeAddonVersionsOutput;
  /** Where the output is public or how it was produced, written to each entry's `source`. */
  readonly source: string;
}

/** The managed add-on builds, by add-on name and Kubernetes minor. */
export type BuildTable = Readonly<Record<string, Readonly<Record<string, SeenBuild>>>>;

/** What one Kubernetes minor offers of one add-on in the records. */
interface Offer {
  readonly builds: Set<string>;
  readonly defaults: Set<string>;
  readonly source: string;
}

const BEGIN_MARKER = '// BEGIN GENERATED: managed add-on builds';
const END_MARKER = '// END GENERATED: managed add-on builds';
const BUILD = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/;

/** Orders builds `v1.2.3-eksbuild.4` numerically; a build of another shape sorts first. */
export function compareBuilds(a: string, b: string): number {
  const pa = BUILD.exec(a)?.slice(1).map(Number) ?? [];
  const pb = BUILD.exec(b)?.slice(1).map(Number) ?? [];
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) {
      return d;
    }
  }
  return a.localeCompare(b);
}

/** Orders Kubernetes minors `1.9` < `1.10` numerically. */
function compareMinors(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2 || a.localeCompare(b);
}

/** Every build each add-on is offered in for each Kubernetes minor, and which of them EKS marks default. */
export function offers(records: ReadonlyArray<AddonVersionsRecord>): Map<string, Map<string, Offer>> {
  const result = new Map<string, Map<string, Offer>>();
  for (const { output, source } of records) {
    if (!Array.isArray(output?.addons)) {
      throw new Error(`records: not the JSON output of 'aws eks describe-addon-versions', got no addons array in ${source}; save the output with --output json`);
    }
    for (const addon of output.addons) {
      const byMinor = result.get(addon.addonName) ?? new Map<string, Offer>();
      result.set(addon.addonName, byMinor);
      for (const version of addon.addonVersions ?? []) {
        for (const compat of version.compatibilities ?? []) {
          const offer = byMinor.get(compat.clusterVersion) ?? { builds: new Set<string>(), defaults: new Set<string>(), source };
          byMinor.set(compat.clusterVersion, offer);
          offer.builds.add(version.addonVersion);
          if (compat.defaultVersion === true) {
            offer.defaults.add(version.addonVersion);
          }
        }
      }
    }
  }
  return result;
}

/** Options of {@link refreshTable}. */
export interface RefreshOptions {
  /** When the records were taken, e.g. `2026-11-30`, written to each refreshed entry's `seen`. */
  readonly seen: string;
  /** Refresh only these Kubernetes minors. @default - every minor the records list */
  readonly minors?: ReadonlyArray<string>;
}

/**
 * The table with each add-on's build per minor taken from the records: the default build, else the
 * newest offered. Add-ons are the table's (the library installs no others); entries the records do
 * not cover are kept as they are.
 */
export function refreshTable(current: BuildTable, records: ReadonlyArray<AddonVersionsRecord>, options: RefreshOptions): BuildTable {
  const offered = offers(records);
  const next: Record<string, Record<string, SeenBuild>> = {};
  for (const [addonName, builds] of Object.entries(current)) {
    const entries: Record<string, SeenBuild> = { ...builds };
    const refreshed = new Set<string>();
    for (const [minor, offer] of offered.get(addonName) ?? []) {
      if (options.minors && !options.minors.includes(minor)) {
        continue;
      }
      const defaults = [...offer.defaults].sort(compareBuilds);
      const pick = defaults.length > 0 ? defaults[defaults.length - 1] : [...offer.builds].sort(compareBuilds).pop()!;
      entries[minor] = {
        version: pick,
        seen: `describe-addon-versions --kubernetes-version ${minor}, ${defaults.length > 0 ? 'default' : 'newest offered'}, ${options.seen}`,
        source: offer.source,
      };
      refreshed.add(minor);
    }
    next[addonName] = withoutDowngrades(entries, builds, refreshed);
  }
  return next;
}

/**
 * Drops a refreshed build that is older than the build of a lower minor (restoring the entry it
 * replaced, if that one is not older): a cluster upgrade moves each add-on to the new minor's build, and
 * EKS does not downgrade an add-on, so such a build would fail the upgrade. An older record for a newer
 * minor (an early 1.34 listing next to a later 1.33 one) is the usual cause.
 */
export function withoutDowngrades(entries: Record<string, SeenBuild>, previous: Readonly<Record<string, SeenBuild>>, refreshed: ReadonlySet<string>): Record<string, SeenBuild> {
  const result: Record<string, SeenBuild> = { ...entries };
  let newest: string | undefined;
  for (const minor of Object.keys(result).sort(compareMinors)) {
    if (newest !== undefined && compareBuilds(result[minor].version, newest) < 0 && refreshed.has(minor)) {
      const before = Object.hasOwn(previous, minor) ? previous[minor] : undefined;
      if (before !== undefined && compareBuilds(before.version, newest) >= 0) {
        result[minor] = before;
      } else {
        delete result[minor];
        continue;
      }
    }
    if (newest === undefined || compareBuilds(result[minor].version, newest) > 0) {
      newest = result[minor].version;
    }
  }
  return result;
}

/** Whether `version` is offered for `minor` in the records. */
export function isOffered(records: ReadonlyArray<AddonVersionsRecord>, addonName: string, minor: string, version: string): boolean {
  return offers(records).get(addonName)?.get(minor)?.builds.has(version) ?? false;
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
}

/** The GENERATED block of the table file, markers included, in the file's format. */
export function renderTable(table: BuildTable): string {
  const lines = [`  ${BEGIN_MARKER} (npm run addon-versions)`];
  for (const addonName of Object.keys(table).sort()) {
    const minors = Object.keys(table[addonName]).sort(compareMinors);
    if (minors.length === 0) {
      lines.push(`  ${quote(addonName)}: {},`);
      continue;
    }
    lines.push(`  ${quote(addonName)}: {`);
    for (const minor of minors) {
      const build = table[addonName][minor];
      lines.push(
        `    ${quote(minor)}: {`,
        `      version: ${quote(build.version)},`,
        `      seen: ${quote(build.seen)},`,
        `      source: ${quote(build.source)},`,
        '    },',
      );
    }
    lines.push('  },');
  }
  lines.push(`  ${END_MARKER}`);
  return lines.join('\n');
}

/** The table file's text with its GENERATED block replaced by `block`. */
export function replaceGenerated(fileText: string, block: string): string {
  const lines = fileText.split('\n');
  const begin = lines.findIndex((l) => l.includes(BEGIN_MARKER));
  const end = lines.findIndex((l) => l.includes(END_MARKER));
  if (begin < 0 || end < begin) {
    throw new Error(`table: the table file has no '${BEGIN_MARKER}' ... '${END_MARKER}' block, got markers at lines ${begin + 1} and ${end + 1}; restore the markers around MANAGED_ADDON_BUILDS`);
  }
  return [...lines.slice(0, begin), block, ...lines.slice(end + 1)].join('\n');
}

/** The script's arguments. */
export interface Arguments {
  readonly seen: string;
  readonly files: string[];
  readonly awsMinors: string[];
  readonly source?: string;
  readonly table: string;
}

const USAGE = 'usage: npm run addon-versions -- --seen <date> [--source <where>] [--aws 1.35,1.36] [--table <file>] <describe-addon-versions.json>...';

/** Parses the command line (after `npm run addon-versions --`). */
export function parseArguments(argv: ReadonlyArray<string>): Arguments {
  let seen: string | undefined;
  let source: string | undefined;
  let table = path.join(__dirname, '..', 'lib', 'eks', 'addons', 'addon-versions.ts');
  const files: string[] = [];
  const awsMinors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) {
        throw new Error(`${arg}: needs a value, got none; ${USAGE}`);
      }
      return v;
    };
    if (arg === '--seen') {
      seen = value();
    } else if (arg === '--source') {
      source = value();
    } else if (arg === '--table') {
      table = value();
    } else if (arg === '--aws') {
      for (const minor of value().split(',')) {
        if (!/^1\.\d+$/.test(minor)) {
          throw new Error(`--aws: not a Kubernetes minor version, got '${minor}'; pass minors such as 1.35,1.36`);
        }
        awsMinors.push(minor);
      }
    } else if (arg.startsWith('--')) {
      throw new Error(`${arg}: not an option of this script, got '${arg}'; ${USAGE}`);
    } else {
      files.push(arg);
    }
  }
  if (seen === undefined) {
    throw new Error(`--seen: the date the records were taken is required, got none; ${USAGE}`);
  }
  if (files.length === 0 && awsMinors.length === 0) {
    throw new Error(`files: no describe-addon-versions output given, got no file and no --aws; ${USAGE}`);
  }
  return { seen, source, files, awsMinors, table };
}

/** Reads the records, refreshes the table and rewrites the table file. The only part with I/O. */
function main(argv: ReadonlyArray<string>): void {
  const args = parseArguments(argv);
  const records: AddonVersionsRecord[] = args.files.map((file) => ({
    output: JSON.parse(readFileSync(file, 'utf8')) as DescribeAddonVersionsOutput,
    source: args.source ?? `aws eks describe-addon-versions output ${path.basename(file)}`,
  }));
  for (const minor of args.awsMinors) {
    // Only on request: the AWS CLI with the caller's credentials and region.
    const stdout = execFileSync('aws', ['eks', 'describe-addon-versions', '--kubernetes-version', minor, '--output', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    records.push({ output: JSON.parse(stdout) as DescribeAddonVersionsOutput, source: args.source ?? `aws eks describe-addon-versions --kubernetes-version ${minor}` });
  }
  const next = refreshTable(MANAGED_ADDON_BUILDS, records, { seen: args.seen });
  writeFileSync(args.table, replaceGenerated(readFileSync(args.table, 'utf8'), renderTable(next)));
  for (const [addonName, builds] of Object.entries(next)) {
    for (const [minor, build] of Object.entries(builds)) {
      const covered = isOffered(records, addonName, minor, build.version);
      process.stdout.write(`${addonName} ${minor} ${build.version}${covered ? '' : '  (kept: not in these records)'}\n`);
    }
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}
