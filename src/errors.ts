/**
 * Errors that reach a client. Each has a stable `code` that clients can branch on and the HTTP status it maps to;
 * the README's error table lists them all.
 */
export class VigilError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldError { path: string; message: string }

export class InvalidJsonError extends VigilError {
  constructor(message = 'The request body is not valid JSON.') { super('invalid_json', 400, message); }
}
export class ValidationError extends VigilError {
  constructor(readonly errors: FieldError[]) { super('validation_failed', 422, 'The request is invalid.', { errors }); }
}
export class CaptchaRequiredError extends VigilError {
  constructor() { super('captcha_required', 403, 'This site requires a captcha answer.'); }
}
export class CaptchaInvalidError extends VigilError {
  constructor(message = 'The captcha answer is wrong or the captcha was already used.') { super('captcha_invalid', 403, message); }
}
export class CaptchaExpiredError extends VigilError {
  constructor() { super('captcha_expired', 403, 'The captcha expired; ask for a new one.'); }
}
export class RateLimitedError extends VigilError {
  constructor(retryAfterSeconds: number) {
    const s = Math.max(1, Math.ceil(retryAfterSeconds));
    super('rate_limited', 429, `Too many requests; retry in ${s} s.`, { retryAfter: s }, { 'Retry-After': String(s) });
  }
}
export class UnauthorizedError extends VigilError {
  constructor(message = 'A valid key is required.') { super('unauthorized', 401, message); }
}
export class ForbiddenError extends VigilError {
  constructor(message = 'This key may not do that.') { super('forbidden', 403, message); }
}
export class PayloadTooLargeError extends VigilError {
  constructor() { super('payload_too_large', 413, 'The request body is larger than 64 KB.'); }
}
export class UnsupportedMediaTypeError extends VigilError {
  constructor(expected = 'application/json') { super('unsupported_media_type', 415, `The body must be ${expected}.`); }
}
export class NotFoundError extends VigilError {
  constructor(what = 'The resource') { super('not_found', 404, `${what} was not found.`); }
}
export class ConflictError extends VigilError {
  constructor(message: string) { super('conflict', 409, message); }
}
export class ServiceUnavailableError extends VigilError {
  constructor(message = 'Vigil cannot reach its store right now; retry shortly.') {
    super('service_unavailable', 503, message, {}, { 'Retry-After': '5' });
  }
}
export class WebhookUrlRefusedError extends VigilError {
  constructor(message: string) { super('webhook_url_refused', 422, message); }
}
export class ReviewClaimedError extends VigilError {
  constructor() { super('review_claimed', 409, 'Another moderator holds this item, or your lease on it ended; it returns to the queue when the lease ends.'); }
}
export class AlreadyDecidedError extends VigilError {
  constructor() { super('already_decided', 409, 'This comment is not waiting for review any more.'); }
}
export class UndoExpiredError extends VigilError {
  constructor() { super('undo_expired', 409, 'There is no decision on this comment that can still be undone.'); }
}
export class AlreadyReportedError extends VigilError {
  constructor() { super('already_reported', 409, 'You have already reported this comment.'); }
}
export class NotReportedError extends VigilError {
  constructor() { super('not_reported', 409, 'This comment has no open reader reports.'); }
}
export class SignatureInvalidError extends VigilError {
  constructor(message = 'The request signature is missing or does not match the body.') { super('signature_invalid', 401, message); }
}
export class AuthorNotVerifiedError extends VigilError {
  constructor() { super('author_unverified', 422, 'Only an e-mail the site vouched for (a signed-in author) can be trusted: anyone can type an address into a form.'); }
}
