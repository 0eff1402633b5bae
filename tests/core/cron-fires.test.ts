import { createTask, parse as parseCron } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { firesBetween, nextFireAfter } from '../../src/lessons/cron-fires.ts';
import { zonedParts } from '../../src/lessons/time-zone.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const utc = (iso: string): number => Date.parse(iso);

// "2026-03-29 03:00", the way the channel reads a fire.
function local(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

describe('fire times across daylight saving changes', () => {
  const cases = [
    { zone: 'Europe/Berlin', spring: '2026-03-29', fall: '2026-10-25' },
    { zone: 'America/New_York', spring: '2026-03-08', fall: '2026-11-01' },
  ];

  for (const { zone, spring, fall } of cases) {
    it(`fires daily 09:00 at 09:00 local every day around ${zone}'s changes, 23h and 25h apart across them`, () => {
      for (const [change, gapAcross] of [
        [spring, 23 * HOUR],
        [fall, 25 * HOUR],
      ] as const) {
        const from = utc(`${change}T00:00:00Z`) - 3 * DAY;
        const fires = firesBetween('0 9 * * *', zone, from, from + 7 * DAY - 1, 100);
        expect(fires).toHaveLength(7);
        expect(fires.map((f) => local(f, zone).slice(11))).toEqual(Array(7).fill('09:00'));
        const gaps = fires.slice(1).map((f, i) => f - (fires[i] ?? 0));
        const acrossChange = fires.findIndex((f) => local(f, zone).startsWith(change));
        expect(gaps[acrossChange - 1]).toBe(gapAcross);
        expect(gaps.filter((g) => g === DAY)).toHaveLength(5);
      }
    });
  }

  it('fires a 02:30 Berlin rule once at 03:00 on the spring-forward day', () => {
    const fires = firesBetween(
      '30 2 * * *',
      'Europe/Berlin',
      utc('2026-03-28T00:00:00Z'),
      utc('2026-03-30T23:00:00Z'),
      10,
    );
    expect(fires.map((f) => local(f, 'Europe/Berlin'))).toEqual([
      '2026-03-28 02:30',
      '2026-03-29 03:00',
      '2026-03-30 02:30',
    ]);
    expect(fires[1]).toBe(utc('2026-03-29T01:00:00Z'));
  });

  it('fires a 02:30 Berlin rule exactly once, at the first 02:30, on the fall-back day', () => {
    const fires = firesBetween(
      '30 2 * * *',
      'Europe/Berlin',
      utc('2026-10-24T12:00:00Z'),
      utc('2026-10-25T23:00:00Z'),
      10,
    );
    expect(fires).toEqual([utc('2026-10-25T00:30:00Z')]);
    // Asked from inside the repeated hour, the next fire is the next day's, not the second 02:30.
    expect(nextFireAfter('30 2 * * *', 'Europe/Berlin', utc('2026-10-25T00:45:00Z'))).toBe(
      utc('2026-10-26T01:30:00Z'),
    );
  });

  it('returns 7 fires for any week of a daily rule, whatever the change inside it', () => {
    for (const [zone, start] of [
      ['Europe/Berlin', '2026-03-26T00:00:00Z'],
      ['Europe/Berlin', '2026-10-22T00:00:00Z'],
      ['America/New_York', '2026-03-05T12:00:00Z'],
      ['America/New_York', '2026-10-29T12:00:00Z'],
    ] as const) {
      expect(firesBetween('30 2 * * *', zone, utc(start), utc(start) + 7 * DAY - 1, 100)).toHaveLength(7);
    }
  });

  it('never maps two fires to one instant', () => {
    // 02:30 falls into the gap and moves to 03:00, where the rule also fires: one fire, not two.
    const fires = firesBetween(
      '0,30 2,3 * * *',
      'Europe/Berlin',
      utc('2026-03-29T00:00:00Z'),
      utc('2026-03-29T03:00:00Z'),
      10,
    );
    expect(fires.map((f) => local(f, 'Europe/Berlin'))).toEqual(['2026-03-29 03:00', '2026-03-29 03:30']);
    expect(new Set(fires).size).toBe(fires.length);
  });
});

describe('nextFireAfter and firesBetween', () => {
  it('gives the first fire strictly after the instant', () => {
    const at = utc('2026-03-02T00:00:00Z'); // Monday 09:00 in Seoul
    expect(nextFireAfter('0 9 * * 1-5', 'Asia/Seoul', at - 1)).toBe(at);
    expect(nextFireAfter('0 9 * * 1-5', 'Asia/Seoul', at)).toBe(at + DAY);
    // Friday 09:00 is followed by Monday 09:00.
    expect(nextFireAfter('0 9 * * 1-5', 'Asia/Seoul', utc('2026-03-06T00:00:00Z'))).toBe(
      utc('2026-03-09T00:00:00Z'),
    );
  });

  it('includes both ends of the range and stops at max', () => {
    const from = utc('2026-03-02T00:00:00Z');
    const to = utc('2026-03-06T00:00:00Z');
    expect(firesBetween('0 9 * * 1-5', 'Asia/Seoul', from, to, 100)).toHaveLength(5);
    expect(firesBetween('0 9 * * 1-5', 'Asia/Seoul', from, to, 2)).toEqual([from, from + DAY]);
    expect(firesBetween('0 9 * * 1-5', 'Asia/Seoul', to, from, 100)).toEqual([]);
  });

  it('finds a leap-day rule years ahead and gives null for a rule that never fires', () => {
    expect(nextFireAfter('0 9 29 2 *', 'Asia/Seoul', utc('2026-01-01T00:00:00Z'))).toBe(
      utc('2028-02-29T00:00:00Z'),
    );
    // L-30 in February is before the 1st: valid syntax, no date.
    expect(nextFireAfter('0 9 L-30 2 *', 'Asia/Seoul', utc('2026-01-01T00:00:00Z'))).toBeNull();
  });

  it('fires on either day field when both are restricted, as cron always has', () => {
    // The 1st and 15th of March 2026, and every Monday.
    const fires = firesBetween(
      '0 9 1,15 3 1',
      'UTC',
      utc('2026-03-01T00:00:00Z'),
      utc('2026-03-31T23:59:00Z'),
      100,
    );
    expect(fires.map((f) => local(f, 'UTC').slice(8, 10))).toEqual([
      '01',
      '02',
      '09',
      '15',
      '16',
      '23',
      '30',
    ]);
    // node-cron's own matcher requires both, which is why fire times are not taken from it.
    const task = createTask('0 9 1,15 3 1', () => {}, { timezone: 'UTC' });
    try {
      expect(task.match(new Date(utc('2026-03-01T09:00:00Z')))).toBe(false);
    } finally {
      task.destroy();
    }
  });

  it('throws for a cron the parser would refuse', () => {
    expect(() => nextFireAfter('0 0 9 * * *', 'UTC', 0)).toThrow();
    expect(() => nextFireAfter('nonsense', 'UTC', 0)).toThrow();
  });
});

describe('agreement with node-cron', () => {
  const rules = [
    '0 9 * * 1-5',
    '30 21 * * *',
    '0 8 * * 1,3,5',
    '15 2 * * *',
    '0 12 L * *',
    '0 10 * * 5L',
    '0 10 * * 1#2',
    '0 9 15W * *',
  ];
  const zones = ['Asia/Seoul', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'];

  for (const zone of zones) {
    it(`matches node-cron's matcher on every 2026 fire in ${zone}`, () => {
      for (const cron of rules) {
        const { hour, minute } = parseCron(cron);
        const fires = firesBetween(cron, zone, utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'), 400);
        expect(fires.length).toBeGreaterThan(0);
        const task = createTask(cron, () => {}, { timezone: zone });
        try {
          for (const fire of fires) {
            const p = zonedParts(fire, zone);
            const onTheDot = hour.includes(p.hour) && minute.includes(p.minute);
            if (onTheDot) {
              expect(task.match(new Date(fire)), `${cron} ${local(fire, zone)}`).toBe(true);
            } else {
              // Moved to the end of a spring-forward gap: the wall clock jumped over the written time.
              const before = zonedParts(fire - 60_000, zone);
              expect(before.hour * 60 + before.minute, `${cron} ${local(fire, zone)}`).not.toBe(
                p.hour * 60 + p.minute - 1,
              );
            }
            expect(task.match(new Date(fire - 60_000)), `${cron} ${local(fire, zone)} minus 1 min`).toBe(
              false,
            );
          }
        } finally {
          task.destroy();
        }
      }
    });
  }

  it('lists exactly the minutes node-cron matches in a month with no clock change', () => {
    const from = utc('2026-05-01T00:00:00Z');
    const to = utc('2026-06-01T00:00:00Z');
    for (const cron of ['0 9 * * 1-5', '0 12 L * *', '0 10 * * 5L', '0 9 15W * *', '0 10 * * 1#2']) {
      const task = createTask(cron, () => {}, { timezone: 'Asia/Seoul' });
      try {
        const matched: number[] = [];
        for (let t = from; t < to; t += 60_000) if (task.match(new Date(t))) matched.push(t);
        expect(firesBetween(cron, 'Asia/Seoul', from, to - 1, 100), cron).toEqual(matched);
      } finally {
        task.destroy();
      }
    }
  });
});
