import { parseArgs } from 'node:util';
import { renderCaptcha } from '../../captcha/render';
import { CliIo, UsageError } from '../io';

export const captchaHelp = `vigil captcha sample [--count N]         N fresh captchas as JSON lines {"svg", "answer"}, drawn exactly as
                                          POST /v1/captchas serves them, to test solvers against (CLI only)`;

const MAX = 1_000_000;

/** `vigil captcha sample`: needs no Redis; answers never leave the machine through HTTP. */
export async function captchaCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({ args: rest, options: { count: { type: 'string', default: '1' } } });
  if (sub !== 'sample') throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'a subcommand is required');
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX) throw new UsageError(`--count must be an integer from 1 to ${MAX}`);
  for (let i = 0; i < count; i++) {
    const { svg, answer } = renderCaptcha();
    // Respect back-pressure so that `| head` or a slow consumer does not buffer a million images in memory.
    if (!io.stdout.write(JSON.stringify({ svg, answer }) + '\n')) await new Promise((r) => io.stdout.once('drain', r));
  }
  return 0;
}
