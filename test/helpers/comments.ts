import { api, serverComment, TestApp } from './test-app';

let n = 0;
/** A different ordinary comment body on each call: identical bodies would be held as `duplicate_body`. */
export const distinctBody = () => `Comment number ${++n} about the council budget and the new library opening hours.`;

/** A server-side comment (secret key) with a distinct body; fails the calling test unless it is stored (201). */
export async function postComment(t: TestApp, secretKey: string, over: Record<string, unknown> = {}) {
  const res = await api(t.url, 'POST', '/v1/comments', { key: secretKey, body: serverComment({ body: distinctBody(), ...over }) });
  expect(res.status).toBe(201);
  return res.json as { id: string; status: string; reasons: string[] };
}
