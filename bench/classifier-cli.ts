/**
 * Runs `vigil train|eval|score` straight from the TypeScript sources, for machines without a build:
 *   node scripts/run-ts.js bench/classifier-cli.ts train --task spam --data ... --out models/spam.json
 * Same code as the `vigil` subcommands.
 */
import type { CliIo } from '../src/cli/io';

type Run = (argv: string[], io: CliIo) => Promise<number>;

const commands: Record<string, () => Promise<{ run: Run }>> = {
  train: () => import('../src/cli/commands/train'),
  eval: () => import('../src/cli/commands/eval'),
  score: () => import('../src/cli/commands/score'),
};

const [name, ...argv] = process.argv.slice(2);
const load = commands[name];
if (!load) {
  process.stderr.write('usage: node scripts/run-ts.js bench/classifier-cli.ts train|eval|score [options]\n');
  process.exitCode = 2;
} else {
  load()
    .then((m) => m.run(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }))
    .then((code) => (process.exitCode = code));
}
