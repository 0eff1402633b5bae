import cron, { type Logger as CronLogger, type RunCoordinator, type ScheduledTask } from 'node-cron';
import { type Catalog, type Lesson, lessonByNumber } from '../catalog/model.ts';
import { DEFAULT_GRACE_MS, DEFAULT_TIME_ZONE } from '../defaults.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Clock, Logger, Metrics, Poster } from '../ports.ts';
import type { ChannelSettings, FirePlan, LedgerEntry, Store } from '../store/store.ts';
import { planCatchUps } from './catch-up.ts';
import { planFires } from './fire-plan.ts';
import {
  ACTIVE_WINDOW_MS,
  decidePace,
  paceRule,
  type ReviewNote,
  readReviewNote,
  reviewDayReply,
} from './group-pace.ts';
import { lessonReply, lessonThreadReply } from './lesson-replies.ts';

/** The points of a fire that tests (and metrics) can observe; a hook that throws simulates a crash there. */
export type FireStep = 'due' | 'planned' | 'posted';

/** What a scheduler needs. */
export interface SchedulerOptions {
  store: Store;
  catalog: Catalog;
  poster: Poster;
  /** Counts posted, missed and failed lessons for operators. */
  metrics?: Metrics;
  /**
   * The platforms this process can post to (`slack`, `discord`); it leaves other channels' lessons to the processes
   * that run those platforms. Every channel when absent (one process running everything, the console, tests).
   */
  platforms?: readonly string[];
  clock: Clock;
  logger: Logger;
  /** Names this process in the ledger's claims, so a restarted process can tell its own claims from others'. */
  instanceId: string;
  defaultLang: Lang;
  graceMs?: number;
  /** A claim older than this is presumed dead and may be taken over by another process. */
  leaseMs?: number;
  /** Delays before each retry of a failed post; after the last one the fire is abandoned (and the lesson kept). */
  retryDelaysMs?: readonly number[];
  onStep?: (step: FireStep, entry: { channelKey: string; fireAt: number; lesson: number }) => void;
  /** node-cron's run coordinator, so that with several processes each minute's tick runs in one of them. */
  runCoordinator?: RunCoordinator;
  /** The weekly digests, run after the lessons in each tick. */
  digests?: { pass(now: number): Promise<{ claimed: number; posted: number; failed: number }> };
}

/** What one tick did, for logs, metrics and tests. */
export interface TickReport {
  /** Time to find the due channels and record their fire plans, before any post (ms). */
  dispatchMs: number;
  planned: number;
  posted: number;
  missed: number;
  failed: number;
}

/** A review day whose note this code cannot read (written by a newer build) still posts, without its reasons. */
const UNREADABLE_NOTE: ReviewNote = { lessons: [], cause: 'unknown', active: 0, done: 0, percent: 0 };

const DUE_BATCH = 500;
const POST_CONCURRENCY = 8;
const DEFAULT_RETRY_DELAYS = [30_000, 120_000, 600_000, 1_800_000];

/** The idempotency key of a scheduled lesson post: one per channel and fire time. */
export function lessonPostKey(channelKey: string, fireAt: number): string {
  return `lesson:${channelKey}:${fireAt}`;
}

/**
 * Posts each channel's next lesson at its scheduled times, exactly once.
 *
 * Every fire goes through the ledger: the decision (post this fire, skip those, next fire at) is written in one
 * transaction before anything is posted; the post carries an idempotency key; the ledger row and the channel's
 * position move together only after the platform accepted the post. A crash between any two steps leaves a claim
 * that the next tick (here or in another process, after the lease) finishes with the same key.
 */
