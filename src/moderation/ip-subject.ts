import net from 'node:net';

/**
 * The subject an IP is counted, limited and blocked under. An IPv4 address is itself, also when it arrives in its
 * IPv6-mapped form (`::ffff:192.0.2.1`): otherwise one client has two limits. An IPv6 address stands for its network
 * prefix (/64 by default), because one subscriber usually holds a whole /64 and can send from 2^64 addresses.
 * @param v6Prefix - IPv6 prefix length a client is assumed to control. @defaultValue 64
 */
export function ipSubject(ip: string, v6Prefix = 64): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped && net.isIPv4(mapped[1])) return mapped[1];
  if (!net.isIPv6(ip)) return ip;
  const groups = expandV6(ip);
  if (!groups) return ip;
  // A mapped address written in hex (::ffff:c000:201) is the IPv4 address too.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  }
  const bits = Math.max(0, Math.min(128, v6Prefix));
  const masked = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, bits - 16 * i));
    return keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${masked.map((g) => g.toString(16)).join(':')}/${bits}`;
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
