import type { Response } from 'express';
import { VigilError } from '../errors';

/** Sends an RFC 9457 problem+json answer for a VigilError. */
export function sendProblem(res: Response, err: VigilError, requestId?: string): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res
    .status(err.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: `urn:vigil:error:${err.code}`,
        title: err.code.replace(/_/g, ' '),
        status: err.status,
        code: err.code,
        detail: err.message,
        ...(requestId ? { instance: `urn:vigil:request:${requestId}` } : {}),
        ...err.extra,
      }),
    );
}
