'use strict';
// `npm run lint` part: fails when the modules under src/ import each other in a cycle, counting `import type` too.
// eslint's import-x/no-cycle catches cycles of value imports while you edit, but skips type-only imports by design;
// a type-only cycle still means a shared type lives in the wrong module (docs/decisions/0011-no-import-cycles.md).
// Usage: node scripts/import-cycles.js [DIR]  (default src)
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'src'));

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [p] : [];
  });
}

/** The module a relative specifier names, as a file under src, or undefined for packages and other files. */
function resolve(from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const graph = new Map();
for (const file of files(root)) {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  graph.set(file, [...new Set(info.importedFiles.map((f) => resolve(file, f.fileName)).filter(Boolean))]);
}

// Tarjan's strongly connected components: every component of more than one module (or a module importing itself)
// is a cycle.
let index = 0;
const stack = [];
const state = new Map();
const cycles = [];
function visit(v) {
  state.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    if (!state.has(w)) {
      visit(w);
      state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
    } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
  }
  if (state.get(v).low === state.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      state.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component);
  }
}
for (const v of graph.keys()) if (!state.has(v)) visit(v);

if (cycles.length) {
  const rel = (f) => path.relative(process.cwd(), f);
  for (const c of cycles) process.stderr.write(`import cycle: ${c.map(rel).sort().join(' <-> ')}\n`);
  process.exit(1);
}
process.stdout.write(`no import cycles among ${graph.size} modules\n`);
