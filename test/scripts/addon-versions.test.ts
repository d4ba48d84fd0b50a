import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { HELM_CHARTS, KUBECTL_LAYERS, MANAGED_ADDON_BUILDS } from '../../lib/eks/addons/addon-versions';
import {
  AddonVersionsRecord, BuildTable, compareBuilds, isOffered, parseArguments, refreshTable, renderTable, replaceGenerated,
} from '../../scripts/addon-versions';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'describe-addon-versions');
const TABLE_FILE = path.join(__dirname, '..', '..', 'lib', 'eks', 'addons', 'addon-versions.ts');

/** The recorded describe-addon-versions output for a Kubernetes minor. */
function record(minor: string): AddonVersionsRecord {
  return { output: JSON.parse(readFileSync(path.join(FIXTURES, `kubernetes-${minor}.json`), 'utf8')), source: `fixture ${minor}` };
}

const RECORDS = ['1.33', '1.34', '1.35', '1.36'].map(record);

describe('the version table', () => {
  test('holds, for every add-on and Kubernetes minor, a build the recorded output offers for that minor', () => {
    const unoffered = Object.entries(MANAGED_ADDON_BUILDS).flatMap(([addonName, builds]) => Object.entries(builds)
      .filter(([minor, build]) => !isOffered(RECORDS, addonName, minor, build.version))
      .map(([minor, build]) => `${addonName} ${minor} ${build.version}`));
    expect(unoffered).toEqual([]);
  });

  test('says for every entry where and when it was seen', () => {
    const entries = [...Object.values(MANAGED_ADDON_BUILDS).flatMap((b) => Object.values(b)), ...Object.values(HELM_CHARTS), ...Object.values(KUBECTL_LAYERS)];
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.seen).toMatch(/\d{4}/);
      expect(entry.source.length).toBeGreaterThan(0);
    }
  });

  test('pins for 1.36 the builds EKS marked default for 1.36, and the newest offered where none was marked', () => {
    const pins = Object.fromEntries(Object.entries(MANAGED_ADDON_BUILDS).map(([name, builds]) => [name, builds['1.36']?.version]));
    expect(pins).toEqual({
      'amazon-cloudwatch-observability': 'v6.6.0-eksbuild.1',
      'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
      'aws-efs-csi-driver': 'v3.4.2-eksbuild.1',
      'coredns': 'v1.14.3-eksbuild.24',
      'eks-pod-identity-agent': 'v1.4.0-eksbuild.2',
      'kube-proxy': 'v1.36.0-eksbuild.25',
      'metrics-server': 'v0.9.0-eksbuild.11',
      'vpc-cni': 'v1.23.1-eksbuild.1',
    });
  });

  test('never goes back to an older build from one Kubernetes minor to a newer one, so an upgrade never asks EKS to downgrade an add-on', () => {
    const backwards: string[] = [];
    for (const [addonName, builds] of Object.entries(MANAGED_ADDON_BUILDS)) {
      const minors = Object.keys(builds).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
      minors.slice(1).forEach((minor, i) => {
        if (compareBuilds(builds[minor].version, builds[minors[i]].version) < 0) {
          backwards.push(`${addonName} ${minors[i]} ${builds[minors[i]].version} -> ${minor} ${builds[minor].version}`);
        }
      });
    }
    expect(backwards).toEqual([]);
  });

  test('is what a refresh from the recorded output picks, build for build', () => {
    const refreshed = refreshTable(MANAGED_ADDON_BUILDS, RECORDS, { seen: 'test' });
    const versions = (table: BuildTable) => Object.fromEntries(Object.entries(table).map(([n, b]) => [n, Object.fromEntries(Object.entries(b).map(([m, e]) => [m, e.version]))]));
    expect(versions(refreshed)).toEqual(versions(MANAGED_ADDON_BUILDS));
  });
});

