import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Redis from 'ioredis';
import { keys } from './keys';

/** The key file's name under DATA_DIR. */
export const SECRET_FILE = 'vigil-secret';

export interface ServerSecretOptions {
  redis: Redis;
  /** VIGIL_SECRET, when the operator set one. */
  configured?: string;
  /** DATA_DIR: where the key file lives when VIGIL_SECRET is not set. */
  dataDir: string;
  /** NODE_ENV=production: VIGIL_SECRET (or an existing key file) is then required; no key file is generated. */
  production: boolean;
  /** Told when a secret moves out of Redis or a key file is created. */
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/**
 * The secret behind captcha HMACs, proof-of-work signatures and the keyed hashes of e-mails and IPs. It never lives
 * in Redis: a Redis dump alone must not be enough to test guesses against those hashes (a /16 of IPs takes well under
 * a second). It is VIGIL_SECRET, or else a key file under DATA_DIR made on the first start (mode 0600). Older
 * versions kept a generated secret in Redis; the first start of this version moves it into the key file (so the
 * hashes already stored keep matching) and deletes it from Redis.
 *
 * Every instance sharing a Redis must use the same secret, or captchas issued by one fail on another and identities
 * split. Redis keeps a keyed fingerprint of the secret (an HMAC of a constant; it reveals nothing about the secret)
 * and a start with a different secret stops with a message instead of serving.
 */
export async function loadServerSecret(opts: ServerSecretOptions): Promise<Buffer> {
  const { redis } = opts;
  const legacy = await redis.get(keys.serverSecret());
  const file = path.resolve(opts.dataDir, SECRET_FILE);
  let secret: Buffer;
  if (opts.configured) secret = Buffer.from(opts.configured, 'utf8');
  else if (opts.production && !fs.existsSync(file)) {
    // A production start never makes up a secret: one generated on a container's throwaway disk would be lost with
    // it, and every stored hash with it.
    throw new Error(
      'VIGIL_SECRET is required when NODE_ENV=production (at least 16 characters, e.g. `openssl rand -base64 32`); ' +
        (legacy ? 'this Redis still holds the secret an older version generated: see docs/operations.md, "The server secret", to keep it.' : 'see docs/operations.md.'),
    );
  } else secret = readOrCreateKeyFile(file, legacy, opts.log);
  await checkFingerprint(redis, secret);
  if (legacy) {
    await redis.del(keys.serverSecret());
    opts.log?.('deleted the server secret an older version kept in Redis', { keptIn: opts.configured ? 'VIGIL_SECRET' : 'key file' });
  }
  return secret;
}

function readOrCreateKeyFile(file: string, legacy: string | null, log: ServerSecretOptions['log']): Buffer {
  const read = () => Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (fs.existsSync(file)) return checked(read(), file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // A secret an older version kept in Redis is carried over, so stored hashes and live captchas stay valid.
  const value = legacy ?? crypto.randomBytes(32).toString('base64');
  try {
    fs.writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
    log?.(legacy ? 'moved the server secret from Redis into the key file' : 'created the server secret key file', { file });
  } catch (err) {
    // Another process on this machine made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return checked(read(), file);
}

function checked(secret: Buffer, file: string): Buffer {
  if (secret.length < 16) throw new Error(`The server secret key file ${file} holds fewer than 16 bytes; restore it from a backup (docs/operations.md).`);
  return secret;
}

async function checkFingerprint(redis: Redis, secret: Buffer): Promise<void> {
  const mine = crypto.createHmac('sha256', secret).update('vigil server secret fingerprint').digest('hex');
  await redis.set(keys.serverSecretFingerprint(), mine, 'NX');
  const stored = await redis.get(keys.serverSecretFingerprint());
  if (stored !== mine) {
    throw new Error(
      'This Redis was used with a different server secret. Every instance sharing a Redis needs the same one: set the ' +
        'same VIGIL_SECRET everywhere, or copy the key file (DATA_DIR/vigil-secret) from the first instance. To start over ' +
        'with a new secret on purpose, see "Rotating the server secret" in docs/operations.md.',
    );
  }
}

/**
 * The service's secret as the admin commands need it (an Akismet key's hash, Coral's encrypted signing secret): the
 * same VIGIL_SECRET or DATA_DIR key file the running service uses, checked against the fingerprint in Redis.
 */
export function loadConfiguredSecret(redis: Redis, config: { VIGIL_SECRET?: string; DATA_DIR: string; NODE_ENV: string }): Promise<Buffer> {
  return loadServerSecret({ redis, configured: config.VIGIL_SECRET, dataDir: config.DATA_DIR, production: config.NODE_ENV === 'production' });
}
