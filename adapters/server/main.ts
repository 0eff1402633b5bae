import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  aggregatedMetricsText,
  type Clock,
  type Config,
  createPinoLogger,
  createPrometheusMetrics,
  createRuntime,
  describeConfigProblems,
  describeRuntimeFailure,
  type HealthServer,
  loadConfig,
  type PlatformConnection,
  type ProcessLogger,
  projectRootOf,
  type Runtime,
  routingPoster,
  startHealthServer,
  type Timers,
  watchCatalog,
  withEnvFile,
} from '../../src/index.ts';

/** What tests of the whole process may replace: the clock (time is injected, never waited for). */
export interface ServerOverrides {
  clock?: Clock;
  /** Quiz deadline timers; a harness hands in inert ones and calls `runtime.bot.quiz.tick()` after moving its clock. */
  timers?: Timers;
  /** Runs when the process is ready, with what a test harness needs to drive it. */
  onReady?: (server: RunningServer) => void;
  /** Instead of `process.exit` after a shutdown (tests run the server in their own process). */
  exit?: (code: number) => void;
  /**
   * Whether SIGTERM and SIGINT start the shutdown and process-level handlers catch unhandled rejections and uncaught
   * exceptions (default true; tests in a shared process call shutdown).
   */
  signals?: boolean;
  /** Serve only this platform even if the other's token is set (`npm run start:slack`, `start:discord`). */
  only?: 'slack' | 'discord';
}

/** A started server process. */
export interface RunningServer {
  runtime: Runtime;
  platforms: readonly PlatformConnection[];
  health: HealthServer | null;
  logger: ProcessLogger;
  /** Drains and closes everything; resolves to the exit code. */
  shutdown(reason: string): Promise<number>;
}

const write = (text: string) => process.stderr.write(text);

/**
 * The production process: Slack and/or Discord by which tokens are set, one core, `/healthz` `/readyz` `/metrics`,
 * pino logs, catalog hot reload, and a graceful shutdown on SIGTERM/SIGINT within ORCH_SHUTDOWN_SECONDS.
 * Resolves to an exit code when it cannot start; otherwise runs until a signal.
 */
export async function main(
  processEnv: Readonly<Record<string, string | undefined>>,
  overrides: ServerOverrides = {},
): Promise<number> {
  const started = performance.now();
  const root = projectRootOf(import.meta.url);
  const { env, problem: envProblem } = withEnvFile(processEnv, root);
  const loaded = loadConfig(env, root);
  const problems = [...(envProblem ? [envProblem] : []), ...(loaded.ok ? [] : loaded.problems)];
  if (!loaded.ok || problems.length > 0) {
    write(describeConfigProblems(problems));
    return 1;
  }
  const config =
    overrides.only === 'slack'
      ? { ...loaded.config, discord: null }
      : overrides.only === 'discord'
        ? { ...loaded.config, slack: null }
        : loaded.config;
  if (overrides.only && !config[overrides.only]) {
    const variable = overrides.only === 'slack' ? 'SLACK_BOT_TOKEN' : 'DISCORD_TOKEN';
    const section = overrides.only === 'slack' ? 'Slack' : 'Discord';
    write(
      `orch: ${variable} is not set; see the README section "${section}" (or run npm start for the console).\n`,
    );
    return 1;
  }
  if (!config.slack && !config.discord) {
    write(
      'orch: neither SLACK_BOT_TOKEN nor DISCORD_TOKEN is set, so there is no platform to serve.\n' +
        '  Set one (see .env.example and the README sections "Slack" and "Discord"), or run `npm start` for the console.\n',
    );
    return 1;
  }
  const instanceId = `${hostname()}-${process.pid}`;
  const metrics = createPrometheusMetrics();
  const logger = createPinoLogger({
    level: config.ops.logLevel,
    base: { instance: instanceId },
    onError: (fields) => metrics.errorLogged(String(fields.component ?? fields.platform ?? 'core')),
  });
  const exit = overrides.exit ?? process.exit;
  let running: RunningServer | undefined;
  let shuttingDown = false;
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
  let fatalBeforeReady: string | undefined;
  // A platform that cannot go on (its token revoked) takes the process down with a failure, so the orchestrator
  // restarts it or alerts; a failed platform start already ends start-up with 1.
  const onFatal = (reason: string) => {
    if (!running) fatalBeforeReady ??= reason;
    else stop(reason, true);
  };
  if (overrides.signals !== false) {
    // A rejection nobody awaited (an SDK's un-awaited promise, a handler's stray) leaves our state as it was:
    // log it, count it and keep serving, instead of Node's default of exiting.
    process.on('unhandledRejection', (reason) =>
      logger.error({ err: reason, component: 'process' }, 'unhandled promise rejection; still serving'),
    );
    // An exception thrown out of a callback may have stopped anything half-way, so the state is unknown: drain what
    // can be drained and exit non-zero for the orchestrator to start a fresh process.
    process.on('uncaughtException', (error, origin) => {
      logger.error({ err: error, origin, component: 'process' }, 'uncaught exception; draining and exiting');
      stop('uncaughtException', true);
    });
  }
  const server = await serve(config, { env, logger, metrics, instanceId, started, overrides, onFatal });
  if (typeof server === 'number') {
    logger.flush();
    return server;
  }
  running = server;
  if (fatalBeforeReady !== undefined) onFatal(fatalBeforeReady);
  if (overrides.signals !== false) {
    process.on('SIGTERM', () => stop('SIGTERM', false));
    process.on('SIGINT', () => stop('SIGINT', false));
  }
  overrides.onReady?.(server);
  return 0;
}

