import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { firesBetween, nextFireAfter } from '../../src/lessons/cron-fires.ts';
import { parseScheduleRule, type ScheduleRuleResult } from '../../src/lessons/schedule-rule.ts';
import { canonicalTimeZone } from '../../src/lessons/time-zone.ts';
import {
  anyText,
  domainText,
  fuzzParams,
  fuzzTimeout,
  KOREAN_WORDS,
  logSlowest,
  SCHEDULE_WORDS,
  timed,
  withTypo,
} from '../helpers/fuzz.ts';

const DAY = 86_400_000;
const ZONES = Intl.supportedValuesOf('timeZone');
// Links and legacy names Intl also accepts, and spellings an admin might type.
const ZONE_SPELLINGS = [
  'UTC',
  'Etc/UTC',
  'GMT',
  'US/Eastern',
  'Asia/Calcutta',
  'Europe/Kiev',
  'America/Buenos_Aires',
  'asia/seoul',
  'ASIA/SEOUL',
  'Etc/GMT+12',
  'Etc/GMT-14',
  'kst',
  'KST',
  '(Asia/Seoul)',
  '(kst)',
];

const zone = fc.oneof(fc.constantFrom(...ZONES), fc.constantFrom(...ZONE_SPELLINGS));

// Mostly in range, sometimes just past it, sometimes absurd.
const hour = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 23 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 25 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) },
);
const minute = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 59 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 61 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) },
);
const pad = (n: number): string => String(n).padStart(2, '0');

/** Times as people write them, in range and out of it. */
const time = fc.oneof(
  fc.tuple(hour, minute).map(([h, m]) => `${h}:${pad(m)}`),
  fc.tuple(hour, minute).map(([h, m]) => `${pad(h)}:${m}`),
  fc.tuple(hour, fc.constantFrom('am', 'pm', ' am', ' PM', 'a.m.', 'p.m', 'AM')).map(([h, p]) => `${h}${p}`),
  fc.tuple(hour, minute, fc.constantFrom('am', 'pm')).map(([h, m, p]) => `${h}:${pad(m)}${p}`),
  fc
    .tuple(fc.constantFrom('', '오전 ', '오후 ', '아침 ', '낮 ', '저녁 ', '밤 ', '새벽 '), hour, minute)
    .map(([p, h, m]) => `${p}${h}시 ${m}분`),
  fc.tuple(fc.constantFrom('', '오전 ', '오후 ', '밤 ', '낮 '), hour).map(([p, h]) => `${p}${h}시`),
  fc.tuple(fc.constantFrom('', '오후 ', '밤 '), hour).map(([p, h]) => `${p}${h}시 반`),
  fc.tuple(fc.constantFrom('오전', '오후', '저녁'), hour, minute).map(([p, h, m]) => `${p} ${h}:${pad(m)}`),
);

const DAY_WORDS = [
  'weekdays',
  'weekends',
  'daily',
  'every day',
  'everyday',
  'mon',
  'monday',
  'tue',
  'tues',
  'wed',
  'weds',
  'thu',
  'thurs',
  'fri',
  'friday',
  'sat',
  'sun',
  'sundays',
  '평일',
  '주말',
  '매일',
  '월',
  '화요일',
  '수',
  '목요일',
  '금',
  '토요일',
  '일',
];
const dayJoiner = fc.constantFrom(
  ' ',
  ',',
  ', ',
  '-',
  ' to ',
  ' through ',
  '~',
  ' and ',
  '과 ',
  '와 ',
  '부터 ',
  '까지 ',
  '',
);

/** `<days> <time> [zone]` and `<time> <days>` in both languages, sometimes with a typo. */
const spoken = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom(...DAY_WORDS) },
          { weight: 1, arbitrary: fc.constantFrom(...DAY_WORDS).chain(withTypo) },
        ),
        dayJoiner,
      ),
      {
        maxLength: 4,
      },
    ),
    time,
    fc.option(zone, { nil: undefined }),
    fc.boolean(),
  )
  .map(([days, t, z, timeFirst]) => {
    const d = days.map(([w, j]) => w + j).join('');
    const body = timeFirst ? `${t} ${d}` : `${d} ${t}`;
    return z === undefined ? body : `${body} ${z}`;
  });

const inRange = (min: number, max: number): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min, max }).map(String) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${a}-${b}`),
    },
    {
      weight: 2,
      arbitrary: fc
        .uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 })
        .map((a) => a.join(',')),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: max - min + 1 }).map((n) => `*/${n}`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: 12 }))
        .map(([a, n]) => `${a}/${n}`),
    },
  );
const wildField = fc.oneof(
  fc.integer({ min: 0, max: 99 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}-${b}`),
  fc.constantFrom(
    '?',
    'L',
    'LW',
    '15W',
    'L-3',
    'L-30',
    '1#2',
    '5#5',
    '0L',
    '8',
    '-',
    ',',
    '*/0',
    '**',
    'W',
    '#',
  ),
);
const field = (good: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: good },
    { weight: 2, arbitrary: fc.constant('*') },
    { weight: 1, arbitrary: wildField },
  );
