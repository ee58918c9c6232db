import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../helpers/browser';
import { createModerator } from '../../src/sites/moderator-store';
import { keys } from '../../src/infra/keys';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { layoutAt, seriousViolations } from '../helpers/axe';

/** The /moderate page in headless Chromium: keyboard-only work through a queue, and hostile comment bodies. */
let t: TestApp;
let browser: TestBrowser;
let context: BrowserContext;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function setup(bodies: string[]) {
  // Reject thresholds of 1 keep even the spammy and rude bodies in the queue instead of rejecting them at intake.
  const site = await t.site({
    captcha: 'off', moderation: 'pre', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 },
    thresholds: { spam: { review: 0.5, reject: 1 }, toxicity: { review: 0.5, reject: 1 } },
  });
  const mod = await createModerator(t.redis, { name: 'Kim', role: 'moderator', siteIds: [site.siteId] });
  const ids: string[] = [];
  for (const body of bodies) {
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body }) });
    expect(res.json.status).toBe('pending');
    ids.push(res.json.id);
  }
  return { site, token: mod.token, ids };
}

async function open(token: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const res = await page.goto(`${t.url}/moderate/`);
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
  // Keyboard only: the token field has focus when the page opens. Autofocus is applied at a rendering update, which
  // can come after the load event on a busy machine, so wait for it rather than type into nothing.
  await page.waitForFunction(() => document.activeElement?.id === 'token');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  return { page, problems };
}

const statusOf = async (secretKey: string, id: string) => (await api(t.url, 'GET', `/v1/comments/${id}`, { key: secretKey })).json.status;

const shown = (page: Page) => page.$eval('#item', (e) => (e as HTMLElement).dataset.commentId);
const rows = (page: Page) => page.$$eval('#list li', (els) => els.map((e) => (e as HTMLElement).dataset.commentId!));
/** Waits until the item view shows another comment than `prev` (or none). */
const movedOn = (page: Page, prev: string | undefined) =>
  page.waitForFunction((id) => (document.getElementById('item') as HTMLElement).dataset.commentId !== id, prev);

