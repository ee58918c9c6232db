import type { Plug } from '../plug';
import { registerOperations, type Operation } from '../http/openapi';
import { akismetRoutes } from './routes';

const form = 'Form-encoded (application/x-www-form-urlencoded, in the charset Content-Type names; UTF-8 when none) or JSON (UTF-8), as Akismet documents; every field at most 10,000 characters, 1,000 fields, 64 KB. The key is the site\'s Akismet key (12 hex characters, `vigil sites akismet-key`) or its secret key, sent as api_key, key or the first label of the host name.';
const text = (d: string) => ({ '200': { description: `text/plain: ${d}` } });
const json = (d: string) => ({ '200': { description: `application/json: ${d}; "invalid" in text/plain with X-akismet-debug-help for a bad key` } });
const refused = 'Missing required field: <name>. (with X-akismet-debug-help) when blog or user_ip is missing; 413/415/400 in text/plain for a body over the caps, in another content type or charset, or malformed';

const operations: Operation[] = [
  { method: 'get', path: '/1.1/test', summary: 'Akismet connectivity check, as WordPress\'s settings page calls it. No key.', auth: 'none', responses: text('"connected"') },
  { method: 'post', path: '/1.1/verify-key', summary: `Akismet verify-key (key read before api_key). ${form}`, auth: 'none', responses: text('"valid", or "invalid" with X-akismet-debug-help') },
  { method: 'post', path: '/1.1/comment-check', summary: `Akismet comment-check; stores the comment for review like POST /v1/comments. Never 429: a rate-limited comment is spam. Test triggers: comment_author viagra-test-123 or comment_author_email akismet-guaranteed-spam@example.com answer true, user_role administrator false; is_test=1 stores nothing. ${form}`, auth: 'none', responses: text(`"true" (spam) or "false", with X-akismet-guid and, for blatant spam, X-akismet-pro-tip: discard; "invalid" with X-akismet-debug-help; ${refused}`) },
  { method: 'post', path: '/1.1/submit-spam', summary: `Akismet submit-spam: a missed spam, fed to learning; the stored comment (named by guid, else found by author, IP and text) is rejected. ${form}`, auth: 'none', responses: text(`"Thanks for making the web a better place."; ${refused}`) },
  { method: 'post', path: '/1.1/submit-ham', summary: `Akismet submit-ham: a false positive, fed to learning; the stored comment (named by guid, else found by author, IP and text) is approved. ${form}`, auth: 'none', responses: text(`"Thanks for making the web a better place."; ${refused}`) },
  { method: 'post', path: '/1.1/get-subscription', summary: `Akismet get-subscription: always active, unlimited. ${form}`, auth: 'none', responses: json('{account_id, account_name, account_type, status, next_billing_date, limit_reached}') },
  { method: 'post', path: '/1.1/get-stats', summary: `Akismet get-stats (from=6-months, all or YYYY-MM) from Vigil's own answers on the Akismet routes. ${form}`, auth: 'none', responses: json('{spam, ham, missed_spam, false_positives, accuracy, time_saved, breakdown}') },
  { method: 'post', path: '/1.1/deactivate', summary: `Akismet deactivate: answered; the key stays valid until rotated. ${form}`, auth: 'none', responses: text('"deactivated"') },
  { method: 'post', path: '/1.1/token', summary: `The stats-page token newer plugins ask for: random, grants nothing. ${form}`, auth: 'none', responses: text('an opaque token') },
  { method: 'get', path: '/1.2/usage-limit', summary: `Akismet usage-limit: this month's comment-checks; unlimited. ${form}`, auth: 'none', responses: json('{limit: "none", usage, percentage, throttled}') },
  { method: 'get', path: '/1.2/key-sites', summary: `Akismet key-sites: the blogs that sent this key in a month (month, filter, order, limit, offset, format=json|csv). ${form}`, auth: 'none', responses: json('{"<YYYY-MM>": [{site, api_calls, spam, ham, missed_spam, false_positives, is_revoked}], limit, offset, total}, or CSV') },
  { method: 'get', path: '/v1/akismet', summary: 'The DNS-safe spelling of the secret key, for Akismet clients that put the key in the host name.', auth: 'secretKey', responses: { '200': { description: '{key, note}' } } },
];

// Registered once, when the module loads: a process may compose several apps (the tests do).
registerOperations(operations);

/** Plugs the Akismet-compatible API into the app. */
export const akismetPlug: Plug = async ({ ctx, extras }) => {
  const { v11, v12, api } = akismetRoutes(ctx);
  extras.bodyRouters.push({ path: '/1.1', router: v11 }, { path: '/1.2', router: v12 });
  extras.routers.push(api);
};
