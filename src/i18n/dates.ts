import type { Lang } from './messages.ts';

// Every time a person reads goes through here, so a reply never shows a raw UTC ISO string and every reply agrees
// on one shape per language: "12월 10일 (목) 10:19", "Thu, Dec 10, 10:19".

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string, lang: Lang, year: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${year ? 'y' : ''}|${timeZone}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
      timeZone,
      ...(year ? { year: 'numeric' } : {}),
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      // h23, not hour12: false: the latter prints midnight as "24" on some ICU versions.
      hourCycle: 'h23',
    });
    formats.set(key, format);
  }
  return format;
}

/** An instant as the channel reads it: its local date, weekday and time in its zone and language. */
export function formatDateTime(
  ms: number,
  timeZone: string,
  lang: Lang,
  options: { year?: boolean } = {},
): string {
  return formatFor(timeZone, lang, options.year ?? false).format(ms);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A day as the channel reads it, without a time: "12월 7일 (월)", "Mon, Dec 7". */
export function formatDay(ms: number, timeZone: string, lang: Lang): string {
  const key = `${lang}|${timeZone}`;
  let format = dayFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
      timeZone,
      month: 'short',
      day: 'numeric',
      weekday: 'short',
    });
    dayFormats.set(key, format);
  }
  return format.format(ms);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * A span of time in its two largest units, rounded up so "in 0 min" never shows: "3일 5시간" / "3 d 5 h",
 * "40분" / "40 min".
 */
export function formatDuration(ms: number, lang: Lang): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE_MS));
  const days = Math.floor(minutes / (DAY_MS / MINUTE_MS));
  const hours = Math.floor((minutes % (DAY_MS / MINUTE_MS)) / 60);
  const mins = minutes % 60;
  const unit = lang === 'ko' ? { d: '일', h: '시간', m: '분' } : { d: ' d', h: ' h', m: ' min' };
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}${unit.d}`);
  if (hours > 0) parts.push(`${hours}${unit.h}`);
  if (days === 0 && mins > 0) parts.push(`${mins}${unit.m}`);
  return parts.slice(0, 2).join(' ');
}
