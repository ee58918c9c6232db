import crypto from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

export interface LuaScript {
  /** The ioredis command name the script is defined under on each client. */
  name: string;
  source: string;
}

export function luaScript(source: string): LuaScript {
  return { name: `vigilLua${crypto.createHash('sha1').update(source).digest('hex').slice(0, 16)}`, source };
}

type ScriptCommand = (numKeys: number, ...keysAndArgs: Array<string | number>) => Promise<unknown>;

/** Per client: scripts defined and usable (true), or defined and waiting for older auto-pipelines to be sent. */
const defined = new WeakMap<object, Map<string, true | Promise<void>>>();

/**
 * Runs a script through ioredis's `defineCommand`, which sends the source the first time on each connection and
 * EVALSHA after that (resending the source when a restarted or failed-over Redis answers NOSCRIPT), auto-pipelined with
 * the connection's other commands. A client defines a script on first use. ioredis copies a client's scripts into each
 * auto-pipeline when it opens one, so a pipeline opened before the definition cannot carry the script: the first calls
 * wait until those have been sent. After that the call is made synchronously, in the same pipeline as the commands
 * issued with it.
 */
export async function runLua<T>(redis: Redis | Cluster, script: LuaScript, keyList: string[], args: Array<string | number>): Promise<T> {
  let scripts = defined.get(redis);
  if (!scripts) defined.set(redis, (scripts = new Map()));
  const state = scripts.get(script.name);
  if (state !== true) {
    if (state) await state;
    else {
      redis.defineCommand(script.name, { lua: script.source });
      const settled = new Promise<void>((resolve) => setImmediate(resolve)).then(() => void scripts.set(script.name, true));
      scripts.set(script.name, settled);
      await settled;
    }
  }
  const command = (redis as unknown as Record<string, ScriptCommand>)[script.name];
  return (await command.call(redis, keyList.length, ...keyList, ...args)) as T;
}
