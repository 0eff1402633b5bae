import { parse as parseCron } from 'node-cron';
import { civilDate, civilDay, daysInMonth, weekdayOf, zonedParts, zonedToInstant } from './time-zone.ts';

// When a cron expression fires, read in an IANA zone. A schedule rule (src/lessons/schedule-rule.ts) is stored as
// the cron it was turned into; the scheduler and the replies that name the next lesson ask here for its instants.

interface CompiledCron {
  minutes: number[];
  hours: number[];
  months: Set<number>;
  dayOfMonth: (number | string)[];
  dayOfWeek: (number | string)[];
  // Vixie cron: when both day fields are restricted a day matches if either does; a field written starting with "*"
  // (or "?") counts as unrestricted even with a step.
  bothDaysRestricted: boolean;
}

const compiled = new Map<string, CompiledCron>();
const MAX_COMPILED = 1000;

// Throws for an invalid cron or one with a seconds field; parse() would accept 6 fields, which this cannot honour.
function compile(cron: string): CompiledCron {
  const cached = compiled.get(cron);
  if (cached !== undefined) return cached;
  const raw = cron.trim().split(/\s+/);
  if (raw.length !== 5) throw new Error(`expected a 5-field cron expression, got "${cron}"`);
  const fields = parseCron(cron);
  const unrestricted = (field: string | undefined): boolean =>
    field === '?' || (field?.startsWith('*') ?? false);
  const result: CompiledCron = {
    minutes: [...fields.minute].sort((a, b) => a - b),
    hours: [...fields.hour].sort((a, b) => a - b),
    months: new Set(fields.month),
    dayOfMonth: fields.dayOfMonth,
    dayOfWeek: fields.dayOfWeek,
    bothDaysRestricted: !unrestricted(raw[2]) && !unrestricted(raw[4]),
  };
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(cron, result);
  return result;
}

function matchesDayOfMonth(field: (number | string)[], year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  for (const value of field) {
    if (value === day) return true;
    if (typeof value !== 'string') continue;
    if (value === 'L' && day === last) return true;
    const nearest = /^(\d{1,2}|L)W$/.exec(value);
    if (nearest !== null) {
      const target = nearest[1] === 'L' ? last : Number(nearest[1]);
      if (nearestWeekday(year, month, target, last) === day) return true;
    }
    const offset = /^L-(\d{1,2})$/.exec(value);
    if (offset !== null && last - Number(offset[1]) === day) return true;
  }
  return false;
}

// Quartz "W": the weekday nearest the target without leaving the month.
function nearestWeekday(year: number, month: number, target: number, last: number): number {
  if (target < 1 || target > last) return -1;
  const weekday = weekdayOf(civilDay(year, month, target));
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

function matchesDayOfWeek(
  field: (number | string)[],
  year: number,
  month: number,
  day: number,
  weekday: number,
): boolean {
  for (const value of field) {
    if (value === weekday) return true;
    if (typeof value !== 'string') continue;
    const nth = /^([0-7])#([1-5])$/.exec(value);
    if (nth !== null && Number(nth[1]) % 7 === weekday && Math.floor((day - 1) / 7) + 1 === Number(nth[2]))
      return true;
    const lastOf = /^([0-7])L$/.exec(value);
    if (lastOf !== null && Number(lastOf[1]) % 7 === weekday && day + 7 > daysInMonth(year, month))
      return true;
  }
  return false;
}

function dayMatches(c: CompiledCron, dayNumber: number): boolean {
  const { year, month, day } = civilDate(dayNumber);
  if (!c.months.has(month)) return false;
  const byDate = matchesDayOfMonth(c.dayOfMonth, year, month, day);
  const byWeekday = matchesDayOfWeek(c.dayOfWeek, year, month, day, weekdayOf(dayNumber));
  return c.bothDaysRestricted ? byDate || byWeekday : byDate && byWeekday;
}

// Eight years covers a rule that only fires on 29 February, even across a century year that skips it.
const HORIZON_DAYS = 8 * 366 + 1;

function localDay(ms: number, timeZone: string): number {
  const { year, month, day } = zonedParts(ms, timeZone);
  return civilDay(year, month, day);
}

// Every fire at or after fromMs, ascending and never repeating an instant, on local days up to lastDay.
function* fires(c: CompiledCron, timeZone: string, fromMs: number, lastDay: number): Generator<number> {
  let previous = Number.NEGATIVE_INFINITY;
  // Start a day early: a gap at local midnight can move the previous day's late fire past fromMs.
  for (let dayNumber = localDay(fromMs, timeZone) - 1; dayNumber <= lastDay; dayNumber++) {
    if (!dayMatches(c, dayNumber)) continue;
    const { year, month, day } = civilDate(dayNumber);
    for (const hour of c.hours) {
      for (const minute of c.minutes) {
        // Wall times map to instants monotonically (a gap collapses onto its end, a repeat takes the first), so
        // comparing with the last yield is enough to drop duplicates.
        const t = zonedToInstant({ year, month, day, hour, minute }, timeZone);
        if (t < fromMs || t <= previous) continue;
        previous = t;
        yield t;
      }
    }
  }
}

/**
 * The first fire of a 5-field cron strictly after `afterMs`, read in `timeZone`, or null when it never fires within
 * eight years. Day fields combine as in standard cron (either one, when both are restricted), which node-cron's own
 * matcher does not do. Throws for an invalid cron or one with a seconds field.
 */
export function nextFireAfter(cron: string, timeZone: string, afterMs: number): number | null {
  const c = compile(cron);
  const first = fires(c, timeZone, afterMs + 1, localDay(afterMs, timeZone) + HORIZON_DAYS).next();
  return first.done ? null : first.value;
}

/** Every fire with fromMs <= t <= toMs, ascending, at most `max` of them. Throws like nextFireAfter. */
export function firesBetween(
  cron: string,
  timeZone: string,
  fromMs: number,
  toMs: number,
  max: number,
): number[] {
  const result: number[] = [];
  if (toMs < fromMs || max <= 0) return result;
  const c = compile(cron);
  for (const t of fires(c, timeZone, fromMs, localDay(toMs, timeZone) + 1)) {
    if (t > toMs) break;
    result.push(t);
    if (result.length >= max) break;
  }
  return result;
}
