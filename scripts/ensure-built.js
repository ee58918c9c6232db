'use strict';
// Builds dist/ with tsc when it is missing or older than any file in src/, so `npm start` and `npx vigil` work on a
// fresh checkout and after a pull without a separate build step.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : p.endsWith('.ts') ? fs.statSync(p).mtimeMs : 0);
  }
  return t;
}

function ensureBuilt(root) {
  const stamp = path.join(root, 'dist', '.built');
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (built >= newest(path.join(root, 'src'))) return;
  process.stderr.write('vigil: building dist/ (tsc)...\n');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  fs.writeFileSync(stamp, new Date().toISOString());
}

module.exports = { ensureBuilt };
