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
  | 'review.decided';

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

export class EventBus {
  private subs: Subscriber[] = [];
  constructor(private onError: (err: unknown, e: VigilEvent) => void = () => undefined) {}

  subscribe(fn: Subscriber): void {
    this.subs.push(fn);
  }

  async emit(e: VigilEvent): Promise<void> {
    for (const s of this.subs) await s(e).catch((err) => this.onError(err, e));
  }
}
