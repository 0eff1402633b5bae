import type {
  HealthServer,
  PageServer,
  PlatformConnection,
  ProcessLogger,
  Runtime,
} from '../../src/index.ts';

/** A started server as the shutdown sees it: what to drain and close, in order. */
interface Draining {
  platforms: readonly PlatformConnection[];
  runtime: Runtime;
  health: HealthServer | null;
  /** The channels' pages, when on: closed before the store they read. */
  pages: PageServer | null;
  /** The catalog file watch, when on. */
  watcher: { close(): void } | null;
  /** Makes /readyz say "shutting down", so the orchestrator sends no more traffic. */
  stopAccepting(): void;
}

/**
 * The graceful shutdown: no new events, the ones in flight finished, then everything closed, within `shutdownMs`
 * (ORCH_SHUTDOWN_SECONDS). Resolves to the exit code: 0 when it went well, 1 when it failed or took too long.
 * Calling it again returns the shutdown already under way.
 */
export function gracefulShutdown(
  server: Draining,
  options: { logger: ProcessLogger; shutdownMs: number },
): (reason: string) => Promise<number> {
  const { platforms, runtime, health, pages, watcher } = server;
  const { logger, shutdownMs } = options;
  let closing: Promise<number> | undefined;
  return (reason) => {
    closing ??= (async () => {
      server.stopAccepting();
      const begun = performance.now();
      logger.info({ reason }, 'shutting down: no new events, finishing the ones in flight');
      const deadline = new Promise<number>((resolve) => {
        setTimeout(() => {
          logger.error({ afterMs: shutdownMs }, 'shutdown took too long; exiting anyway');
          resolve(1);
        }, shutdownMs).unref();
      });
      const orderly = (async () => {
        watcher?.close();
        // Platforms first: nothing new comes in, and what came in is answered while the store is still open.
        await Promise.all(platforms.map((p) => p.drain()));
        // Then the core: the scheduler's pass in progress ends, and every accepted quiz answer is written.
        await runtime.drain();
        await pages?.close();
        await Promise.all(platforms.map((p) => p.stop()));
        await runtime.close();
        await health?.close();
        logger.info({ tookMs: Math.round(performance.now() - begun) }, 'shut down cleanly');
        return 0;
      })().catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        return 1;
      });
      const code = await Promise.race([orderly, deadline]);
      logger.flush();
      return code;
    })();
    return closing;
  };
}

/**
 * How the process ends: a signal drains and exits, a platform that cannot go on or an uncaught exception drains
 * and exits non-zero, and a rejection nobody awaited is logged while the process keeps serving. What happens before
 * the server is ready waits for it (a fatal report) or exits at once (an uncaught exception).
 */
export function processEnd(options: { logger: ProcessLogger; exit: (code: number) => void }): {
  /** A platform cannot go on (its token revoked): the process goes down with a failure, once it can drain. */
  onFatal(reason: string): void;
  /** Listens for unhandled rejections and uncaught exceptions; from the start, before the server is ready. */
  watchProcess(): void;
  /** The server is ready: from now on a stop drains it; SIGTERM and SIGINT stop it when `signals`. */
  ready(server: { shutdown(reason: string): Promise<number> }, signals: boolean): void;
} {
  const { logger, exit } = options;
  let running: { shutdown(reason: string): Promise<number> } | undefined;
  let shuttingDown = false;
  let fatalBeforeReady: string | undefined;
  /** Drains and exits; `failed` makes the exit code non-zero even when the drain went well. */
  const stop = (reason: string, failed: boolean) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (!running) {
      logger.flush();
      exit(1);
      return;
    }
    void running.shutdown(reason).then((code) => exit(failed ? Math.max(code, 1) : code));
  };
  // A platform that cannot go on takes the process down with a failure, so the orchestrator restarts it or alerts;
  // a failed platform start already ends start-up with 1.
  const onFatal = (reason: string) => {
    if (!running) fatalBeforeReady ??= reason;
    else stop(reason, true);
  };
  return {
    onFatal,
    watchProcess() {
      // A rejection nobody awaited (an SDK's un-awaited promise, a handler's stray) leaves our state as it was:
      // log it, count it and keep serving, instead of Node's default of exiting.
      process.on('unhandledRejection', (reason) =>
        logger.error({ err: reason, component: 'process' }, 'unhandled promise rejection; still serving'),
      );
      // An exception thrown out of a callback may have stopped anything half-way, so the state is unknown: drain
      // what can be drained and exit non-zero for the orchestrator to start a fresh process.
      process.on('uncaughtException', (error, origin) => {
        logger.error(
          { err: error, origin, component: 'process' },
          'uncaught exception; draining and exiting',
        );
        stop('uncaughtException', true);
      });
    },
    ready(server, signals) {
      running = server;
      if (fatalBeforeReady !== undefined) onFatal(fatalBeforeReady);
      if (!signals) return;
      process.on('SIGTERM', () => stop('SIGTERM', false));
      process.on('SIGINT', () => stop('SIGINT', false));
    },
  };
}
