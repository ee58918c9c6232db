import net from 'node:net';
import type { CommentInput } from '../moderation/types';

/** The fields Akismet documents for comment-check, submit-spam and submit-ham. */
export const AKISMET_FIELDS = [
  'api_key', 'key', 'blog', 'user_ip', 'user_agent', 'referrer', 'permalink', 'comment_type', 'comment_author',
  'comment_author_email', 'comment_author_url', 'comment_content', 'comment_date_gmt', 'comment_post_modified_gmt',
  'blog_lang', 'blog_charset', 'user_role', 'is_test', 'honeypot_field_name', 'recheck_reason', 'guid',
] as const;

export type AkismetForm = Record<string, string>;

/** A form body as one string per field; a repeated field keeps its first value, as PHP's last-wins is no better. */
export function formOf(body: unknown): AkismetForm {
  const out: AkismetForm = {};
  if (!body || typeof body !== 'object') return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
    else if (typeof first === 'number' || typeof first === 'boolean') out[k] = String(first);
  }
  return out;
}

/** Akismet's booleans arrive as "1", "true" or "yes"; anything else (including "0" and "false") is false. */
export function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/**
 * The first missing or malformed required field, worded like Akismet's X-akismet-debug-help, or undefined when the
 * form has what comment-check and submit-* need: `blog` and a `user_ip` that is an IP address.
 */
export function missingField(form: AkismetForm): string | undefined {
  if (!form.blog?.trim()) return 'Empty "blog" value';
  if (!form.user_ip?.trim()) return 'Empty "user_ip" value';
  if (!net.isIP(form.user_ip.trim())) return `"user_ip" is not an IP address`;
  return undefined;
}

/**
 * The honeypot: `honeypot_field_name` names a hidden form field whose value the client sends alongside. A name
 * that is one of Akismet's own fields is ignored, so a misconfigured plugin cannot flag every comment.
 */
function honeypotValue(form: AkismetForm): string | undefined {
  const name = form.honeypot_field_name?.trim();
  if (!name || (AKISMET_FIELDS as readonly string[]).includes(name)) return undefined;
  return form[name];
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
 * to the lengths /v1/comments allows; the comment text is kept whole (the 64 KB body limit bounds it).
 */
export function commentInputOf(form: AkismetForm): CommentInput {
  const url = webUrl(form.comment_author_url);
  const honeypot = honeypotValue(form);
  return {
    threadId: limit(form.permalink, 500) || limit(form.blog, 500),
    author: { name: limit(form.comment_author, 100), email: limit(form.comment_author_email, 320), ...(url ? { url } : {}) },
    body: (form.comment_content ?? '').trim(),
    ...(honeypot ? { honeypot } : {}),
    client: { ip: form.user_ip.trim(), userAgent: limit(form.user_agent, 1000), referrer: limit(form.referrer, 2000) },
  };
}
