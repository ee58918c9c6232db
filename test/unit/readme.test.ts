import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configSpec } from '../../src/config';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Every markdown file a reader can reach: the README, the guides, the decision records, the model card. */
function docFiles(): string[] {
  const inDir = (dir: string) =>
    fs.existsSync(path.join(root, dir)) ? fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.md')).map((f) => `${dir}/${f}`) : [];
  return ['README.md', 'models/MODEL_CARD.md', 'bench/RESULTS.md', ...inDir('docs'), ...inDir('docs/decisions')];
}

/** Rows of a markdown table whose first cell is a backticked name: `| \`NAME\` | ... |`. */
function tableRows(text: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^\| `([^`]+)` \|(.*)\|\s*$/.exec(line);
    if (m) rows.set(m[1], m[2].split(' | ').map((c) => c.trim()));
  }
  return rows;
}

describe('README and guides stay true', () => {
  const configDoc = read('docs/configuration.md');
  const configRows = tableRows(configDoc);

  it('when a variable is in the config schema, then docs/configuration.md has a row for it', () => {
    expect(Object.keys(configSpec).filter((name) => !configRows.has(name))).toEqual([]);
  });

  it('when docs/configuration.md has a row, then the variable exists in the config schema', () => {
    expect([...configRows.keys()].filter((name) => !(name in configSpec))).toEqual([]);
  });

  it('when a variable has a default in the code, then its row states that default', () => {
    const wrong: string[] = [];
    for (const [name, { schema }] of Object.entries(configSpec)) {
      const parsed = (schema as z.ZodType).safeParse(undefined);
      const value = parsed.success ? parsed.data : undefined;
      if (value === undefined || value === '') continue;
      const cell = configRows.get(name)?.[0] ?? '';
      if (!cell.includes(`\`${String(value)}\``)) wrong.push(`${name}: code ${String(value)}, docs ${cell}`);
    }
    expect(wrong).toEqual([]);
  });

  const errorsSource = read('src/errors.ts');
  const codes = [...errorsSource.matchAll(/super\('([a-z_]+)', \d{3}/g)].map((m) => m[1]);
  it('when errors.ts has error codes, then each one is in the error table of docs/api.md', () => {
    const api = read('docs/api.md');
    expect(codes.length).toBeGreaterThan(10);
    expect(codes.filter((code) => !api.includes(`| \`${code}\` |`))).toEqual([]);
  });

  it('when the README is read, then it is a front door of at most 250 lines with the two quick-start commands', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    expect(readme).toContain('bash scripts/quickstart.sh');
    expect(readme).toContain('bash scripts/test.sh');
  });

  it('when a doc links to a file in the repository, then that file exists', () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      const text = read(file);
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (!target || /^[a-z]+:/.test(target)) continue;
        if (!fs.existsSync(path.join(root, path.dirname(file), target))) broken.push(`${file} -> ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('when the README or a guide is read, then it has no UTC timestamps or machine-load narrative', () => {
    const guides = ['README.md', ...docFiles().filter((f) => /^docs\/[^/]+\.md$/.test(f))];
    const diary = /\b\d{1,2}:\d{2}(-\d{1,2}:\d{2})? UTC\b|\bload average (of |about )?\d/i;
    expect(guides.filter((f) => diary.test(read(f)))).toEqual([]);
  });

  it('when decision records are listed, then each is numbered NNNN-title.md and numbers are unique', () => {
    const files = fs.readdirSync(path.join(root, 'docs', 'decisions')).filter((f) => f.endsWith('.md'));
    expect(files.filter((f) => !/^\d{4}-[a-z0-9-]+\.md$/.test(f))).toEqual([]);
    const numbers = files.map((f) => f.slice(0, 4));
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
