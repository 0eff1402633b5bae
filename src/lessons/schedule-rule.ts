import { validateDetailed } from 'node-cron';
import { canonicalTimeZone } from './time-zone.ts';

/** A channel's lesson schedule: a 5-field cron read in an IANA zone, and how to show it. */
export interface ScheduleRule {
  cron: string;
  timeZone: string;
  /** Canonical display form, e.g. "weekdays 09:00 (Asia/Seoul)"; it parses back to the same rule. */
  text: string;
}

/** Why a rule was refused. */
export type ScheduleRuleErrorCode = 'empty' | 'badRule' | 'badTime' | 'badZone' | 'badCron';

/** A refused rule; `detail` is the offending part of the input, for the message. */
export interface ScheduleRuleError {
  code: ScheduleRuleErrorCode;
  detail: string;
}

/** The outcome of parsing what an admin typed after `/orch schedule`. */
export type ScheduleRuleResult = { ok: true; rule: ScheduleRule } | { ok: false; error: ScheduleRuleError };

/** Detail of the badCron error for rules that would post more than one lesson in an hour. */
export const TOO_FREQUENT = 'fires more than once an hour';

const fail = (code: ScheduleRuleErrorCode, detail: string): ScheduleRuleResult => ({
  ok: false,
  error: { code, detail },
});

// Maps rather than object literals, so a typed word such as "constructor" finds nothing.
const ZONE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['kst', 'Asia/Seoul'],
  ['utc', 'UTC'],
  ['gmt', 'UTC'],
]);

// English day words by name; Korean days are single syllables handled separately.
const EN_DAYS: ReadonlyMap<string, number> = new Map([
  ['sun', 0],
  ['sunday', 0],
  ['mon', 1],
  ['monday', 1],
  ['tue', 2],
  ['tues', 2],
  ['tuesday', 2],
  ['wed', 3],
  ['weds', 3],
  ['wednesday', 3],
  ['thu', 4],
  ['thur', 4],
  ['thurs', 4],
  ['thursday', 4],
  ['fri', 5],
  ['friday', 5],
  ['sat', 6],
  ['saturday', 6],
]);
const KO_DAYS: ReadonlyMap<string, number> = new Map([
  ['일', 0],
  ['월', 1],
  ['화', 2],
  ['수', 3],
  ['목', 4],
  ['금', 5],
  ['토', 6],
]);
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
const WEEKDAYS = [1, 2, 3, 4, 5];
const WEEKENDS = [0, 6];
const DAY_GROUPS: ReadonlyMap<string, readonly number[]> = new Map([
  ['daily', ALL_DAYS],
  ['day', ALL_DAYS],
  ['everyday', ALL_DAYS],
  ['매일', ALL_DAYS],
  ['weekdays', WEEKDAYS],
  ['weekday', WEEKDAYS],
  ['평일', WEEKDAYS],
  ['weekends', WEEKENDS],
  ['weekend', WEEKENDS],
  ['주말', WEEKENDS],
]);
// English glue between day words ("tue and thu", "every monday"); the Korean particles are matched in readDays.
const FILLER = new Set(['and', 'every', 'on', 'at']);
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const PERIOD_WORDS = /^(?:오전|오후|아침|낮|저녁|밤|새벽|am|pm)$/;

/**
 * Parses `<days> <time> [zone]` ("weekdays 09:00", "평일 오전 9시 KST", "mon,wed,fri 8am Europe/Berlin") or a
 * 5-field cron expression with an optional zone ("30 21 * * 1-5 Asia/Seoul"). Without a zone, `defaultTimeZone`.
 */
export function parseScheduleRule(input: string, defaultTimeZone: string): ScheduleRuleResult {
  const text = input.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (text === '') return fail('empty', '');
  const tokens = text.split(' ');
  const last = tokens[tokens.length - 1] ?? '';
  const zone = readZone(last);
  if (zone.kind === 'bad') return fail('badZone', zone.detail);
  let timeZone: string;
  if (zone.kind === 'zone') {
    timeZone = zone.timeZone;
    tokens.pop();
  } else {
    const fallback = canonicalTimeZone(defaultTimeZone);
    if (fallback === null) return fail('badZone', defaultTimeZone);
    timeZone = fallback;
  }
  const body = tokens.join(' ');
  if (body === '') return fail('badTime', text);
  // A cron starts with minute and hour fields of digits and * , / - only; a spoken time never has two such words in a
  // row ("9 am", "9:00", "21시").
  const cronField = /^[\d*][\d*,/-]*$/;
  const isCron = cronField.test(tokens[0] ?? '') && cronField.test(tokens[1] ?? '');
  const parsed = isCron ? readCron(tokens) : readSpoken(body);
  if (!parsed.ok) return parsed;
  return { ok: true, rule: { cron: parsed.cron, timeZone, text: `${parsed.text} (${timeZone})` } };
}

