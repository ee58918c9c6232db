import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModelFile } from '../../src/classifier';
import { recordFeedback } from '../../src/learning/feedback';
import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';
import { runVigil } from '../helpers/cli';

const vigil = (...argv: string[]) => runVigil(argv);
const vigilWithInput = (input: string, ...argv: string[]) => runVigil(argv, input);

let t: TestApp;
beforeAll(async () => {
  process.env.REDIS_URL = process.env.TEST_REDIS_URL;
  t = await startTestApp();
});
afterAll(() => t.close());

describe('vigil sites', () => {
  it('when a site is created with --json, then exactly one JSON object with working keys is printed', async () => {
    const r = await vigil('sites', 'create', '--name', 'Ledger', '--origin', 'https://ledger.example', '--captcha', 'off', '--json');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0]);
    expect(Object.keys(created).sort()).toEqual(['secretKey', 'siteId', 'siteKey']);
    const res = await api(t.url, 'POST', '/v1/comments', { key: created.secretKey, body: serverComment() });
    expect(res.status).toBe(201);
    const list = await vigil('sites', 'list', '--json');
    expect(JSON.parse(list.out).map((s: { siteId: string }) => s.siteId)).toContain(created.siteId);
  });

  it('when the policy is set from the CLI, then the API sees it', async () => {
    const created = JSON.parse((await vigil('sites', 'create', '--name', 'P', '--origin', 'https://p.example', '--json')).out);
    const set = await vigil('sites', 'policy', created.siteId, '--set', '{"captcha":"pow","blocked":{"words":["casino"]}}');
    expect(set.code).toBe(0);
    const policy = await api(t.url, 'GET', '/v1/site/policy', { key: created.secretKey });
    expect(policy.json).toMatchObject({ captcha: 'pow', blocked: { words: ['casino'] } });
  });

  it('when arguments are missing or wrong, then a usage error and exit code 2', async () => {
    expect((await vigil('sites', 'create', '--name', 'x')).code).toBe(2);
    expect((await vigil('sites', 'policy', 'abc', '--set', '{"captcha":"maybe"}')).code).toBe(2);
    expect((await vigil('nonsense')).code).toBe(2);
  });

  it('when a moderator is created with --json, then moderatorId and token are printed', async () => {
    const created = JSON.parse((await vigil('sites', 'create', '--name', 'M', '--origin', 'https://m.example', '--json')).out);
    const r = await vigil('moderators', 'create', '--site', created.siteId, '--name', 'Ann', '--json');
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.out)).sort()).toEqual(['moderatorId', 'token']);
    expect((await vigil('moderators', 'create', '--site', 'ffffffffffffffff', '--name', 'x')).code).toBe(1);
  });

  it('when a moderator token is rotated, then the old token is refused and the new one works', async () => {
    const site = JSON.parse((await vigil('sites', 'create', '--name', 'R', '--origin', 'https://r.example', '--json')).out);
    const mod = JSON.parse((await vigil('moderators', 'create', '--site', site.siteId, '--name', 'Rota', '--json')).out);
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: mod.token })).status).toBe(200);
    const r = await vigil('moderators', 'rotate', mod.moderatorId, '--json');
    expect(r.code).toBe(0);
    const rotated = JSON.parse(r.out);
    expect(rotated.moderatorId).toBe(mod.moderatorId);
    expect(rotated.token).not.toBe(mod.token);
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: mod.token })).status).toBe(401);
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: rotated.token })).status).toBe(200);
  });

  it('when a moderator is revoked, then their token is refused and the site no longer lists them', async () => {
    const site = JSON.parse((await vigil('sites', 'create', '--name', 'V', '--origin', 'https://v.example', '--json')).out);
    const mod = JSON.parse((await vigil('moderators', 'create', '--site', site.siteId, '--name', 'Gone', '--json')).out);
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: mod.token })).status).toBe(200);
    const r = await vigil('moderators', 'revoke', mod.moderatorId);
    expect(r.code).toBe(0);
    expect((await api(t.url, 'GET', '/v1/review/counts', { key: mod.token })).status).toBe(401);
    const list = JSON.parse((await vigil('moderators', 'list', '--site', site.siteId, '--json')).out);
    expect(list).toEqual([]);
    expect((await vigil('moderators', 'revoke', mod.moderatorId)).code).toBe(1);
    expect((await vigil('moderators', 'rotate')).code).toBe(2);
  });
});

describe('/openapi.json', () => {
  it('when fetched, then it is OpenAPI 3.1 with the comment body schema from the validator', async () => {
    const doc = (await api(t.url, 'GET', '/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    const schema = doc.paths['/v1/comments'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['threadId', 'author', 'body']));
    expect(schema.properties.body.maxLength).toBe(10000);
  });
});

describe('vigil score', () => {
  it('when JSON lines come in, then one score line per input comes out, in order', async () => {
    const input = ['{"text":"WIN a FREE iPhone now!!! click http://win.example/claim"}', '{"text":"Thanks for the balanced reporting on the park."}'].join('\n');
    const r = await vigilWithInput(input, 'score', '--model', 'spam');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].score).toBeGreaterThan(0.9);
    expect(lines[1].score).toBeLessThan(0.5);
  });
});

describe('vigil models export', () => {
  it("when a site has feedback, then the exported model has learnt it and loads like a shipped one", async () => {
    const created = JSON.parse((await vigil('sites', 'create', '--name', 'L', '--origin', 'https://l.example', '--json')).out);
    const text = 'quorblet vantrix offer inside';
    for (let i = 0; i < 20; i++) await recordFeedback(t.redis, created.siteId, { task: 'spam', positive: true, text, source: 'moderator' });
    await recordFeedback(t.redis, created.siteId, { task: 'toxicity', positive: true, text: 'ignored by a spam export', source: 'moderator' });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-export-')), 'spam.json');
    const r = await vigil('models', 'export', '--model', 'spam', '--out', out, '--site', created.siteId);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`site ${created.siteId}: global plus its own 20 entries`);
    const exported = loadModelFile(out);
    const shipped = t.service.ctx.moderation.models.spam;
    expect(exported.task).toBe('spam');
    expect(exported.score({ text }).score).toBeGreaterThan(shipped.score({ text }).score);
    expect((await vigil('models', 'export', '--model', 'spam')).code).toBe(2);
  });
});
