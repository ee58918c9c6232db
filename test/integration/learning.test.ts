import { recordFeedback, withdrawFeedback } from '../../src/learning/feedback';
import { learnerOf } from '../../src/learning/plug';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { readFeedback } from '../../src/learning/feedback';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LEARN_FROM_FEEDBACK: 'true' });
});
afterAll(() => t.close());

const text = 'zorbulax quintessa mirvane deals today';

it("when moderators label comments, then the model learns them for that site's scores, and a withdrawn example is unlearnt", async () => {
  const site = await t.site();
  const model = t.service.ctx.moderation.models.spam;
  const learner = learnerOf(t.service.ctx)!;
  const score = () => model.score({ text }, { siteId: site.siteId }).score;
  const before = score();
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push(await recordFeedback(t.redis, site.siteId, { task: 'spam', positive: true, text, source: 'moderator' }));
  await learner.catchUp();
  expect(learner.learnt(site.siteId)).toBe(30);
  const learnt = score();
  expect(learnt).toBeGreaterThan(before);
  // Learnt once only.
  await learner.catchUp();
  expect(learner.learnt(site.siteId)).toBe(30);
  await withdrawFeedback(t.redis, site.siteId, ids);
  await learner.catchUp();
  // What several other test files' sites agree on may reach the shared counts meanwhile, so "back to before" is approximate.
  const after = score();
  expect(after).toBeLessThan(learnt);
  expect(Math.abs(after - before)).toBeLessThan(0.05);
});

it('when LEARN_FROM_FEEDBACK is false, then no learner runs', async () => {
  const off = await startTestApp({ LEARN_FROM_FEEDBACK: 'false' });
  try {
    expect(learnerOf(off.service.ctx)).toBeUndefined();
  } finally {
    await off.close();
  }
});

it('when the site sends feedback on a stored comment, then it is recorded for learning; unknown comments and labels are refused', async () => {
  const site = await t.site();
  const made = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment() });
  const res = await api(t.url, 'POST', `/v1/comments/${made.json.id}/feedback`, { key: site.secretKey, body: { label: 'spam' } });
  expect(res.status).toBe(202);
  const stream = await readFeedback(t.redis, site.siteId);
  expect(stream.map((e) => e.feedback)).toEqual([expect.objectContaining({ task: 'spam', positive: true, commentId: made.json.id, source: 'site' })]);
  expect((await api(t.url, 'POST', '/v1/comments/nope/feedback', { key: site.secretKey, body: { label: 'spam' } })).status).toBe(404);
  expect((await api(t.url, 'POST', `/v1/comments/${made.json.id}/feedback`, { key: site.secretKey, body: { label: 'great' } })).status).toBe(422);
  expect((await api(t.url, 'POST', `/v1/comments/${made.json.id}/feedback`, { key: site.siteKey, body: { label: 'ham' } })).status).toBe(403);
});
