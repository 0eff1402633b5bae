import { createServer, type Server } from 'node:http';
import { type ListeningServer, listenOn } from './listen.ts';

/** One thing readiness depends on, and why it is not ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  checks: readonly ReadinessCheck[];
  /** False once shutdown began: /readyz then answers 503 so load balancers stop sending work. */
  accepting: () => boolean;
  metrics: { text(): Promise<string>; contentType: string };
  /** A check slower than this counts as failed (default 2 s), so a hung store cannot hang the probe. */
  checkTimeoutMs?: number;
}

export type HealthServer = ListeningServer;

async function withTimeout(
  check: ReadinessCheck,
  ms: number,
): Promise<{ name: string; ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms} ms` }), ms);
  });
  try {
    const result = await Promise.race([
      check
        .check()
        .catch((error: unknown) => ({ ok: false, detail: String((error as Error)?.message ?? error) })),
      timeout,
    ]);
    return { name: check.name, ...result };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The operator's port: `/healthz` says the process is alive (its event loop answers), `/readyz` that it can serve
 * (every check passes and shutdown has not begun), `/metrics` is the Prometheus exposition.
 */
export function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const timeoutMs = options.checkTimeoutMs ?? 2_000;
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (path === '/healthz') {
      json(200, { status: 'ok' });
      return;
    }
    if (path === '/readyz') {
      void Promise.all(options.checks.map((c) => withTimeout(c, timeoutMs))).then((results) => {
        const accepting = options.accepting();
        const ready = accepting && results.every((r) => r.ok);
        json(ready ? 200 : 503, {
          status: ready ? 'ready' : 'not ready',
          ...(accepting ? {} : { shuttingDown: true }),
          checks: Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : (r.detail ?? 'failed')])),
        });
      });
      return;
    }
    if (path === '/metrics') {
      options.metrics.text().then(
        (text) => {
          response.writeHead(200, { 'content-type': options.metrics.contentType });
          response.end(text);
        },
        () => json(500, { status: 'metrics unavailable' }),
      );
      return;
    }
    json(404, { status: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
  });
  // Probes are short; idle keep-alive sockets must not hold the shutdown open.
  server.keepAliveTimeout = 1_000;
  return listenOn(server, options.port, options.host);
}
