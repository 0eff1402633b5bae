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
