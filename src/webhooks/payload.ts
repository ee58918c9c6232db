import type { VigilEvent } from '../events/events';

/** Payloads stay under the 20 KB the Standard Webhooks specification recommends. */
export const MAX_PAYLOAD_BYTES = 20 * 1024;

const MAX_REASONS = 50;
const MAX_TEXT = 500;
const MAX_NOTE = 2000;
const MAX_EXTRA_KEYS = 20;
const KNOWN = new Set(['commentId', 'threadId', 'status', 'scores', 'reasons', 'moderator', 'decision', 'note']);

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The JSON body of a webhook, in the Standard Webhooks envelope `{type, timestamp, data}`. The comment's text and
 * author are deliberately absent: receivers fetch the comment with the secret key when they need it, so a payload
 * never spreads personal data further than the editor's own systems ask for.
 */
export function buildPayload(e: VigilEvent): string {
  const d = e.data;
  const data: Record<string, unknown> = {
    siteId: e.siteId,
    commentId: d.commentId,
    threadId: d.threadId,
    status: d.status,
  };
  if (d.scores) data.scores = d.scores;
  if (d.reasons) data.reasons = d.reasons.slice(0, MAX_REASONS).map((r) => cut(String(r), MAX_TEXT));
  if (d.moderator) data.moderator = { id: d.moderator.id, name: cut(String(d.moderator.name), MAX_TEXT) };
  if (d.decision !== undefined) data.decision = d.decision;
  if (d.note !== undefined) data.note = cut(String(d.note), MAX_NOTE);
  // Fields the emitters add later (e.g. a previous status) pass through when they are plain values.
  let extras = 0;
  for (const [k, v] of Object.entries(d)) {
    if (KNOWN.has(k) || extras >= MAX_EXTRA_KEYS) continue;
    if (typeof v === 'string') data[k] = cut(v, MAX_TEXT);
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) data[k] = v;
    else continue;
    extras++;
  }
  let body = JSON.stringify({ type: e.type, timestamp: e.at, data });
  // Only pathological inputs get here; the identifying fields always survive.
  for (const drop of ['note', 'reasons', 'scores', ...Object.keys(data).filter((k) => !KNOWN.has(k) && k !== 'siteId')]) {
    if (Buffer.byteLength(body) <= MAX_PAYLOAD_BYTES) break;
    delete data[drop];
    data.truncated = true;
    body = JSON.stringify({ type: e.type, timestamp: e.at, data });
  }
  return body;
}
