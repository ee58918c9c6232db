import net from 'node:net';
import { startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

/** A client that opens connection after connection cannot hold more than HTTP_MAX_CONNECTIONS of them. */
let t: TestApp;
let host: { host: string; port: number };

beforeAll(async () => {
  t = await startTestApp({ HTTP_MAX_CONNECTIONS: '3', VIGIL_WEBHOOK_QUEUE: `webhooks-cap-${process.pid}` }, { workers: false });
  const u = new URL(t.url);
  host = { host: u.hostname, port: Number(u.port) };
});
afterAll(() => t.close());

function open(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(host, () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves when the server closes `s`, rejects if it is still open after `ms`. */
function closedWithin(s: net.Socket, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.destroyed) return resolve();
    const give = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
    s.on('close', () => {
      clearTimeout(give);
      resolve();
    });
    s.on('error', () => undefined);
  });
}

describe('connection cap', () => {
  it('when more connections are opened than the cap, then the extra one is closed and the service answers once they go', async () => {
    const held = [await open(), await open(), await open()];
    try {
      const extra = await open();
      await closedWithin(extra, 5000);
    } finally {
      for (const s of held) s.destroy();
    }
    // The server counts a connection out when its close reaches it; a request gets through from then on. Each try
    // has its own connection and deadline, so a refused one is retried rather than waited on.
    const healthy = () =>
      fetch(`${t.url}/healthz`, { signal: AbortSignal.timeout(1000), headers: { connection: 'close' } }).then((r) => r.status === 200, () => false);
    expect(await until('/healthz to answer after the held connections closed', healthy, 15000)).toBe(true);
  });
});
