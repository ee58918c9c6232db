import type { Response } from 'express';

/** The canonical Google API status names Vigil answers with, and their HTTP codes. */
const STATUS = {
  INVALID_ARGUMENT: 400,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type GoogleStatus = keyof typeof STATUS;

/**
 * An error in Google's shape, `{"error": {"code", "message", "status"}}`, which Perspective clients read (Coral logs
 * `status`, perspective-api-client surfaces `error.message`). Used only on the /v1alpha1 routes; the rest of Vigil
 * answers problem+json.
 */
export class GoogleApiError extends Error {
  constructor(
    readonly status: GoogleStatus,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }

  get httpStatus(): number {
    return STATUS[this.status];
  }
}

export const invalid = (message: string) => new GoogleApiError('INVALID_ARGUMENT', message);

/** Google's words for a missing or unknown key, which clients match on. */
export const BAD_KEY = 'API key not valid. Please pass a valid API key.';

export function sendGoogleError(res: Response, err: GoogleApiError): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res.status(err.httpStatus).json({ error: { code: err.httpStatus, message: err.message, status: err.status } });
}
