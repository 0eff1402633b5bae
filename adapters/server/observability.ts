import {
  aggregatedMetricsText,
  type Config,
  createPinoLogger,
  createPrometheusMetrics,
  type HealthServer,
  type PlatformConnection,
  type ProcessLogger,
  type PrometheusMetrics,
  type Runtime,
  startHealthServer,
} from '../../src/index.ts';

/** What operators see of the process: its logs, its metrics, and the port that serves them. */
export interface Observability {
  logger: ProcessLogger;
  metrics: PrometheusMetrics;
}

/** Pino logs labelled with this instance, and Prometheus metrics that count every error logged, by component. */
export function createObservability(config: Config, instanceId: string): Observability {
  const metrics = createPrometheusMetrics();
  const logger = createPinoLogger({
    level: config.ops.logLevel,
    base: { instance: instanceId },
    onError: (fields) => metrics.errorLogged(String(fields.component ?? fields.platform ?? 'core')),
  });
  return { logger, metrics };
}

/**
 * The operator's port (ORCH_HEALTH_PORT; null when it is off): `/healthz` while the process is alive, `/readyz` while
 * it accepts events and the catalog, the store and every platform are ready, and `/metrics`. It comes up before the
 * core: while the store is being reached (PostgreSQL retried for ORCH_STORE_CONNECT_SECONDS) /healthz says alive and
 * /readyz not ready, so the orchestrator waits instead of restarting the process. Throws when it cannot listen.
 */
export async function startOperatorPort(
  config: Config,
  options: Observability & {
    platforms: readonly PlatformConnection[];
    /** The core, once it is built; readiness says "starting" until then. */
    runtime: () => Runtime | null;
    /** False once a shutdown began: /readyz then turns the process's traffic away. */
    accepting: () => boolean;
  },
): Promise<HealthServer | null> {
  if (config.ops.healthPort === null) return null;
  const { logger, metrics, platforms, runtime } = options;
  // Logged when it changes, not at every probe.
  let storeOk = true;
  return startHealthServer({
    port: config.ops.healthPort,
    accepting: options.accepting,
    metrics: {
      contentType: metrics.contentType,
      // Processes a platform supervises (Discord shards) have no port: their metrics are collected through the
      // platform and summed into this exposition.
      text: async () =>
        aggregatedMetricsText(
          metrics.registry,
          (await Promise.all(platforms.map((p) => p.collectMetrics?.() ?? []))).flat(),
        ),
    },
    checks: [
      {
        name: 'catalog',
        check: async () => {
          const live = runtime();
          return live
            ? { ok: live.catalog.tools.length > 0, detail: 'no tools loaded' }
            : { ok: false, detail: 'starting' };
        },
      },
      {
        name: 'store',
        // A write: a read-only, deleted or replaced database answers reads and loses or refuses every write.
        check: async () => {
          const live = runtime();
          if (!live) return { ok: false, detail: 'opening the store' };
          try {
            await live.store.ping();
          } catch (error) {
            if (storeOk) logger.error({ err: error, component: 'store' }, 'the store is not ready');
            storeOk = false;
            throw error;
          }
          if (!storeOk) logger.info({}, 'the store is ready again');
          storeOk = true;
          return { ok: true };
        },
      },
      ...platforms.map((p) => ({
        name: p.name,
        check: async () => {
          const up = p.connected();
          metrics.setConnected(p.name, up);
          return { ok: up, detail: 'not connected' };
        },
      })),
    ],
  });
}
