import fs from 'node:fs';
import path from 'node:path';
import { configSpec } from '../../src/config';

const root = path.join(__dirname, '..', '..');
const docsDir = path.join(root, 'docs');
// The README's tables are moving into the guides under docs/; a row in either counts.
const readme = [path.join(root, 'README.md'), ...(fs.existsSync(docsDir) ? fs.readdirSync(docsDir).filter((f) => f.endsWith('.md')).map((f) => path.join(docsDir, f)) : [])]
  .map((f) => fs.readFileSync(f, 'utf8'))
  .join('\n');
const errorsSource = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'errors.ts'), 'utf8');

describe('README stays true', () => {
  it('when a variable is in the config schema, then the README documents it', () => {
    expect(Object.keys(configSpec).filter((name) => !readme.includes(`| \`${name}\` |`))).toEqual([]);
  });

  const codes = [...errorsSource.matchAll(/super\('([a-z_]+)', \d{3}/g)].map((m) => m[1]);
  it('when errors.ts has error codes, then each one is in the README error table', () => {
    expect(codes.length).toBeGreaterThan(10);
    expect(codes.filter((code) => !readme.includes(`| \`${code}\` |`))).toEqual([]);
  });
});
