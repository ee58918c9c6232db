import type Redis from 'ioredis';
import { findCheckedComment, rememberCheckedComment } from '../../../src/akismet/match';
import type { CommentInput, ModerationDeps } from '../../../src/moderation/types';

/** The two Redis calls matching makes, on a Map. */
function memoryRedis(): Redis {
  const m = new Map<string, string>();
  return {
    set: async (k: string, v: string) => { m.set(k, v); return 'OK'; },
    get: async (k: string) => m.get(k) ?? null,
  } as unknown as Redis;
}

const deps = {
  redis: memoryRedis(), secret: Buffer.alloc(32, 7),
  settings: { captchaTtlSeconds: 600, retentionDays: 30, idempotencyTtlSeconds: 86400, ipv6Prefix: 64 },
} as unknown as ModerationDeps;

const comment = (ip: string): CommentInput =>
  ({ body: 'Cheap watches here', author: { name: 'Ann' }, client: { ip } }) as unknown as CommentInput;

describe('Akismet submissions find the checked comment by author, network and text', () => {
  beforeAll(async () => {
    await rememberCheckedComment(deps, 's1', comment('2001:db8:1:2::1'), 'c-v6', true, 60);
    await rememberCheckedComment(deps, 's1', comment('192.0.2.1'), 'c-v4', false, 60);
  });

  it('when the submission comes from another address of the same IPv6 /64, then it finds the comment', async () => {
    expect(await findCheckedComment(deps, 's1', comment('2001:db8:1:2:ffff::9'))).toEqual({ commentId: 'c-v6', answeredSpam: true });
    expect(await findCheckedComment(deps, 's1', comment('2001:db8:1:3::1'))).toBeUndefined();
  });

  it('when an IPv4 address arrives in mapped form, dotted or hex, then it is the same address', async () => {
    expect(await findCheckedComment(deps, 's1', comment('::ffff:192.0.2.1'))).toEqual({ commentId: 'c-v4', answeredSpam: false });
    expect(await findCheckedComment(deps, 's1', comment('::ffff:c000:201'))).toEqual({ commentId: 'c-v4', answeredSpam: false });
    expect(await findCheckedComment(deps, 's1', comment('192.0.2.2'))).toBeUndefined();
  });
});
