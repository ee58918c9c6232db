#!/usr/bin/env node
'use strict';
// Runs a TypeScript file directly: `node scripts/run-ts.js bench/captcha.ts [args...]` (see ts-require.js).
const path = require('node:path');
const Module = require('node:module');
require('./ts-require');

const [file, ...args] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/run-ts.js FILE.ts [args...]\n');
  process.exit(2);
}
const target = path.resolve(file);
process.argv = [process.argv[0], target, ...args];
Module._load(target, null, true);
