import type { Incoming } from './incoming.ts';
import type { Reply } from './reply/model.ts';

/** Structured logging; pino in production, silent or recording in tests. */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** The current time, injected so tests and the console's fast clock control it. */
export interface Clock {
  now(): Date;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Where a scheduled post went on its platform. */
export interface PostedMessage {
  messageId: string;
}

/**
 * Posts into a channel outside any user request (scheduled lessons). Each adapter implements it.
 * A post must be idempotent per key: posting a key that was already posted returns the first message instead of
 * posting again (Discord: a nonce with enforce_nonce; Slack: the message's metadata), which is what lets the
 * scheduler retry after a crash without ever doubling a lesson.
 */
export interface Poster {
  post(channelKey: string, reply: Reply, idempotencyKey: string): Promise<PostedMessage>;
  /**
   * Opens the thread under a posted channel message, so later posts with `thread: { anchorId }` land in it.
   * Idempotent per message: starting it again (a retry after a crash between the post and the store's mark) opens
   * no second thread. `name` is the thread's title where the platform shows one (Discord). Resolves false when the
   * platform refuses threads in this channel for good (the bot lacks the permission): the caller posts in the
   * channel instead. A poster without it (a platform without threads) is posted to in the channel.
   */
  startThread?(channelKey: string, anchorId: string, name: string): Promise<boolean>;
}

/** How a command ended, for metrics: answered, refused with a message for the user, or failed with an apology. */
export type CommandOutcome = 'ok' | 'user_error' | 'error';

/** What a quiz button press did, as the metrics count it (`unknown`: no open question of this channel, or no such option). */
export type QuizPressOutcome = 'counted' | 'duplicate' | 'closed' | 'unknown';

/**
 * Counters and timings for operators (Prometheus in the server, nothing elsewhere). The core reports events; it never
 * reads them back, so a broken metrics sink cannot change behaviour.
 */
export interface Metrics {
  commandHandled(command: string, kind: Incoming['kind'], outcome: CommandOutcome, seconds: number): void;
  quizAnswer(outcome: QuizPressOutcome): void;
  /** One scheduler pass: lessons posted, fires marked missed (the bot was down too long), posts that failed and will be retried or were abandoned. */
  lessonPass(report: { posted: number; missed: number; failed: number }): void;
  catalogReload(outcome: 'ok' | 'rejected'): void;
  /** A lookup answered from the reply cache (hit) or computed (miss): a bench or a dashboard tells the two apart. */
  lookupCache(result: 'hit' | 'miss'): void;
}

/** Metrics that go nowhere. */
export const noMetrics: Metrics = {
  commandHandled() {},
  quizAnswer() {},
  lessonPass() {},
  catalogReload() {},
  lookupCache() {},
};

/**
 * What a catalog reload did: swapped in the new catalog, or kept the last good one because of these problems (the
 * first few, and how many more were left out).
 */
export type CatalogReloadOutcome =
  | { ok: true; tools: number; lessons: number; questions: number }
  | { ok: false; problems: readonly string[]; omitted: number };
