import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { postPinned } from '../../../src/webhooks/http-post';

/** A loopback server standing in for a receiver; the tests reach it under a name DNS would never give it. */
async function server(handler: http.RequestListener) {
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { s, port: (s.address() as AddressInfo).port, close: () => { s.closeAllConnections(); return new Promise((r) => s.close(r)); } };
}

const target = (port: number, host = 'receiver.invalid') => ({ url: new URL(`http://${host}:${port}/hook`), hostname: host, address: '127.0.0.1', family: 4 as const });

describe('postPinned', () => {
  it('when the URL names a host, then the connection goes to the checked address and Host stays the name', async () => {
    let seen: http.IncomingHttpHeaders = {};
    let got = '';
    const srv = await server((req, res) => {
      seen = req.headers;
      req.on('data', (c) => (got += c)).on('end', () => res.writeHead(200).end('thanks'));
    });
    const r = await postPinned(target(srv.port), { 'webhook-id': 'msg_1' }, '{"a":1}');
    await srv.close();
    expect(r).toMatchObject({ status: 200, excerpt: 'thanks' });
    expect(seen.host).toBe(`receiver.invalid:${srv.port}`);
    expect(seen['webhook-id']).toBe('msg_1');
    expect(seen['content-type']).toBe('application/json');
    expect(got).toBe('{"a":1}');
  });

  it('when the receiver redirects, then the redirect is not followed', async () => {
    let hits = 0;
    const srv = await server((_req, res) => { hits++; res.writeHead(302, { location: 'http://169.254.169.254/' }).end(); });
    const r = await postPinned(target(srv.port), {}, '{}');
    await srv.close();
    expect(r.status).toBe(302);
    expect(hits).toBe(1);
  });

  it('when the answer is huge, then only the cap is read and the excerpt is short', async () => {
    const srv = await server((_req, res) => { res.writeHead(200); res.end('y'.repeat(5_000_000)); });
    const r = await postPinned(target(srv.port), {}, '{}', { maxBodyBytes: 1024 });
    await srv.close();
    expect(r.status).toBe(200);
    expect(r.excerpt).toHaveLength(256);
  });

  it('when the receiver does not answer in time, then the attempt ends at the deadline', async () => {
    const srv = await server(() => undefined);
    const r = await postPinned(target(srv.port), {}, '{}', { timeoutMs: 200 });
    await srv.close();
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/timed out/);
    expect(r.latencyMs).toBeGreaterThanOrEqual(190);
    expect(r.latencyMs).toBeLessThan(2000);
  });

  it('when 429 carries Retry-After, then it is returned in milliseconds', async () => {
    const srv = await server((_req, res) => res.writeHead(429, { 'retry-after': '7' }).end());
    const r = await postPinned(target(srv.port), {}, '{}');
    await srv.close();
    expect(r).toMatchObject({ status: 429, retryAfterMs: 7000 });
  });
});

describe('postPinned over https', () => {
  it('when the URL is https, then TLS is to the pinned address with the URL host as server name, and the certificate is checked', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-wh-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=receiver.test',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    let sni: string | undefined;
    const creds = { key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) };
    const context = tls.createSecureContext(creds);
    const s = https.createServer({ ...creds, SNICallback: (name, cb) => { sni = name; cb(null, context); } }, (_q, r) => r.end('ok'));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    const r = await postPinned({ url: new URL(`https://receiver.test:${port}/hook`), hostname: 'receiver.test', address: '127.0.0.1', family: 4 }, {}, '{}');
    s.closeAllConnections();
    await new Promise((res) => s.close(res));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBeUndefined();
    expect(r.error).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(sni).toBe('receiver.test');
  });
});
