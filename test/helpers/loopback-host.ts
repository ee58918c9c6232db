import dns from 'node:dns';

/**
 * Makes `host` and every name under it resolve to 127.0.0.1 in this process (Akismet clients send to
 * `<key>.<host>`); other names resolve as usual. Returns the function that puts the real resolver back.
 */
export function resolveToLoopback(host: string): () => void {
  const realLookup = dns.lookup;
  function testLookup(hostname: string, options: unknown, callback?: unknown): void {
    const cb = (typeof options === 'function' ? options : callback) as (...a: unknown[]) => void;
    const opts = (typeof options === 'object' && options) || {};
    if (hostname === host || hostname.endsWith(`.${host}`)) {
      const all = (opts as { all?: boolean }).all;
      process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
      return;
    }
    (realLookup as (...a: unknown[]) => void)(hostname, options, callback);
  }
  (dns as { lookup: unknown }).lookup = testLookup;
  return () => void ((dns as { lookup: unknown }).lookup = realLookup);
}
