/**
 * Where a request's CPU time goes, Vigil beside the baseline: reads the profiles that
 * `npm run bench -- --only <endpoint> --cpu-prof DIR` writes and prints microseconds per request by package.
 *
 *   node scripts/run-ts.js bench/cpu-table.ts DIR [--rows 30]
 *
 * Only each process's event-loop thread is read (Vigil's render thread draws captchas ahead of demand and is
 * printed as one total), idle samples are left out, and so are the samples under module loading, which are start-up.
 * Time is grouped by npm package, node's own modules, Vigil's capability folder, or the native function's name (such
 * as writev, the socket write of an answer). A script, not a test: the figures depend on the machine and its load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const { values, positionals } = parseArgs({ options: { rows: { type: 'string', default: '30' } }, allowPositionals: true });
const dir = positionals[0];
if (!dir) {
  process.stderr.write('usage: node scripts/run-ts.js bench/cpu-table.ts DIR [--rows N]\n');
  process.exit(2);
}

function groupOf(url: string, fn: string): string {
  if (!url) return fn || '(anonymous)';
  if (url.includes('node_modules/')) return `npm:${url.split('node_modules/').pop()!.split('/')[0]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (url.includes('/dist/')) return `vigil:${url.split('/dist/').pop()!.split('/')[0].replace(/\.js$/, '')}`;
  return path.basename(url);
}

/** Microseconds by group in one profile, without idle time and without start-up (module loading). */
function tally(file: string): Map<string, number> {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const loading = new Map<number, boolean>();
  const isLoading = (id: number): boolean => {
    if (loading.has(id)) return loading.get(id)!;
    const n = byId.get(id)!;
    const up = parent.get(id);
    const v = n.callFrame.functionName === 'Module._load' || (up !== undefined && isLoading(up));
    loading.set(id, v);
    return v;
  };
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)' || isLoading(id)) return;
    const g = groupOf(n.callFrame.url, n.callFrame.functionName);
    out.set(g, (out.get(g) ?? 0) + p.timeDeltas[i]);
  });
  return out;
}

/** Profiles are named CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the event loop. */
function profiles(sub: string): { main: string[]; others: string[] } {
  const files = fs.readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.cpuprofile'));
  const thread = (f: string) => f.split('.').at(-3);
  return {
    main: files.filter((f) => thread(f) === '0').map((f) => path.join(dir, sub, f)),
    others: files.filter((f) => thread(f) !== '0').map((f) => path.join(dir, sub, f)),
  };
}

function perRequest(sub: string, requests: number) {
  const { main, others } = profiles(sub);
  const groups = new Map<string, number>();
  for (const f of main) for (const [g, us] of tally(f)) groups.set(g, (groups.get(g) ?? 0) + us / requests);
  let otherThreads = 0;
  for (const f of others) for (const us of tally(f).values()) otherThreads += us / requests;
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  return { groups, total, otherThreads };
}

const requests = JSON.parse(fs.readFileSync(path.join(dir, 'requests.json'), 'utf8')) as { baseline: number; vigil: number };
const base = perRequest('baseline', requests.baseline);
const vigil = perRequest('vigil', requests.vigil);
const names = [...new Set([...vigil.groups.keys(), ...base.groups.keys()])].sort(
  (a, b) => (vigil.groups.get(b) ?? 0) - (vigil.groups.get(a) ?? 0) || (base.groups.get(b) ?? 0) - (base.groups.get(a) ?? 0),
);
const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1)).padStart(9);
const lines = [
  `requests answered: baseline ${requests.baseline}, Vigil ${requests.vigil}`,
  `${'µs per request (event loop)'.padEnd(34)}${'Vigil'.padStart(9)}${'baseline'.padStart(9)}${'extra'.padStart(9)}`,
  `${'total'.padEnd(34)}${fmt(vigil.total)}${fmt(base.total)}${fmt(vigil.total - base.total)}`,
  ...names.slice(0, Number(values.rows)).map((g) => {
    const v = vigil.groups.get(g);
    const b = base.groups.get(g);
    return `${g.slice(0, 33).padEnd(34)}${fmt(v)}${fmt(b)}${fmt((v ?? 0) - (b ?? 0))}`;
  }),
  `Vigil's other threads (captcha rendering): ${vigil.otherThreads.toFixed(1)} µs per request`,
];
process.stdout.write(lines.join('\n') + '\n');
