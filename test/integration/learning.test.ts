import { recordFeedback } from '../../src/learning/feedback';
import { learnerOf } from '../../src/learning/plug';
import { keys } from '../../src/infra/keys';
import { startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ LEARN_FROM_FEEDBACK: 'true' });
});
afterAll(() => t.close());

const text = 'zorbulax quintessa mirvane deals today';

it('when moderators label comments and the undo window has passed, then the model learns from them; undone ones are not learnt', async () => {
  const site = await t.site();
  const model = t.service.ctx.moderation.models.spam;
  const learner = learnerOf(t.service.ctx)!;
  const before = model.score({ text }).score;
  const undone = await recordFeedback(t.redis, site.siteId, { task: 'spam', positive: false, text, source: 'moderator' });
  await t.redis.xdel(keys.feedback(site.siteId), undone);
  for (let i = 0; i < 30; i++) await recordFeedback(t.redis, site.siteId, { task: 'spam', positive: true, text, source: 'moderator' });
  // Not settled yet: a moderator could still undo these.
  await learner.catchUp(Date.now());
  expect(learner.learnt(site.siteId)).toBe(0);
  await learner.catchUp(Date.now() + 10 * 60 * 1000);
  expect(learner.learnt(site.siteId)).toBe(30);
  expect(model.score({ text }).score).toBeGreaterThan(before);
  // Learnt once only.
  await learner.catchUp(Date.now() + 10 * 60 * 1000);
  expect(learner.learnt(site.siteId)).toBe(30);
});

it('when LEARN_FROM_FEEDBACK is false, then no learner runs', async () => {
  const off = await startTestApp({ LEARN_FROM_FEEDBACK: 'false' });
  try {
    expect(learnerOf(off.service.ctx)).toBeUndefined();
  } finally {
    await off.close();
  }
});
