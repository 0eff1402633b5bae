import type { Store } from '../store/store.ts';
import { type StreakSummary, streaks } from './streaks.ts';

/** A member's finished lessons in a channel and the streaks they make. */
export async function memberProgress(
  store: Store,
  channelKey: string,
  userId: string,
): Promise<{ done: number[]; streak: StreakSummary }> {
  const done = await store.completions(channelKey, userId);
  const posted = (await store.ledger(channelKey, 5000))
    .filter((e) => e.status === 'posted')
    .sort((a, b) => a.fireAt - b.fireAt)
    .map((e) => e.lesson);
  // Without a schedule nothing is posted; the roadmap's own order stands in for the posting order.
  const order = posted.length > 0 ? posted : Array.from({ length: Math.max(0, ...done) }, (_, i) => i + 1);
  return { done, streak: streaks(order, new Set(done)) };
}