describe('scripts/addon-versions.ts', () => {
  test('takes the build EKS marks default for a minor, with the date given and the record as source', () => {
    const table = refreshTable({ 'vpc-cni': {} }, [record('1.36')], { seen: '2026-11-30' });
    expect(table['vpc-cni']['1.36']).toEqual({
      version: 'v1.23.1-eksbuild.1',
      seen: 'describe-addon-versions --kubernetes-version 1.36, default, 2026-11-30',
      source: 'fixture 1.36',
    });
  });

  test('takes the newest offered build where no build is marked default', () => {
    const table = refreshTable({ 'vpc-cni': {} }, [record('1.33')], { seen: '2026-11-30' });
    expect(table['vpc-cni']['1.33'].version).toBe('v1.22.3-eksbuild.1');
    expect(table['vpc-cni']['1.33'].seen).toBe('describe-addon-versions --kubernetes-version 1.33, newest offered, 2026-11-30');
  });

  test('replaces a build the record no longer offers and keeps entries it does not cover', () => {
    const stale = { version: 'v6.1.0-eksbuild.1', seen: 'old', source: 'old' };
    const other = { version: 'v6.1.0-eksbuild.1', seen: 'kept', source: 'kept' };
    const table = refreshTable({ 'amazon-cloudwatch-observability': { '1.36': stale, '1.35': other } }, [record('1.36')], { seen: 'now' });
    expect(table['amazon-cloudwatch-observability']['1.36'].version).toBe('v6.6.0-eksbuild.1');
    expect(table['amazon-cloudwatch-observability']['1.35']).toBe(other);
  });

  test('leaves out a build older than a lower minor\'s: the 1.34 record lists vpc-cni and coredns builds older than the 1.33 ones', () => {
    const table = refreshTable(MANAGED_ADDON_BUILDS, [record('1.34')], { seen: 'now' });
    expect(isOffered([record('1.34')], 'vpc-cni', '1.34', 'v1.21.1-eksbuild.3')).toBe(true);
    expect(table['vpc-cni']['1.34']).toBeUndefined();
    expect(table.coredns['1.34']).toBeUndefined();
    expect(table['kube-proxy']['1.34'].version).toBe('v1.34.3-eksbuild.2');
  });

  test('keeps the entry a downgrading build would replace when that entry is not older', () => {
    const kept = { version: 'v1.22.4-eksbuild.1', seen: 'before', source: 'earlier record' };
    const table = refreshTable({ 'vpc-cni': { '1.33': MANAGED_ADDON_BUILDS['vpc-cni']['1.33'], '1.34': kept } }, [record('1.34')], { seen: 'now' });
    expect(table['vpc-cni']['1.34']).toBe(kept);
  });

  test('refreshes only the add-ons of the table and, when asked, only the minors given', () => {
    const table = refreshTable({ 'kube-proxy': {} }, RECORDS, { seen: 'now', minors: ['1.36'] });
    expect(Object.keys(table)).toEqual(['kube-proxy']);
    expect(Object.keys(table['kube-proxy'])).toEqual(['1.36']);
  });

  test('orders builds by number, not by text', () => {
    expect(['v1.9.0-eksbuild.2', 'v1.10.0-eksbuild.1', 'v1.10.0-eksbuild.10', 'v1.10.0-eksbuild.9'].sort(compareBuilds))
      .toEqual(['v1.9.0-eksbuild.2', 'v1.10.0-eksbuild.1', 'v1.10.0-eksbuild.9', 'v1.10.0-eksbuild.10']);
  });

  test('writes the table in the format of the table file, so an unchanged table rewrites the file unchanged', () => {
    const text = readFileSync(TABLE_FILE, 'utf8');
    expect(replaceGenerated(text, renderTable(MANAGED_ADDON_BUILDS))).toBe(text);
  });

  test('rewrites only the GENERATED block of the table file', () => {
    const text = readFileSync(TABLE_FILE, 'utf8');
    const refreshed = replaceGenerated(text, renderTable(refreshTable(MANAGED_ADDON_BUILDS, [record('1.36')], { seen: '2026-11-30' })));
    expect(refreshed).toContain("seen: 'describe-addon-versions --kubernetes-version 1.36, default, 2026-11-30'");
    const outside = (t: string) => t.replace(/\/\/ BEGIN GENERATED[\s\S]*\/\/ END GENERATED[^\n]*/, '');
    expect(outside(refreshed)).toBe(outside(text));
  });

  test('quotes text with quotes and backslashes so the file stays valid', () => {
    const block = renderTable({ x: { '1.36': { version: 'v1.0.0-eksbuild.1', seen: 'it\'s', source: 'a\\b' } } });
    expect(block).toContain("seen: 'it\\'s',");
    expect(block).toContain("source: 'a\\\\b',");
  });

  test('reads output files and the date from the command line', () => {
    expect(parseArguments(['--seen', '2026-11-30', 'a.json', 'b.json'])).toEqual(expect.objectContaining({ seen: '2026-11-30', files: ['a.json', 'b.json'], awsMinors: [] }));
    expect(parseArguments(['--seen', '2026-11-30', '--aws', '1.35,1.36']).awsMinors).toEqual(['1.35', '1.36']);
  });

  test('fails when no date is given', () => {
    expect(() => parseArguments(['a.json'])).toThrow(/^--seen: the date the records were taken is required, got none; usage:/);
  });

  test('fails when neither an output file nor --aws is given', () => {
    expect(() => parseArguments(['--seen', '2026-11-30'])).toThrow(/^files: no describe-addon-versions output given/);
  });

  test('fails when --aws names something other than Kubernetes minors', () => {
    expect(() => parseArguments(['--seen', 'x', '--aws', '1.36,latest'])).toThrow(/^--aws: not a Kubernetes minor version, got 'latest'/);
  });

  test('fails when an option is unknown', () => {
    expect(() => parseArguments(['--seen', 'x', '--region', 'eu-west-1'])).toThrow(/^--region: not an option of this script/);
  });

  test('fails when a file is not describe-addon-versions output', () => {
    expect(() => refreshTable({}, [{ output: {} as any, source: 'x.json' }], { seen: 'x' })).toThrow(/^records: not the JSON output of 'aws eks describe-addon-versions', got no addons array in x.json/);
  });
});
