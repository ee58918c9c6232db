import pino from 'pino';

/**
 * One logger for the process. Paths that could carry an e-mail address, an IP or a key are redacted, because logs
 * travel further than the database does.
 */
export function createLogger(level: string = 'info') {
  return pino({
    level,
    base: { service: 'vigil' },
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers.cookie', 'req.remoteAddress', 'req.remotePort',
        '*.email', '*.ip', '*.secretKey', '*.siteKey', '*.token', 'email', 'ip',
      ],
      censor: '[redacted]',
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
