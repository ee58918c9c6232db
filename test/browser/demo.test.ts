import { readThreadInfo } from '../../src/comments/thread-info';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../helpers/browser';
import { captchaStats } from '../../src/captcha/captcha-store';
import { issueCaptcha } from '../../src/captcha/issue';
import { prepareCaptcha } from '../../src/captcha/prepared';
import { getSite } from '../../src/sites/site-store';
import { startTestApp, TestApp } from '../helpers/test-app';
import { layoutAt, seriousViolations } from '../helpers/axe';
import { startWriting } from '../helpers/demo-form';

/**
 * The demo page in headless Chromium, in both captcha modes. In svg mode a browser test cannot read the picture (that
 * is the point of it), so the test issues the captcha itself, in-process, with the real renderer wrapped to keep the
 * answer, and hands it to the page in place of the POST /v1/captchas response. Production has no way to reveal an
 * answer; the wrapping exists only in this process. In pow mode nothing is faked: the browser solves the challenge.
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


async function fillForm(page: Page): Promise<void> {
  await page.fill('input[name=name]', 'Jane Reader');
  await page.fill('input[name=email]', 'jane@example.com');
  await page.fill('textarea[name=body]', 'Good to see the park approved at last; the cycle path will help a lot of families.');
}

describe('demo page in headless Chromium', () => {
  it('when the site uses image captchas and the reader types the answer, then the verdict appears', async () => {
    const site = await t.site({ minFillTimeMs: 0, captcha: 'svg' }, [t.url]);
    const siteRecord = (await getSite(t.redis, site.siteId))!;
    const answers: string[] = [];
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Any failed load (a missing favicon included) is an error a reader's browser console would show.
    page.on('response', (r) => void (r.status() >= 400 && !r.url().includes('/v1/comments') && errors.push(`${r.status()} ${r.url()}`)));
    await page.route('**/v1/captchas', async (route) => {
      const deps = {
        redis: t.redis, secret: t.service.ctx.moderation.secret, ttlSeconds: 300,
        prepare: () => {
          const p = prepareCaptcha();
          answers.push(p.answer);
          return p;
        },
      };
      await route.fulfill({ status: 201, contentType: 'application/json', body: await issueCaptcha(deps, siteRecord) });
    });
    await page.goto(`${t.url}/demo/?siteKey=${site.siteKey}`);
    await startWriting(page);
    const img = page.locator('#captcha-img');
    await img.waitFor();
    await page.waitForFunction(() => (document.getElementById('captcha-img') as HTMLImageElement).src.startsWith('data:image/svg+xml'));
    expect(await img.getAttribute('alt')).toMatch(/captcha/i);
    expect(await page.getByRole('button', { name: 'Show a new image', exact: true }).count()).toBe(1);
    expect(await page.getByLabel('Captcha Code').count()).toBe(1);
    // The picture really renders: a broken SVG would leave naturalWidth at 0.
    expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(200);

    const first = await img.getAttribute('src');
    await page.getByRole('button', { name: 'Show a new image', exact: true }).click();
    await page.waitForFunction((old) => (document.getElementById('captcha-img') as HTMLImageElement).src !== old, first);
    expect(answers).toHaveLength(2);

    await fillForm(page);
    await page.fill('input[name=captcha]', answers[1].toLowerCase());
    await page.click('#submit');
    await page.locator('#status.outcome').waitFor();
    expect(await page.textContent('#status')).toMatch(/^(Published\.|Held for review: a moderator will look at it\.|Not published: .+\.)$/);
    expect((await captchaStats(t.redis, site.siteId)).svg.solved).toBe(1);

    // A second comment with a wrong answer: the error stands alone, not beside the first comment's verdict.
    await page.waitForFunction(() => !(document.getElementById('submit') as HTMLButtonElement).disabled);
    await fillForm(page);
    await page.fill('input[name=captcha]', 'wrong');
    await page.click('#submit');
    await page.locator('#status.error').waitFor();
    expect(await page.textContent('#status')).toMatch(/captcha answer is wrong/);
    expect(await page.locator('#verdict').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('when the site uses proof of work, then the browser solves it in the background and the verdict appears', async () => {
    await powRoundTrip(false);
  });

  it('when the page cannot start Web Workers (widget embedded on another origin), then it solves on the page', async () => {
    await powRoundTrip(true);
  });
});

