import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';

/**
 * The dev bootstrap creates an admin and prints its secrets on the first start against any empty Redis, and /demo
 * serves a page with a form: both belong to a try-out on one's own machine, never to an install that did not ask.
 */
const root = path.join(__dirname, '..', '..');

it('when nothing is configured, then there is no dev bootstrap and no demo page', () => {
  const c = loadConfig({});
  expect(c.DEV_BOOTSTRAP).toBe(false);
  expect(c.DEMO_PAGE).toBe(false);
});

it('when the quick start script starts Vigil, then it turns both on unless the caller set them', () => {
  const line = fs.readFileSync(path.join(root, 'scripts', 'quickstart.sh'), 'utf8').split('\n').find((l) => l.startsWith('export DEV_BOOTSTRAP='));
  expect(line).toBeDefined();
  const run = (env: Record<string, string>) =>
    execFileSync('bash', ['-c', `${line}\necho "$DEV_BOOTSTRAP $DEMO_PAGE"`], { env: { PATH: process.env.PATH, ...env } }).toString().trim();
  expect(run({})).toBe('true true');
  expect(run({ DEV_BOOTSTRAP: 'false' })).toBe('false true');
});

it('when the Docker image or the compose file start Vigil, then neither turns the dev bootstrap on', () => {
  for (const f of ['Dockerfile', 'docker-compose.yml']) {
    const active = fs.readFileSync(path.join(root, f), 'utf8').split('\n').filter((l) => !/^\s*#/.test(l));
    expect(active.filter((l) => /DEV_BOOTSTRAP|DEMO_PAGE/.test(l))).toEqual([]);
  }
});

it('when CI runs, then it runs the README test command and then the Redis Cluster suite', () => {
  const steps = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const test = steps.indexOf('bash scripts/test.sh --ci');
  expect(test).toBeGreaterThanOrEqual(0);
  expect(steps.indexOf('npm run test:cluster')).toBeGreaterThan(test);
  expect(steps).toContain('set -euo pipefail');
});
