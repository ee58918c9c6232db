import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../helpers/browser';
import { layoutAt, seriousViolations } from '../helpers/axe';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { listReported, reportsOf } from '../../src/reports';
import { captchaStats } from '../../src/captcha/captcha-store';
import type { PolicyPatch } from '../../src/sites/policy';
import { startWriting } from '../helpers/demo-form';

/**
 * The reader's side of /demo in headless Chromium: the thread under the article, a published comment appearing at
 * once, and reports. TRUST_PROXY=loopback lets a page stand for a reader on another network (X-Forwarded-For on a
 * same-origin request), which is how three readers reach the site's threshold from one machine.
 */
const THREAD = 'demo-article-66634';
let t: TestApp;
let browser: TestBrowser;
let context: BrowserContext;

beforeAll(async () => {
  t = await startTestApp({ DEMO_PAGE: 'true', TRUST_PROXY: 'loopback' }, { workers: false });
  browser = await launchBrowser();
  context = browser.context;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function site(policy: PolicyPatch = {}) {
  return t.site({ minFillTimeMs: 0, captcha: 'off', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 }, ...policy }, [t.url]);
}

async function seed(secretKey: string, name: string, body: string, parentId?: string): Promise<string> {
  const res = await api(t.url, 'POST', '/v1/comments', {
    key: secretKey, body: serverComment({ threadId: THREAD, author: { name, email: `${name.toLowerCase()}@example.com` }, body, ...(parentId ? { parentId } : {}) }),
  });
  expect(res.json.status).toBe('approved');
  return res.json.id as string;
}

async function open(siteKey: string, ip?: string): Promise<Page> {
  const page = await context.newPage();
  if (ip) await page.setExtraHTTPHeaders({ 'x-forwarded-for': ip });
  await page.goto(`${t.url}/demo/?siteKey=${siteKey}`);
  await page.waitForFunction(() => document.getElementById('captcha')!.hidden);
  return page;
}

const authors = (page: Page) => page.$$eval('#thread .comment-author', (els) => els.map((e) => e.textContent));

describe('the thread under the demo article', () => {
  it('when a thread has comments and replies, then readers see them oldest first with replies inside the comment they answer', async () => {
    const s = await site();
    const ann = await seed(s.secretKey, 'Ann', 'The park is long overdue for the east side.');
    await seed(s.secretKey, 'Bo', 'Agreed, and the cycle path will help commuters too.', ann);
    await seed(s.secretKey, 'Cy', 'What about the housing the opponents wanted on the freight land?');
    const page = await open(s.siteKey);
    await page.locator('#thread .comment').nth(2).waitFor();
    expect(await authors(page)).toEqual(['Ann', 'Bo', 'Cy']);
    // Bo's reply sits in a list of replies inside Ann's comment.
    expect(await page.locator('#thread .comment-item:has(.comment-author:text-is("Ann")) .replies .comment-author').allTextContents()).toEqual(['Bo']);
    expect(await page.locator('#thread .replies').getAttribute('aria-label')).toBe('Replies to Ann');
    expect(await page.locator('#thread time').first().getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await page.close();
  });

  it('when the reader publishes a comment, then it appears in the thread at once, and stays there after a reload', async () => {
    const s = await site();
    await seed(s.secretKey, 'Ann', 'The park is long overdue for the east side.');
    const page = await open(s.siteKey);
    await page.locator('#thread .comment').first().waitFor();
    await page.fill('input[name=name]', 'Jane Reader');
    await page.fill('input[name=email]', 'jane@example.com');
    await page.fill('textarea[name=body]', 'Good to see the park approved at last; the cycle path will help a lot of families.');
    await page.click('#submit');
    await page.locator('#status.outcome').waitFor();
    expect(await page.textContent('#status')).toBe('Published.');
    expect(await authors(page)).toEqual(['Ann', 'Jane Reader']);
    expect(await page.locator('#thread .comment-new .comment-body').textContent()).toMatch(/cycle path will help a lot of families/);
    await page.reload();
    await page.locator('#thread .comment').nth(1).waitFor();
    expect(await authors(page)).toEqual(['Ann', 'Jane Reader']);
    // What the page got from Vigil carries no e-mail, masked or not.
    expect(await page.evaluate(() => document.body.innerText)).not.toMatch(/@example\.com|\*\*\*/);
    await page.close();
  });

  it('when a held comment is posted, then it does not appear in the thread', async () => {
    const s = await site({ moderation: 'pre' });
    const page = await open(s.siteKey);
    await page.locator('#thread .thread-empty').waitFor();
    await page.fill('input[name=name]', 'Jane Reader');
    await page.fill('input[name=email]', 'jane@example.com');
    await page.fill('textarea[name=body]', 'Good to see the park approved at last; the cycle path will help a lot of families.');
    await page.click('#submit');
    await page.locator('#status.outcome').waitFor();
    expect(await page.textContent('#status')).toBe('Held for review: a moderator will look at it.');
    expect(await page.locator('#thread .comment').count()).toBe(0);
    await page.close();
  });
});

describe('reader reports on the demo', () => {
  async function reportFirst(page: Page, reason: string, text?: string): Promise<void> {
    const button = page.getByRole('button', { name: /^Report comment by/ }).first();
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    // Focus moves into the picker, on the chosen reason.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('reason');
    await page.getByRole('radio', { name: reason }).check();
    if (text !== undefined) await page.getByLabel(/In a few words/).fill(text);
    await page.getByRole('button', { name: 'Send report' }).click();
  }

  it('when a reader reports a comment, then the picker asks for words for "Something else", sends it, and thanks them', async () => {
    const s = await site();
    const id = await seed(s.secretKey, 'Ann', 'The park is long overdue for the east side.');
    const page = await open(s.siteKey);
    await page.locator('#thread .comment').first().waitFor();
    await reportFirst(page, 'Something else');
    await page.locator('.report-form .field-error').filter({ hasText: 'Please say in a few words what is wrong.' }).waitFor();
    expect(await reportsOf(t.redis, s.siteId, id)).toEqual([]);
    await page.getByLabel(/In a few words/).fill('Shares a private phone number');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.locator('.report-done').waitFor();
    expect(await page.textContent('.report-done')).toBe('Thank you: your report was sent and a moderator will look at this comment.');
    expect(await reportsOf(t.redis, s.siteId, id)).toEqual([{ reason: 'other', text: 'Shares a private phone number', at: expect.any(String) }]);
    await page.close();

    // The same browser again (same token, same network): told it has already reported.
    const again = await open(s.siteKey);
    await again.locator('#thread .comment').first().waitFor();
    await reportFirst(again, 'Spam or advertising');
    await again.locator('.report-done').waitFor();
    expect(await again.textContent('.report-done')).toBe('You have already reported this comment; a moderator will look at it.');
    expect(await reportsOf(t.redis, s.siteId, id)).toHaveLength(1);
    await again.close();
  });

  it("when readers on three networks report a published comment, then it enters the site's Reported queue at the third", async () => {
    const s = await site();
    const id = await seed(s.secretKey, 'Ann', 'The park is long overdue for the east side.');
    const ips = ['198.51.100.21', '203.0.113.22', '192.0.2.23'];
    for (const [i, ip] of ips.entries()) {
      expect((await listReported(t.redis, s.siteId)).items).toHaveLength(0);
      const page = await open(s.siteKey, ip);
      await page.locator('#thread .comment').first().waitFor();
      await reportFirst(page, i === 1 ? 'Spam or advertising' : 'Offensive or abusive');
      await page.locator('.report-done').waitFor();
      await page.close();
    }
    const queue = await listReported(t.redis, s.siteId);
    expect(queue.items.map((x) => x.comment.id)).toEqual([id]);
    expect(queue.items[0].reasons).toEqual({ offensive: 2, spam: 1, off_topic: 0, other: 0 });
  });

  describe.each([1280, 390])('at %i px wide', (width) => {
    it('then the page with a thread, deep replies and an open report picker has no serious or critical axe finding and no sideways scroll', async () => {
      const s = await site();
      let parent: string | undefined;
      for (let i = 0; i < 8; i++) parent = await seed(s.secretKey, `Reader${i}`, `Reply number ${i} in a long chain about the riverside park and its cycle path.`, parent);
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${t.url}/demo/?siteKey=${s.siteKey}`);
      await page.locator('#thread .comment').nth(7).waitFor();
      await page.getByRole('button', { name: /^Report comment by Reader7/ }).click();
      await page.locator('.report-form:not([hidden])').waitFor();
      expect((await layoutAt(page, '#submit')).scrollWidth).toBeLessThanOrEqual(width);
      // Replies past the fourth level line up with it instead of narrowing further.
      const first = await page.locator('#thread .comment').nth(0).boundingBox();
      const deepest = await page.locator('#thread .comment').nth(7).boundingBox();
      expect(deepest!.width).toBeGreaterThan(first!.width * 0.75);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  });
});

describe('verifying without the image', () => {
  it("when a reader cannot read the image, then \"Can't read the image? Verify without it\" switches to proof of work and the comment goes through", async () => {
    const s = await site({ captcha: 'svg', powDifficulty: 12 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/demo/?siteKey=${s.siteKey}`);
    await startWriting(page);
    const alt = page.getByRole('button', { name: "Can't read the image? Verify without it", exact: true });
    await page.waitForFunction(() => (document.getElementById('captcha-img') as HTMLImageElement).src.startsWith('data:image/svg+xml'));
    expect(await seriousViolations(page)).toEqual([]);
    await alt.click();
    await page.waitForSelector('#captcha-pow[data-state=solved]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('captcha-pow');
    expect(await page.locator('#captcha-img').isVisible()).toBe(false);
    await page.fill('input[name=name]', 'Jane Reader');
    await page.fill('input[name=email]', 'jane@example.com');
    await page.fill('textarea[name=body]', 'Good to see the park approved at last; the cycle path will help a lot of families.');
    await page.click('#submit');
    await page.locator('#status.outcome').waitFor();
    expect(await page.textContent('#status')).toBe('Published.');
    expect((await captchaStats(t.redis, s.siteId)).pow.solved).toBe(1);
    // The next comment's challenge stays without an image.
    await page.waitForSelector('#captcha-pow[data-state=solved]');
    expect(await page.locator('#captcha-img').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
