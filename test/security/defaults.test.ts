import { api, startTestApp } from '../helpers/test-app';

/** What an install shows before anyone configured anything. */
describe('the demo page', () => {
  it('when DEMO_PAGE is not set, then /demo and its config are not served', async () => {
    const t = await startTestApp({}, { workers: false });
    try {
      expect((await api(t.url, 'GET', '/demo/')).status).toBe(404);
      expect((await api(t.url, 'GET', '/demo/config.json')).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('when DEMO_PAGE=true, then /demo serves the article with the comment form', async () => {
    const t = await startTestApp({ DEMO_PAGE: 'true' }, { workers: false });
    try {
      const r = await api(t.url, 'GET', '/demo/');
      expect(r.status).toBe(200);
      expect(r.text).toContain('<form');
    } finally {
      await t.close();
    }
  });
});
