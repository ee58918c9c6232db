'use strict';
// Lets require() load TypeScript: each .ts file is compiled in memory with @swc/core (a dev dependency already used
// by jest) when it is first required; no type checking, nothing written to disk. For benches, one-off scripts and
// the worker threads tests start from src/; production runs the tsc build in dist/.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = function compileTs(module, filename) {
    const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      sourceMaps: 'inline',
      module: { type: 'commonjs' },
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    });
    module._compile(code, filename);
  };
}
