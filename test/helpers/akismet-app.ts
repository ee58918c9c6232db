import { resolveToLoopback } from './loopback-host';
import { startTestApp, TestApp } from './test-app';

/**
 * The app as Akismet clients reach it. Clients send to `<key>.<host>`, so the tests give them the host
 * `rest.vigil.test` and resolve it, and every name under it, to 127.0.0.1 for the length of the file; other names
 * resolve as usual.
 */
export const AKISMET_HOST = 'rest.vigil.test';
export const HAM = 'Thanks for the thorough reporting on the council budget; the figures on school funding were useful.';
export const SPAM = 'Make $5000 a week working from home!!! Click here http://money.example.biz to earn fast cash casino bonus';
export const BLOG = 'https://news.example';

export interface AkismetApp {
  readonly t: TestApp;
  /** The app's port, for clients that take `host:port`. */
  readonly port: string;
}

/** Starts one app for the calling test file (beforeAll) and stops it after (afterAll). */
export function useAkismetApp(): AkismetApp {
  let t: TestApp | undefined;
  let restoreLookup = () => {};
  beforeAll(async () => {
    restoreLookup = resolveToLoopback(AKISMET_HOST);
    // Wrong keys in these tests all come from 127.0.0.1; tests of the guessing limit start their own app.
    t = await startTestApp({ AKISMET_KEY_FAILURES: '100000' }, { workers: false });
  });
  afterAll(async () => {
    restoreLookup();
    await t?.close();
  });
  return {
    get t() {
      if (!t) throw new Error('the Akismet test app is used before beforeAll ran');
      return t;
    },
    get port() {
      return new URL(this.t.url).port;
    },
  };
}

/** A fresh commenter IP per call (in 198.51.100.0/24), so the per-IP rate limit never interferes. */
export function ipSequence(): () => string {
  let n = 0;
  return () => `198.51.100.${(n++ % 250) + 1}`;
}
