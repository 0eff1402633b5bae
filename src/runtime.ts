import { type Bot, createBot } from './bot.ts';
import type { Catalog } from './catalog/model.ts';
import { loadConfiguredCatalog } from './catalog/sources.ts';
import type { CatalogProblem } from './catalog/yaml-source.ts';
import type { Config } from './config.ts';
import { storeRunCoordinator } from './lessons/run-coordinator.ts';
import { LessonScheduler } from './lessons/scheduler.ts';
import type { Clock, Logger, Poster } from './ports.ts';
import { silentLogger, systemClock } from './ports.ts';
import { openStore } from './store/open-store.ts';
import type { Store } from './store/store.ts';

/** Everything a running bot process holds: the bot, its store and its lesson scheduler. */
export interface Runtime {
  catalog: Catalog;
  store: Store;
  bot: Bot;
  scheduler: LessonScheduler;
  /** Starts the minute ticker and resumes quiz rounds left running by a previous process. */
  start(): Promise<void>;
  /** Stops timers and closes the store. */
  close(): Promise<void>;
}

/** Why a runtime could not be built, for the adapter to print before exiting. */
export type RuntimeFailure =
  | { kind: 'catalog'; problems: CatalogProblem[] }
  | { kind: 'store'; message: string };

/**
 * Builds the core for an adapter's main: the catalog (refusing an invalid one), the store, the bot and the lesson
 * scheduler, with the node-cron run coordinator when several processes may share a PostgreSQL store.
 */
export async function createRuntime(
  config: Config,
  options: { poster: Poster; clock?: Clock; logger?: Logger; instanceId: string },
): Promise<Runtime | RuntimeFailure> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const loaded = await loadConfiguredCatalog(config);
  if (!loaded.ok) return { kind: 'catalog', problems: loaded.problems };
  let store: Store;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  } catch (error) {
    return { kind: 'store', message: (error as Error).message };
  }
  const bot = createBot({
    catalog: loaded.catalog,
    store,
    poster: options.poster,
    clock,
    logger,
    defaultLang: config.defaultLang,
    defaultTimeZone: config.defaultTimeZone,
  });
  const scheduler = new LessonScheduler({
    store,
    catalog: loaded.catalog,
    poster: options.poster,
    clock,
    logger,
    instanceId: options.instanceId,
    defaultLang: config.defaultLang,
    graceMs: config.graceMs,
    ...(store.kind === 'postgres'
      ? { runCoordinator: storeRunCoordinator(store, clock, options.instanceId) }
      : {}),
  });
  return {
    catalog: loaded.catalog,
    store,
    bot,
    scheduler,
    async start() {
      scheduler.start();
      await bot.quiz.resume();
    },
    async close() {
      bot.quiz.close();
      await scheduler.stop();
      await store.close();
    },
  };
}
