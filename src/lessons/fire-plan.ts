import type { ChannelSettings, FirePlan } from '../store/store.ts';
import { firesBetween, nextFireAfter } from './cron-fires.ts';
import { isPublicHoliday } from './holidays.ts';

// A channel down for a year with an hourly rule still plans in bounded time; older fires are simply not listed.
const MAX_FIRES_PER_PLAN = 1000;

/**
 * Decides what to do with a channel whose next fire is due: post the latest due fire if it is within the grace
 * window and not a holiday, record every other due fire as missed or holiday, and compute the next fire after now.
 * At most one post per plan, so a channel that was down for days gets one catch-up lesson, not a flood.
 * Pure: the same channel and `now` always give the same plan.
 */
export function planFires(
  channel: ChannelSettings,
  now: number,
  options: { graceMs: number; totalLessons: number; claimedBy: string },
): FirePlan | null {
  const { cron, timeZone, nextFireAt } = channel;
  if (!cron || !timeZone || nextFireAt === null) return null;
  const due = firesBetween(cron, timeZone, nextFireAt, now, MAX_FIRES_PER_PLAN);
  // The stored next fire is itself due even if the rule changed since; keep it so nothing is silently dropped.
  if (due[0] !== nextFireAt) due.unshift(nextFireAt);
  const holiday = (fire: number): boolean =>
    channel.holidayCountry !== null && isPublicHoliday(channel.holidayCountry, fire, timeZone);
  const finished = channel.position > options.totalLessons;

  let postAt: number | null = null;
  for (let i = due.length - 1; i >= 0; i--) {
    const fire = due[i] as number;
    if (now - fire > options.graceMs) break;
    if (!holiday(fire)) {
      postAt = fire;
      break;
    }
  }
  if (finished) postAt = null;

  const skipped = due
    .filter((fire) => fire !== postAt)
    .map((fire) => ({
      fireAt: fire,
      lesson: channel.position,
      status: holiday(fire) ? ('holiday' as const) : ('missed' as const),
    }));
  return {
    channelKey: channel.channelKey,
    post: postAt === null ? null : { fireAt: postAt, lesson: channel.position },
    skipped: finished ? [] : skipped,
    // A finished roadmap stops the schedule rather than recording a missed fire every day forever.
    nextFireAt: finished ? null : nextFireAfter(cron, timeZone, now),
    expectedNextFireAt: nextFireAt,
    claimedBy: options.claimedBy,
    now,
  };
}
