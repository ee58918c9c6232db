import fs from 'node:fs';
import path from 'node:path';
import { configSpec } from '../../src/config';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
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
