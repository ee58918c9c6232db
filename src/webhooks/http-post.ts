import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './ssrf';
import { parseRetryAfter } from './retry';

/** What one HTTP attempt came to. `status` is absent when no answer arrived (refused, reset, timed out). */
export interface PostResult {
  status?: number;
  latencyMs: number;
  /** The start of the answer body, for the delivery log. */
  excerpt: string;
  retryAfterMs?: number;
  error?: string;
}

export interface PostOptions {
  /** Whole-attempt deadline: connect, send, answer and body. @defaultValue 10000 */
  timeoutMs?: number;
  /** Bytes of answer body read at most; the rest is dropped and the connection closed. @defaultValue 16384 */
  maxBodyBytes?: number;
  /** Characters of the body kept in the log. @defaultValue 256 */
  excerptChars?: number;
}

/**
 * POSTs to the checked address. The connection goes to `target.address` whatever DNS says now (the custom lookup
 * pins it), while the Host header and TLS name stay the URL's host. Redirects are never followed: a 3xx is just an
 * unsuccessful answer.
 */
export function postPinned(target: CheckedTarget, headers: Record<string, string>, body: string, opts: PostOptions = {}): Promise<PostResult> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBody = opts.maxBodyBytes ?? 16_384;
  const excerptChars = opts.excerptChars ?? 256;
  const started = process.hrtime.bigint();
  const elapsed = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
  const lookup: LookupFunction = (_host, options, cb) => {
    if ((options as { all?: boolean }).all) (cb as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
  const mod = target.url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let done = false;
    const finish = (r: Omit<PostResult, 'latencyMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: elapsed() });
    };
    const req = mod.request(target.url, {
      method: 'POST',
      agent: false,
      lookup,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' },
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ excerpt: '', error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ excerpt: '', error: err.code ?? err.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const complete = () => {
        const text = Buffer.concat(chunks).subarray(0, maxBody).toString('utf8');
        const ra = res.headers['retry-after'];
        finish({
          status: res.statusCode,
          excerpt: text.slice(0, excerptChars),
          retryAfterMs: parseRetryAfter(Array.isArray(ra) ? ra[0] : ra),
        });
        res.destroy();
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= maxBody) complete();
      });
      res.on('end', complete);
      res.on('error', complete);
      res.on('close', complete);
    });
    req.end(body);
  });
}
