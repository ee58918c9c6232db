import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main';

/** Runs the `vigil` command in this process, with `input` on stdin; the caller sets REDIS_URL and VIGIL_SECRET. */
export async function runVigil(argv: string[], input = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = new PassThrough();
  stdin.end(input);
  const code = await runCli(argv, { stdin, stdout, stderr });
  return { code, out, err };
}
