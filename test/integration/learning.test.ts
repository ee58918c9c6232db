import { recordFeedback } from '../../src/learning/feedback';
import { learnerOf } from '../../src/learning/plug';
import { keys } from '../../src/infra/keys';
import { startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
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
  expect(await learner.catchUp(Date.now())).toBe(0);
  expect(await learner.catchUp(Date.now() + 10 * 60 * 1000)).toBe(30);
  expect(model.score({ text }).score).toBeGreaterThan(before);
  // Learnt once only.
  expect(await learner.catchUp(Date.now() + 10 * 60 * 1000)).toBe(0);
});
