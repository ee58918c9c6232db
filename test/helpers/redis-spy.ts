/**
 * Spies on one command of a Redis client: `see` gets each call's key, then the command runs as usual. For tests that
 * count which keys a piece of work reads or writes (per-site reads, lock takes) on the real Redis.
 */
export function watchKeys<T extends object>(client: T, command: keyof T & string, see: (key: string) => void): jest.SpyInstance {
  const run = (client[command] as unknown as (...a: unknown[]) => Promise<unknown>).bind(client);
  return jest.spyOn(client as never, command as never).mockImplementation(((key: string, ...rest: unknown[]) => {
    see(key);
    return run(key, ...rest);
  }) as never);
}
