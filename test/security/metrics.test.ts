import { api, serverComment, startTestApp, TestApp } from '../helpers/test-app';

/**
 * Issue 8: /metrics carries what an operator needs (request latency by route, decisions, classifier time, queue
 * depths, webhook and captcha outcomes) and nothing a reader would not want published (ids, e-mails, IPs).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ VIGIL_WEBHOOK_QUEUE: `webhooks-metrics-${process.pid}` }, { workers: false });
});
afterAll(async () => {
  await t.close();
});

it('when traffic has flowed, then /metrics has every series the issue lists and no personal data', async () => {
  const site = await t.site({ captcha: 'svg' });
  const c = await api(t.url, 'POST', '/v1/comments', { key: site.secretKey, body: serverComment({ author: { name: 'Mia', email: 'mia.metrics@example.com' } }) });
  expect(c.status).toBe(201);
  expect((await api(t.url, 'POST', '/v1/captchas', { key: site.siteKey })).status).toBe(201);
  const r = await api(t.url, 'GET', '/metrics');
  expect(r.status).toBe(200);
  const text = r.text;
  expect(text).toMatch(/vigil_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/comments"/);
  expect(text).toMatch(new RegExp(`vigil_comment_decisions_total\\{site="${site.siteId}",status="${c.json.status}"\\} [1-9]`));
  // Classifier time is observed on the comment path too, not only in /v1/check.
  expect(text).toMatch(/vigil_classifier_duration_seconds_count\{model="spam"\} [1-9]/);
  expect(text).toMatch(/vigil_classifier_duration_seconds_count\{model="toxicity"\} [1-9]/);
  expect(text).toMatch(/vigil_queue_jobs\{queue="webhooks-metrics-\d+",state="waiting"\} \d+/);
  expect(text).toMatch(/vigil_queue_jobs\{queue="learning",state="failed"\} \d+/);
  expect(text).toContain('vigil_review_queue_depth');
  expect(text).toContain('vigil_webhook_attempts_total');
  expect(text).toMatch(new RegExp(`vigil_captcha_total\\{site="${site.siteId}",mode="svg",outcome="issued"\\} [1-9]`));
  expect(text).toContain('process_resident_memory_bytes');
  expect(text).not.toContain(c.json.id);
  expect(text).not.toContain('mia.metrics');
  expect(text).not.toContain('198.51.100.7');
});