describe('demo page for readers', () => {
  it('when the reader sends an empty form, then each field says what is missing beside it and nothing is posted', async () => {
    const site = await t.site({ minFillTimeMs: 0, captcha: 'svg' }, [t.url]);
    const page = await context.newPage();
    const posted: string[] = [];
    page.on('request', (r) => void (r.url().includes('/v1/comments') && posted.push(r.url())));
    await page.goto(`${t.url}/demo/?siteKey=${site.siteKey}`);
    await startWriting(page);
    await page.waitForFunction(() => (document.getElementById('captcha-img') as HTMLImageElement).src.startsWith('data:image/svg+xml'));
    await page.click('#submit');
    await page.locator('#err-name').waitFor({ state: 'visible' });
    const messages = await page.$$eval('.field-error', (els) => els.map((e) => [e.id, e.textContent]));
    expect(messages).toEqual([
      ['err-name', 'Please enter your name.'],
      ['err-email', 'Please enter your e-mail address.'],
      ['err-body', 'Please write your comment.'],
      ['err-captcha', 'Please type the characters shown in the picture.'],
    ]);
    // Screen readers hear each message with its field, and the first field in error has focus.
    expect(await page.getAttribute('#f-name', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#f-name', 'aria-describedby')).toBe('err-name');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-name');
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/author\.name|Too small|expected string/);
    expect(posted).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    // Filling a field clears its message at the next try.
    await page.fill('#f-name', 'Jane Reader');
    await page.click('#submit');
    await page.waitForFunction(() => document.getElementById('err-name')!.textContent === '');
    expect(await page.getAttribute('#f-name', 'aria-invalid')).toBeNull();
    expect(await page.textContent('#err-body')).toBe('Please write your comment.');
    await page.close();
  });

  it('when Vigil refuses a field the browser let through, then its message stands beside that field in words', async () => {
    const site = await t.site({ minFillTimeMs: 0, captcha: 'off' }, [t.url]);
    const page = await context.newPage();
    await page.goto(`${t.url}/demo/?siteKey=${site.siteKey}`);
    await page.waitForFunction(() => document.getElementById('captcha')!.hidden);
    await fillForm(page);
    await page.fill('input[name=email]', 'jane@example');
    const answer = page.waitForResponse((r) => r.url().includes('/v1/comments'));
    await page.click('#submit');
    expect((await answer).status()).toBe(422);
    await page.locator('#err-email').waitFor({ state: 'visible' });
    expect(await page.textContent('#err-email')).toBe('Please enter an e-mail address such as name@example.com.');
    expect(await page.textContent('#status')).toBe('Please correct the marked fields.');
    expect(await page.evaluate(() => document.body.innerText)).not.toMatch(/author\.email|Invalid/);
    await page.close();
  });

  it.each([
    ['approved', { moderation: 'auto' as const }, 'Published.'],
    ['pending', { moderation: 'pre' as const }, 'Held for review: a moderator will look at it.'],
    ['rejected', { blocked: { words: ['freight'] } }, 'Not published: it contains a word this site does not allow.'],
  ])('when Vigil answers %s, then the reader reads one plain sentence and no reason code', async (status, policy, sentence) => {
    const site = await t.site({ minFillTimeMs: 0, captcha: 'off', ...policy }, [t.url]);
    const page = await context.newPage();
    await page.goto(`${t.url}/demo/?siteKey=${site.siteKey}`);
    await page.waitForFunction(() => document.getElementById('captcha')!.hidden);
    await fillForm(page);
    if (status === 'rejected') await page.fill('textarea[name=body]', 'The old freight yard should have been sold for housing instead of a park.');
    const answer = page.waitForResponse((r) => r.url().includes('/v1/comments'));
    await page.click('#submit');
    expect((await (await answer).json()).status).toBe(status);
    await page.locator('#status.outcome').waitFor();
    expect(await page.textContent('#status')).toBe(sentence);
    // Raw codes stay inside the closed details box meant for the site owner.
    expect(await page.locator('#verdict').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.evaluate(() => document.body.innerText)).not.toMatch(/pre_moderation|blocked_word|\bpending\b|\brejected\b/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  describe.each([1280, 390])('at %i px wide', (width) => {
    it('then axe-core finds no serious or critical violation and nothing scrolls sideways', async () => {
      const site = await t.site({ minFillTimeMs: 0, captcha: 'svg' }, [t.url]);
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${t.url}/demo/?siteKey=${site.siteKey}`);
      await startWriting(page);
      await page.waitForFunction(() => (document.getElementById('captcha-img') as HTMLImageElement).src.startsWith('data:image/svg+xml'));
      expect((await layoutAt(page, '#submit')).scrollWidth).toBeLessThanOrEqual(width);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  });
});

/** Opens the demo on a pow site, waits for the background solution, posts and checks the verdict and the stats. */
async function powRoundTrip(noWorkers: boolean): Promise<void> {
  const site = await t.site({ minFillTimeMs: 0, captcha: 'pow', powDifficulty: 16 }, [t.url]);
  const page = await context.newPage();
  if (noWorkers) {
    await page.addInitScript(() => {
      (window as unknown as { Worker: unknown }).Worker = function () {
        throw new DOMException('blocked', 'SecurityError');
      };
    });
  }
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${t.url}/demo/?siteKey=${site.siteKey}`);
  await startWriting(page);
  const status = page.locator('#captcha-pow');
  await status.waitFor({ state: 'visible' });
  expect(await status.getAttribute('role')).toBe('status');
  expect(await page.locator('#captcha-img').isVisible()).toBe(false);
  await page.waitForSelector('#captcha-pow[data-state=solved]');

  await fillForm(page);
  await page.click('#submit');
  await page.locator('#status.outcome').waitFor();
  expect(await page.textContent('#status')).toMatch(/^(Published\.|Held for review: a moderator will look at it\.|Not published: .+\.)$/);
  // The page sends its headline with the comment, so moderators see the article's title (not kept from a rejected one).
  if (!/^Not published/.test((await page.textContent('#status')) ?? '')) {
    expect((await readThreadInfo(t.redis, site.siteId, 'demo-article-66634'))?.title).toBe(await page.textContent('h1'));
  }
  const stats = (await captchaStats(t.redis, site.siteId)).pow;
  expect(stats.solved).toBe(1);
  expect(stats.failed).toBe(0);
  expect(await page.evaluate(() => 'VigilPow' in window)).toBe(noWorkers);
  expect(errors).toEqual([]);
  await page.close();
}
