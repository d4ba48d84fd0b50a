// npm run docs:check: compiles every TypeScript block of the README (and any @example of the API) against
// the public API with `jsii-rosetta extract --strict`, inside rosetta/default.ts-fixture (or the fixture a
// block names with `fixture=<name>`), and translates it to Python, C#, Java and Go; any compile or
// translation error fails. Then checks that rosetta really handled every README block (a wrong flag can
// make it translate nothing and still succeed). Reads the README from .jsii: run `npm run build` first.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const LANGUAGES = ['python', 'csharp', 'java', 'go'];
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
const fail = (msg) => { console.error(`docs:check: ${msg}`); process.exit(1); };

if (assembly.readme?.markdown?.trim() !== readme.trim()) {
  fail('the README in .jsii differs from README.md: run `npm run build` first');
}
// A fresh tablet: no translation is reused from an earlier run.
fs.rmSync(path.join(root, '.jsii.tabl.json'), { force: true });
const extract = spawnSync('jsii-rosetta', ['extract', '--strict', '--batch', '1000', '.jsii'], { cwd: root, stdio: 'inherit' });
if (extract.status !== 0) fail('jsii-rosetta extract failed: fix the snippets above (they compile inside rosetta/*.ts-fixture)');
const blocks = readme.split('\n').filter((line) => /^```(ts|typescript)\b/.test(line)).length;
const tablet = JSON.parse(fs.readFileSync(path.join(root, '.jsii.tabl.json'), 'utf8'));
const snippets = Object.values(tablet.snippets).filter((s) => s.location?.api?.api === 'moduleReadme');
if (snippets.length !== blocks) {
  fail(`README has ${blocks} TypeScript blocks but rosetta translated ${snippets.length}`);
}
for (const s of snippets) {
  const missing = LANGUAGES.filter((l) => !s.translations[l]);
  if (!s.didCompile || missing.length > 0) {
    fail(`README line ${s.location.field?.line}: compiled=${s.didCompile}, missing translations: ${missing.join(', ')}`);
  }
}
console.log(`docs:check: ${snippets.length} README snippets compiled (strict) and translated to ${LANGUAGES.join(', ')}`);
