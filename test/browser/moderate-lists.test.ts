import type { Page } from 'playwright-core';
import { launchBrowser, TestBrowser } from '../helpers/browser';
import { createModerator } from '../../src/sites/moderator-store';
import { keys } from '../../src/infra/keys';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';
import { layoutAt, seriousViolations } from '../helpers/axe';
import type { PolicyPatch } from '../../src/sites/policy';

/** The /moderate lists in headless Chromium: tabs, search, two moderators, hand-back, meters, and a long queue. */
let t: TestApp;
let browser: TestBrowser;
let second: TestBrowser;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  second = await launchBrowser();
});

afterAll(async () => {
  await second?.close();
  await browser?.close();
  await t?.close();
});

const pre: PolicyPatch = {
  captcha: 'off', moderation: 'pre', rateLimits: { commentsPerIpPerMinute: 10000, commentsPerEmailPerHour: 10000 },
  thresholds: { spam: { review: 0.5, reject: 1 }, toxicity: { review: 0.5, reject: 1 } },
};

async function setup(policy: PolicyPatch = pre) {
  const site = await t.site(policy);
  const a = await createModerator(t.redis, { name: 'Kim', role: 'moderator', siteIds: [site.siteId] });
  const b = await createModerator(t.redis, { name: 'Lee', role: 'moderator', siteIds: [site.siteId] });
  return { site, a: a.token, b: b.token };
}

async function post(secretKey: string, over: Record<string, unknown> = {}): Promise<string> {
  const res = await api(t.url, 'POST', '/v1/comments', { key: secretKey, body: serverComment(over) });
  expect(res.status).toBe(201);
  return res.json.id;
}

