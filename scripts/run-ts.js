#!/usr/bin/env node
'use strict';
// Runs a TypeScript file directly: `node scripts/run-ts.js bench/captcha.ts [args...]`. Each .ts file is compiled
// in memory with @swc/core (a dev dependency already used by jest) when it is first required; no type checking,
// nothing written to disk. For benches and one-off scripts, not for production (that runs the tsc build in dist/).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  module._compile(code, filename);
};

const [file, ...args] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/run-ts.js FILE.ts [args...]\n');
  process.exit(2);
}
const target = path.resolve(file);
process.argv = [process.argv[0], target, ...args];
Module._load(target, null, true);
