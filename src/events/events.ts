/**
 * Domain events. Intake and review emit them; webhooks (and anything else) subscribe. Emitting never throws to the
 * emitter: a subscriber that fails is reported through onError, because a comment must not fail for a webhook.
 */
export type EventType =
  | 'comment.created'
  | 'comment.pending'
  | 'comment.approved'
  | 'comment.rejected'
  | 'comment.spam'
  | 'review.decided'
  | 'comment.reported';

export interface VigilEvent {
  type: EventType;
  siteId: string;
  /** ISO time the event happened. */
  at: string;
  data: {
    commentId: string;
    threadId: string;
    status: string;
    scores?: { spam: number; toxicity: number; attributes?: Record<string, number> };
    reasons?: string[];
    moderator?: { id: string; name: string };
    decision?: string;
    note?: string;
    [k: string]: unknown;
  };
}

export type Subscriber = (e: VigilEvent) => Promise<void>;
/** Receives the events of one emit together, e.g. to read shared state (a site's webhook endpoints) once. */
export type BatchSubscriber = (events: VigilEvent[]) => Promise<void>;

export class EventBus {
  private batchSubs: BatchSubscriber[] = [];
  constructor(private onError: (err: unknown, e: VigilEvent) => void = () => undefined) {}

  subscribe(fn: Subscriber): void {
    this.batchSubs.push(async (events) => {
      for (const e of events) await fn(e).catch((err) => this.onError(err, e));
    });
  }

  subscribeBatch(fn: BatchSubscriber): void {
    this.batchSubs.push(fn);
  }

  /** Emits events that belong together (a comment's creation and its status), in order. */
  async emit(...events: VigilEvent[]): Promise<void> {
    if (!events.length) return;
    for (const s of this.batchSubs) await s(events).catch((err) => this.onError(err, events[0]));
  }
}
