import { normalizeEmail } from '../identity';
import type { Phase } from '../types';

const URL_HOST = /\bhttps?:\/\/([^\s/?#:]+)/gi;

function hostsIn(text: string): string[] {
  return [...text.matchAll(URL_HOST)].map((m) => m[1].toLowerCase());
}

function domainMatches(host: string, blocked: string): boolean {
  const b = blocked.toLowerCase().replace(/^\*?\./, '');
  return host === b || host.endsWith(`.${b}`);
}

/** The site's own blocklists: a hit rejects the comment whatever the models say. */
export const blocklistPhase: Phase = (ctx) => {
  const { words, domains, emails, ips } = ctx.site.policy.blocked;
  const { author, body } = ctx.input;
  const email = normalizeEmail(author.email);
  const lowerBody = body.toLowerCase();
  const hit = (code: string) => {
    if (!ctx.reasons.includes(code)) ctx.reasons.push(code);
    ctx.verdict = 'rejected';
  };
  if (words.some((w) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(w.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(lowerBody))) {
    hit('blocked_word');
  }
  const hosts = [...hostsIn(body), ...(author.url ? hostsIn(author.url) : []), email.split('@')[1] ?? ''];
  if (domains.some((d) => hosts.some((h) => h && domainMatches(h, d)))) hit('blocked_domain');
  if (emails.some((e) => normalizeEmail(e) === email)) hit('blocked_email');
  if (ips.some((ip) => ipMatches(ctx.client.ip, ip))) hit('blocked_ip');
};

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Exact addresses, or IPv4 CIDR ranges such as 203.0.113.0/24. */
function ipMatches(ip: string, rule: string): boolean {
  if (!rule.includes('/')) return ip === rule;
  const [base, bitsStr] = rule.split('/');
  const bits = Number(bitsStr);
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !/^\d+\.\d+\.\d+\.\d+$/.test(base) || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(base) & mask);
}
