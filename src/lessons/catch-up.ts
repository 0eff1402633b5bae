import type { Store } from '../store/store.ts';
import { nextFireAfter } from './cron-fires.ts';
import { LEDGER_DEPTH, postedOrder } from './member-progress.ts';
import { zonedParts } from './time-zone.ts';

/** The most lessons a member may take a day: more is a binge, not catching up. */
export const MAX_PER_DAY = 5;

/** The local day of an instant in a zone, as the catch-up plans key it (`2026-12-07`). */
export function localDay(ms: number, timeZone: string): string {
  const { year, month, day } = zonedParts(ms, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A member's lessons for a day: the first `perDay` lessons the group has had (in the order they were posted) that
 * the member has not done. Empty once they have done every one of them: they have reached the group.
 */
export function dayLessons(posted: readonly number[], done: ReadonlySet<number>, perDay: number): number[] {
  const out: number[] = [];
  for (const lesson of posted) {
    if (out.length >= perDay) break;
    if (!done.has(lesson) && !out.includes(lesson)) out.push(lesson);
  }
  return out;
}

/** How many lessons the group has had that a member has not done. */
export function lessonsBehind(posted: readonly number[], done: ReadonlySet<number>): number {
  return new Set(posted.filter((lesson) => !done.has(lesson))).size;
}

/** What a channel's catching-up members have for the day, and who has reached the group (their catch-up ends). */
export interface CatchUpDay {
  day: string;
  /** Each member catching up (before those who reached the group were ended): their daily number and what they did. */
  members: Map<string, { perDay: number; done: ReadonlySet<number> }>;
  lessons: Map<string, number[]>;
  behind: Map<string, number>;
  reached: string[];
}

/**
 * Plans the day for every member of a channel who is catching up: the same few reads (members with their Done marks,
 * the ledger, the day's plans) and one write whatever the number of members, and one more write per member who has
 * reached the group, whose catch-up ends here. The channel's slot runs it for everyone; `/orch catchup` runs it when
 * a member asks.
 */
export async function planCatchUps(
  store: Store,
  channelKey: string,
  timeZone: string,
  now: number,
): Promise<CatchUpDay> {
  const result: CatchUpDay = {
    day: localDay(now, timeZone),
    members: new Map(),
    lessons: new Map(),
    behind: new Map(),
    reached: [],
  };
  const members = await store.catchUps(channelKey);
  if (members.length === 0) return result;
  const posted = postedOrder(await store.ledger(channelKey, LEDGER_DEPTH));
  const plans: { userId: string; lessons: number[] }[] = [];
  for (const { catchUp, done } of members) {
    const doneSet = new Set(done);
    const behind = lessonsBehind(posted, doneSet);
    result.members.set(catchUp.userId, { perDay: catchUp.perDay, done: doneSet });
    result.behind.set(catchUp.userId, behind);
    if (behind === 0) result.reached.push(catchUp.userId);
    else plans.push({ userId: catchUp.userId, lessons: dayLessons(posted, doneSet, catchUp.perDay) });
  }
  for (const userId of result.reached) await store.endCatchUp(channelKey, userId);
  if (plans.length > 0) result.lessons = await store.planCatchUpDay(channelKey, result.day, plans, now);
  return result;
}

/** About how many lessons a day the channel's schedule posts, over the next two weeks (0 without a schedule). */
export function groupRate(cron: string | null, timeZone: string, now: number): number {
  if (!cron) return 0;
  const span = 14 * 24 * 3_600_000;
  let fires = 0;
  for (
    let at = nextFireAfter(cron, timeZone, now);
    at !== null && at <= now + span;
    at = nextFireAfter(cron, timeZone, at)
  )
    fires++;
  return fires / 14;
}
