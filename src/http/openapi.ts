import { z } from 'zod';
import { policyPatchSchema, policySchema } from '../sites/policy';
import * as s from './schemas';

type Auth = 'siteKey' | 'secretKey' | 'siteOrSecretKey' | 'moderatorToken' | 'none';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  auth: Auth;
  body?: z.ZodType;
  query?: z.ZodObject;
  responses: Record<string, { description: string; schema?: z.ZodType }>;
}

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: 'Problem details (RFC 9457)', schema: s.problemSchema }]));

/** Every endpoint. Capabilities add theirs with registerOperations so the description stays whole. */
const operations: Operation[] = [
  { method: 'get', path: '/healthz', summary: 'The process is up.', auth: 'none', responses: { '200': { description: 'ok' } } },
  { method: 'get', path: '/readyz', summary: 'Redis is reachable and the models are loaded.', auth: 'none', responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } } },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics: Authorization: Bearer METRICS_TOKEN, or only on METRICS_PORT; off (404) when neither is set.', auth: 'none', responses: { '200': { description: 'text exposition format' }, '401': { description: 'no or wrong METRICS_TOKEN' }, '404': { description: 'metrics are off here' } } },
  { method: 'post', path: '/v1/captchas', summary: "A captcha in the site's mode (proof of work, image, both, or off).", auth: 'siteKey', query: z.object({ alternative: z.enum(['pow']).optional().describe('pow: a proof-of-work challenge instead of the image (the accessible alternative).') }), responses: { '201': { description: '{id, type: pow | pow+svg | svg | off, pow?, svg?, expiresAt}' }, ...errors(401, 403, 429, 503) } },
  {
    method: 'post', path: '/v1/comments', summary: 'Submit a comment; answers with the verdict. Supports Idempotency-Key.', auth: 'siteOrSecretKey',
    body: s.commentSchema, query: s.explainQuerySchema,
    responses: { '201': { description: 'The verdict', schema: s.moderationResultSchema }, ...errors(400, 401, 403, 409, 413, 415, 422, 429, 503) },
  },
  { method: 'get', path: '/v1/comments/{id}', summary: 'Read a comment back.', auth: 'secretKey', responses: { '200': { description: 'The comment' }, ...errors(401, 403, 404, 503) } },
  { method: 'post', path: '/v1/comments/{id}/feedback', summary: "The site's label for a stored comment (spam, ham, toxic, ok); the models learn from it.", auth: 'secretKey', body: s.feedbackSchema, responses: { '202': { description: '{feedbackId, commentId, label}' }, ...errors(400, 401, 403, 404, 415, 422, 503) } },
  { method: 'get', path: '/v1/threads/{threadId}/comments', summary: "A thread's comments of one status, oldest first.", auth: 'secretKey', query: s.threadQuerySchema, responses: { '200': { description: '{comments, next}' }, ...errors(401, 403, 422, 503) } },
  { method: 'post', path: '/v1/check', summary: 'Score a text without storing it.', auth: 'secretKey', body: s.checkSchema, query: s.explainQuerySchema, responses: { '200': { description: 'Scores and the decision Vigil would make' }, ...errors(400, 401, 403, 413, 415, 422, 503) } },
  { method: 'get', path: '/v1/site', summary: 'The site and its policy.', auth: 'secretKey', responses: { '200': { description: 'site' }, ...errors(401, 403) } },
  { method: 'get', path: '/v1/site/policy', summary: "The site's policy.", auth: 'secretKey', responses: { '200': { description: 'policy', schema: policySchema } } },
  { method: 'patch', path: '/v1/site/policy', summary: 'Change part of the policy; nested objects merge.', auth: 'secretKey', body: policyPatchSchema, responses: { '200': { description: 'The new policy', schema: policySchema }, ...errors(400, 401, 403, 415, 422) } },
];

export function registerOperations(ops: Operation[]): void {
  operations.push(...ops);
}

function jsonSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

const securityFor: Record<Auth, Array<Record<string, string[]>>> = {
  siteKey: [{ siteKey: [] }],
  secretKey: [{ secretKey: [] }],
  siteOrSecretKey: [{ siteKey: [] }, { secretKey: [] }],
  moderatorToken: [{ moderatorToken: [] }],
  none: [],
};

/** OpenAPI 3.1, generated from the zod schemas that validate the requests. */
export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(op.query ? Object.keys(op.query.shape).map((name) => ({ name, in: 'query', required: false, schema: jsonSchema(op.query!.shape[name] as z.ZodType) })) : []),
    ];
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      security: securityFor[op.auth],
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([code, r]) => [
          code,
          { description: r.description, ...(r.schema ? { content: { [Number(code) >= 400 ? 'application/problem+json' : 'application/json']: { schema: jsonSchema(r.schema) } } } : {}) },
        ]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Vigil', version, description: 'Comment moderation and anti-spam for news sites.' },
    components: {
      securitySchemes: {
        siteKey: { type: 'http', scheme: 'bearer', description: 'Public site key (pk_...), for browsers on allowed origins.' },
        secretKey: { type: 'http', scheme: 'bearer', description: "Secret key (sk_...), for the site's server." },
        moderatorToken: { type: 'http', scheme: 'bearer', description: 'Moderator token (mt_...).' },
      },
    },
    paths,
  };
}
