import net from 'node:net';
import { api, startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';

/**
 * Clients that hold connections open: slow headers (slowloris), a body sent a byte at a time, a flood of idle
 * connections; and CORS preflights, which carry no key, answered with a grant only for origins a site allows.
 */
let t: TestApp;
let host: { host: string; port: number };

beforeAll(async () => {
  t = await startTestApp(
    { HTTP_HEADERS_TIMEOUT_MS: '600', HTTP_REQUEST_TIMEOUT_MS: '1200', HTTP_MAX_CONNECTIONS: '20', VIGIL_WEBHOOK_QUEUE: `webhooks-slow-${process.pid}` },
    { workers: false },
  );
  const u = new URL(t.url);
  host = { host: u.hostname, port: Number(u.port) };
});
afterAll(async () => {
  await t.close();
});

/** Opens a raw connection, writes `first`, then `drip` every 100 ms; resolves with what came back and when it closed. */
function hold(first: string, drip = ''): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(host, () => socket.write(first));
    let answer = '';
    const timer = drip ? setInterval(() => socket.writable && socket.write(drip), 100) : undefined;
    const give = setTimeout(() => reject(new Error('the server kept the connection open for 10 s')), 10000);
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(give);
      resolve({ ms: Date.now() - started, answer });
    });
  });
}

describe('slow clients', () => {
  it('when a client never finishes its headers, then it gets 408 and the connection is closed after the headers timeout', async () => {
    const r = await hold('POST /v1/comments HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
    expect(r.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('when a client sends its body a byte at a time, then it gets 408 and the connection is closed after the request timeout', async () => {
    const r = await hold('POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{', ' ');
    expect(r.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(r.ms).toBeLessThan(6000);
  });

  it('when more connections are opened than the cap, then the extra ones are closed and the service still answers', async () => {
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        sockets.push(await new Promise<net.Socket>((resolve) => { const s = net.connect(host, () => resolve(s)); s.on('error', () => undefined); }));
      }
      const extra = await hold('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(extra.answer).toBe('');
    } finally {
      for (const s of sockets) s.destroy();
    }
    // The server sees the closes a moment later; then it answers again.
    await until('the service answers again', async () => (await api(t.url, 'GET', '/healthz').catch(() => ({ status: 0 }))).status === 200);
  });
});

describe('CORS preflight', () => {
  it("when a preflight comes from a site's allowed origin, then it is granted; from any other origin, then no grant", async () => {
    await t.site({}, ['https://allowed.example']);
    const ok = await fetch(`${t.url}/v1/comments`, { method: 'OPTIONS', headers: { origin: 'https://allowed.example', 'access-control-request-method': 'POST' } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://allowed.example');
    for (const origin of ['https://evil.example', 'null', 'https://allowed.example.evil.test']) {
      const no = await fetch(`${t.url}/v1/comments`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect({ origin, allow: no.headers.get('access-control-allow-origin'), methods: no.headers.get('access-control-allow-methods') }).toEqual({ origin, allow: null, methods: null });
    }
  });
});
