import { CliIo, UsageError } from './io';
import { sitesCommand, sitesHelp } from './commands/sites';
import { moderatorsCommand, moderatorsHelp } from './commands/moderators';
import { captchaCommand, captchaHelp } from './commands/captcha';
import { modelsCommand, modelsHelp } from './commands/models';
import { integrationsCommand, integrationsHelp } from './commands/integrations';

type Entry = { help: string; run: () => Promise<(argv: string[], io: CliIo) => Promise<number>> };

/**
 * The `vigil` admin command. The model commands load lazily so that `vigil sites list` does not pay for loading the
 * training code.
 */
const commands: Record<string, Entry> = {
  sites: { help: sitesHelp, run: async () => sitesCommand },
  moderators: { help: moderatorsHelp, run: async () => moderatorsCommand },
  captcha: { help: captchaHelp, run: async () => captchaCommand },
  models: { help: modelsHelp, run: async () => modelsCommand },
  integrations: { help: integrationsHelp, run: async () => integrationsCommand },
  train: { help: 'vigil train --task spam|toxicity --data PATH... --out models/NAME.json [--seed N] [--holdout F]', run: async () => (await import('./commands/train')).run },
  eval: { help: 'vigil eval --model PATH --data PATH... [--holdout F --seed N]', run: async () => (await import('./commands/eval')).run },
  score: { help: 'vigil score --model spam|toxicity|PATH [--explain] < comments.jsonl', run: async () => (await import('./commands/score')).run },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const usage = () => Object.values(commands).map((c) => c.help).join('\n');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`Usage:\n${usage()}\n\nEvery command that touches Redis reads REDIS_URL (default: the Redis that npm start runs, redis://127.0.0.1:6380).\n`);
    return name ? 0 : 2;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`vigil: unknown command "${name}"\n\nUsage:\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await entry.run())(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`vigil ${name}: ${(err as Error).message}\n\n${entry.help}\n`);
      return 2;
    }
    io.stderr.write(`vigil ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
