// Wall-clock arithmetic in IANA time zones using only Intl, so no time zone library or process TZ is involved.

/** A local calendar date and time of day, month 1-12, hour 0-23. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** A wall time plus its day of the week, 0 = Sunday. */
export interface ZonedParts extends WallTime {
  weekday: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

type FieldName = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

// Constructing a DateTimeFormat costs far more than formatting with one, and the scheduler asks for thousands of
// channels at once, so each zone gets one formatter for the life of the process.
interface ZoneFormatter {
  format: Intl.DateTimeFormat;
  // Where each number appears in the formatted string, learnt once from formatToParts so no separator is assumed.
  order: FieldName[];
}

const formatters = new Map<string, ZoneFormatter>();
const FIELD_NAMES = new Set<string>(['year', 'month', 'day', 'hour', 'minute', 'second']);

function formatterFor(timeZone: string): ZoneFormatter {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not hour12: false: the latter prints midnight as "24" on some ICU versions.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const order = format
      .formatToParts(0)
      .map((part) => part.type)
      .filter((type): type is FieldName => FIELD_NAMES.has(type));
    formatter = { format, order };
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's canonical name as Intl reports it (`asia/seoul` gives `Asia/Seoul`), or null when it is unknown. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (timeZone.trim() === '') return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** True when Intl knows the zone. */
export function isValidTimeZone(timeZone: string): boolean {
  return canonicalTimeZone(timeZone) !== null;
}

/** Days since 1970-01-01 of a calendar date (proleptic Gregorian). */
export function civilDay(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** The calendar date of a day number from `civilDay`. */
export function civilDate(dayNumber: number): { year: number; month: number; day: number } {
  const d = new Date(dayNumber * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Day of the week of a day number from `civilDay`, 0 = Sunday. */
export function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** Number of days in a month (1-12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// The local wall time of an instant, to the second, written as if it were UTC: local minus this instant is the offset.
// format() and a digit scan run about three times faster than formatToParts, which matters at 10,000 channels.
function localAsUtc(ms: number, timeZone: string): number {
  const { format, order } = formatterFor(timeZone);
  const text = format.format(ms);
  const values = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let field = 0;
  let value = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : -1;
    if (code >= 48 && code <= 57) {
      value = (value === -1 ? 0 : value * 10) + (code - 48);
    } else if (value !== -1) {
      const name = order[field++];
      if (name !== undefined) values[name] = value;
      value = -1;
    }
  }
  return Date.UTC(values.year, values.month - 1, values.day, values.hour % 24, values.minute, values.second);
}

/** The local date and time of an instant in a zone. Throws a RangeError for an unknown zone. */
export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const local = localAsUtc(ms, timeZone);
  const d = new Date(local);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/**
 * The instant a wall time names in a zone. A time skipped by a spring-forward gap gives the first instant after the
 * gap (02:30 on the day 02:00 jumps to 03:00 gives 03:00); a time that happens twice at a fall-back gives the earlier.
 */
export function zonedToInstant(wall: WallTime, timeZone: string): number {
  const target = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Offsets a day either side bracket any transition that can affect this wall time (offsets differ by under a day).
  const secondFloor = (ms: number): number => Math.floor(ms / 1000) * 1000;
  const before = target - DAY_MS;
  const after = target + DAY_MS;
  const offsetBefore = localAsUtc(before, timeZone) - secondFloor(before);
  const offsetAfter = localAsUtc(after, timeZone) - secondFloor(after);
  const early = target - Math.max(offsetBefore, offsetAfter);
  const late = target - Math.min(offsetBefore, offsetAfter);
  // Checking the earlier candidate first is what picks the first occurrence at a fall-back.
  if (localAsUtc(early, timeZone) === target) return early;
  if (late !== early && localAsUtc(late, timeZone) === target) return late;
  return firstInstantAtOrAfter(target, early, late, timeZone);
}

// In a gap the local clock jumps over target somewhere in (lo, hi]; find the first second that reads target or later.
function firstInstantAtOrAfter(target: number, lo: number, hi: number, timeZone: string): number {
  let low = Math.floor(lo / 1000);
  let high = Math.ceil(hi / 1000);
  if (localAsUtc(high * 1000, timeZone) < target) {
    // Not a simple gap (two transitions within a day); fall back to scanning forward minute by minute.
    let t = high * 1000;
    for (let i = 0; i < 2 * 24 * 60 && localAsUtc(t, timeZone) < target; i++) t += MINUTE_MS;
    return t;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (localAsUtc(mid * 1000, timeZone) >= target) high = mid;
    else low = mid;
  }
  return high * 1000;
}

/** The calendar period a leaderboard counts: the week from Monday 00:00, or the month from the 1st. */
export type CalendarPeriod = 'week' | 'month';

/**
 * The instants a calendar week (Monday 00:00 to the next Monday 00:00) or month holding `ms` starts and ends, read on
 * the zone's wall clock, so a week across a DST change is 167 or 169 hours long and still starts at local midnight.
 */
export function calendarPeriod(
  ms: number,
  timeZone: string,
  period: CalendarPeriod,
): { start: number; end: number } {
  const { year, month, day, weekday } = zonedParts(ms, timeZone);
  const midnight = (dayNumber: number): number =>
    zonedToInstant({ ...civilDate(dayNumber), hour: 0, minute: 0 }, timeZone);
  if (period === 'week') {
    // weekday 0 is Sunday, which belongs to the week that began six days earlier.
    const monday = civilDay(year, month, day) - ((weekday + 6) % 7);
    return { start: midnight(monday), end: midnight(monday + 7) };
  }
  const first = civilDay(year, month, 1);
  return { start: midnight(first), end: midnight(first + daysInMonth(year, month)) };
}
