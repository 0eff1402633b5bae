/** The IPC messages between a proof test (the parent) and the bot process it runs (tests/proof/harness.ts). */

/** The store reads a test may ask the child for; their results travel back as JSON. */
export const STORE_READS = [
  'getChannel',
  'ledger',
  'getRound',
  'runningRound',
  'roundQuestion',
  'answers',
  'roundScores',
  'reviewCard',
  'digests',
] as const;

export type StoreRead = (typeof STORE_READS)[number];

/** What the parent asks; every request gets exactly one {@link ChildReply} with the same id. */
export type ChildRequest = { id: number } & (
  | { cmd: 'clock.set'; ms: number }
  | { cmd: 'clock.advance'; ms: number }
  | { cmd: 'clock.now' }
  | { cmd: 'scheduler.tick' }
  /** Waits for the digest pass a tick started (it runs beside the ticks). */
  | { cmd: 'digests.settled' }
  | { cmd: 'quiz.tick' }
  | { cmd: 'store'; method: StoreRead; args: unknown[] }
  | { cmd: 'shutdown' }
);

export type ChildReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Sent once when the server is ready, or once when it could not start. */
export type ChildStatus =
  | { type: 'ready'; slackPort: number; healthPort: number; pid: number }
  | { type: 'failed'; code: number };

/** The environment variable carrying the child's starting time (ms since the epoch) for its manual clock. */
export const CLOCK_ENV = 'ORCH_PROOF_CLOCK_MS';