async function serve(
  config: Config,
  context: {
    /** The resolved environment (process over dotenv file), handed on to shard processes. */
    env: Readonly<Record<string, string | undefined>>;
    logger: ProcessLogger;
    metrics: ReturnType<typeof createPrometheusMetrics>;
    instanceId: string;
    started: number;
    overrides: ServerOverrides;
    onFatal: (reason: string) => void;
  },
): Promise<RunningServer | number> {
  const { logger, metrics, instanceId } = context;
  let runtime: Runtime | undefined;
  const bot = () => {
    if (!runtime) throw new Error('the bot is not ready yet');
    return runtime.bot;
  };
  // Each platform's SDK is loaded only when its token is set: a Slack-only replica never loads discord.js.
  const platforms: PlatformConnection[] = [];
  if (config.slack) {
    const { slackPlatform } = await import('../slack/platform.ts');
    const clock = context.overrides.clock;
    platforms.push(
      slackPlatform({
        config: config.slack,
        bot,
        logger: logger.child({ platform: 'slack' }),
        ...(clock ? { now: () => clock.now() } : {}),
      }),
    );
  }
  const discord = config.discord ? await import('../discord/platform.ts') : null;
  if (discord && config.discord && config.discord.shards > 1)
    platforms.push(
      discord.discordShardsPlatform({
        config: config.discord,
        logger: logger.child({ platform: 'discord' }),
        shards: { ...shardProcess(context.env), spawnDelayMs: config.discord.shardSpawnDelayMs },
      }),
    );
  else if (discord && config.discord)
    platforms.push(
      discord.discordPlatform({
        config: config.discord,
        bot,
        logger: logger.child({ platform: 'discord' }),
        onFatal: context.onFatal,
      }),
    );
  const posting = platforms.filter((p) => p.poster !== null).map((p) => p.name);

  // The operator's port comes up first: while the store is being reached (PostgreSQL retried for
  // ORCH_STORE_CONNECT_SECONDS) /healthz says alive and /readyz not ready, so the orchestrator waits instead of
  // restarting the process.
  let accepting = true;
  // Logged when it changes, not at every probe.
  let storeOk = true;
  let health: HealthServer | null = null;
  if (config.ops.healthPort !== null) {
    try {
      health = await startHealthServer({
        port: config.ops.healthPort,
        accepting: () => accepting,
        metrics: {
          contentType: metrics.contentType,
          // Shard processes have no port: their metrics are asked for over IPC and summed into this exposition.
          text: async () =>
            aggregatedMetricsText(
              metrics.registry,
              (await Promise.all(platforms.map((p) => p.collectMetrics?.() ?? []))).flat(),
            ),
        },
        checks: [
          {
            name: 'catalog',
            check: async () =>
              runtime
                ? { ok: runtime.catalog.tools.length > 0, detail: 'no tools loaded' }
                : { ok: false, detail: 'starting' },
          },
          {
            name: 'store',
            // A write: a read-only, deleted or replaced database answers reads and loses or refuses every write.
            check: async () => {
              if (!runtime) return { ok: false, detail: 'opening the store' };
              try {
                await runtime.store.ping();
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
    } catch (error) {
      write(
        `orch: cannot listen on ORCH_HEALTH_PORT ${config.ops.healthPort}: ${(error as Error).message}\n`,
      );
      return 1;
    }
  }

  const built = await createRuntime(config, {
    poster: routingPoster(platforms),
    logger,
    metrics,
    instanceId,
    platforms: posting,
    ...(context.overrides.clock ? { clock: context.overrides.clock } : {}),
    ...(context.overrides.timers ? { timers: context.overrides.timers } : {}),
  });
  if ('kind' in built) {
    for (const line of describeRuntimeFailure(built)) write(`${line}\n`);
    await health?.close();
    return 1;
  }
  runtime = built;
  const live = built;
  // A Discord shard process answers its manager's metrics requests (it has no operator port of its own).
  const send = process.send?.bind(process);
  if (send && context.env.SHARDING_MANAGER) {
    process.on('message', (message: { orch?: string; nonce?: number }) => {
      if (message?.orch !== 'metrics') return;
      void metrics.registry
        .getMetricsAsJSON()
        .then((json) => send({ orch: 'metrics', nonce: message.nonce, metrics: json }));
    });
  }

  try {
    for (const platform of platforms) {
      await platform.start();
      metrics.setConnected(platform.name, true);
    }
  } catch (error) {
    logger.error({ err: error }, 'a platform failed to start');
    for (const platform of platforms) await platform.stop().catch(() => undefined);
    await health?.close();
    await live.close();
    return 1;
  }
  await live.start();
  const watcher = config.ops.catalogWatch
    ? watchCatalog({
        catalogDir: config.catalogDir,
        files: [config.landscapeFile, config.gamesFile],
        reload: () => live.reloadCatalog(),
        onError: (error) => logger.error({ err: error, component: 'catalog-watch' }, 'catalog watch failed'),
      })
    : null;

  logger.info(
    {
      platforms: platforms.map((p) => p.name),
      slackPort: platforms.find((p) => p.httpPort)?.httpPort?.() ?? null,
      store: live.store.kind,
      healthPort: health?.port ?? null,
      startMs: Math.round(performance.now() - context.started),
      uptimeMs: Math.round(process.uptime() * 1000),
    },
    'orch is ready',
  );

  let closing: Promise<number> | undefined;
  const shutdown = (reason: string): Promise<number> => {
    closing ??= (async () => {
      accepting = false;
      const begun = performance.now();
      logger.info({ reason }, 'shutting down: no new events, finishing the ones in flight');
      const deadline = new Promise<number>((resolve) => {
        setTimeout(() => {
          logger.error({ afterMs: config.ops.shutdownMs }, 'shutdown took too long; exiting anyway');
          resolve(1);
        }, config.ops.shutdownMs).unref();
      });
      const orderly = (async () => {
        watcher?.close();
        // Platforms first: nothing new comes in, and what came in is answered while the store is still open.
        await Promise.all(platforms.map((p) => p.drain()));
        // Then the core: the scheduler's pass in progress ends, and every accepted quiz answer is written.
        await live.drain();
        await Promise.all(platforms.map((p) => p.stop()));
        await live.close();
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

  return { runtime: live, platforms, health, logger, shutdown };
}

/**
 * How a shard process starts: the shard entry beside this file (dist/ or the sources, whichever is running), with
 * the server's environment minus Slack (this process serves Slack) and minus the shard count (a shard is one bot).
 * Shards have no operator port of their own: this process's /readyz reports them.
 */
function shardProcess(env: Readonly<Record<string, string | undefined>>) {
  const fromSources = import.meta.url.endsWith('.ts');
  const shardEnv: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (!name.startsWith('SLACK_')) shardEnv[name] = value;
  shardEnv.DISCORD_SHARDS = '1';
  shardEnv.ORCH_HEALTH_PORT = 'off';
  return {
    file: fileURLToPath(new URL(`./shard.${fromSources ? 'ts' : 'js'}`, import.meta.url)),
    execArgv: fromSources ? ['--import', 'tsx'] : [],
    env: shardEnv,
  };
}
