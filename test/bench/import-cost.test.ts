import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** The files of node_modules a fresh process holds after `require` of the library's entry point (through tsx). */
function modulesLoadedByImport(): string[] {
  const script = 'require("./lib/index.ts"); process.stdout.write(JSON.stringify(Object.keys(require.cache)));';
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(r.stderr);
  }
  return (JSON.parse(r.stdout) as string[]).filter((f) => f.includes('node_modules')).map((f) => f.replace(/.*node_modules\//, ''));
}

describe('what importing the library loads', () => {
  // One process for both tests: a fresh node with tsx takes a few seconds.
  let loaded: string[];
  beforeAll(() => {
    loaded = modulesLoadedByImport();
  }, 60_000);

  test('loads no cdk-nag: a compliance API loads it when first used', () => {
    expect(loaded.filter((f) => f.startsWith('cdk-nag/'))).toEqual([]);
  });

  test('loads no EKS or EFS implementation, which an ECS-only user would pay for without calling it', () => {
    expect(loaded.filter((f) => /^aws-cdk-lib\/(aws-eks-v2|aws-efs)\/lib\//.test(f))).toEqual([]);
  });
});
