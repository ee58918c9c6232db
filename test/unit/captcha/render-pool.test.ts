import { until } from '../../helpers/wait';
import { RenderPool } from '../../../src/captcha/render-pool';
import { completeBody } from '../../../src/captcha/prepared';
import { CAPTCHA_CHARSET } from '../../../src/captcha/render';
import { createLogger } from '../../../src/logger';
import { randomId } from '../../../src/captcha/random';


describe('captcha render pool', () => {
  it('when started, then a worker thread fills the pool and every captcha taken is a fresh, valid one', async () => {
    const pool = new RenderPool(createLogger('silent'));
    try {
      await until('the pool to fill', () => pool.size >= 32);
      const expiresAt = new Date().toISOString();
      const taken = Array.from({ length: 300 }, () => pool.take()).map((c) => ({ ...c, json: JSON.parse(completeBody(c, expiresAt).toString()) }));
      for (const c of taken) {
        expect(c.json).toEqual({ id: c.id, type: 'svg', svg: expect.stringMatching(/^<svg /), expiresAt });
        expect(c.answer).toMatch(new RegExp(`^[${CAPTCHA_CHARSET}]{5}$`));
      }
      // Never the same image or id twice, whether it came from the thread or was drawn on the spot.
      expect(new Set(taken.map((c) => c.json.svg)).size).toBe(taken.length);
      expect(new Set(taken.map((c) => c.id)).size).toBe(taken.length);
      await until('the pool to fill', () => pool.size >= 32);
    } finally {
      await pool.close();
    }
  });

  it('when the thread is gone, then captchas are still drawn, on the spot', async () => {
    const pool = new RenderPool(createLogger('silent'));
    await pool.close();
    expect(pool.size).toBe(0);
    const c = pool.take();
    expect(JSON.parse(completeBody(c, new Date().toISOString()).toString()).svg).toMatch(/^<svg /);
  });
});

describe('captcha ids', () => {
  it('when ids are drawn, then each is 16 bytes of base64url and none repeats', () => {
    const ids = Array.from({ length: 20000 }, () => randomId());
    for (const id of ids.slice(0, 100)) expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
