import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadBundledModels, loadModelFile } from '../../src/classifier';
import { runCli } from '../../src/cli/main';
import { learnerOf } from '../../src/learning/plug';
import { createModerator } from '../../src/sites/moderator-store';
import type { CreatedSite } from '../../src/sites/site-store';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

// Two instances with their own copies of the models, as two processes would have; learning is on (test-app turns
// it off by default). Labelled texts carry a word of this run's own, so they are new to the stream; the probes
// leave it out, as a never-seen word labelled twice would saturate every site's score.
const learning = { LEARN_FROM_FEEDBACK: 'true' };
let one: TestApp;
let two: TestApp;
const extra: TestApp[] = [];
beforeAll(async () => {
  process.env.REDIS_URL = process.env.TEST_REDIS_URL;
  one = await startTestApp(learning, { models: loadBundledModels() });
  two = await startTestApp(learning, { models: loadBundledModels() });
});
afterAll(async () => {
  for (const t of [one, two, ...extra]) await t?.close();
});

const tag = `vorth${Math.random().toString(36).slice(2, 8).replace(/[0-9]/g, 'q')}`;
const labelled = `I really enjoyed this ${tag} video, the music is great`;
const similar = 'great music, really enjoyed it';

async function spamScore(app: TestApp, site: CreatedSite, body = similar): Promise<number> {
  const r = await api(app.url, 'POST', '/v1/check', { key: site.secretKey, body: { body } });
  expect(r.status).toBe(200);
  return r.json.scores.spam as number;
}

/** Polls until `fn` returns true; returns the milliseconds it took. Never a fixed sleep. */
async function until(fn: () => Promise<boolean> | boolean, ms = 10000): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await fn()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How far a score moved from `from`, in log-odds (probabilities near 0 or 1 compress every difference). */
const lift = (p: number, from: number) => Math.log(p / (1 - p)) - Math.log(from / (1 - from));

const learnt = (app: TestApp, site: CreatedSite) => learnerOf(app.service.ctx)!.learnt(site.siteId);

let a: CreatedSite;
let b: CreatedSite;
let before: number;

describe('learning per site', () => {
  it("when site A labels a comment spam through the API, then A's scores move, B's do not, and another instance sees it within 5 s", async () => {
    a = await one.site();
    b = await one.site();
    before = await spamScore(two, b);
    // Other test files' feedback is learnt too, so scores read at different moments agree only closely.
    expect(await spamScore(two, a)).toBeCloseTo(before, 2);
    const made = await api(one.url, 'POST', '/v1/comments', { key: a.secretKey, body: serverComment({ body: labelled }) });
    expect(made.status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const f = await api(one.url, 'POST', `/v1/comments/${made.json.id}/feedback`, { key: a.secretKey, body: { label: 'spam' } });
      expect(f.status).toBe(202);
    }
    // Instance two never received a request about this feedback: it learns from the site's stream in Redis.
    expect(await until(() => learnt(two, a) === 2)).toBeLessThan(5000);
    const onA = await spamScore(two, a);
    const onB = await spamScore(two, b);
    // One site's feedback is that site's own: the counts every site shares change only when several sites agree.
    expect(onB).toBeCloseTo(before, 3);
    expect(lift(onA, before)).toBeGreaterThan(1);
    // Both instances agree.
    await until(() => learnt(one, a) === 2);
    expect(await spamScore(one, a)).toBeCloseTo(onA, 2);
    expect(await spamScore(one, b)).toBeCloseTo(onB, 2);
  });

  it('when the model is exported with --site, then the file scores like the service does for that site; without --site, like for sites without feedback', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-site-export-'));
    const cli = async (...argv: string[]) => {
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (d) => (out += d));
      const code = await runCli(argv, { stdin: new PassThrough(), stdout, stderr: new PassThrough() });
      return { code, out };
    };
    const site = await cli('models', 'export', '--model', 'spam', '--out', path.join(dir, 'a.json'), '--site', a.siteId);
    expect(site.code).toBe(0);
    expect(site.out).toContain(`site ${a.siteId}: global plus its own 2 entries`);
    expect((await cli('models', 'export', '--model', 'spam', '--out', path.join(dir, 'global.json'))).code).toBe(0);
    expect(loadModelFile(path.join(dir, 'a.json')).score({ text: similar }).score).toBeCloseTo(await spamScore(one, a), 2);
    expect(loadModelFile(path.join(dir, 'global.json')).score({ text: similar }).score).toBeCloseTo(await spamScore(one, b), 2);
    expect((await cli('models', 'export', '--model', 'spam', '--out', path.join(dir, 'x.json'), '--site', 'nope')).code).toBe(1);
  });

  it('when a new instance starts, then it relearns the site and the global feedback from Redis', async () => {
    const onA = await spamScore(one, a);
    const onB = await spamScore(one, b);
    const restarted = await startTestApp(learning, { models: loadBundledModels() });
    extra.push(restarted);
    await until(() => learnt(restarted, a) === 2);
    expect(await spamScore(restarted, a)).toBeCloseTo(onA, 2);
    expect(await spamScore(restarted, b)).toBeCloseTo(onB, 2);
  });

  it("when a moderator's spam decision is undone, then the withdrawal empties that site's overlay on every instance", async () => {
    // Every score goes to review, so the comment waits for the moderator whatever other files' feedback did to the
    // shared model meanwhile (the suite's files share one Redis).
    const c = await one.site({ captcha: 'off', moderation: 'pre', thresholds: { spam: { review: 0, reject: 1 }, toxicity: { review: 0, reject: 1 } } });
    const mod = await createModerator(one.redis, { name: 'Ann', role: 'moderator', siteIds: [c.siteId] });
    const body = `Lovely ${tag} photos of the harbour at dawn`;
    const probe = 'lovely harbour photos at dawn';
    const plain = await spamScore(two, b, probe);
    const made = await api(one.url, 'POST', '/v1/comments', { key: c.secretKey, body: serverComment({ body }) });
    expect(made.json).toMatchObject({ status: 'pending' });
    expect((await api(one.url, 'POST', '/v1/review/claim', { key: mod.token })).json.item.commentId).toBe(made.json.id);
    const d = await api(one.url, 'POST', `/v1/review/${made.json.id}/decision`, { key: mod.token, body: { decision: 'spam' } });
    expect(d.status).toBe(200);
    await until(() => learnt(two, c) === 1);
    const onC = await spamScore(two, c, probe);
    const onB = await spamScore(two, b, probe);
    expect(onB).toBeCloseTo(plain, 3);
    expect(lift(onC, plain)).toBeGreaterThan(0.5);
    expect((await api(one.url, 'POST', `/v1/review/${made.json.id}/undo`, { key: mod.token })).status).toBe(200);
    expect(await until(() => learnt(two, c) === 2)).toBeLessThan(5000);
    // No overlay left: site C scores exactly as a site that never gave feedback (read twice in a row, so a learning
    // tick in between could differ; polling rules that out).
    await until(async () => (await spamScore(two, c, probe)) === (await spamScore(two, b, probe)), 3000);
    expect(await spamScore(two, c, probe)).toBeCloseTo(plain, 2);
  });
});
