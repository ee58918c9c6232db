/**
 * Runs `vigil train|eval|score` straight from the TypeScript sources, for machines without a build:
 *   node scripts/run-ts.js bench/classifier-cli.ts train --task spam --data ... --out models/spam.json
 * Same code as the `vigil` subcommands.
 */
import type { CliIo } from '../src/cli/io';

const commands: Record<string, () => { run: (argv: string[], io: CliIo) => Promise<number> }> = {
  train: () => require('../src/cli/commands/train'),
  eval: () => require('../src/cli/commands/eval'),
  score: () => require('../src/cli/commands/score'),
};

const [name, ...argv] = process.argv.slice(2);
const load = commands[name];
if (!load) {
  process.stderr.write('usage: node scripts/run-ts.js bench/classifier-cli.ts train|eval|score [options]\n');
  process.exitCode = 2;
} else {
  load()
    .run(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
    .then((code) => (process.exitCode = code));
}
