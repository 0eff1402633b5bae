import type { ChannelSettings } from '../store/store.ts';
import { nextFireAfter } from './cron-fires.ts';
import { isPublicHoliday } from './holidays.ts';

/** One coming fire of a channel's schedule: the lesson it will post, or a public holiday it will skip. */
export type ComingSlot =
  | { kind: 'lesson'; fireAt: number; lesson: number }
  | { kind: 'holiday'; fireAt: number; lesson: number };

/**
 * The channel's coming fires as the scheduler will decide them, from its stored next fire: each posts the next lesson
 * in order, except a public holiday of the channel's country, which is skipped and keeps the lesson for the next
 * fire (as planFires does). Ends after `limit` lessons, at the roadmap's end, or when the rule stops firing; empty for
 * a channel without a schedule or with a paused one. Pure: the calendar feed, the digest's "next week" and the web
 * page all read the same plan from it.
 */
export function comingLessons(
  channel: ChannelSettings,
  totalLessons: number,
  options: { limit: number; until?: number },
): ComingSlot[] {
  const { cron, timeZone, nextFireAt } = channel;
  const slots: ComingSlot[] = [];
  if (!cron || !timeZone || nextFireAt === null || channel.paused) return slots;
  let lesson = channel.position;
  let fireAt: number | null = nextFireAt;
  // A rule of a holiday every day (a cron that only fires on holidays) would never post: bound the holidays too.
  let holidays = 0;
  while (
    fireAt !== null &&
    lesson <= totalLessons &&
    slots.length - holidays < options.limit &&
    holidays < options.limit &&
    (options.until === undefined || fireAt <= options.until)
  ) {
    if (channel.holidayCountry !== null && isPublicHoliday(channel.holidayCountry, fireAt, timeZone)) {
      slots.push({ kind: 'holiday', fireAt, lesson });
      holidays++;
    } else {
      slots.push({ kind: 'lesson', fireAt, lesson });
      lesson++;
    }
    fireAt = nextFireAfter(cron, timeZone, fireAt);
  }
  return slots;
}
