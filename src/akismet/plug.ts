import type { Plug } from '../plug';
import { registerOperations, type Operation } from '../http/openapi';
import { akismetRoutes } from './routes';

const form = 'Form-encoded (application/x-www-form-urlencoded) as Akismet documents; the key is the Vigil secret key, sent as api_key, key or the first label of the host name.';
const text = (d: string) => ({ '200': { description: `text/plain: ${d}` } });

const operations: Operation[] = [
  { method: 'post', path: '/1.1/verify-key', summary: `Akismet verify-key. ${form}`, auth: 'none', responses: text('"valid", or "invalid" with X-akismet-debug-help') },
  { method: 'post', path: '/1.1/comment-check', summary: `Akismet comment-check; stores the comment for review like POST /v1/comments. ${form}`, auth: 'none', responses: text('"true" (spam) or "false", with X-akismet-guid and, for blatant spam, X-akismet-pro-tip: discard; "invalid" with X-akismet-debug-help') },
  { method: 'post', path: '/1.1/submit-spam', summary: `Akismet submit-spam: a missed spam, fed to learning (and the comment named by guid is rejected). ${form}`, auth: 'none', responses: text('"Thanks for making the web a better place."') },
  { method: 'post', path: '/1.1/submit-ham', summary: `Akismet submit-ham: a false positive, fed to learning (and the comment named by guid is approved). ${form}`, auth: 'none', responses: text('"Thanks for making the web a better place."') },
  { method: 'get', path: '/v1/akismet', summary: 'The DNS-safe spelling of the secret key, for Akismet clients that put the key in the host name.', auth: 'secretKey', responses: { '200': { description: '{key, note}' } } },
];

// Registered once, when the module loads: a process may compose several apps (the tests do).
registerOperations(operations);

/** Plugs the Akismet-compatible API into the app. */
export const akismetPlug: Plug = async ({ ctx, extras }) => {
  extras.routers.push(akismetRoutes(ctx));
};