const cronFields = fc.tuple(
  field(fc.integer({ min: 0, max: 59 }).map(String)),
  field(inRange(0, 23)),
  field(fc.oneof(inRange(1, 31), fc.constantFrom('L', 'LW', '15W', 'L-3', 'L-30', '?'))),
  field(fc.oneof(inRange(1, 12), fc.constantFrom('JAN', 'feb', 'mar-may', 'DEC', 'jan,jul'))),
  field(
    fc.oneof(
      inRange(0, 7),
      fc.constantFrom('MON-FRI', 'sun', 'sat,sun', '1#2', '5#5', '0L', '5L', '?', 'mon,wed'),
    ),
  ),
);
/** Cron expressions, mostly five fields (the only accepted count), with and without a zone. */
const cron = fc
  .tuple(
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(5) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) },
    ),
    cronFields,
    fc.array(wildField, { minLength: 2, maxLength: 2 }),
    fc.option(zone, { nil: undefined }),
  )
  .map(([count, fields, extra, z]) => {
    const expression = [...fields, ...extra].slice(0, count).join(' ');
    return z === undefined ? expression : `${expression} ${z}`;
  });

const ruleText = fc.oneof(
  { weight: 3, arbitrary: spoken },
  { weight: 3, arbitrary: cron },
  { weight: 2, arbitrary: domainText([...SCHEDULE_WORDS, ...KOREAN_WORDS], 6) },
  { weight: 1, arbitrary: anyText(SCHEDULE_WORDS, 200) },
);

const defaultZone = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ZONES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', 'Mars/Olympus', 'kst', 'asia/seoul', 'EST', 'Etc/GMT+99'),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

// Instants from 1900 to 2100: LMT offsets with seconds, wartime double summer time, Samoa skipping a day in 2011.
const now = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) });
// And near today, where the rules are actually used.
const soon = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2040, 0, 1) });

const CODES = new Set(['empty', 'badRule', 'badTime', 'badZone', 'badCron']);

function parse(input: string, zoneName: string): ScheduleRuleResult {
  return timed(`parseScheduleRule(${JSON.stringify(input)}, ${JSON.stringify(zoneName)})`, () =>
    parseScheduleRule(input, zoneName),
  );
}

afterAll(() => logSlowest('schedule rules'));

describe('the schedule rule parser on arbitrary input', () => {
  it(
    'returns a rule or a coded error and never throws',
    () => {
      fc.assert(
        fc.property(ruleText, defaultZone, (input, fallback) => {
          const result = parse(input, fallback);
          if (result.ok) {
            const { rule } = result;
            expect(rule.cron.split(' ')).toHaveLength(5);
            expect(canonicalTimeZone(rule.timeZone)).toBe(rule.timeZone);
            expect(rule.text.endsWith(`(${rule.timeZone})`)).toBe(true);
          } else {
            expect(CODES.has(result.error.code)).toBe(true);
            expect(typeof result.error.detail).toBe('string');
          }
        }),
        fuzzParams(1000),
      );
    },
    fuzzTimeout(20_000),
  );

  it(
    'gives every accepted rule a next fire in the future, in whichever zone it accepted',
    () => {
      fc.assert(
        fc.property(ruleText, defaultZone, fc.oneof(now, soon), (input, fallback, at) => {
          const result = parse(input, fallback);
          if (!result.ok) return;
          const { cron: expression, timeZone, text } = result.rule;
          const next = timed(`nextFireAfter(${JSON.stringify(expression)}, ${timeZone}, ${at})`, () =>
            nextFireAfter(expression, timeZone, at),
          );
          const spokenRule = !/^[\d*?]/.test(text);
          if (spokenRule) {
            // A spoken rule names a time of day on at least one weekday, so it fires within a week (plus a
            // transition's worth of slack).
            expect(next, `${input} in ${timeZone} after ${new Date(at).toISOString()}`).not.toBeNull();
          }
          if (next === null) return;
          expect(next).toBeGreaterThan(at);
          if (spokenRule) expect(next - at).toBeLessThanOrEqual(8 * DAY);
          // The other way of asking agrees: the first fire from just after `at` up to `next` is `next` itself.
          expect(firesBetween(expression, timeZone, at + 1, next, 1)).toEqual([next]);
        }),
        fuzzParams(400),
      );
    },
    fuzzTimeout(20_000),
  );

  it(
    'reads its own display text back as the same rule',
    () => {
      fc.assert(
        fc.property(fc.oneof(spoken, cron), defaultZone, defaultZone, (input, fallback, other) => {
          const result = parse(input, fallback);
          if (!result.ok) return;
          const again = parse(result.rule.text, other);
          expect(again, `${input} -> ${result.rule.text}`).toEqual({
            ok: true,
            rule: { cron: result.rule.cron, timeZone: result.rule.timeZone, text: result.rule.text },
          });
        }),
        fuzzParams(400),
      );
    },
    fuzzTimeout(20_000),
  );
});
