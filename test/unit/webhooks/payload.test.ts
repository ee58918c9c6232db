import { buildPayload, MAX_PAYLOAD_BYTES } from '../../../src/webhooks/payload';
import type { VigilEvent } from '../../../src/events/events';

const ev = (data: Partial<VigilEvent['data']> & Record<string, unknown> = {}): VigilEvent => ({
  type: 'review.decided', siteId: 's1', at: '2026-11-26T22:00:00.000Z',
  data: { commentId: 'c1', threadId: 't1', status: 'rejected', ...data },
});

describe('webhook payload', () => {
  it('when an event is built, then it has the Standard Webhooks envelope and the documented fields', () => {
    const p = JSON.parse(buildPayload(ev({ scores: { spam: 0.1, toxicity: 0.9 }, reasons: ['toxicity 0.90'], moderator: { id: 'm1', name: 'Ada' }, decision: 'reject', note: 'abusive', previousStatus: 'pending', nested: { no: 1 } })));
    expect(p).toEqual({
      type: 'review.decided', timestamp: '2026-11-26T22:00:00.000Z',
      data: { siteId: 's1', commentId: 'c1', threadId: 't1', status: 'rejected', scores: { spam: 0.1, toxicity: 0.9 }, reasons: ['toxicity 0.90'], moderator: { id: 'm1', name: 'Ada' }, decision: 'reject', note: 'abusive', previousStatus: 'pending' },
    });
  });

  it('when the event carries huge fields, then the payload still stays under 20 KB with its identifiers', () => {
    const huge = 'x'.repeat(100_000);
    const extras = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, huge]));
    const body = buildPayload(ev({ reasons: Array.from({ length: 500 }, () => huge), note: huge, ...extras }));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(JSON.parse(body).data).toMatchObject({ siteId: 's1', commentId: 'c1', threadId: 't1', status: 'rejected' });
  });
});
