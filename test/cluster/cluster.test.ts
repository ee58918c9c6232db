import type { Cluster } from 'ioredis';
import { hashTag, keys } from '../../src/infra/keys';
import { QUEUE_PREFIX, reviewQueueName } from '../../src/infra/queues';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Runs in the normal suite (the key checks) and, under `npm run test:cluster`, against a 3-master Redis Cluster
 * (VIGIL_TEST_CLUSTER=1), where a multi-key operation across slots fails with CROSSSLOT.
 */
describe('Redis Cluster readiness', () => {
  it('when a key belongs to a site, then it carries the site id as its hash tag', () => {
    const siteId = 'abc123def4567890';
    // Keys looked up before any site is known (a moderator's token, an Akismet key, a network's failed keys).
    const sharedByAll = ['moderator', 'akismetKey', 'akismetKeyFailures'];
    for (const [name, build] of Object.entries(keys)) {
      if (build.length === 0) continue;
      const key = (build as (...a: string[]) => string)(siteId, 'x', 'y');
      if (sharedByAll.includes(name)) expect(hashTag(key)).toBe('global');
      else expect(hashTag(key)).toBe(siteId);
    }
  });

  it('when a key is shared by all sites, then it uses the {global} tag', () => {
    expect(hashTag(keys.siteIndex())).toBe('global');
    expect(hashTag(keys.serverSecret())).toBe('global');
    expect(hashTag(keys.moderatorIndex())).toBe('global');
  });

  it('when BullMQ builds queue keys, then the {vigil} prefix puts each queue in one slot', () => {
    expect(hashTag(`${QUEUE_PREFIX}:${reviewQueueName('abc')}:wait`)).toBe('vigil');
    expect(hashTag(`${QUEUE_PREFIX}:webhooks:events`)).toBe('vigil');
  });
});

const live = process.env.VIGIL_TEST_CLUSTER ? describe : describe.skip;

live('against a 3-master Redis Cluster', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('when Vigil connects with ?cluster=true, then it talks to all three masters', async () => {
    const cluster = t.redis as unknown as Cluster;
    expect(typeof cluster.nodes).toBe('function');
    expect(cluster.nodes('master')).toHaveLength(3);
  });

  it('when comments are stored, then every key of the site sits in the site slot and reads back', async () => {
    const site = await t.site({ rateLimits: { commentsPerIpPerMinute: 1000 } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ body: `Cluster comment number ${i} about the budget.` }) });
      expect(r.status).toBe(201);
      ids.push(r.json.id);
    }
    for (const id of ids) {
      const r = await api(t.url, 'GET', `/v1/comments/${id}`, { key: site.secretKey });
      expect(r.status).toBe(200);
    }
    const cluster = t.redis as unknown as Cluster;
    const found: string[] = [];
    for (const node of cluster.nodes('master')) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `vigil:{${site.siteId}}:*`, 'COUNT', 1000);
        cursor = next;
        found.push(...batch);
      } while (cursor !== '0');
    }
    expect(found.length).toBeGreaterThan(5);
    const slots = new Set(await Promise.all(found.map((k) => cluster.cluster('KEYSLOT', k))));
    expect(slots.size).toBe(1);
  });
});