async function open(b: TestBrowser, token: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const page = await b.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${t.url}/moderate/`);
  await page.waitForFunction(() => document.activeElement?.id === 'token');
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#workspace:not([hidden])');
  return { page, problems };
}

const shown = (page: Page) => page.$eval('#item', (e) => (e as HTMLElement).dataset.commentId);
const rows = (page: Page) => page.$$eval('#list li', (els) => els.map((e) => (e as HTMLElement).dataset.commentId!));
const showing = (page: Page, id: string) => page.waitForFunction((c) => (document.getElementById('item') as HTMLElement).dataset.commentId === c && !!document.querySelector('#item .author'), id);
const statusOf = async (secretKey: string, id: string) => (await api(t.url, 'GET', `/v1/comments/${id}`, { key: secretKey })).json.status;
const claimOf = async (siteId: string, id: string) => {
  const raw = await t.redis.get(keys.reviewClaim(siteId, id));
  return raw ? (JSON.parse(raw) as { moderatorId: string }).moderatorId : undefined;
};

describe('/moderate lists in headless Chromium', () => {
  it('when two moderators in two browsers open the same list, then they never hold the same item, and h hands one back to the other', async () => {
    const { site, a, b } = await setup();
    const ids = [await post(site.secretKey, { body: 'One about the harbour.' }), await post(site.secretKey, { body: 'Two about the tram line.' })];
    const kim = await open(browser, a);
    await showing(kim.page, ids[1]);
    await until('Kim holds the newest item', async () => (await claimOf(site.siteId, ids[1])) !== undefined);
    const lee = await open(second, b);
    await lee.page.waitForSelector('#item .notice');
    expect(await lee.page.textContent('#item .notice')).toContain('Another moderator');
    expect(await lee.page.textContent('#list li.current')).toContain('held by another moderator');
    // Lee's decision on Kim's item is refused; the item stays pending.
    await lee.page.keyboard.press('a');
    await lee.page.waitForFunction(() => /Another moderator holds/.test(document.getElementById('status')!.textContent ?? ''));
    expect(await statusOf(site.secretKey, ids[1])).toBe('pending');
    // Lee moves on and holds the other one; each item has one holder.
    await lee.page.keyboard.press('j');
    await until('Lee holds the older item', async () => (await claimOf(site.siteId, ids[0])) !== undefined);
    const [holder0, holder1] = [await claimOf(site.siteId, ids[0]), await claimOf(site.siteId, ids[1])];
    expect(holder0).not.toBe(holder1);

    // Kim hands her item back: the claim is gone and Lee can open and decide it.
    await kim.page.keyboard.press('h');
    await until('the claim is released', async () => (await claimOf(site.siteId, ids[1])) === undefined || undefined);
    await kim.page.waitForFunction(() => /Handed back/.test(document.getElementById('status')!.textContent ?? ''));
    await lee.page.keyboard.press('k');
    await until('Lee holds the handed-back item', async () => (await claimOf(site.siteId, ids[1])) === holder0 || undefined);
    await showing(lee.page, ids[1]);
    await lee.page.keyboard.press('r');
    await until('the item is rejected', async () => (await statusOf(site.secretKey, ids[1])) === 'rejected');
    expect([...kim.problems, ...lee.problems]).toEqual([]);
    await kim.page.close();
    await lee.page.close();
  });

  it('when the moderator switches lists with 1-4, orders with o and searches with /, then each list shows its comments, and a decision on Approved revises it', async () => {
    const { site, a } = await setup({ ...pre, moderation: 'auto', thresholds: {} });
    const approved = await post(site.secretKey, { body: 'A calm note on the budget of the harbour tunnel.', threadId: 'harbour' });
    const other = await post(site.secretKey, { body: 'Opening hours of the library are fine.', threadId: 'library', author: { name: 'Ola Nordmann', email: 'ola@example.no' } });
    expect(await statusOf(site.secretKey, approved)).toBe('approved');
    const { page, problems } = await open(browser, a);
    await page.waitForSelector('#item .empty');
    await page.keyboard.press('4');
    await page.waitForFunction(() => document.querySelector('[data-queue=approved]')?.getAttribute('aria-pressed') === 'true');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 2);
    expect(await page.textContent('[data-count=approved]')).toBe('(2)');
    expect(await rows(page)).toEqual([other, approved]);
    await page.keyboard.press('o');
    await page.waitForFunction((id) => (document.querySelector('#list li') as HTMLElement)?.dataset.commentId === id, approved);

    // Search by author e-mail: only Ola's comment, and the address is never on the page.
    await page.keyboard.press('/');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ola@example.no');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1);
    expect(await rows(page)).toEqual([other]);
    expect(await page.$eval('#list', (e) => e.textContent)).not.toContain('ola@example.no');
    await page.click('#clear');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 2);
    await page.keyboard.press('/');
    await page.keyboard.type('harbour');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1);
    await showing(page, approved);

    // r on an approved comment rejects it: it leaves Approved and shows under Rejected.
    await page.keyboard.press('r');
    await until('the comment is rejected', async () => (await statusOf(site.secretKey, approved)) === 'rejected');
    await page.click('#clear');
    await page.keyboard.press('3');
    await page.waitForFunction((id) => Array.from(document.querySelectorAll('#list li')).some((li) => (li as HTMLElement).dataset.commentId === id), approved);
    expect(await page.textContent('[data-count=rejected]')).toBe('(1)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when scores sit below review, at review and at reject, then the meters are green, amber and red, and only words past the span floor are marked', async () => {
    const thresholds = { spam: { review: 0.3, reject: 0.6 }, toxicity: { review: 0.3, reject: 0.6 } };
    const { site, a } = await setup({ ...pre, thresholds });
    const id = await post(site.secretKey, { body: 'You are a stupid idiot and your grass is green.' });
    const c = (await api(t.url, 'GET', `/v1/comments/${id}`, { key: site.secretKey })).json as { status: string; scores: { spam: number; toxicity: number } };
    const { page, problems } = await open(browser, a);
    // Rejected at intake when a score passed the reject threshold: then it is in the Rejected list.
    if (c.status === 'rejected') await page.keyboard.press('3');
    await showing(page, id);
    const bands = await page.$$eval('#item meter', (ms) => ms.map((m) => (m as HTMLElement).dataset.band));
    const expectBand = (v: number) => (v >= 0.6 ? 'reject' : v >= 0.3 ? 'review' : 'low');
    expect(bands.slice(0, 2)).toEqual([expectBand(c.scores.spam), expectBand(c.scores.toxicity)]);
    const m = await page.$eval('#item meter', (e) => ({ low: (e as HTMLMeterElement).low, high: (e as HTMLMeterElement).high }));
    expect(m).toEqual({ low: 0.3, high: 0.6 });
    // The words marked are exactly those the explanation flags as past the floor.
    const item = (await api(t.url, 'GET', `/v1/review/${id}/item`, { key: a })).json.item;
    const flagged = new Set<string>();
    for (const model of ['spam', 'toxicity'] as const) {
      const score = c.scores[model];
      if (score < 0.3) continue;
      for (const e of item.explanation[model] as Array<{ marked?: boolean; spans: number[][] }>) if (e.marked) for (const [s, en] of e.spans) flagged.add(item.body.slice(s, en));
    }
    const marked = await page.$$eval('#item .body mark', (ms) => ms.map((x) => x.textContent));
    expect(marked.length).toBeGreaterThan(0);
    for (const w of marked) expect([...flagged].some((f) => f.includes(w!) || w!.includes(f))).toBe(true);
    expect(marked).not.toContain('grass');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when readers report a published comment, then it shows under Reported with the reasons, r removes it and u puts it back', async () => {
    const origin = 'https://news.example';
    const site = await t.site({ ...pre, moderation: 'auto', thresholds: {}, reports: { approvedThreshold: 1 } }, [origin]);
    const kim = await createModerator(t.redis, { name: 'Kim', role: 'moderator', siteIds: [site.siteId] });
    const id = await post(site.secretKey, { body: 'A published comment that two readers find offensive.' });
    expect(await statusOf(site.secretKey, id)).toBe('approved');
    const report = (reason: string, reader: string, text?: string) =>
      api(t.url, 'POST', `/v1/comments/${id}/reports`, { key: site.siteKey, body: { reason, reader, ...(text ? { text } : {}) }, headers: { origin } });
    expect((await report('offensive', 'reader-token-aaaaaaaa')).status).toBe(201);
    expect((await report('other', 'reader-token-bbbbbbbb', '<b>doxxes</b> a neighbour')).status).toBe(201);
    const listed = await api(t.url, 'GET', '/v1/review/list?queue=reported', { key: kim.token });
    expect(listed.json.items).toMatchObject([{ commentId: id, reports: 2, reportReasons: { offensive: 1, other: 1 } }]);
    const { page, problems } = await open(browser, kim.token);
    await page.waitForSelector('[data-queue=reported]:not([hidden])');
    await page.keyboard.press('2');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1);
    expect(await page.textContent('#list li')).toContain('Reported: 1 offensive, 1 other');
    await showing(page, id);
    await page.waitForSelector('#item .reports .report-decision');
    expect(await page.textContent('#item .reports')).toContain('<b>doxxes</b> a neighbour');
    expect(await page.$$eval('#item .reports b', (els) => els.length)).toBe(0);
    // The Reported list with its reports, the context and the author panel passes axe-core at both widths.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect((await layoutAt(page, '#signout')).scrollWidth).toBeLessThanOrEqual(width);
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.keyboard.press('r');
    await until('the comment is removed', async () => (await statusOf(site.secretKey, id)) === 'rejected');
    await page.waitForSelector('#item .empty');
    await page.keyboard.press('u');
    await until('the removal is undone', async () => (await statusOf(site.secretKey, id)) === 'approved');
    await page.waitForFunction(() => document.querySelectorAll('#list li').length === 1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('when 200 mixed comments wait, then a moderator works the whole queue from the list with the keyboard alone', async () => {
    const { site, a } = await setup();
    const bodies = [
      'Thanks for the thorough reporting on the council budget.',
      'Buy cheap pills now at http://cheap-deals.example, best prices!!!',
      'You are an idiot and this is a stupid article.',
      'When does the new tram line open to the public?',
    ];
    const ids: string[] = [];
    for (let i = 0; i < 200; i += 20) {
      ids.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => post(site.secretKey, { body: `${bodies[(i + j) % 4]} (#${i + j})`, threadId: `article-${(i + j) % 7}` })))));
    }
    const { page, problems } = await open(browser, a);
    await page.waitForFunction(() => /\(200\)/.test(document.querySelector('[data-count=pending]')?.textContent ?? ''));
    const keyFor: Record<number, string> = { 0: 'a', 1: 's', 2: 'r', 3: 'a' };
    let done = 0;
    // One page at a time: the first items one by one with their keys, then the rest of the page in bulk.
    while (done < 200) {
      await page.waitForSelector('#item .author');
      const id = (await shown(page))!;
      const kind = ids.indexOf(id) % 4;
      if (done % 25 < 20) {
        await page.keyboard.press(keyFor[kind]);
        await page.waitForFunction((prev) => (document.getElementById('item') as HTMLElement).dataset.commentId !== prev, id);
        done++;
      } else {
        const left = (await rows(page)).length;
        await page.keyboard.press('Shift+R');
        await page.waitForSelector('#confirm[open]');
        // The confirmation dialog passes axe-core too.
        if (done < 30) expect(await seriousViolations(page)).toEqual([]);
        await page.keyboard.press('Enter');
        await page.waitForFunction((prev) => (document.getElementById('item') as HTMLElement).dataset.commentId !== prev, id);
        done += left;
      }
    }
    await page.waitForSelector('#item .empty');
    await page.waitForFunction(() => /\(0\)/.test(document.querySelector('[data-count=pending]')?.textContent ?? ''));
    const statuses = await Promise.all(ids.map((id) => statusOf(site.secretKey, id)));
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(0);
    expect(statuses.filter((s) => s === 'approved').length).toBeGreaterThan(50);
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);
});
