import { dirname, relative } from 'node:path';
import { type Bot, createBot } from './bot.ts';
import type { CatalogOrigin } from './catalog/compiled-catalog.ts';
import type { Catalog } from './catalog/model.ts';
import { yieldToIo } from './catalog/pacing.ts';
import { loadConfiguredCatalog } from './catalog/sources.ts';
import { type CatalogProblem, formatProblem } from './catalog/yaml-source.ts';
import type { Config } from './config.ts';
import { DigestService } from './digest/digest-service.ts';
import { storeRunCoordinator } from './lessons/run-coordinator.ts';
import { LessonScheduler } from './lessons/scheduler.ts';
import type { CatalogReloadOutcome, Clock, Logger, Metrics, Poster } from './ports.ts';
import { noMetrics, silentLogger, systemClock } from './ports.ts';
import { QueryEngine } from './query/engine.ts';
import { QuestionBank } from './quiz/bank.ts';
import type { Timers } from './quiz/rounds.ts';
import { openStore, StoreUnreachableError } from './store/open-store.ts';
import type { Store } from './store/store.ts';

/** Everything a running bot process holds: the bot, its store and its lesson scheduler. */
export interface Runtime {
  /** The catalog in service (replaced by a successful reload). */
  readonly catalog: Catalog;
  store: Store;
  bot: Bot;
  scheduler: LessonScheduler;
  /** Starts the minute ticker and resumes quiz rounds left running by a previous process. */
  start(): Promise<void>;
  /**
   * Builds the query engine's parts that are otherwise built for the first question needing them, a step at a time
   * beside live traffic (QueryEngine.warmUp): the server runs it once it is ready.
   */
  warmUp(): Promise<void>;
  /**
   * Reads the catalog files again. A valid catalog replaces the one in service for the bot and the scheduler; a
   * broken one changes nothing and comes back as problems (file:line), relative to the catalog's parent folder.
   */
  reloadCatalog(): Promise<CatalogReloadOutcome>;
  /**
   * Disarms quiz deadlines, stops the scheduler after its pass in progress and writes every accepted quiz answer;
   * the store stays open.
   */
  drain(): Promise<void>;
  /** Drains, then closes the store. */
  close(): Promise<void>;
}

/** Why a runtime could not be built, for the adapter to print before exiting. */
export type RuntimeFailure =
  | { kind: 'catalog'; problems: CatalogProblem[]; omitted: number }
  | { kind: 'store'; message: string };

/**
 * Builds the core for an adapter's main: the catalog (refusing an invalid one), the store, the bot and the lesson
 * scheduler, with the node-cron run coordinator when several processes may share a PostgreSQL store.
 */
