import { createRequire } from 'node:module';
import type HolidaysClass from 'date-holidays';
import { civilDate, civilDay, zonedParts } from './time-zone.ts';

/** Languages holiday names are offered in. */
export type HolidayLang = 'ko' | 'en';

const DAY_MS = 86_400_000;

// Loading a country parses its bundled rules, so each country is loaded once.
type Holidays = HolidaysClass;

// date-holidays carries every country's rules (about 8 MB of heap once loaded); it is loaded on the first holiday
// question, since most channels never turn skip-holidays on.
let loaded: typeof HolidaysClass | undefined;
const holidaysClass = (): typeof HolidaysClass => {
  loaded ??= createRequire(import.meta.url)('date-holidays') as typeof HolidaysClass;
  return loaded;
};

const calendars = new Map<string, Holidays>();
// Public holidays of one country, year and language: local date "YYYY-MM-DD" to the names falling on it.
const yearTables = new Map<string, Map<string, string[]>>();
let supported: Set<string> | null = null;

function supportedCountries(): Set<string> {
  supported ??= new Set(Object.keys(new (holidaysClass())().getCountries()));
  return supported;
}

/** Every ISO 3166 alpha-2 code the package has public holiday data for, sorted (what `skip-holidays` takes). */
export function supportedCountryCodes(): string[] {
  return [...supportedCountries()].filter((code) => /^[A-Z]{2}$/.test(code)).sort();
}

/** True when the package has public holiday data for this ISO 3166 alpha-2 code (any case). */
export function isSupportedCountry(code: string): boolean {
  const upper = code.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(upper) && supportedCountries().has(upper);
}

function calendarFor(country: string): Holidays {
  let calendar = calendars.get(country);
  if (calendar === undefined) {
    calendar = new (holidaysClass())(country);
    calendars.set(country, calendar);
  }
  return calendar;
}

// date-holidays 3.x anchors Seollal's three days at the lunar new year itself (설날, 다음날, 그다음날), but the
// holiday is 전날, 설날, 다음날 (관공서의 공휴일에 관한 규정 제2조): in 2026 that is 16-18 February, not 17-19. Its KR data says
// as much (commenthol/date-holidays#640, #641) and already lists Seollal's substitute days by date, so only the span
// needs moving. Keyed on the exact rule so a fixed release, which would change the rule, is not shifted twice.
const SEOLLAL_RULE = 'korean 01-0-01 P3D';

function dayKey(dayNumber: number): string {
  const { year, month, day } = civilDate(dayNumber);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function yearTable(country: string, year: number, lang: HolidayLang): Map<string, string[]> {
  const key = `${country}:${year}:${lang}`;
  let table = yearTables.get(key);
  if (table !== undefined) return table;
  table = new Map();
  for (const holiday of calendarFor(country).getHolidays(year, lang)) {
    if (holiday.type !== 'public') continue;
    // `date` is the first local day in the country ("2026-03-01 00:00:00") whatever the process zone is; start and
    // end only give the length, rounded because a span across a DST change is not a whole number of 24 hours.
    const [y, m, d] = holiday.date.slice(0, 10).split('-').map(Number);
    if (y === undefined || m === undefined || d === undefined) continue;
    let first = civilDay(y, m, d);
    if (country === 'KR' && holiday.rule === SEOLLAL_RULE) first -= 1;
    const length = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
    for (let i = 0; i < length; i++) {
      const day = dayKey(first + i);
      const names = table.get(day) ?? [];
      if (!names.includes(holiday.name)) names.push(holiday.name);
      table.set(day, names);
    }
  }
  yearTables.set(key, table);
  return table;
}

function namesOn(country: string, ms: number, timeZone: string, lang: HolidayLang): string[] {
  const upper = country.trim().toUpperCase();
  if (!isSupportedCountry(upper)) return [];
  const { year, month, day } = zonedParts(ms, timeZone);
  const key = dayKey(civilDay(year, month, day));
  // A multi-day holiday listed under the previous year can run into this one (a span starting 31 December).
  return [
    ...(yearTable(upper, year - 1, lang).get(key) ?? []),
    ...(yearTable(upper, year, lang).get(key) ?? []),
  ];
}

/**
 * True when the local date of `ms` in `timeZone` is a public holiday (type "public"; not bank, school, optional or
 * observance days) in `country`. An unsupported country has no holidays.
 */
export function isPublicHoliday(country: string, ms: number, timeZone: string): boolean {
  return namesOn(country, ms, timeZone, 'en').length > 0;
}

/** The public holiday's name in `lang` ("3·1절" or "Independence Movement Day"), joined when two share a day. */
export function holidayName(country: string, ms: number, timeZone: string, lang: HolidayLang): string | null {
  const names = namesOn(country, ms, timeZone, lang);
  return names.length === 0 ? null : names.join(', ');
}
