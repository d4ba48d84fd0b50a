// kubernetes-models 5 (Kubernetes 1.36's schemas) and the packages it loads are ESM only, which jest's
// CommonJS runtime cannot load (jest's own require of ESM needs --experimental-vm-modules). jest.config.js
// sends them here: the resolver picks their `import` export, the transformer turns each ES module into
// CommonJS with TypeScript (jest caches the result).
'use strict';
const ts = require('typescript');

const ESM_PACKAGES = ['kubernetes-models', '@kubernetes-models/[^/]+', 'is-cidr', 'cidr-regex'];
const ESM_ONLY = new RegExp(`^(${ESM_PACKAGES.join('|')})(/|$)`);
/** For jest.config.js: a file of one of these packages. */
const ESM_FILE = `/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`;
/** For jest.config.js: node_modules except these packages. */
const IGNORE_OTHER_PACKAGES = `/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`;

function resolve(request, options) {
  if (ESM_ONLY.test(request)) {
    return options.defaultResolver(request, { ...options, conditions: ['import', 'default'] });
  }
  return options.defaultResolver(request, options);
}

const transformer = {
  process(source, filename) {
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, esModuleInterop: true },
    });
    return { code: out.outputText };
  },
};

module.exports = { resolve, transformer, ESM_FILE, IGNORE_OTHER_PACKAGES };