export async function createRuntime(
  config: Config,
  options: {
    poster: Poster;
    clock?: Clock;
    logger?: Logger;
    metrics?: Metrics;
    instanceId: string;
    /** Quiz deadline timers; a test harness hands in its own and calls `bot.quiz.tick()` after moving its clock. */
    timers?: Timers;
    /** The platforms this process posts to; its scheduler leaves other platforms' lessons alone. All when absent. */
    platforms?: readonly string[];
    /** This process is the one that serves the channels' pages (the server; not the console). */
    servesPages?: boolean;
  },
): Promise<Runtime | RuntimeFailure> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? noMetrics;
  const loaded = await loadConfiguredCatalog(config);
  if (!loaded.ok) return { kind: 'catalog', problems: loaded.problems, omitted: loaded.omitted };
  logger.info({ tools: loaded.catalog.tools.length, ...originFields(loaded.origin) }, 'catalog loaded');
  let store: Store;
  try {
    store = await openStore({
      databaseUrl: config.databaseUrl,
      sqlitePath: config.sqlitePath,
      connectMs: config.storeConnectMs,
      onRetry: (error, attempt, delayMs) =>
        logger.warn(
          { err: error, attempt, retryInMs: delayMs, component: 'store' },
          'cannot reach PostgreSQL yet; retrying (ORCH_STORE_CONNECT_SECONDS)',
        ),
      onError: (error) =>
        logger.error(
          { err: error, component: 'store' },
          'a PostgreSQL connection was lost while idle; the next query connects again',
        ),
    });
  } catch (error) {
    const message = (error as Error).message;
    return {
      kind: 'store',
      message:
        error instanceof StoreUnreachableError
          ? `${message}; gave up after ORCH_STORE_CONNECT_SECONDS=${config.storeConnectMs / 1000}. Check DATABASE_URL and that the server is up, or allow more time.`
          : message,
    };
  }
  // One pass at a time. A request that arrives while a pass runs may follow an edit that pass has already read past,
  // so it gets a pass of its own once the running one ends; every request arriving meanwhile shares that next pass.
  let running: Promise<CatalogReloadOutcome> | undefined;
  let queued: Promise<CatalogReloadOutcome> | undefined;
  const reloadPass = async (): Promise<CatalogReloadOutcome> => {
    const next = await loadConfiguredCatalog(config);
    if (!next.ok) {
      const base = dirname(config.catalogDir);
      const problems = next.problems.map((p) => formatProblem({ ...p, file: relative(base, p.file) }));
      metrics.catalogReload('rejected');
      logger.error(
        { problems, omitted: next.omitted },
        'catalog reload rejected; the last good catalog stays in service',
      );
      return { ok: false, problems, omitted: next.omitted };
    }
    // The indexes a step at a time, each a fraction of a second for 10,000 tools, with answers served in between.
    const engine = await QueryEngine.build(next.catalog, yieldToIo);
    await yieldToIo();
    const bank = new QuestionBank(next.catalog);
    bot.useCatalog(next.catalog, { engine, bank });
    scheduler.useCatalog(next.catalog);
    metrics.catalogReload('ok');
    const counts = {
      tools: next.catalog.tools.length,
      lessons: next.catalog.roadmap.lessons.length,
      questions: next.catalog.questions.length,
    };
    logger.info({ ...counts, ...originFields(next.origin) }, 'catalog reloaded');
    return { ok: true, ...counts };
  };
  const reloadCatalog = (): Promise<CatalogReloadOutcome> => {
    if (!running) {
      running = reloadPass().finally(() => {
        running = undefined;
      });
      return running;
    }
    if (!queued) {
      const after = (): Promise<CatalogReloadOutcome> => {
        queued = undefined;
        return reloadCatalog();
      };
      queued = running.then(after, after);
    }
    return queued;
  };
  const bot = createBot({
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.platforms ? { platforms: options.platforms } : {}),
    catalog: loaded.catalog,
    metrics,
    reloadCatalog,
    store,
    poster: options.poster,
    clock,
    logger,
    defaultLang: config.defaultLang,
    defaultTimeZone: config.defaultTimeZone,
    quizTarget: config.quizTarget,
    ...(options.servesPages ? { pages: { publicUrl: config.pages.publicUrl } } : {}),
  });
  const scheduler = new LessonScheduler({
    store,
    catalog: loaded.catalog,
    poster: options.poster,
    clock,
    logger,
    metrics,
    instanceId: options.instanceId,
    ...(options.platforms ? { platforms: options.platforms } : {}),
    defaultLang: config.defaultLang,
    graceMs: config.graceMs,
    ...(store.kind === 'postgres'
      ? { runCoordinator: storeRunCoordinator(store, clock, options.instanceId) }
      : {}),
    digests: new DigestService({
      store,
      catalog: () => bot.catalog,
      poster: options.poster,
      clock,
      logger,
      instanceId: options.instanceId,
      defaultLang: config.defaultLang,
      ...(options.platforms ? { platforms: options.platforms } : {}),
    }),
  });
  // No deadline fires once draining begins (deadlines stay in the store for the next process); the scheduler's pass
  // in progress ends; every accepted answer is written.
  const drain = async (): Promise<void> => {
    bot.quiz.close();
    await scheduler.stop();
    await bot.quiz.drain();
  };
  return {
    get catalog() {
      return bot.catalog;
    },
    store,
    bot,
    scheduler,
    reloadCatalog,
    async start() {
      scheduler.start();
      await bot.quiz.resume();
    },
    warmUp: () => bot.engine.warmUp(yieldToIo),
    drain,
    async close() {
      await drain();
      await store.close();
    },
  };
}

/**
 * Log fields saying where the curated catalog came from: its compiled snapshot, or the YAML files (and whether a fresh
 * snapshot was saved; a read-only catalog folder is the usual reason it was not).
 */
function originFields(origin: CatalogOrigin | undefined): Record<string, string> {
  if (!origin) return {};
  if (origin.from === 'snapshot') return { catalogFrom: 'snapshot' };
  return {
    catalogFrom: 'yaml',
    snapshot: origin.written ? 'written' : `not written: ${origin.reason ?? 'unknown'}`,
  };
}
