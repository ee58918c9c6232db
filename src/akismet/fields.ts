import net from 'node:net';
import type { CommentInput } from '../moderation/types';
import { articleUrl } from '../comments/thread-info';
import { primaryLanguage } from '../classifier/language/supported';

/** The fields Akismet documents for comment-check, submit-spam and submit-ham. */
export const AKISMET_FIELDS = [
  'api_key', 'key', 'blog', 'user_ip', 'user_agent', 'referrer', 'permalink', 'comment_type', 'comment_author',
  'comment_author_email', 'comment_author_url', 'comment_content', 'comment_date_gmt', 'comment_post_modified_gmt',
  'blog_lang', 'blog_charset', 'user_role', 'is_test', 'honeypot_field_name', 'recheck_reason', 'guid',
] as const;

/** The request's fields (body.ts fieldsOf): a map without a prototype, one string per field, each capped. */
export type AkismetForm = Record<string, string>;

/** A field's value only when the form itself has it: never one of Object.prototype's members. */
export function own(form: AkismetForm, name: string): string | undefined {
  return Object.hasOwn(form, name) && typeof form[name] === 'string' ? form[name] : undefined;
}

/** Akismet's booleans arrive as "1", "true" or "yes"; anything else (including "0" and "false") is false. */
export function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** A refusal of a request that lacks what Akismet requires, in Akismet's words: the body and X-akismet-debug-help. */
export interface FieldProblem {
  body: string;
  help: string;
}

/**
 * The commenter's IP: `user_ip`, or WordPress's own column name `comment_author_IP`, which the plugin's submit-spam
 * and submit-ham send for comments it kept no "as submitted" copy of.
 */
export function userIp(form: AkismetForm): string {
  return (own(form, 'user_ip') || own(form, 'comment_author_IP') || '').trim();
}

/**
 * The first missing or malformed required field, answered as Akismet answers it (`Missing required field: user_ip.`),
 * or undefined when the form has what comment-check and submit-* need: `blog` and a `user_ip` that is an IP address.
 */
export function missingField(form: AkismetForm): FieldProblem | undefined {
  if (!own(form, 'blog')?.trim()) return { body: 'Missing required field: blog.', help: 'Empty "blog" value: send the home URL of the site the comment was posted on.' };
  const ip = userIp(form);
  if (!ip) return { body: 'Missing required field: user_ip.', help: 'Empty "user_ip" value: send the IP address of the commenter (not of the server).' };
  if (!net.isIP(ip)) return { body: 'Invalid value for field: user_ip.', help: '"user_ip" is not an IP address.' };
  return undefined;
}

/**
 * The honeypot: `honeypot_field_name` names a hidden form field whose value the client sends alongside. A name
 * that is one of Akismet's own fields is ignored, so a misconfigured plugin cannot flag every comment; so is a name
 * the form does not carry (`constructor`, `hasOwnProperty`: only the form's own fields count).
 */
function honeypotValue(form: AkismetForm): string | undefined {
  const name = own(form, 'honeypot_field_name')?.trim();
  if (!name || (AKISMET_FIELDS as readonly string[]).includes(name)) return undefined;
  return own(form, name);
}

const limit = (s: string | undefined, max: number) => (s ?? '').trim().slice(0, max);

/**
 * The author's web site, kept only as an http(s) URL: it ends up in links on review pages, where `javascript:` must
 * never arrive. A bare host name (`example.com`, as some forms allow) gets `http://`.
 */
function webUrl(raw: string | undefined): string | undefined {
  const s = limit(raw, 2000);
  if (!s) return undefined;
  for (const candidate of /^[a-z][a-z0-9+.-]*:/i.test(s) ? [s] : [`http://${s}`]) {
    try {
      const u = new URL(candidate);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.')) return u.href;
    } catch {
      /* not a URL: dropped */
    }
  }
  return undefined;
}

/**
 * Maps an Akismet request to Vigil's comment input. The thread is the permalink (the article), else the blog; the
 * commenter's IP, user agent and referrer come from the form, as from any server caller. Names and e-mails are cut
 * to the lengths /v1/comments allows; the comment text arrives capped at 10,000 characters like theirs (body.ts).
 */
export function commentInputOf(form: AkismetForm): CommentInput {
  const url = webUrl(own(form, 'comment_author_url'));
  const honeypot = honeypotValue(form);
  const article = articleUrl(own(form, 'permalink'));
  const language = blogLanguage(own(form, 'blog_lang'));
  return {
    threadId: limit(own(form, 'permalink'), 500) || limit(own(form, 'blog'), 500),
    // The permalink is the article's address: moderators see it as the thread's link (Akismet sends no title).
    ...(article ? { thread: { url: article } } : {}),
    author: { name: limit(own(form, 'comment_author'), 100), email: limit(own(form, 'comment_author_email'), 320), ...(url ? { url } : {}) },
    body: (own(form, 'comment_content') ?? '').trim(),
    ...(honeypot ? { honeypot } : {}),
    client: { ip: userIp(form), userAgent: limit(own(form, 'user_agent'), 1000), referrer: limit(own(form, 'referrer'), 2000) },
    ...(language ? { language } : {}),
  };
}

/**
 * The comment's declared language from `blog_lang` ("de_DE", or "en_us, fr_ca" for a site in several languages):
 * only a site in one language says which language a comment is in; with several, the language is detected.
 */
function blogLanguage(v: string | undefined): string | undefined {
  if (!v || v.length > 100 || v.includes(',')) return undefined;
  return primaryLanguage(v);
}
