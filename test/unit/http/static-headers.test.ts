import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { RequestHandler } from 'express';
import helmet from 'helmet';
import { staticHeaders } from '../../../src/http/app';

async function headersWith(mw: RequestHandler): Promise<Array<[string, string]>> {
  const app = express();
  app.use(mw);
  app.get('/', (_req, res) => void res.json({}));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const out: Array<[string, string]> = [];
    res.headers.forEach((v, k) => {
      if (!['date', 'etag', 'connection', 'keep-alive'].includes(k)) out.push([k, v]);
    });
    return out.sort();
  } finally {
    server.close();
  }
}

describe('helmet headers computed once', () => {
  it('when helmet\'s headers are set in one step, then responses carry exactly what helmet itself sets', async () => {
    const opts = { contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"] } }, crossOriginResourcePolicy: { policy: 'cross-origin' as const } };
    const viaHelmet = await headersWith(helmet(opts));
    expect(viaHelmet.length).toBeGreaterThan(8);
    expect(await headersWith(staticHeaders(helmet(opts)))).toEqual(viaHelmet);
  });
});
