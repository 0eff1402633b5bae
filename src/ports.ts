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
}
