import type Redis from 'ioredis';
import { keys } from '../infra/keys';

/** A live event for the /moderate page: something arrived in, or left, a site's queue. */
export interface LiveEvent {
  type: 'item' | 'decided' | 'undone' | 'reported';
  siteId: string;
  commentId: string;
}

/** Publishes through Redis pub/sub so every instance's open pages hear of items that arrived at any instance. */
export async function publishLive(redis: Redis, e: LiveEvent): Promise<void> {
  await redis.publish(keys.reviewLive(e.siteId), JSON.stringify(e));
}

type Listener = (e: LiveEvent) => void;

/**
 * One subscriber connection per process, shared by every open page and made when the first page connects. Each
 * listener gets only the events of the sites it asked for.
 */
export class LiveHub {
  private sub?: Redis;
  private listeners = new Set<{ siteIds: Set<string>; fn: Listener }>();

  constructor(private makeConnection: () => Redis) {}

  async listen(siteIds: string[], fn: Listener): Promise<() => void> {
    if (!this.sub) {
      const sub = this.makeConnection();
      this.sub = sub;
      sub.on('pmessage', (_pattern, _channel, message) => {
        let e: LiveEvent;
        try {
          e = JSON.parse(message) as LiveEvent;
        } catch {
          return;
        }
        for (const l of this.listeners) if (l.siteIds.has(e.siteId)) l.fn(e);
      });
      sub.on('error', () => undefined);
      await sub.psubscribe(keys.reviewLivePattern());
    }
    const entry = { siteIds: new Set(siteIds), fn };
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Open event streams, ended on shutdown so the HTTP server can close (a browser reconnects elsewhere). */
  private streams = new Set<() => void>();

  trackStream(end: () => void): () => void {
    this.streams.add(end);
    return () => {
      this.streams.delete(end);
    };
  }

  endStreams(): void {
    for (const end of [...this.streams]) end();
    this.streams.clear();
  }

  async close(): Promise<void> {
    this.endStreams();
    this.listeners.clear();
    if (this.sub) this.sub.disconnect();
    this.sub = undefined;
  }
}
