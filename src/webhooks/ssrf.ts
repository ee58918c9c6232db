import dns from 'node:dns/promises';
import net from 'node:net';

/**
 * The SSRF guard. A webhook URL is an address the operator's server will call on behalf of whoever holds a secret
 * key, so it must not reach the operator's own network: loopback, private, link-local (which holds the cloud
 * metadata services), shared and reserved ranges are refused unless VIGIL_WEBHOOK_ALLOWLIST names the host or range.
 * The check runs at registration and again at every delivery, and the delivery connects to the very address that
 * was checked, so a DNS answer that changes in between (rebinding) cannot slip through.
 */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The address to connect to, already checked. */
export interface CheckedTarget {
  url: URL;
  hostname: string;
  address: string;
  family: 4 | 6;
}

/**
 * One message for every refusal that depends on where a name points: a site must not learn from Vigil's answers
 * what internal names exist or what they resolve to. `reason` keeps the detail for the operator's logs and tests.
 */
export const REFUSED = 'The webhook URL is refused: its host must resolve only to public addresses (an operator can allow others with VIGIL_WEBHOOK_ALLOWLIST).';

export class AddressRefusedError extends Error {
  constructor(
    message: string,
    readonly reason: string = message,
  ) {
    super(message);
    this.name = 'AddressRefusedError';
  }
}

const RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'reserved'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'private (shared address space)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local or cloud metadata'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'],
  ['192.0.2.0', 24, 'ipv4', 'reserved (documentation)'],
  ['192.88.99.0', 24, 'ipv4', 'reserved'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved (benchmarking)'],
  ['198.51.100.0', 24, 'ipv4', 'reserved (documentation)'],
  ['203.0.113.0', 24, 'ipv4', 'reserved (documentation)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 96, 'ipv6', 'loopback or unspecified'],
  ['100::', 64, 'ipv6', 'reserved (discard)'],
  ['64:ff9b:1::', 48, 'ipv6', 'reserved (local-use NAT64)'],
  ['2001::', 32, 'ipv6', 'reserved (Teredo)'],
  ['2001:db8::', 32, 'ipv6', 'reserved (documentation)'],
  ['2002::', 16, 'ipv6', 'reserved (6to4)'],
  ['fc00::', 7, 'ipv6', 'private (unique local, includes cloud metadata)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const blockLists = RANGES.map(([net_, prefix, type, label]) => {
  const b = new net.BlockList();
  b.addSubnet(net_, prefix, type);
  return { b, type, label };
});

/** The 16 bytes of an IPv6 address (any spelling, a dotted IPv4 tail included), or undefined. */
export function ipv6Bytes(address: string): Uint8Array | undefined {
  if (!net.isIPv6(address)) return undefined;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = text.slice(0, tail.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 255;
  });
  return out;
}

/**
 * The IPv4 address an IPv6 address stands for, judged as that IPv4: mapped (::ffff:0:0/96), translated
 * (::ffff:0:0:0/96, RFC 2765) and NAT64 (64:ff9b::/96). Other forms that embed an IPv4 (6to4, Teredo, local-use
 * NAT64 64:ff9b:1::/48 whose embedding depends on the operator's prefix) are refused as whole ranges.
 */
function embeddedV4(address: string): string | undefined {
  const b = ipv6Bytes(address);
  if (!b) return undefined;
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const mapped = zero(0, 10) && b[10] === 0xff && b[11] === 0xff;
  const translated = zero(0, 8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0;
  const nat64 = b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12);
  return mapped || translated || nat64 ? `${b[12]}.${b[13]}.${b[14]}.${b[15]}` : undefined;
}

/** Why an address is not public, or undefined when it is an ordinary public address. */
export function classifyAddress(address: string): string | undefined {
  const v4 = net.isIPv4(address) ? address : embeddedV4(address);
  const [addr, type] = v4 ? [v4, 'ipv4' as const] : [address, 'ipv6' as const];
  if (!net.isIP(addr)) return 'not an IP address';
  for (const { b, type: t, label } of blockLists) if (t === type && b.check(addr, type)) return label;
  return undefined;
}

/** VIGIL_WEBHOOK_ALLOWLIST parsed: host names, and addresses or CIDR ranges. */
export interface Allowlist {
  hosts: Set<string>;
  ranges: net.BlockList;
}

export function parseAllowlist(spec: string): Allowlist {
  const hosts = new Set<string>();
  const ranges = new net.BlockList();
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [ip, prefix] = raw.split('/');
    const family = net.isIP(ip);
    if (family && prefix !== undefined) ranges.addSubnet(ip, Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    else if (family) ranges.addAddress(ip, family === 4 ? 'ipv4' : 'ipv6');
    else hosts.add(normalHost(raw));
  }
  return { hosts, ranges };
}

function normalHost(h: string): string {
  return h.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

function allowedAddress(allow: Allowlist, address: string): boolean {
  const v4 = net.isIPv4(address) ? address : embeddedV4(address);
  if (v4 && allow.ranges.check(v4, 'ipv4')) return true;
  return net.isIPv6(address) && allow.ranges.check(address, 'ipv6');
}

export const systemResolver: Resolver = async (hostname) => {
  const found = await dns.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Only http and https, no credentials in the URL, at most 2000 characters. */
export function checkUrlShape(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AddressRefusedError('The URL is not valid.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AddressRefusedError('The URL must use http or https.');
  if (url.username || url.password) throw new AddressRefusedError('The URL must not contain credentials.');
  if (raw.length > 2000) throw new AddressRefusedError('The URL is longer than 2000 characters.');
  return url;
}

/**
 * Resolves the URL's host and returns the address to connect to. Every address the name resolves to must be
 * public (or allowlisted): a name with one public and one private record is refused, because the connection could
 * otherwise be steered to either.
 */
export async function checkTarget(raw: string, allow: Allowlist, resolve: Resolver = systemResolver): Promise<CheckedTarget> {
  const url = checkUrlShape(raw);
  const hostname = normalHost(url.hostname);
  const literal = net.isIP(hostname);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await resolve(hostname);
    } catch (err) {
      throw new AddressRefusedError(REFUSED, `${hostname} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!addresses.length) throw new AddressRefusedError(REFUSED, `${hostname} does not resolve`);
  }
  if (!allow.hosts.has(hostname)) {
    for (const a of addresses) {
      const why = classifyAddress(a.address);
      if (why && !allowedAddress(allow, a.address)) {
        throw new AddressRefusedError(REFUSED, `${hostname} resolves to ${a.address}, which is ${why}`);
      }
    }
  }
  return { url, hostname, address: addresses[0].address, family: addresses[0].family };
}
