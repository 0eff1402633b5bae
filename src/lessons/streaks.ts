/** A member's streaks over the lessons their channel has posted. */
export interface StreakSummary {
  /** Consecutive posted lessons done, counting back from the latest (the latest may still be open today). */
  current: number;
  best: number;
}

/**
 * Streaks are derived, not stored: from the order in which the channel's lessons were posted and the set the member
 * finished. The newest posted lesson does not break a streak while it is still open, so a streak survives until the
 * member skips a lesson that already has a newer one after it.
 */
export function streaks(postedInOrder: readonly number[], done: ReadonlySet<number>): StreakSummary {
  let best = 0;
  let run = 0;
  for (const lesson of postedInOrder) {
    run = done.has(lesson) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  let current = 0;
  for (let i = postedInOrder.length - 1; i >= 0; i--) {
    const lesson = postedInOrder[i] as number;
    if (done.has(lesson)) current++;
    else if (i === postedInOrder.length - 1) continue;
    else break;
  }
  return { current, best };
}
