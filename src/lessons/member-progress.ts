import { isPostedLesson, type LedgerEntry, type MemberPause, type Store } from '../store/store.ts';
import { type StreakSummary, streaks } from './streaks.ts';

/** How much of a channel's ledger a member's streak is read from. */
export const LEDGER_DEPTH = 5000;

/**
 * The lessons a channel posted, in the order it posted them. With a member's pauses, a lesson posted while they were
 * away and not done is left out: it neither breaks their streak nor counts in it (a vacation freezes the streak).
 */
export function postedOrder(
  ledger: readonly LedgerEntry[],
  pauses: readonly MemberPause[] = [],
  done: ReadonlySet<number> = new Set(),
): number[] {
  const away = (at: number) => pauses.some((p) => p.fromAt <= at && at < p.untilAt);
  return ledger
    .filter((e) => isPostedLesson(e) && (done.has(e.lesson) || !away(e.postedAt ?? e.fireAt)))
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
  const [done, ledger, pauses] = await Promise.all([
    store.completions(channelKey, userId),
    store.ledger(channelKey, LEDGER_DEPTH),
    store.memberPauses(channelKey, userId),
  ]);
  const posted = postedOrder(ledger, pauses, new Set(done));
  // Without a schedule nothing is posted; the roadmap's own order stands in for the posting order.
  return { done, streak: streaks(streakOrder(posted, done), new Set(done)) };
}
