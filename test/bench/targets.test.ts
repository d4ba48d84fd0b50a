import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { requireTable } from '../../bench/require-time';
import { target } from '../../bench/targets';

const ROOT = path.join(__dirname, '..', '..');

/** The files of lib/ a fresh process holds after loading one bench target's modules (through tsx). */
function libraryFilesLoadedBy(name: string): string[] {
  const script = `require("./bench/targets").target(${JSON.stringify(name)}).load(); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(r.stderr);
  }
  return (JSON.parse(r.stdout) as string[]).filter((f) => f.startsWith(path.join(ROOT, 'lib') + path.sep));
}

describe('bench targets', () => {
  test('a plain twin\'s process loads nothing of the library, so its time is aws-cdk-lib\'s alone', () => {
    expect(libraryFilesLoadedBy('plain-ecs-ec2')).toEqual([]);
  }, 60_000);

  test('an example\'s process loads the library through its entry point, as a user\'s app does', () => {
    expect(libraryFilesLoadedBy('EcsEc2Binpack')).toContain(path.join(ROOT, 'lib', 'index.ts'));
  }, 60_000);

  test('the plain EC2 twin builds an HTTPS EC2 service bin-packed on an Auto Scaling group capacity provider', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-target-'));
    try {
      const phases = target('plain-ecs-ec2').synth(outdir, 1);
      expect(phases.constructMs).toBeGreaterThan(0);
      const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outdir, 'Bench.template.json'), 'utf8')));
      template.hasResourceProperties('AWS::ECS::Service', { PlacementStrategies: [{ Type: 'binpack', Field: 'MEMORY' }] });
      template.resourceCountIs('AWS::ECS::CapacityProvider', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS' });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);

  test('fails with the list of targets when the name is unknown', () => {
    expect(() => target('NoSuchExample').load()).toThrow(/unknown bench target 'NoSuchExample'; targets: .*plain-ecs-ec2.*EcsFargateWeb/);
  }, 60_000);

  test('prints each require case with its cost over the first', () => {
    const table = requireTable([
      { label: 'base', ms: 10, cpuMs: 9, modulesLoaded: 1 },
      { label: 'lib', ms: 45.34, cpuMs: 40, modulesLoaded: 100 },
    ], 3);
    expect(table).toContain('| base | 10.0 |  | 9.0 | 1 |');
    expect(table).toContain('| lib | 45.3 | 35.3 | 40.0 | 100 |');
  });
});
