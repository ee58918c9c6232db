import { launchBrowser, TestBrowser } from '../helpers/browser';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { createModerator } from '../../src/sites/moderator-store';

/**
 * src/web/moderate/reports.js, the piece the /moderate item view uses to show a comment's reader reports and to keep
 * or remove it, loaded into the real /moderate page (same origin, under its CSP) against real reports.
 */
let t: TestApp;
let browser: TestBrowser;
beforeAll(async () => {
  t = await startTestApp({}, { workers: false });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('reader reports in the moderator workspace', () => {
  it('when a comment has reports, then they are listed with reason, time and words (as text), and remove unpublishes it', async () => {
    const origin = 'https://news.example';
    const site = await t.site({ captcha: 'off', reports: { approvedThreshold: 2 } }, [origin]);
    const mod = await createModerator(t.redis, { name: 'Ann', role: 'moderator', siteIds: [site.siteId] });
    const c = (await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() })).json as { id: string };
    const send = (body: unknown) => api(t.url, 'POST', `/v1/comments/${c.id}/reports`, { key: site.siteKey, body, headers: { origin } });
    expect((await send({ reason: 'offensive', reader: 'reader-token-aaaaaaaa' })).status).toBe(201);
    expect((await send({ reason: 'other', text: '<img src=x onerror=alert(1)> doxxes a neighbour', reader: 'reader-token-bbbbbbbb' })).status).toBe(201);

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/moderate/`);
    await page.addScriptTag({ url: '/moderate/reports.js' });
    const shown = await page.evaluate(async ([id, token]) => {
      const a = await (await fetch(`/v1/review/${id}/reports`, { headers: { authorization: `Bearer ${token}` } })).json();
      const box = document.createElement('section');
      box.id = 'reports-under-test';
      document.body.appendChild(box);
      (window as unknown as { VigilReports: { render(b: Element, a: unknown): void } }).VigilReports.render(box, a);
      return { text: box.innerText, imgs: box.querySelectorAll('img').length, items: box.querySelectorAll('li').length };
    }, [c.id, mod.token]);
    expect(shown.items).toBe(2);
    expect(shown.imgs).toBe(0);
    expect(shown.text).toMatch(/2 reports: 1 offensive or abusive, 1 something else/);
    expect(shown.text).toContain('<img src=x onerror=alert(1)> doxxes a neighbour');

    const decided = await page.evaluate(async ([id, token]) =>
      (window as unknown as { VigilReports: { decide(b: string, t: string, i: string, d: string): Promise<unknown> } }).VigilReports.decide('', token, id, 'remove'), [c.id, mod.token]);
    expect(decided).toMatchObject({ commentId: c.id, status: 'rejected', decision: 'remove' });
    const again = await page.evaluate(async ([id, token]) =>
      (window as unknown as { VigilReports: { decide(b: string, t: string, i: string, d: string): Promise<unknown> } }).VigilReports.decide('', token, id, 'keep').catch((e: { code: string }) => e.code), [c.id, mod.token]);
    expect(again).toBe('not_reported');
    expect(errors).toEqual([]);
    await page.close();
  });
});
