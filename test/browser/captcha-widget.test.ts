import type { BrowserContext, Page, Route } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../helpers/browser';
import { captchaStats } from '../../src/captcha/captcha-store';
import { CaptchaChallenge, issueCaptcha } from '../../src/captcha/issue';
import { solvePow } from '../../src/captcha/pow';
import { prepareCaptcha } from '../../src/captcha/prepared';
import { getSite } from '../../src/sites/site-store';
import type { PolicyPatch } from '../../src/sites/policy';
import { startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';
import { startWriting } from '../helpers/demo-form';

/**
 * The captcha widget in headless Chromium in the proof-of-work modes: it takes the mode from POST /v1/captchas, works
 * in a Web Worker while the reader types, shows its progress, and sends what the mode needs. The image's answer is
 * learnt in-process, as in demo.test.ts (production has no way to reveal it); the proof of work is never faked.
 */
let t: TestApp;
let browser: TestBrowser;
let context: BrowserContext;

beforeAll(async () => {
  t = await startTestApp({ DEMO_PAGE: 'true' }, { workers: false });
  browser = await launchBrowser();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const deps = (keep?: (answer: string) => void) => ({
  redis: t.redis, secret: t.service.ctx.moderation.secret, ttlSeconds: 300,
  prepare: () => { const p = prepareCaptcha(); keep?.(p.answer); return p; },
});

/** Serves the page challenges issued in-process (the real issue path) instead of its own POST /v1/captchas. */
async function serveChallenges(page: Page, make: () => Promise<Buffer>): Promise<void> {
  await page.route('**/v1/captchas', async (route: Route) => route.fulfill({ status: 201, contentType: 'application/json', body: await make() }));
}

/** Opens /demo and, unless told not to, starts writing (the widget waits for that before it fetches anything). */
async function openDemo(page: Page, siteKey: string, errors: string[], write = true): Promise<void> {
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${t.url}/demo/?siteKey=${siteKey}`);
  if (write) await startWriting(page);
}

async function fillForm(page: Page): Promise<void> {
  await page.fill('input[name=name]', 'Jane Reader');
  await page.fill('input[name=email]', 'jane@example.com');
  await page.fill('textarea[name=body]', 'Good to see the park approved at last; the cycle path will help a lot of families.');
}

async function submitAndReadOutcome(page: Page): Promise<string> {
  await page.click('#submit');
  await page.locator('#status.outcome').waitFor();
  return (await page.textContent('#status')) ?? '';
}

const OUTCOME = /^(Published\.|Held for review: a moderator will look at it\.|Not published: .+\.)$/;
const quiet: PolicyPatch = { minFillTimeMs: 0, powAdaptive: { network: [], site: [] } };

describe('captcha widget, proof-of-work modes', () => {
  it('when a site keeps the default mode, then /demo works a proof of work with no picture and the comment goes through', async () => {
    const site = await t.site({ minFillTimeMs: 0 }, [t.url]);
    const page = await context.newPage();
    const errors: string[] = [];
    await openDemo(page, site.siteKey, errors);
    await page.locator('#captcha-pow').waitFor({ state: 'visible' });
    expect(await page.locator('#captcha-img').isVisible()).toBe(false);
    expect(await page.getByLabel('Captcha Code').isVisible()).toBe(false);
    await page.waitForSelector('#captcha-pow[data-state=solved]');
    expect(await page.locator('#captcha-pow-progress').isVisible()).toBe(false);
    await fillForm(page);
    expect(await submitAndReadOutcome(page)).toMatch(OUTCOME);
    expect((await captchaStats(t.redis, site.siteId)).pow).toMatchObject({ solved: 1, failed: 0 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when a reader only reads the page, then no challenge is fetched; their first focus in the form fetches and solves one before they send', async () => {
    const site = await t.site({ ...quiet, captcha: 'pow', powDifficulty: 16 }, [t.url]);
    const page = await context.newPage();
    const asked: string[] = [];
    page.on('request', (r) => void (r.url().includes('/v1/captchas') && asked.push(r.url())));
    const errors: string[] = [];
    await openDemo(page, site.siteKey, errors, false);
    // The page has done its loading work: the widget is mounted and the thread under the article has been fetched.
    await page.locator('#captcha-pow').waitFor({ state: 'attached' });
    await page.locator('#thread .thread-empty').waitFor({ state: 'visible' });
    await page.mouse.wheel(0, 600);
    expect(asked).toEqual([]);
    expect((await captchaStats(t.redis, site.siteId)).pow.issued).toBe(0);
    expect(await page.locator('#captcha').isVisible()).toBe(false);

    await page.focus('textarea[name=body]');
    await page.locator('#captcha-pow').waitFor({ state: 'visible' });
    await fillForm(page);
    await page.waitForSelector('#captcha-pow[data-state=solved]');
    expect(asked).toHaveLength(1);
    expect(await submitAndReadOutcome(page)).toMatch(OUTCOME);
    expect((await captchaStats(t.redis, site.siteId)).pow).toMatchObject({ solved: 1, failed: 0 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('while the proof of work runs, then its bar moves and the reader types without delay', async () => {
    const site = await t.site({ ...quiet, captcha: 'pow', powDifficulty: 17 }, [t.url]);
    const record = (await getSite(t.redis, site.siteId))!;
    const page = await context.newPage();
    // A challenge whose answer lies past four of the worker's progress steps (2^15 tries each), so that there is
    // progress to see before it is found; about one challenge in three is such a one.
    await serveChallenges(page, async () => {
      for (;;) {
        const body = await issueCaptcha(deps(), record);
        const c = JSON.parse(body.toString()) as CaptchaChallenge;
        if (c.type === 'pow' && Number(solvePow(c.pow.salt, c.pow.difficulty)) >= 4 * 32768) return body;
      }
    });
    const errors: string[] = [];
    await openDemo(page, site.siteKey, errors);
    const bar = page.locator('#captcha-pow-progress');
    await page.waitForFunction(() => {
      const p = document.getElementById('captcha-pow-progress') as HTMLProgressElement | null;
      return !!p && p.value > 0 && document.getElementById('captcha-pow')?.dataset.state === 'solving';
    });
    expect(await bar.isVisible()).toBe(true);
    expect(await bar.getAttribute('aria-label')).toBe('Background check progress');
    // The page's own thread stays free: timers fire on time and typed keys land while the worker searches.
    const lagMs = await page.evaluate(async () => {
      let worst = 0;
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await new Promise((r) => setTimeout(r, 10));
        worst = Math.max(worst, performance.now() - t0 - 10);
      }
      return worst;
    });
    expect(lagMs).toBeLessThan(250);
    await page.locator('textarea[name=body]').pressSequentially('typing while it works');
    expect(await page.inputValue('textarea[name=body]')).toBe('typing while it works');
    await page.waitForSelector('#captcha-pow[data-state=solved]');
    await fillForm(page);
    expect(await submitAndReadOutcome(page)).toMatch(OUTCOME);
    expect((await captchaStats(t.redis, site.siteId)).pow.solved).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when the site asks for both, then the picture and the background check show, and the comment needs the two', async () => {
    const site = await t.site({ ...quiet, captcha: 'pow+svg', powDifficulty: 14 }, [t.url]);
    const record = (await getSite(t.redis, site.siteId))!;
    const answers: string[] = [];
    const page = await context.newPage();
    await serveChallenges(page, () => issueCaptcha(deps((a) => answers.push(a)), record));
    const errors: string[] = [];
    await openDemo(page, site.siteKey, errors);
    await page.waitForFunction(() => (document.getElementById('captcha-img') as HTMLImageElement | null)?.src.startsWith('data:image/svg+xml'));
    expect(await page.locator('#captcha-img').isVisible()).toBe(true);
    expect(await page.locator('#captcha-pow').isVisible()).toBe(true);

    // A wrong reading of the picture is refused beside its field, even with the proof of work done; a new pair follows.
    await fillForm(page);
    await page.fill('input[name=captcha]', 'wrong');
    await page.waitForSelector('#captcha-pow[data-state=solved]');
    await page.click('#submit');
    await page.locator('#err-captcha').filter({ hasText: /\S/ }).waitFor();
    await until('a new picture and proof of work', () => answers.length === 2);
    await page.waitForSelector('#captcha-pow[data-state=solved]');

    await fillForm(page);
    await page.fill('input[name=captcha]', answers[1]);
    expect(await submitAndReadOutcome(page)).toMatch(OUTCOME);
    const stats = (await captchaStats(t.redis, site.siteId))['pow+svg'];
    expect(stats).toMatchObject({ solved: 1, failed: 1 });
    expect(stats.issued).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
