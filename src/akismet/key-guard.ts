import crypto from 'node:crypto';
import net from 'node:net';
import type Redis from 'ioredis';
import { keys } from '../infra/keys';
import { ipSubject } from '../moderation/ip-subject';

/**
 * Online guessing of Akismet keys. An Akismet-format key has 48 random bits, enough only when guesses are few: every
 * wrong key counts against the client's network (not its single address, which an attacker with an IPv6 prefix has
 * by the billion), and a network over its allowance has every key refused, right or wrong, until its window ends.
 * Refusing right keys too is what makes the limit hold: otherwise the answer to the next guess still tells.
 */
export interface KeyGuardOptions {
  secret: Buffer;
  /** Wrong keys allowed per network and window. */
  failures: number;
  windowSeconds: number;
}

/**
 * The network a client address belongs to for counting: IPv4 /24, IPv6 /48 (one site's allocation), with
 * IPv4-mapped IPv6 addresses (dotted or hex) counted as the IPv4 address they are.
 */
export function clientNetwork(address: string | undefined): string {
  const ip = (address ?? '').trim();
  return net.isIP(ip) ? ipSubject(ip, 48, 24) : 'unknown';
}

function counterKey(opts: KeyGuardOptions, network: string): string {
  return keys.akismetKeyFailures(crypto.createHmac('sha256', opts.secret).update(`net\0${network}`).digest('hex').slice(0, 32));
}

/** Seconds until the network may present keys again, or 0 when it may now. */
export async function keyAttemptsBlocked(redis: Redis, opts: KeyGuardOptions, network: string): Promise<number> {
  const key = counterKey(opts, network);
  const [count, ttl] = (await redis.multi().get(key).ttl(key).exec()) ?? [];
  if (Number(count?.[1] ?? 0) < opts.failures) return 0;
  return Math.max(1, Number(ttl?.[1] ?? opts.windowSeconds));
}

/** Counts a wrong key against the network; the window starts at its first failure. */
export async function recordKeyFailure(redis: Redis, opts: KeyGuardOptions, network: string): Promise<void> {
  const key = counterKey(opts, network);
  await redis.multi().incr(key).expire(key, opts.windowSeconds, 'NX').exec();
}
