import Redis from 'ioredis';
import { keys } from '../../src/infra/keys';
import { createSite } from '../../src/sites/site-store';
import { commentPayload, keepAliveAgent, loadUntil, Outcome, post, spawnVigil, until } from './helpers';

/**
 * SIGTERM while comments are being submitted. Requests already in flight finish with their answer, the
 * process exits 0, and every comment answered 201 is stored. Requests that arrive after the listener closed are
 * refused at the connection (never half-processed), and nothing is answered 5xx.
 */
it('when Vigil gets SIGTERM under load, then in-flight requests finish, every 201 is stored and it exits 0', async () => {
  const redisUrl = process.env.TEST_REDIS_URL!;
  const admin = new Redis(redisUrl);
  const limits = { commentsPerIpPerMinute: 100000, commentsPerEmailPerHour: 100000 };
  const site = await createSite(admin, { name: 'sigterm', origins: ['https://news.example'], policy: { rateLimits: limits, captcha: 'off' } });
  const vigil = await spawnVigil({ REDIS_URL: redisUrl, VIGIL_WEBHOOK_QUEUE: `webhooks-sigterm-${process.pid}` });
  const url = `${vigil.url}/v1/comments`;
  const agent = keepAliveAgent();

  let stop = false;
  let termAt = 0;
  const outcomes: Outcome[] = [];
  const load = loadUntil(16, () => stop, async (i) => {
    const o = await post(agent, url, site.secretKey, commentPayload(i, `sigterm-${process.pid}`));
    outcomes.push(o);
    return o;
  });
  await until('comments flowing', () => outcomes.filter((o) => o.status === 201).length >= 40);
  termAt = Date.now();
  vigil.proc.kill('SIGTERM');
  const code = await vigil.exited;
  stop = true;
  await load;
  agent.destroy();

  if (code !== 0) throw new Error(`vigil exited with ${code}:\n${vigil.output()}`);
  // Requests sent before the signal that were still running when it arrived got their full answer.
  const inFlight = outcomes.filter((o) => o.startedAt < termAt && o.startedAt + o.ms > termAt);
  expect(inFlight.length).toBeGreaterThan(0);
  expect(inFlight.filter((o) => o.status !== 201)).toEqual([]);
  expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
  const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.id!);
  const stored = await admin.mget(acknowledged.map((id) => keys.comment(site.siteId, id)));
  admin.disconnect();
  expect(acknowledged.filter((_, i) => !stored[i])).toEqual([]);
}, 90000);