type Zone = { kind: 'zone'; timeZone: string } | { kind: 'bad'; detail: string } | { kind: 'none' };

function readZone(token: string): Zone {
  // The display form writes the zone in parentheses, so accept that too and let the text parse back.
  const bare = token.replace(/^\((.*)\)$/, '$1');
  const lower = bare.toLowerCase();
  const alias = ZONE_ALIASES.get(lower);
  if (alias !== undefined) return { kind: 'zone', timeZone: alias };
  if (/^[a-z][a-z0-9_+-]*(?:\/[a-z0-9_+-]+)+$/i.test(bare)) {
    const timeZone = canonicalTimeZone(bare);
    return timeZone === null ? { kind: 'bad', detail: bare } : { kind: 'zone', timeZone };
  }
  // Abbreviations such as EST or CET are refused rather than guessed: Intl reads EST as fixed UTC-5 (Panama), which
  // is not what someone in New York means.
  if (/^[A-Z]{3,5}$/.test(bare) && !EN_DAYS.has(lower) && !DAY_GROUPS.has(lower))
    return { kind: 'bad', detail: bare };
  return { kind: 'none' };
}

type Part = { ok: true; cron: string; text: string } | { ok: false; error: ScheduleRuleError };

function readCron(tokens: string[]): Part {
  const expression = tokens.join(' ');
  if (tokens.length !== 5) {
    return { ok: false, error: { code: 'badCron', detail: expression } };
  }
  const check = validateDetailed(expression);
  if (!check.valid || check.fields === undefined) {
    const first = check.errors[0];
    return { ok: false, error: { code: 'badCron', detail: first?.value ?? expression } };
  }
  // Lessons are daily-ish; a rule that can post twice within one hour is almost certainly a typo.
  if (check.fields.minute.length > 1) {
    return { ok: false, error: { code: 'badCron', detail: TOO_FREQUENT } };
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = tokens as [string, string, string, string, string];
  // The stored cron names days 0-6 (0 = Sunday) and months by number, so whatever reads it later needs no names.
  // A day-of-week field starting with "*" is kept as written: rewriting "*/2" as a list would make it count as
  // restricted, which changes how it combines with the day of the month.
  const weekdays = check.fields.dayOfWeek;
  const numericDays = weekdays.every((d) => typeof d === 'number');
  // Likewise a written list of all seven days stays a list ("0-6"), not "*".
  const canonicalDays =
    /^[*?]/.test(dayOfWeek) || !numericDays
      ? replaceNames(dayOfWeek, DAY_NAMES, 0)
      : weekdays.length === 7
        ? '0-6'
        : cronDays(new Set(weekdays as number[]));
  const cron = [minute, hour, dayOfMonth, replaceNames(month, MONTH_NAMES, 1), canonicalDays]
    .join(' ')
    .toUpperCase();
  return { ok: true, cron, text: cron };
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function replaceNames(field: string, names: readonly string[], base: number): string {
  return field.replace(/[a-z]+/gi, (word) => {
    const lower = word.toLowerCase();
    const index = names.findIndex((name) => lower === name || (lower.startsWith(name) && lower.length > 3));
    return index === -1 ? word : String(index + base);
  });
}

function readSpoken(body: string): Part {
  const lower = body.toLowerCase();
  const time = readTime(lower);
  if (time.kind === 'bad') return { ok: false, error: { code: 'badTime', detail: time.detail } };
  const rest = time.kind === 'time' ? time.rest : lower;
  const stray = rest.split(/[\s,]+/).find((word) => /\d/.test(word));
  if (stray !== undefined) return { ok: false, error: { code: 'badTime', detail: stray } };
  const days = readDays(rest);
  if (!days.ok) {
    const code = PERIOD_WORDS.test(days.detail) ? 'badTime' : 'badRule';
    return { ok: false, error: { code, detail: days.detail } };
  }
  if (time.kind === 'none') return { ok: false, error: { code: 'badTime', detail: body } };
  const set = days.days.size === 0 ? new Set(ALL_DAYS) : days.days;
  const hh = String(time.hour).padStart(2, '0');
  const mm = String(time.minute).padStart(2, '0');
  return {
    ok: true,
    cron: `${time.minute} ${time.hour} * * ${cronDays(set)}`,
    text: `${daysText(set)} ${hh}:${mm}`,
  };
}

type Time =
  | { kind: 'time'; hour: number; minute: number; rest: string }
  | { kind: 'bad'; detail: string }
  | { kind: 'none' };

const KO_PERIOD = '(?<period>오전|오후|아침|낮|저녁|밤|새벽)';
// Tried in order; each names its groups the same way so one reader handles all of them.
const TIME_FORMS: readonly RegExp[] = [
  new RegExp(`(?:${KO_PERIOD}\\s*)?(?<h>\\d+)\\s*시(?:\\s*(?<m>\\d+)\\s*분|\\s*(?<half>반))?`, 'u'),
  new RegExp(`${KO_PERIOD}\\s*(?<h>\\d+):(?<m>\\d+)`, 'u'),
  /(?<![\d:])(?<h>\d+)(?::(?<m>\d+))?\s*(?<ampm>a\.?m\.?|p\.?m\.?)(?![a-z])/,
  /(?<![\d:])(?<h>\d+):(?<m>\d+)(?![\d:])/,
];

function readTime(text: string): Time {
  for (const form of TIME_FORMS) {
    const match = form.exec(text);
    if (match === null) continue;
    const groups = match.groups ?? {};
    const raw = match[0].trim();
    const hourText = groups.h ?? '';
    const minuteText = groups.m;
    if (hourText.length > 2 || (minuteText !== undefined && minuteText.length > 2))
      return { kind: 'bad', detail: raw };
    // "9:5" is refused as ambiguous; "9시 5분" is how Korean writes it.
    if (minuteText !== undefined && minuteText.length !== 2 && match[0].includes(':'))
      return { kind: 'bad', detail: raw };
    let hour = Number(hourText);
    const minute = groups.half !== undefined ? 30 : Number(minuteText ?? '0');
    const period = groups.period ?? groups.ampm?.replace(/\./g, '');
    const adjusted = period === undefined ? hour : applyPeriod(hour, period);
    if (adjusted === null) return { kind: 'bad', detail: raw };
    hour = adjusted;
    if (hour > 23 || minute > 59) return { kind: 'bad', detail: raw };
    const rest = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)}`;
    return { kind: 'time', hour, minute, rest };
  }
  return { kind: 'none' };
}

// Maps a 12-hour clock reading to 0-23; null when the hour cannot be read with that period ("오전 13시", "13pm").
function applyPeriod(hour: number, period: string): number | null {
  switch (period) {
    case 'am':
    case '오전':
    case '아침':
    case '새벽':
      if (hour === 12) return 0;
      return hour >= 1 && hour <= 11 ? hour : null;
    case 'pm':
      if (hour === 12) return 12;
      return hour >= 1 && hour <= 11 ? hour + 12 : null;
    case '오후':
    case '저녁':
      if (hour === 12) return 12;
      if (hour >= 13 && hour <= 23) return hour;
      return hour >= 1 && hour <= 11 ? hour + 12 : null;
    case '낮':
      // 낮 runs from late morning to mid-afternoon: 낮 11시 is 11:00, 낮 2시 is 14:00.
      if (hour >= 7 && hour <= 12) return hour;
      if (hour >= 13 && hour <= 18) return hour;
      return hour >= 1 && hour <= 6 ? hour + 12 : null;
    case '밤':
      // 밤 12시 is midnight and 밤 1시 is 01:00, as people say it; 밤 10시 is 22:00.
      if (hour === 12) return 0;
      if (hour >= 1 && hour <= 5) return hour;
      if (hour >= 13 && hour <= 23) return hour;
      return hour >= 6 && hour <= 11 ? hour + 12 : null;
    default:
      return null;
  }
}

type Days = { ok: true; days: Set<number> } | { ok: false; detail: string };

function readDays(text: string): Days {
  const days = new Set<number>();
  let rest = text.trim();
  let previous: number | null = null;
  let pendingRange = false;
  const add = (day: number): void => {
    if (pendingRange && previous !== null) {
      for (let d = previous; d !== day; d = (d + 1) % 7) days.add(d);
    }
    days.add(day);
    previous = day;
    pendingRange = false;
  };
  while (rest !== '') {
    const separator = /^[\s,、·&+/]+/.exec(rest);
    if (separator !== null) {
      rest = rest.slice(separator[0].length);
      continue;
    }
    const range = /^(?:[-~–]|to\b|through\b|부터)/.exec(rest);
    if (range !== null) {
      if (previous === null || pendingRange) return { ok: false, detail: range[0] };
      pendingRange = true;
      rest = rest.slice(range[0].length);
      continue;
    }
    const word = /^[a-z]+/.exec(rest)?.[0];
    if (word !== undefined) {
      const day = EN_DAYS.get(word) ?? EN_DAYS.get(word.replace(/s$/, ''));
      const group = DAY_GROUPS.get(word);
      if (day !== undefined) add(day);
      else if (group !== undefined && !pendingRange) {
        for (const d of group) days.add(d);
        previous = null;
      } else if (!FILLER.has(word)) return { ok: false, detail: word };
      rest = rest.slice(word.length);
      continue;
    }
    const group = /^(?:매일|평일|주말)/.exec(rest)?.[0];
    if (group !== undefined && !pendingRange) {
      for (const d of DAY_GROUPS.get(group) ?? []) days.add(d);
      previous = null;
      rest = rest.slice(group.length);
      continue;
    }
    const korean = /^([일월화수목금토])(?:요일)?(?:까지)?/.exec(rest);
    if (korean !== null) {
      add(KO_DAYS.get(korean[1] ?? '') ?? 0);
      rest = rest.slice(korean[0].length);
      continue;
    }
    // Korean glue: "화요일과 목요일", "월요일마다", "월요일에".
    const filler = /^(?:이랑|하고|에는|마다|과|와|랑|및|에)/.exec(rest)?.[0];
    if (filler !== undefined) {
      rest = rest.slice(filler.length);
      continue;
    }
    return { ok: false, detail: rest.split(/\s/)[0] ?? rest };
  }
  if (pendingRange) return { ok: false, detail: text.trim() };
  return { ok: true, days };
}

// Runs of three or more consecutive days become ranges: 1-5, 1,3,5, 0,6.
function cronDays(days: Set<number>): string {
  if (days.size === 7) return '*';
  const sorted = [...days].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const from = sorted[i] ?? 0;
    const to = sorted[j] ?? 0;
    if (j - i >= 2) parts.push(`${from}-${to}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(',');
}

function daysText(days: Set<number>): string {
  if (days.size === 7) return 'daily';
  const key = [...days].sort((a, b) => a - b).join(',');
  if (key === '1,2,3,4,5') return 'weekdays';
  if (key === '0,6') return 'weekends';
  // Monday first, as a week is read in both Korea and Europe.
  return [1, 2, 3, 4, 5, 6, 0]
    .filter((d) => days.has(d))
    .map((d) => DAY_NAMES[d])
    .join(',');
}

const KO_DAY_NAMES = ['일', '월', '화', '수', '목', '금', '토'];
const KO_DAY_GROUPS: ReadonlyMap<string, string> = new Map([
  ['daily', '매일'],
  ['weekdays', '평일'],
  ['weekends', '주말'],
]);

/**
 * A rule's display form (`ScheduleRule.text`, as stored) in the reader's language: "weekdays 09:00 (Asia/Seoul)"
 * reads "평일 09:00 (Asia/Seoul)" in Korean. The Korean form parses back to the same rule; a cron form is shown as
 * it is, since it has no words.
 */
export function scheduleRuleText(text: string, lang: 'ko' | 'en'): string {
  if (lang === 'en') return text;
  const match = /^([a-z]+(?:,[a-z]+)*) (\d{2}:\d{2})((?: \(.+\))?)$/.exec(text);
  if (match === null) return text;
  const [, days = '', time = '', zone = ''] = match;
  const group = KO_DAY_GROUPS.get(days);
  const korean =
    group ??
    days
      .split(',')
      .map((day) => KO_DAY_NAMES[DAY_NAMES.indexOf(day)] ?? day)
      .join(',');
  return `${korean} ${time}${zone}`;
}
