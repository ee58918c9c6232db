#!/usr/bin/env node
'use strict';
// The admin CLI runs from the compiled dist/; build first when a checkout has not been built yet.
const path = require('node:path');
const { ensureBuilt } = require('../scripts/ensure-built');
ensureBuilt(path.resolve(__dirname, '..'));
require('../dist/cli/main.js')
  .runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
  .then((code) => {
    process.exitCode = code;
  });
