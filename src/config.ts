import { z } from 'zod';

/**
 * Every setting Vigil reads from the environment. Nothing else in the code reads process.env, so this table and
 * the README's configuration table are the whole story.
 */
export const configSpec = {
  PORT: { schema: z.coerce.number().int().min(0).max(65535).default(3000), doc: 'HTTP port.' },
  HOST: { schema: z.string().default('0.0.0.0'), doc: 'Interface the HTTP server binds to.' },
  REDIS_URL: {
    schema: z.string().url().optional(),
    doc: 'Redis to use. When unset, `npm start` runs its own redis-server (AOF on, appendfsync always, data in DATA_DIR). For a Redis Cluster, name one master and add `?cluster=true`.',
  },
  DATA_DIR: { schema: z.string().default('./data'), doc: "Directory of the bundled Redis's data when REDIS_URL is unset, and of the server secret's key file (`vigil-secret`, mode 0600) when VIGIL_SECRET is unset." },
  NODE_ENV: { schema: z.string().default('development'), doc: 'With `production`, VIGIL_SECRET (or an existing DATA_DIR/vigil-secret) is required: no key file is generated. The Docker image sets it.' },
  OWN_REDIS_PORT: {
    schema: z.coerce.number().int().min(1).max(65535).default(6380),
    doc: 'Port of the bundled Redis (on 127.0.0.1). Not 6379, so it never collides with a system Redis.',
  },
  MODELS_DIR: { schema: z.string().optional(), doc: 'Directory with spam.json and toxicity.json. Default: the bundled models/.' },
  VIGIL_SECRET: {
    schema: z.string().min(16).optional(),
    secret: true,
    doc: 'Server secret for captcha HMACs, proof-of-work signatures and the keyed hashes of e-mails and IPs; never stored in Redis. Required when NODE_ENV=production; otherwise, when unset, one is generated into DATA_DIR/vigil-secret (mode 0600) on the first start. All instances sharing a Redis need the same one.',
  },
  TRUST_PROXY: {
    schema: z.string().default('false'),
    doc: "Express trust-proxy setting deciding whose X-Forwarded-For is believed for a browser's IP (e.g. `false`, `loopback`, `10.0.0.0/8`, `1`). Default: no proxy is trusted; set it behind a reverse proxy (docs/operations.md).",
  },
  HTTP_HEADERS_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).default(10000),
    doc: 'Time a client has to send a request\'s headers before it gets 408 and the connection is closed (slowloris).',
  },
  HTTP_REQUEST_TIMEOUT_MS: {
    schema: z.coerce.number().int().min(100).default(30000),
    doc: 'Time a client has to send a whole request, body included, before it gets 408 and the connection is closed.',
  },
  HTTP_MAX_CONNECTIONS: {
    schema: z.coerce.number().int().min(1).default(4096),
    doc: 'Open HTTP connections per process; connections beyond it are closed on arrival.',
  },
  IPV6_PREFIX: {
    schema: z.coerce.number().int().min(32).max(128).default(64),
    doc: 'Prefix length an IPv6 client is counted under for per-IP limits, history and blocks (one subscriber usually holds a /64).',
  },
  LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), doc: 'pino log level.' },
  CAPTCHA_TTL_SECONDS: { schema: z.coerce.number().int().min(10).default(300), doc: 'How long a captcha can be answered.' },
  RETENTION_DAYS: { schema: z.coerce.number().min(1).default(30), doc: 'Days a decided comment is kept; pending comments never expire.' },
  IDEMPOTENCY_TTL_SECONDS: { schema: z.coerce.number().int().min(60).default(86400), doc: 'How long an Idempotency-Key answer is replayed.' },
  SHUTDOWN_TIMEOUT_MS: { schema: z.coerce.number().int().min(100).default(10000), doc: 'Longest wait for in-flight work on SIGTERM.' },
  DEV_BOOTSTRAP: {
    schema: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    doc: 'On first start against an empty Redis, create a dev site and an admin moderator and print their keys. Only the quick start script (scripts/quickstart.sh) turns it on; never in production.',
  },
  DEMO_PAGE: {
    schema: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    doc: 'Serve the demo article with the comment form at /demo. Only the quick start script turns it on.',
  },
  DEV_ORIGIN: { schema: z.string().url().optional(), doc: 'Allowed origin of the dev site. Default: http://localhost:PORT.' },
  WORKERS: { schema: z.coerce.number().int().min(1).max(64).default(1), doc: 'Number of API processes (node:cluster).' },
  LEARN_FROM_FEEDBACK: {
    schema: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    doc: "Learn from moderators' decisions, Akismet submissions and the feedback API. A site's feedback moves that site's own scores; the model all sites share learns only what LEARN_GLOBAL_MIN_SITES sites agree on (docs/models.md, How Vigil learns).",
  },
  LEARN_GLOBAL_MIN_SITES: {
    schema: z.coerce.number().int().min(2).max(1000).default(3),
    doc: "How many distinct sites must label comments Vigil stored for them the same way before a bucket of the shared model changes; one site's feedback never moves another site's scores. At least 2.",
  },
  LEARN_FEEDBACK_PER_HOUR: {
    schema: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    doc: 'Feedback examples one site may send per hour through `POST /v1/comments/:id/feedback` and Akismet submit-spam/submit-ham (429 `rate_limited` on the API; Akismet clients get their usual answer and nothing is learnt). Moderators\' decisions are not counted.',
  },
  LEARN_SNAPSHOT_SECONDS: {
    schema: z.coerce.number().int().min(1).max(86400).default(60),
    doc: 'How often one instance folds the feedback streams into snapshots of learnt counts, trims them to RETENTION_DAYS and recomputes what sites agree on for the shared model.',
  },
  REVIEW_LEASE_SECONDS: {
    schema: z.coerce.number().min(0.2).max(86400).default(300),
    doc: 'How long a moderator holds a claimed review item; an unfinished claim returns to the queue when it ends.',
  },
  REVIEW_UNDO_SECONDS: { schema: z.coerce.number().int().min(1).max(86400).default(60), doc: 'How long a review decision can be undone.' },
  VIGIL_WEBHOOK_ALLOWLIST: {
    schema: z.string().default(''),
    doc: 'Comma-separated hosts or CIDR ranges webhooks may reach even though they are private or loopback.',
  },
  VIGIL_WEBHOOK_RETRY_SCHEDULE: {
    schema: z.string().regex(/^\s*\d+(ms|s|m|h)\s*(,\s*\d+(ms|s|m|h)\s*)*$/, 'comma-separated delays like 5s,5m,2h').default('5s,5m,30m,2h,5h,10h,10h'),
    doc: 'Delays between webhook attempts after the first, immediate one (±20 % jitter); one attempt per entry plus the first. The default is the Standard Webhooks example schedule.',
  },
  VIGIL_WEBHOOK_TIMEOUT_MS: { schema: z.coerce.number().int().min(100).max(60000).default(10000), doc: 'Deadline of one webhook attempt (connect, send, answer).' },
  VIGIL_WEBHOOK_LOG_DAYS: { schema: z.coerce.number().min(1).max(90).default(7), doc: 'Days webhook messages and their delivery logs are kept.' },
  VIGIL_WEBHOOK_QUEUE: {
    schema: z.string().regex(/^[A-Za-z0-9_-]+$/).default('webhooks'),
    doc: 'BullMQ queue of webhook deliveries. Processes that share a Redis but differ in webhook settings (e.g. test suites) use different names.',
  },
  AKISMET_KEY_FAILURES: {
    schema: z.coerce.number().int().min(1).max(100000).default(20),
    doc: 'Wrong Akismet keys one client network (IPv4 /24, IPv6 /48) may send per AKISMET_KEY_FAILURE_WINDOW_SECONDS before every key from it is refused, so the 12-character keys cannot be guessed.',
  },
  AKISMET_KEY_FAILURE_WINDOW_SECONDS: {
    schema: z.coerce.number().int().min(1).max(86400 * 7).default(3600),
    doc: 'The window of AKISMET_KEY_FAILURES; a refused network waits until it ends.',
  },
  OPERATOR_TOKEN: {
    schema: z.string().min(16).optional(),
    secret: true,
    doc: "The install operator's token: opens /admin/queues (as HTTP Basic password or Bearer) with the shared webhook queue and Redis details. Site admins' boards never show Redis details. Unset: no operator board.",
  },
  METRICS_TOKEN: {
    schema: z.string().min(16).optional(),
    secret: true,
    doc: 'Bearer token Prometheus must send for /metrics (`authorization: Bearer <token>` in its scrape config). With neither this nor METRICS_PORT set, /metrics is off (404).',
  },
  METRICS_PORT: {
    schema: z.coerce.number().int().min(0).max(65535).optional(),
    doc: 'Serve /metrics on this port (on METRICS_HOST) instead of the public one; the public port then answers 404 for it. METRICS_TOKEN, if set, is asked there too.',
  },
  METRICS_HOST: { schema: z.string().default('127.0.0.1'), doc: 'Interface the METRICS_PORT listener binds to.' },
  METRICS_PER_SITE: {
    schema: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    doc: "Label /metrics series by site id (decisions, captchas, review depth and decision latency). Off: every series is summed over all sites, so the page names no tenant and costs the same however many sites there are.",
  },
} as const;

type Spec = typeof configSpec;
export type Config = { [K in keyof Spec]: z.output<Spec[K]['schema']> };

/** Parses the environment once; a bad value stops the process with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, { schema }] of Object.entries(configSpec)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length) throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return out as Config;
}
