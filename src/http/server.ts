import http from 'node:http';
import type { RequestListener } from 'node:http';

/** Limits on how long and how many connections a client may hold. */
export interface ServerLimits {
  /** Time to receive a request's headers. @defaultValue 10000 (HTTP_HEADERS_TIMEOUT_MS) */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. @defaultValue 30000 (HTTP_REQUEST_TIMEOUT_MS) */
  requestTimeoutMs: number;
  /** Open connections at once; more are closed on arrival. @defaultValue 4096 (HTTP_MAX_CONNECTIONS) */
  maxConnections: number;
}

/**
 * The HTTP server with limits against slow clients: a connection that trickles its headers or body (slowloris, a
 * body sent a byte a second) gets 408 and is closed once the timeout passes, instead of holding a socket for minutes;
 * and a cap on open connections keeps a flood of them from exhausting file descriptors. Node checks the timeouts
 * every `connectionsCheckingInterval`, so that interval is kept well below the shortest of them.
 */
export function createHttpServer(app: RequestListener, limits: ServerLimits): http.Server {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const server = http.createServer({ connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(shortest / 4))) }, app);
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.keepAliveTimeout = 5000;
  return server;
}
