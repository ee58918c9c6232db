import crypto from 'node:crypto';
import type Redis from 'ioredis';

export interface LuaScript {
  source: string;
  sha: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha: crypto.createHash('sha1').update(source).digest('hex') };
}

/**
 * Runs a script by its SHA, sending the source only when this Redis has not seen it yet (a restarted or failed-over
 * Redis forgets its scripts). Scripts exist to save round trips on hot paths, so the common case is one EVALSHA.
 *
 * Not ioredis `defineCommand`: ioredis copies a client's defined scripts into each auto-pipeline when it opens it, so
 * a script defined on first use is missing from pipelines opened before, which may still be waiting behind a running
 * one; the reply of every command in such a pipeline is then lost ("results[i] is not iterable", a 500 on the first
 * comment). Using it would mean defining every script in the client factories before any command is sent.
 */
export async function runLua<T>(redis: Redis, script: LuaScript, keyList: string[], args: Array<string | number>): Promise<T> {
  try {
    return (await redis.evalsha(script.sha, keyList.length, ...keyList, ...args)) as T;
  } catch (err) {
    if (!/NOSCRIPT/.test((err as Error).message)) throw err;
    return (await redis.eval(script.source, keyList.length, ...keyList, ...args)) as T;
  }
}