export class LessonScheduler {
  private readonly graceMs: number;
  private readonly leaseMs: number;
  private readonly retryDelays: readonly number[];
  private task: ScheduledTask | undefined;
  private running: Promise<TickReport> | undefined;
  private digestRun: Promise<unknown> | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
  }

  /** Runs one pass at the clock's current time. Concurrent calls share the pass in progress. */
  tick(): Promise<TickReport> {
    this.running ??= this.pass()
      .then((report) => {
        this.options.metrics?.lessonPass(report);
        return report;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Serves lessons from a reloaded catalog from the next pass on. */
  useCatalog(catalog: Catalog): void {
    this.options.catalog = catalog;
  }

  /** Starts ticking every minute with node-cron; the first tick runs at once to catch up after a restart. */
  start(): void {
    if (this.task) return;
    const { logger } = this.options;
    // A failed tick is ours to log (JSON, redacted, counted); left to node-cron it prints coloured text with the stack.
    this.task = cron.schedule(
      '* * * * *',
      () =>
        this.tick().catch((error: unknown) =>
          logger.error({ err: error, component: 'scheduler' }, 'scheduled tick failed'),
        ),
      {
        name: 'orch-lesson-scheduler',
        noOverlap: true,
        logger: cronLogger(logger),
        ...(this.options.runCoordinator
          ? { distributed: true, runCoordinator: this.options.runCoordinator }
          : {}),
      },
    );
    void this.tick().catch((error: unknown) =>
      logger.error({ err: error, component: 'scheduler' }, 'catch-up tick failed'),
    );
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
    await this.running?.catch(() => undefined);
    await this.digestRun;
  }

  /** The digest pass a tick started, if one is still posting (tests wait for it; stop() drains it). */
  digestsSettled(): Promise<unknown> {
    return this.digestRun ?? Promise.resolve();
  }

  private async pass(): Promise<TickReport> {
    const { store, catalog, clock, instanceId } = this.options;
    const now = clock.now().getTime();
    const report: TickReport = { dispatchMs: 0, planned: 0, posted: 0, missed: 0, failed: 0 };
    const started = performance.now();
    const totalLessons = catalog.roadmap.lessons.length;

    for (let round = 0; round < 1000; round++) {
      const due = await store.dueChannels(now, DUE_BATCH, this.options.platforms);
      const plans = due
        .map((channel) =>
          planFires(channel, now, { graceMs: this.graceMs, totalLessons, claimedBy: instanceId }),
        )
        .filter((plan): plan is FirePlan => plan !== null);
      await this.decidePaces(plans, due, now);
      await this.pinGroupFires(plans, due);
      for (const plan of plans)
        if (plan.post) this.options.onStep?.('due', { channelKey: plan.channelKey, ...plan.post });
      const applied = await store.applyFirePlans(plans);
      let progressed = 0;
      plans.forEach((plan, i) => {
        if (!applied[i]) return;
        progressed++;
        report.planned++;
        report.missed += plan.skipped.length;
        if (plan.post) this.options.onStep?.('planned', { channelKey: plan.channelKey, ...plan.post });
      });
      if (due.length < DUE_BATCH || progressed === 0) break;
    }

    report.dispatchMs = performance.now() - started;

    const pending = await store.pendingPosts(now, now - this.leaseMs, instanceId, this.options.platforms);
    // Posts go out a few at a time: at a popular hour hundreds of channels are due, and one slow platform call
    // must not hold up every other channel's lesson.
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let entry = pending[next++]; entry; entry = pending[next++]) {
        const mine = entry.status === 'claimed' && entry.claimedBy === instanceId;
        const stale = now - this.leaseMs;
        if (!mine && !(await store.takeClaim(entry.channelKey, entry.fireAt, instanceId, now, stale)))
          continue;
        if (await this.post(entry, now)) report.posted++;
        else report.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(POST_CONCURRENCY, pending.length) }, worker));
    // After the lessons, and beside the next ticks rather than in them: a week boundary's hundreds of digests (each
    // a card to draw and upload) must never hold up the next minute's lessons. One digest pass at a time.
    if (this.options.digests && !this.digestRun) {
      const { logger } = this.options;
      this.digestRun = this.options.digests
        .pass(now)
        .catch((error: unknown) => logger.error({ err: error, component: 'digests' }, 'digest pass failed'))
        .finally(() => {
          this.digestRun = undefined;
        });
    }
    return report;
  }

  /**
   * Turns a planned lesson into a review day where the group pace says so (lessons/group-pace.ts), before the plans
   * are written: the decision and its reasons go into the ledger with the claim, so a retry or another process posts
   * the same thing. Channels with the rule off and no override cost no query.
   */
  private async decidePaces(plans: FirePlan[], due: readonly ChannelSettings[], now: number): Promise<void> {
    const byKey = new Map(due.map((c) => [c.channelKey, c]));
    await Promise.all(
      plans.map(async (plan) => {
        const channel = byKey.get(plan.channelKey);
        if (!plan.post || !channel || (!paceRule(channel).on && channel.paceOverride === null)) return;
        const facts = await this.options.store.paceFacts(plan.channelKey, now - ACTIVE_WINDOW_MS, now);
        const decision = decidePace(channel, facts);
        plan.post = {
          ...plan.post,
          kind: decision.kind,
          note: decision.note ? JSON.stringify(decision.note) : null,
        };
        if (decision.consumesOverride && channel.paceOverride) plan.consumesOverride = channel.paceOverride;
      }),
    );
  }

  /**
   * A study group posts the same thing in each of its channels at a fire: the first channel planned records its
   * lesson (or review day) for the group, and the others take that, whichever process and platform plans them.
   */
  private async pinGroupFires(plans: FirePlan[], due: readonly ChannelSettings[]): Promise<void> {
    const groupOf = new Map(due.map((c) => [c.channelKey, c.groupKey]));
    for (const plan of plans) {
      const groupKey = groupOf.get(plan.channelKey);
      if (!plan.post || !groupKey) continue;
      const pinned = await this.options.store.groupFire(groupKey, {
        fireAt: plan.post.fireAt,
        lesson: plan.post.lesson,
        kind: plan.post.kind ?? 'lesson',
        note: plan.post.note ?? null,
      });
      plan.post = { ...plan.post, ...pinned };
    }
  }

  /** Posts a claimed fire; on failure records it for a retry with backoff. True when posted. */
  private async post(entry: LedgerEntry, now: number): Promise<boolean> {
    const { store, catalog, poster, logger } = this.options;
    const lesson = lessonByNumber(catalog, entry.lesson);
    if (!lesson) {
      await store.markFailed(
        entry.channelKey,
        entry.fireAt,
        `no lesson ${entry.lesson} in the roadmap`,
        null,
        now,
      );
      return false;
    }
    const settings = await store.getChannel(entry.channelKey);
    const lang = settings?.lang ?? this.options.defaultLang;
    const review = entry.kind === 'review';
    let posted: { messageId: string };
    try {
      posted = await poster.post(
        entry.channelKey,
        review
          ? reviewDayReply(catalog, entry.lesson, readReviewNote(entry.note) ?? UNREADABLE_NOTE, lang)
          : lessonReply(catalog, lesson, lang, { scheduled: true }),
        lessonPostKey(entry.channelKey, entry.fireAt),
      );
    } catch (error) {
      const attempt = entry.attempts + 1;
      const delay = this.retryDelays[attempt - 1];
      const retryAt = delay === undefined ? null : now + delay;
      await store.markFailed(
        entry.channelKey,
        entry.fireAt,
        String((error as Error)?.message ?? error),
        retryAt,
        now,
      );
      logger.warn(
        { channel: entry.channelKey, fireAt: entry.fireAt, attempt, retryAt, err: error },
        'lesson post failed',
      );
      return false;
    }
    // A review day has no discussion thread of its own: its quiz buttons start rounds in its thread anyway.
    if (!review && poster.startThread && (settings?.threads ?? true))
      await this.openThread(entry, posted.messageId, lesson, lang);
    // Outside the try: a crash here (or a store outage) must leave the claim for a retry with the same key,
    // not be mistaken for a platform error.
    this.options.onStep?.('posted', entry);
    await store.markPosted(entry.channelKey, entry.fireAt, posted.messageId, now);
    logger.info({ channel: entry.channelKey, fireAt: entry.fireAt, lesson: entry.lesson }, 'lesson posted');
    // The slot also plans the day of every member catching up, so their lessons are ready when they look; a failure
    // here costs nothing posted (the member's own `/orch catchup` plans the day as well).
    try {
      await planCatchUps(store, entry.channelKey, settings?.timeZone ?? DEFAULT_TIME_ZONE, now);
    } catch (error) {
      logger.warn({ channel: entry.channelKey, err: error }, 'catch-up planning failed');
    }
    return true;
  }

  /**
   * Opens the discussion thread under a posted lesson, with its first post. Both steps are idempotent (the thread
   * per message, the post by its key), so the retry of a fire that crashed before the ledger's mark opens no second
   * thread. A failure here is logged and the lesson still counts as posted: it is in the channel, and a thread
   * the platform refused (a missing permission) must not hold the roadmap back.
   */
  private async openThread(entry: LedgerEntry, messageId: string, lesson: Lesson, lang: Lang): Promise<void> {
    const { poster, logger } = this.options;
    try {
      const opened = await poster.startThread?.(
        entry.channelKey,
        messageId,
        t(lang, 'thread.lessonName', { number: lesson.number, title: lesson.title[lang] }),
      );
      if (!opened) return;
      await poster.post(
        entry.channelKey,
        { ...lessonThreadReply(lesson, lang), thread: { anchorId: messageId } },
        `${lessonPostKey(entry.channelKey, entry.fireAt)}:thread`,
      );
    } catch (error) {
      logger.warn({ channel: entry.channelKey, fireAt: entry.fireAt, err: error }, 'lesson thread failed');
    }
  }
}

/**
 * node-cron's own messages (a run coordinator that failed, an execution missed while the event loop was blocked)
 * through our logger instead of its console output.
 */
function cronLogger(logger: Logger): CronLogger {
  const fields = (error?: unknown) => ({ component: 'node-cron', ...(error ? { err: error } : {}) });
  const text = (message: string | Error) => (message instanceof Error ? message.message : message);
  return {
    info: (message) => logger.info(fields(), message),
    warn: (message) => logger.warn(fields(), message),
    error: (message, error) =>
      logger.error(fields(error ?? (message instanceof Error ? message : undefined)), text(message)),
    debug: (message, error) => logger.debug(fields(error), text(message)),
  };
}
