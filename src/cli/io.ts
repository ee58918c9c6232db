import { parseArgs, type ParseArgsConfig } from 'node:util';
import type Redis from 'ioredis';
import { loadConfig } from '../config';
import { connectRedis, createRedis } from '../infra/redis';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** A command that needs no Redis (train, eval, score, captcha sample). */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Raised for bad usage; the dispatcher prints it with the command's help and exits 2. */
export class UsageError extends Error {}

/**
 * Opens Redis from REDIS_URL for one command, and always closes it. Without REDIS_URL it is the Redis that
 * `npm start` runs for itself (127.0.0.1:OWN_REDIS_PORT).
 */
export async function withRedis<T>(fn: (redis: Redis) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const url = config.REDIS_URL ?? `redis://127.0.0.1:${config.OWN_REDIS_PORT}`;
  const redis = createRedis(url, { enableOfflineQueue: true });
  try {
    await connectRedis(redis, 5000).catch(() => {
      throw new Error(`cannot reach Redis at ${url.replace(/\/\/[^@]*@/, '//***@')}; set REDIS_URL`);
    });
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(JSON.stringify(value) + '\n');
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses a command's arguments with a `--help` option added. A parse error is printed with the help (exit code 2) and
 * `--help` prints the help (exit code 0); either way the command gets a number to return instead of the values.
 */
export function parseCommandArgs<O extends OptionsConfig, P extends boolean>(
  argv: string[], options: O, allowPositionals: P, help: string, io: CliIo,
) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, ...HELP_OPTION }, allowPositionals });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${help}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(help);
    return 0;
  }
  return parsed;
}
