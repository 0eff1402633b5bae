import type { LedgerEntry, Store } from '../store/store.ts';
import { type StreakSummary, streaks } from './streaks.ts';

/** How much of a channel's ledger a member's streak is read from. */
export const LEDGER_DEPTH = 5000;

/** The lessons a channel posted, in the order it posted them. */
export function postedOrder(ledger: readonly LedgerEntry[]): number[] {
  return ledger
    .filter((e) => e.status === 'posted')
    .sort((a, b) => a.fireAt - b.fireAt)
    .map((e) => e.lesson);
}

/** The order a streak counts lessons in: the posting order, or without a schedule the roadmap's own up to `done`. */
export function streakOrder(posted: readonly number[], done: readonly number[]): number[] {
  return posted.length > 0 ? [...posted] : Array.from({ length: Math.max(0, ...done) }, (_, i) => i + 1);
}

/** A member's finished lessons in a channel and the streaks they make. */
export async function memberProgress(
  store: Store,
  channelKey: string,
  userId: string,
): Promise<{ done: number[]; streak: StreakSummary }> {
  const done = await store.completions(channelKey, userId);
  const posted = postedOrder(await store.ledger(channelKey, LEDGER_DEPTH));
  // Without a schedule nothing is posted; the roadmap's own order stands in for the posting order.
  return { done, streak: streaks(streakOrder(posted, done), new Set(done)) };
}
