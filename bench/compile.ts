/**
 * Compiles the benchmark's apps (bench/ and examples/) to JavaScript in bench/out/, so that the timed
 * processes run `node` on compiled code, as a user's compiled CDK app does, with no TypeScript compiler in
 * them. `../lib` resolves to the library as published: bench/out/lib links to dist/ (`npm run build`).
 *
 * TypeScript's own transpiler, file by file (as ts-jest's isolatedModules), with the project's compiler options.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
/** Where the compiled apps go (git-ignored). */
export const OUT = path.join(ROOT, 'bench', 'out');
const SOURCES = ['bench', 'examples'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      return full === OUT ? [] : sourceFiles(full);
    }
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Compiles bench/ and examples/ into bench/out/ and links bench/out/lib to dist/; returns OUT. */
export function compileBench(): string {
  const dist = path.join(ROOT, 'dist', 'index.js');
  if (!fs.existsSync(dist)) {
    throw new Error(`${dist} not found; run \`npm run build\` first: the benchmark times the library as published`);
  }
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2023,
    esModuleInterop: true,
    resolveJsonModule: true,
  };
  fs.rmSync(OUT, { recursive: true, force: true });
  for (const file of SOURCES.flatMap((s) => sourceFiles(path.join(ROOT, s)))) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
    const target = path.join(OUT, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  fs.symlinkSync(path.join(ROOT, 'dist'), path.join(OUT, 'lib'), 'dir');
  return OUT;
}

if (require.main === module) {
  process.stdout.write(`${compileBench()}\n`);
}
