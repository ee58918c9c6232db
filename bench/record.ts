/**
 * The one writer of bench/RESULTS.md. Each bench script hands its last result to `recordBench`, which stores it as
 * bench/results/<name>.json (the machine, the date, the command that produced it, its tables and its raw numbers) and
 * then renders RESULTS.md again from every file in bench/results/. Nobody edits RESULTS.md by hand: the figures there
 * are always the ones a script measured, next to the command that reproduces them.
 *
 *   node scripts/run-ts.js bench/record.ts      # re-render RESULTS.md from bench/results/*.json
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchTable {
  /** A sentence above the table, e.g. what the rows are. */
  caption?: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

export interface BenchMachine {
  cpus: number;
  cpuModel?: string;
  node: string;
  os?: string;
  /** One-minute load average when the run ended: other work on a shared machine moves every figure. */
  loadAverage?: number;
}

export interface BenchRecord {
  /** Section title in RESULTS.md. */
  title: string;
  /** The exact command, from the repository root, that reproduces the result. */
  command: string;
  /** ISO time of the run. */
  at: string;
  machine: BenchMachine;
  tables: BenchTable[];
  /** Short lines under the tables: targets met or missed, what a column means. */
  notes?: string[];
  /** The script's full result, for whoever wants more than the tables. */
  raw?: unknown;
}

export const RESULTS_DIR = path.join(__dirname, 'results');
export const RESULTS_MD = path.join(__dirname, 'RESULTS.md');

/** The machine a bench runs on, as RESULTS.md states it. */
export function thisMachine(): BenchMachine {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
  };
}

/** The command line that ran this script, as a reader would type it from the repository root. */
export function commandLine(script: string, args: string[] = process.argv.slice(2)): string {
  return [script, ...args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}

/** Stores one bench's result and re-renders RESULTS.md. `name` is the file name under bench/results/. */
export function recordBench(
  name: string,
  record: Omit<BenchRecord, 'at' | 'machine'> & Partial<Pick<BenchRecord, 'at' | 'machine'>>,
  dir = RESULTS_DIR,
  mdPath = RESULTS_MD,
): string {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bench result name must be kebab-case: ${name}`);
  const full: BenchRecord = { at: new Date().toISOString(), machine: thisMachine(), ...record };
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(full, null, 2) + '\n');
  fs.writeFileSync(mdPath, renderResults(readResults(dir)));
  return file;
}

export function readResults(dir = RESULTS_DIR): Array<{ name: string; record: BenchRecord }> {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort()
    .map((name) => ({ name, record: JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as BenchRecord }));
}

const cell = (v: string | number): string => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderTable(t: BenchTable): string[] {
  return [
    ...(t.caption ? [t.caption, ''] : []),
    `| ${t.columns.map(cell).join(' | ')} |`,
    `|${t.columns.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

export function renderResults(results: Array<{ name: string; record: BenchRecord }>): string {
  const out = [
    '# Benchmark results',
    '',
    'Written by the bench scripts through `bench/record.ts` from their JSON results in `bench/results/`; do not edit by',
    'hand. Each section is the last run of one script: the command reproduces it, and the machine and date say where',
    'and when it ran. Figures from a shared machine move with its other load, so compare runs made side by side.',
  ];
  for (const { name, record: r } of results) {
    const m = r.machine;
    out.push(
      '',
      `## ${r.title}`,
      '',
      '```sh',
      r.command,
      '```',
      '',
      `Run ${r.at.slice(0, 10)} on ${m.cpus} CPUs (${m.cpuModel ?? 'unknown CPU'}), Node ${m.node}` +
        `${m.os ? `, ${m.os}` : ''}${m.loadAverage !== undefined ? `, load average ${m.loadAverage} at the end` : ''}` +
        `; result file \`bench/results/${name}.json\`.`,
    );
    for (const t of r.tables) out.push('', ...renderTable(t));
    if (r.notes?.length) out.push('', ...r.notes.map((n) => `- ${n}`));
  }
  if (!results.length) out.push('', 'No results yet: run a bench script.');
  return out.join('\n') + '\n';
}

if (require.main === module) {
  fs.writeFileSync(RESULTS_MD, renderResults(readResults()));
  process.stdout.write(`written ${path.relative(process.cwd(), RESULTS_MD)}\n`);
}
