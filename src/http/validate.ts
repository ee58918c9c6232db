import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { UnsupportedMediaTypeError, ValidationError } from '../errors';

/** Parses with a zod schema and turns its issues into per-field errors. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ValidationError(
    r.error.issues.slice(0, 50).map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })),
  );
}

/** Bodies must be JSON; anything else is refused before it is read. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json') && !req.is('application/*+json')) throw new UnsupportedMediaTypeError();
  next();
};
