import net from 'node:net';

/**
 * The subject an IP is counted, limited, blocked and hashed under, everywhere Vigil keys something on a client's
 * network (intake limits and history, captcha issuing, Akismet matching and key guessing). An IPv4 address is itself,
 * also when it arrives in its IPv6-mapped form (`::ffff:192.0.2.1` or `::ffff:c000:201`): otherwise one client has
 * two limits. An IPv6 address stands for its network prefix (/64 by default), because one subscriber usually holds a
 * whole /64 and can send from 2^64 addresses. A value that is not an IP address is kept as it is.
 * @param v6Prefix - IPv6 prefix length a client is assumed to control. @defaultValue 64
 * @param v4Prefix - IPv4 prefix length; below 32 the subject is the network (`203.0.113.0/24`). @defaultValue 32
 */
export function ipSubject(ip: string, v6Prefix = 64, v4Prefix = 32): string {
  const v4 = mappedV4(ip);
  if (v4 !== undefined) return v4Subject(v4, v4Prefix);
  if (!net.isIPv6(ip)) return ip;
  const groups = expandV6(ip);
  if (!groups) return ip;
  // A mapped address written in hex (::ffff:c000:201) is the IPv4 address too.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return v4Subject(`${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`, v4Prefix);
  }
  const bits = Math.max(0, Math.min(128, v6Prefix));
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, bits - 16 * i));
    return keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${masked.map((g) => g.toString(16)).join(':')}/${bits}`;
}

/** The dotted IPv4 address of `ip` itself or of its dotted mapped form, or undefined. */
function mappedV4(ip: string): string | undefined {
  if (net.isIPv4(ip)) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped && net.isIPv4(mapped[1]) ? mapped[1] : undefined;
}

function v4Subject(ip: string, prefix: number): string {
  const bits = Math.max(0, Math.min(32, prefix));
  if (bits === 32) return ip;
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const masked = bits === 0 ? 0 : n - (n % 2 ** (32 - bits));
  return `${[24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) % 256).join('.')}/${bits}`;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or undefined. */
function expandV6(ip: string): number[] | undefined {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const parts = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (parts.length !== 8) return undefined;
  return parts.map((p) => parseInt(p, 16));
}
