import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  civilDate,
  civilDay,
  isValidTimeZone,
  weekdayOf,
  zonedParts,
  zonedToInstant,
} from '../../src/lessons/time-zone.ts';

const HOUR = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);

describe('zonedParts', () => {
  it('reads the local wall time and weekday of an instant', () => {
    expect(zonedParts(utc('2026-03-01T00:30:00Z'), 'Asia/Seoul')).toEqual({
      year: 2026,
      month: 3,
      day: 1,
      hour: 9,
      minute: 30,
      weekday: 0,
    });
    expect(zonedParts(utc('2026-03-01T00:30:00Z'), 'America/New_York')).toEqual({
      year: 2026,
      month: 2,
      day: 28,
      hour: 19,
      minute: 30,
      weekday: 6,
    });
  });

  it('reports midnight as hour 0, never 24', () => {
    expect(zonedParts(utc('2026-06-30T15:00:00Z'), 'Asia/Seoul')).toMatchObject({
      day: 1,
      month: 7,
      hour: 0,
    });
  });

  it('follows the offset change on both sides of a transition', () => {
    // Europe/Berlin jumps from 02:00 CET to 03:00 CEST at 01:00 UTC on 2026-03-29.
    expect(zonedParts(utc('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 1, minute: 59 });
    expect(zonedParts(utc('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 0 });
  });

  it('throws a RangeError for an unknown zone', () => {
    expect(() => zonedParts(0, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zonedToInstant', () => {
  it('turns a plain wall time into its instant', () => {
    expect(zonedToInstant({ year: 2026, month: 1, day: 5, hour: 9, minute: 0 }, 'Asia/Seoul')).toBe(
      utc('2026-01-05T00:00:00Z'),
    );
    expect(zonedToInstant({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, 'Europe/Berlin')).toBe(
      utc('2026-07-01T07:00:00Z'),
    );
  });

  it('moves a time inside a spring-forward gap to the end of the gap', () => {
    // 02:30 does not exist in Berlin on 2026-03-29; the first valid instant after the gap is 03:00 CEST.
    expect(zonedToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(
      utc('2026-03-29T01:00:00Z'),
    );
    expect(zonedToInstant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toBe(
      utc('2026-03-08T07:00:00Z'),
    );
  });

  it('handles a half-hour gap (Lord Howe moves its clock 02:00 to 02:30)', () => {
    expect(
      zonedToInstant({ year: 2026, month: 10, day: 4, hour: 2, minute: 15 }, 'Australia/Lord_Howe'),
    ).toBe(zonedToInstant({ year: 2026, month: 10, day: 4, hour: 2, minute: 30 }, 'Australia/Lord_Howe'));
  });

  it('takes the first of a wall time that happens twice at a fall-back', () => {
    // Berlin 2026-10-25: 02:30 CEST (00:30 UTC) and 02:30 CET (01:30 UTC); the earlier one wins.
    expect(zonedToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(
      utc('2026-10-25T00:30:00Z'),
    );
    // New York 2026-11-01: 01:30 EDT (05:30 UTC) before 01:30 EST (06:30 UTC).
    expect(zonedToInstant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')).toBe(
      utc('2026-11-01T05:30:00Z'),
    );
  });

  it('round-trips every minute-aligned instant to the same wall time, never later than the instant', () => {
    const zones = [
      'Asia/Seoul',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'America/Santiago',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 * 365 * 24 * 60 }),
        fc.constantFrom(...zones),
        (minutes, zone) => {
          const t = utc('2000-01-01T00:00:00Z') + minutes * 60_000;
          const parts = zonedParts(t, zone);
          const back = zonedToInstant(parts, zone);
          expect(zonedParts(back, zone)).toEqual(parts);
          // Equal, or the first occurrence when t is the repeated hour of a fall-back.
          expect(back).toBeLessThanOrEqual(t);
          expect(t - back).toBeLessThanOrEqual(HOUR);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('zone names and calendar days', () => {
  it('canonicalises known zones and rejects unknown ones', () => {
    expect(canonicalTimeZone('asia/seoul')).toBe('Asia/Seoul');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('KST')).toBe(false);
  });

  it('numbers days from 1970-01-01, a Thursday', () => {
    expect(civilDay(1970, 1, 1)).toBe(0);
    expect(weekdayOf(0)).toBe(4);
    expect(weekdayOf(civilDay(2026, 3, 1))).toBe(0);
    expect(weekdayOf(-1)).toBe(3);
    expect(civilDate(civilDay(2028, 2, 29))).toEqual({ year: 2028, month: 2, day: 29 });
  });
});
