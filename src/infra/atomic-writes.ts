import type Redis from 'ioredis';
import { luaScript, runLua } from './lua';

/**
 * Runs a list of writes in order, inside one script: atomic as MULTI/EXEC is, but sent as a single EVALSHA. A MULTI
 * is written to the socket on its own and costs ioredis a command object and a promise per command; one script call
 * is auto-pipelined with the other requests' commands (infra/redis createRequestRedis). ARGV holds, per write, the
 * command, the 1-based index of its key in KEYS and its argument count, then the arguments.
 */
const RUN = luaScript(`
local i, n = 1, #ARGV
while i <= n do
  local argc = tonumber(ARGV[i + 2])
  redis.call(ARGV[i], KEYS[tonumber(ARGV[i + 1])], unpack(ARGV, i + 3, i + 2 + argc))
  i = i + 3 + argc
end
return 1`);

type Arg = string | number;

/** Writes to keys that share one hash slot (one site's keys), collected and then run atomically. */
export class AtomicWrites {
  private readonly keyIndex = new Map<string, number>();
  private readonly keyList: string[] = [];
  private readonly args: Arg[] = [];

  /** Appends a write; the command names come from code, never from input. */
  add(command: string, key: string, ...args: Arg[]): this {
    let k = this.keyIndex.get(key);
    if (k === undefined) {
      this.keyList.push(key);
      k = this.keyList.length;
      this.keyIndex.set(key, k);
    }
    this.args.push(command, k, args.length, ...args);
    return this;
  }

  get length(): number {
    return this.args.length;
  }

  async exec(redis: Redis): Promise<void> {
    if (!this.args.length) return;
    await runLua(redis, RUN, this.keyList, this.args);
  }
}
