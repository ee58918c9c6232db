import { loadBundledModels, type Model } from '../../src/classifier';
import { api, startTestApp } from '../helpers/test-app';

/** A model whose tables have gone bad: it answers NaN, as a corrupted count would make it. */
function broken(m: Model): Model {
  return new Proxy(m, {
    get: (target, prop, receiver) =>
      prop === 'score' ? () => ({ score: Number.NaN }) : Reflect.get(target, prop, receiver),
  });
}

describe('/readyz', () => {
  it('when Redis answers and both models score, then it is ready', async () => {
    const t = await startTestApp();
    try {
      const r = await api(t.url, 'GET', '/readyz');
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ status: 'ready', redis: true, models: true });
    } finally {
      await t.close();
    }
  });

  it('when a model no longer answers with a probability, then it is not ready and says the models are why', async () => {
    const models = loadBundledModels();
    const t = await startTestApp({}, { models: { ...models, toxicity: broken(models.toxicity) } });
    try {
      const r = await api(t.url, 'GET', '/readyz');
      expect(r.status).toBe(503);
      expect(r.json).toEqual({ status: 'not_ready', redis: true, models: false });
    } finally {
      await t.close();
    }
  });
});
