import { PassThrough } from 'node:stream';
import { captchaCommand } from '../../../src/cli/commands/captcha';
import { UsageError } from '../../../src/cli/io';
import { CAPTCHA_CHARSET } from '../../../src/captcha/render';

async function cli(argv: string[]) {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let out = '', err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await captchaCommand(argv, { stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}

describe('vigil captcha sample', () => {
  it('when asked for N captchas, then it writes N JSON lines {svg, answer} as the API serves them', async () => {
    const { code, out } = await cli(['sample', '--count', '3']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['answer', 'svg']);
      expect(l.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="200" height="70"/);
      expect(l.answer).toMatch(new RegExp(`^[${CAPTCHA_CHARSET}]{5}$`));
    }
  });

  it('when the count is not a positive integer, then a usage error', async () => {
    await expect(cli(['sample', '--count', 'many'])).rejects.toThrow(UsageError);
    await expect(cli(['sample', '--count', '0'])).rejects.toThrow('--count');
  });
});
