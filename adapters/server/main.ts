import { hostname } from 'node:os';
import {
  type Clock,
  type Config,
  createRuntime,
  describeConfigProblems,
  describeRuntimeFailure,
  type HealthServer,
  loadConfig,
  type PageServer,
  type PlatformConnection,
  type ProcessLogger,
  projectRootOf,
  type Runtime,
  routingPoster,
  startPageServer,
  type Timers,
  watchCatalog,
  withEnvFile,
} from '../../src/index.ts';
import { createObservability, type Observability, startOperatorPort } from './observability.ts';
import { connectPlatforms, startPlatforms } from './platforms.ts';
import { gracefulShutdown, processEnd } from './shutdown.ts';

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
  /** The channels' calendar feeds (ORCH_WEB_PORT), when on. */
  pages: PageServer | null;
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
  const { logger, metrics } = createObservability(config, instanceId);
  const end = processEnd({ logger, exit: overrides.exit ?? process.exit });
  const signals = overrides.signals !== false;
  if (signals) end.watchProcess();
  const server = await serve(config, {
    env,
    logger,
    metrics,
    instanceId,
    started,
    overrides,
    onFatal: end.onFatal,
  });
  if (typeof server === 'number') {
    logger.flush();
    return server;
  }
  end.ready(server, signals);
  overrides.onReady?.(server);
  return 0;
}

/**
 * Composes the process, in the order each part needs the one before: the platform connections (built, not started),
 * the operator's port, the core (posting through the platforms), the platforms started with the core's bot, the
 * core's scheduler and quiz timers, the catalog watch, and the shutdown that takes it all down in reverse.
 * Resolves to 1 when a part cannot start, after closing what had started.
 */
async function serve(
  config: Config,
  context: Observability & {
    /** The resolved environment (process over dotenv file), handed on to shard processes. */
    env: Readonly<Record<string, string | undefined>>;
    instanceId: string;
    started: number;
    overrides: ServerOverrides;
    onFatal: (reason: string) => void;
  },
): Promise<RunningServer | number> {
  const { logger, metrics, overrides } = context;
  const clock = overrides.clock;
  const platforms = await connectPlatforms(config, {
    env: context.env,
    logger,
    metrics,
    onFatal: context.onFatal,
    ...(clock ? { clock } : {}),
  });

  let runtime: Runtime | null = null;
  let accepting = true;
  let health: HealthServer | null;
  try {
    health = await startOperatorPort(config, {
      logger,
      metrics,
      platforms,
      runtime: () => runtime,
      accepting: () => accepting,
    });
  } catch (error) {
    write(`orch: cannot listen on ORCH_HEALTH_PORT ${config.ops.healthPort}: ${(error as Error).message}\n`);
    return 1;
  }

  const built = await createRuntime(config, {
    poster: routingPoster(platforms),
    logger,
    metrics,
    instanceId: context.instanceId,
    platforms: platforms.filter((p) => p.poster !== null).map((p) => p.name),
    servesPages: true,
    ...(clock ? { clock } : {}),
    ...(overrides.timers ? { timers: overrides.timers } : {}),
  });
  if ('kind' in built) {
    for (const line of describeRuntimeFailure(built)) write(`${line}\n`);
    await health?.close();
    return 1;
  }
  runtime = built;

  try {
    await startPlatforms(platforms, built.bot, { logger, metrics });
  } catch {
    await health?.close();
    await built.close();
    return 1;
  }
  let pages: PageServer | null = null;
  if (config.pages.port !== null) {
    try {
      pages = await startPageServer({
        port: config.pages.port,
        store: built.store,
        catalog: () => built.catalog,
        defaultLang: config.defaultLang,
        logger,
      });
    } catch (error) {
      write(`orch: cannot listen on ORCH_WEB_PORT ${config.pages.port}: ${(error as Error).message}\n`);
      await Promise.all(platforms.map((p) => p.stop()));
      await health?.close();
      await built.close();
      return 1;
    }
  }
  await built.start();
  const watcher = config.ops.catalogWatch
    ? watchCatalog({
        catalogDir: config.catalogDir,
        files: [config.landscapeFile, config.gamesFile],
        reload: () => built.reloadCatalog(),
        onError: (error) => logger.error({ err: error, component: 'catalog-watch' }, 'catalog watch failed'),
      })
    : null;

  logger.info(
    {
      platforms: platforms.map((p) => p.name),
      slackPort: platforms.find((p) => p.httpPort)?.httpPort?.() ?? null,
      store: built.store.kind,
      healthPort: health?.port ?? null,
      webPort: pages?.port ?? null,
      startMs: Math.round(performance.now() - context.started),
      uptimeMs: Math.round(process.uptime() * 1000),
    },
    'orch is ready',
  );
  // What the engine builds for the first typo or question (text indexes, typo tries), built now beside traffic rather
  // than before ready: names, which most lookups are, need none of it.
  built
    .warmUp()
    .catch((error: unknown) => logger.error({ err: error, component: 'query' }, 'warming up failed'));

  const shutdown = gracefulShutdown(
    {
      platforms,
      runtime: built,
      health,
      pages,
      watcher,
      stopAccepting: () => {
        accepting = false;
      },
    },
    { logger, shutdownMs: config.ops.shutdownMs },
  );
  return { runtime: built, platforms, health, pages, logger, shutdown };
}
