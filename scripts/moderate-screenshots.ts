/**
 * Screenshots of each /moderate list for docs/review.md, at 1280 and 390 px wide, with playwright-core and the
 * system's Chromium: a fresh redis-server, the real app, one pre-moderated site with a mix of comments.
 *
 *   node scripts/run-ts.js scripts/moderate-screenshots.ts        # writes docs/images/moderate-<list>-<width>.png
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startOwnRedis } from '../src/infra/redis-server';
import { createModerator } from '../src/sites/moderator-store';
import { launchBrowser } from '../test/helpers/browser';
import { api, serverComment, startTestApp } from '../test/helpers/test-app';

const OUT = path.join(__dirname, '..', 'docs', 'images');
const COMMENTS = [
  ['Maria Lopez', 'maria@example.org', 'budget-2027', 'The figures on school funding were useful; will the council publish the full tables?'],
  ['Tom Baker', 'tom@example.com', 'budget-2027', 'Buy cheap watches and pills online now at http://cheap-deals.example, best prices guaranteed!!!'],
  ['Anon', 'troll@example.net', 'tram-line', 'You are an idiot and everyone who voted for this stupid tram is a moron.'],
  ['Priya Shah', 'priya@example.org', 'tram-line', 'When does the new tram line open to the public, and will the night buses stay?'],
  ['Jon Berg', 'jon@example.no', 'library-hours', 'The library should keep its longer opening hours during the works next spring.'],
  ['Lee Chan', 'lee@example.com', 'library-hours', 'Great news for students, thank you for covering this.'],
] as const;
// Posted last, so it is the first item the Pending screenshot opens: a borderline insult with its words marked.
const OPENED = ['Sam Ortiz', 'sam@example.net', 'tram-line', 'Whoever signed off on this tram is a clueless idiot, and the council knows it.'] as const;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-shots-'));
  const redis = await startOwnRedis({ port: await freePort(), dir, appendfsync: 'no' });
  process.env.TEST_REDIS_URL = redis.url;
  const t = await startTestApp();
  const browser = await launchBrowser();
  try {
    const origin = 'https://news.example';
    const site = await t.site({
      captcha: 'off', moderation: 'pre', rateLimits: { commentsPerIpPerMinute: 1000, commentsPerEmailPerHour: 1000 },
      thresholds: { spam: { review: 0.3, reject: 1 }, toxicity: { review: 0.3, reject: 1 } }, reports: { approvedThreshold: 1 },
    }, [origin]);
    const mod = await createModerator(t.redis, { name: 'Kim (desk)', role: 'moderator', siteIds: [site.siteId] });
    const ids: string[] = [];
    for (const [name, email, threadId, body] of [...COMMENTS, ...COMMENTS.slice(0, 4), OPENED]) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ author: { name, email }, threadId, body }) });
      ids.push(r.json.id);
    }
    // A few decided ones, so the Approved and Rejected lists have something to show.
    for (const [i, decision] of [[0, 'approve'], [5, 'approve'], [3, 'approve'], [1, 'spam']] as const) {
      await api(t.url, 'POST', `/v1/review/${ids[i]}/decision`, { key: mod.token, body: { decision } });
    }
    // Readers report two published comments, so the Reported list has something to show.
    for (const [i, reason, reader, text] of [[0, 'off_topic', 'reader-token-aaaaaaaa', ''], [5, 'other', 'reader-token-bbbbbbbb', 'Posts the same praise under every article.'], [5, 'spam', 'reader-token-cccccccc', '']] as const) {
      await api(t.url, 'POST', `/v1/comments/${ids[i]}/reports`, { key: site.siteKey, headers: { origin }, body: { reason, reader, ...(text ? { text } : {}) } });
    }
    fs.mkdirSync(OUT, { recursive: true });
    const page = await browser.context.newPage();
    await page.goto(`${t.url}/moderate/`);
    await page.waitForFunction(() => document.activeElement?.id === 'token');
    await page.keyboard.type(mod.token);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#item .author');
    await page.waitForSelector('#live:not(.off)');
    for (const [key, list] of [['1', 'pending'], ['2', 'reported'], ['3', 'rejected'], ['4', 'approved']]) {
      if (await page.$eval(`[data-queue=${list}]`, (e) => (e as HTMLElement).hidden)) continue;
      await page.keyboard.press(key);
      await page.waitForFunction((l) => document.querySelector(`[data-queue=${l}]`)?.getAttribute('aria-pressed') === 'true', list);
      await page.waitForSelector('#item .author, #item .empty');
      await page.waitForFunction(() => !!document.querySelector('#item .author .meta, #item .empty'));
      if (list === 'reported') await page.waitForSelector('#item .reports .report-decision');
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width > 800 ? 900 : 1400 });
        const file = path.join(OUT, `moderate-${list}-${width}.png`);
        await page.screenshot({ path: file, fullPage: width < 800 });
        console.log(file);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  } finally {
    await browser.close();
    await t.close();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