describe('/moderate in headless Chromium', () => {
  it('when a moderator works through the list with the keyboard alone, then every item is decided and undo works', async () => {
    const bodies = [
      'The new cycle path is great news for everyone who commutes from the northern suburbs every day.',
      'Buy cheap watches and pills online now at http://cheap-deals.example, best prices guaranteed, click here!!!',
      'You are an idiot and everyone who voted for this stupid park is a moron.',
      'Will the library keep its longer opening hours during the construction of the park next spring?',
    ];
    const { site, token, ids } = await setup(bodies);
    const { page, problems } = await open(token);
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 4);
    await page.waitForSelector('#item .body');
    // Newest first by default.
    expect(await rows(page)).toEqual([...ids].reverse());

    // j and k move through the list, and the item follows.
    const first = await shown(page);
    expect(first).toBe(ids[3]);
    await page.keyboard.press('j');
    await page.waitForFunction((id) => (document.getElementById('item') as HTMLElement).dataset.commentId === id, ids[2]);
    await page.keyboard.press('k');
    await page.waitForFunction((id) => (document.getElementById('item') as HTMLElement).dataset.commentId === id, ids[3]);

    const decided: Record<string, string> = {};
    for (const key of ['a', 's', 'r', 'a']) {
      await page.waitForSelector('#item .author .meta');
      const id = (await shown(page))!;
      await page.keyboard.press(key);
      await movedOn(page, id);
      decided[id] = key;
    }
    expect(Object.keys(decided).sort()).toEqual([...ids].sort());
    await page.waitForSelector('#item .empty');
    await page.waitForFunction(() => /^0 pending/.test(document.getElementById('counts')!.textContent ?? ''));
    const expected: Record<string, string> = { a: 'approved', s: 'rejected', r: 'rejected' };
    for (const id of ids) expect(await statusOf(site.secretKey, id)).toBe(expected[decided[id]]);

    // u brings the last decision back for another look.
    const last = Object.keys(decided)[3];
    await page.keyboard.press('u');
    await page.waitForFunction((id) => (document.getElementById('item') as HTMLElement).dataset.commentId === id && !!document.querySelector('#item .body'), last);
    expect(await statusOf(site.secretKey, last)).toBe('pending');
    await page.waitForSelector('#item .author .meta');
    await page.keyboard.press('r');
    await page.waitForSelector('#item .empty');
    expect(await statusOf(site.secretKey, last)).toBe('rejected');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when a comment body holds HTML or a script, then it shows as text in the list and the item and runs nothing', async () => {
    const img = '<img src=x onerror=alert(1)> cheap pills http://x.example';
    const script = '<script>window.__pwned = 1; alert(2)</script> you idiot';
    const { token } = await setup([img, script]);
    const { page, problems } = await open(token);
    await page.waitForSelector('#item .body');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 2);
    const seen: string[] = [];
    for (let i = 0; i < 2; i++) {
      await page.waitForFunction((n) => document.querySelectorAll('#list li')[n]?.classList.contains('current'), i);
      seen.push(await page.$eval('#item .body', (e) => e.textContent ?? ''));
      expect(await page.$$eval('#item .body img, #item .body script, #list img, #list script', (els) => els.length)).toBe(0);
      await page.keyboard.press('j');
    }
    expect(seen.sort()).toEqual([img, script].sort());
    expect(await page.$$eval('#list .row-body', (els) => els.map((e) => e.textContent).sort())).toEqual([img, script].sort());
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('img', (els) => els.length)).toBe(0);
    // Clicks do what the keys do.
    await page.click('#list li:nth-child(1)');
    await page.waitForFunction(() => document.querySelector('#list li:nth-child(1)')?.classList.contains('current'));
    const firstRow = (await rows(page))[0];
    await page.waitForFunction((id) => (document.getElementById('item') as HTMLElement).dataset.commentId === id, firstRow);
    await page.click('button[data-decision=reject]');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1);
    expect(await shown(page)).not.toBe(firstRow);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when a moderator writes a note and blocks an author, then the decision carries them; a bulk action asks first, Esc cancels it, and u undoes it', async () => {
    const { site, token, ids } = await setup([
      'First comment about the riverside park plans and the budget.',
      'Second comment about the opening hours of the library.',
      'Third comment about the cycle path to the northern suburbs.',
    ]);
    const { page, problems } = await open(token);
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 3);
    await page.waitForSelector('#item .author .meta');
    const first = (await shown(page))!;
    await page.keyboard.press('n');
    await page.keyboard.type('off-topic');
    await page.keyboard.press('Enter');
    await page.keyboard.press('b');
    expect(await page.$eval('#block', (e) => (e as HTMLInputElement).checked)).toBe(true);
    await page.keyboard.press('r');
    await movedOn(page, first);
    expect(await page.$eval('#note', (e) => (e as HTMLInputElement).value)).toBe('');
    expect(await statusOf(site.secretKey, first)).toBe('rejected');
    const audit = await t.redis.xrevrange(keys.reviewAudit(site.siteId), '+', '-', 'COUNT', 1);
    expect(JSON.parse(audit[0][1][1])).toMatchObject({ commentId: first, note: 'off-topic', blocked: { email: true } });
    const rest = ids.filter((i) => i !== first);

    // Shift+A asks first; Esc leaves everything as it was.
    await page.keyboard.press('Shift+A');
    await page.waitForSelector('#confirm[open]');
    expect(await page.textContent('#confirm-text')).toContain('every item on this page (2)');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#confirm:not([open])', { state: 'attached' });
    for (const id of rest) expect(await statusOf(site.secretKey, id)).toBe('pending');

    // x selects one item; the bulk action then takes only it, after Enter confirms.
    await page.keyboard.press('x');
    await page.waitForSelector('#list li.checked');
    await page.keyboard.press('Shift+A');
    await page.waitForSelector('#confirm[open]');
    expect(await page.textContent('#confirm-text')).toContain('1 selected item');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1);
    expect((await Promise.all(rest.map((id) => statusOf(site.secretKey, id)))).sort()).toEqual(['approved', 'pending']);
    await page.keyboard.press('Shift+A');
    await page.waitForSelector('#confirm[open]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#item .empty');
    for (const id of rest) expect(await statusOf(site.secretKey, id)).toBe('approved');
    // u undoes the whole last bulk action at once.
    await page.keyboard.press('u');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1);
    expect((await Promise.all(rest.map((id) => statusOf(site.secretKey, id)))).sort()).toEqual(['approved', 'pending']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when a new comment arrives while the page is open, then it appears without a reload', async () => {
    const { site, token } = await setup([]);
    const { page, problems } = await open(token);
    await page.waitForSelector('#item .empty');
    await page.waitForSelector('#live:not(.off)');
    const res = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body: 'Arrived live while the moderator was watching the page.' }) });
    await page.waitForFunction((id) => (document.getElementById('item') as HTMLElement).dataset.commentId === id, res.json.id);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when a comment is held by the threat thresholds at a low score, then the item shows the threat meter', async () => {
    const { token } = await setup(['I know where you live and I will find you.']);
    const { page, problems } = await open(token);
    await page.waitForSelector('#item .author');
    const label = await page.getAttribute('#item meter[aria-label^="threat"]', 'aria-label');
    expect(label).toMatch(/^threat \d+%, /);
    expect(await page.textContent('#item')).toContain('threat');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when a comment is held for its links and speed, then the item lists those spam signals in words', async () => {
    const site = await t.site({
      captcha: 'off', moderation: 'pre', links: { deny: ['weekly-roundup-news.com'] },
      thresholds: { spam: { review: 0.5, reject: 1 }, toxicity: { review: 0.5, reject: 1 } },
    });
    const mod = await createModerator(t.redis, { name: 'Kim', role: 'moderator', siteIds: [site.siteId] });
    // Sent a second after the form was shown, with a link to a domain the site denies; no ?explain.
    const res = await api(t.url, 'POST', '/v1/comments', {
      key: site.secretKey,
      body: serverComment({ body: 'This week in local news: https://weekly-roundup-news.com/issue/12', renderedAt: new Date(Date.now() - 1000).toISOString() }),
    });
    expect(res.json.status).toBe('pending');
    const { page, problems } = await open(mod.token);
    await page.waitForSelector('#item ul.signals li');
    const listed = await page.$$eval('#item ul.signals li', (els) => els.map((e) => e.textContent));
    expect(listed).toContain("link to weekly-roundup-news.com (on the site's deny list)");
    expect(listed).toContain('sent less than 3 s after the form was shown');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when the page opens, then only the sign-in form shows; when the moderator signs out, then nothing of the last item is left in the page and the live stream is closed', async () => {
    const body = 'Shared-desk privacy check: this sentence must vanish from the page at sign-out.';
    const { token } = await setup([body]);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${t.url}/moderate/`);
    expect(await page.locator('#workspace').isVisible()).toBe(false);
    expect(await page.locator('#signout').isVisible()).toBe(false);
    await page.waitForFunction(() => document.activeElement?.id === 'token');
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#item .body');
    await page.waitForSelector('#live:not(.off)');
    const html = () => page.evaluate(() => document.documentElement.outerHTML);
    expect(await html()).toContain(body);
    expect(await html()).toContain('Jane Reader');
    expect(await html()).toContain('***@example.com');

    // The live stream is read with fetch; its request ends (aborted) when the page closes it.
    const streamEnded = new Promise<void>((resolve) => {
      const done = (r: { url(): string }) => void (r.url().endsWith('/v1/review/events') && resolve());
      page.on('requestfailed', done);
      page.on('requestfinished', done);
    });
    await page.click('#signout');
    await streamEnded;
    await page.waitForSelector('#token:focus');
    const after = await html();
    for (const trace of [body, 'Jane Reader', '***@example.com', 'rejection rate', 'article-1']) expect(after).not.toContain(trace);
    expect(await page.locator('#workspace').isVisible()).toBe(false);
    expect(await page.textContent('#live')).toBe('offline');
    expect(await page.textContent('#counts')).toBe('');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The sign-in form the next person sees passes axe-core too.
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  describe.each([1280, 390])('at %i px wide, signed in with an item shown', (width) => {
    it('then axe-core finds no serious or critical violation, nothing scrolls sideways and Sign out is in view', async () => {
      const { token } = await setup([`A long unbroken word in a comment: ${'x'.repeat(120)} and a link http://example.com/${'a'.repeat(80)}`]);
      const { page, problems } = await open(token);
      await page.setViewportSize({ width, height: 800 });
      await page.waitForSelector('#item .body');
      await page.waitForSelector('#live:not(.off)');
      const l = await layoutAt(page, '#signout');
      expect(l.scrollWidth).toBeLessThanOrEqual(width);
      expect(l.inside).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
