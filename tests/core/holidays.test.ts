import { describe, expect, it } from 'vitest';
import { holidayName, isPublicHoliday, isSupportedCountry } from '../../src/lessons/holidays.ts';

// Noon in Seoul on a date, so the date is the same in the UTC test process and in Seoul.
const seoulNoon = (date: string): number => Date.parse(`${date}T03:00:00Z`);

describe('isSupportedCountry', () => {
  it('knows ISO 3166 alpha-2 codes with data, in any case', () => {
    expect(isSupportedCountry('KR')).toBe(true);
    expect(isSupportedCountry('kr')).toBe(true);
    expect(isSupportedCountry('DE')).toBe(true);
    expect(isSupportedCountry('XX')).toBe(false);
    expect(isSupportedCountry('KOR')).toBe(false);
    expect(isSupportedCountry('')).toBe(false);
  });
});

describe('isPublicHoliday in Korea', () => {
  it.each([
    ['2026-01-01', '신정'],
    ['2026-03-01', '3·1절'],
    // 3·1절 on a Sunday moves to Monday 2 March (substitute holidays for 3·1절 since 2021).
    ['2026-03-02', '3·1절 (대체공휴일)'],
    ['2026-05-05', '어린이날'],
    ['2026-09-24', '추석'],
    ['2026-09-25', '추석'],
    ['2026-09-26', '추석'],
    ['2026-10-09', '한글날'],
  ])('treats %s as %s', (date, name) => {
    expect(isPublicHoliday('KR', seoulNoon(date), 'Asia/Seoul')).toBe(true);
    expect(holidayName('KR', seoulNoon(date), 'Asia/Seoul', 'ko')).toBe(name);
  });

  it.each(['2026-11-25', '2026-03-03', '2026-02-28'])('treats %s as an ordinary day', (date) => {
    expect(isPublicHoliday('KR', seoulNoon(date), 'Asia/Seoul')).toBe(false);
    expect(holidayName('KR', seoulNoon(date), 'Asia/Seoul', 'en')).toBeNull();
  });

  it('keeps Seollal on the day before, the day and the day after the lunar new year', () => {
    // date-holidays 3.37 puts the three days one day late (17-19 February 2026); holidays.ts moves them back.
    const seollal = (date: string): boolean => isPublicHoliday('KR', seoulNoon(date), 'Asia/Seoul');
    expect(['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'].map(seollal)).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'].map(seollal)).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    // 2024: 9-11 February with Sunday the 11th, so Monday the 12th is a substitute holiday.
    expect(['2024-02-09', '2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13'].map(seollal)).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it('decides by the local date in the channel zone, not in UTC or Korea', () => {
    // 16:00 UTC on 1 January is already 2 January in Seoul but still 1 January in New York.
    const t = Date.parse('2026-01-01T16:00:00Z');
    expect(isPublicHoliday('KR', t, 'Asia/Seoul')).toBe(false);
    expect(isPublicHoliday('KR', t, 'America/New_York')).toBe(true);
    // 23:30 in Seoul on 28 February is still an ordinary Saturday; 00:30 on 1 March is 3·1절.
    expect(isPublicHoliday('KR', Date.parse('2026-02-28T14:30:00Z'), 'Asia/Seoul')).toBe(false);
    expect(isPublicHoliday('KR', Date.parse('2026-02-28T15:30:00Z'), 'Asia/Seoul')).toBe(true);
  });
});

describe('holiday names and types', () => {
  it('names holidays in Korean or English', () => {
    expect(holidayName('KR', seoulNoon('2026-03-01'), 'Asia/Seoul', 'ko')).toBe('3·1절');
    expect(holidayName('kr', seoulNoon('2026-03-01'), 'Asia/Seoul', 'en')).toBe('Independence Movement Day');
    expect(holidayName('KR', seoulNoon('2026-03-02'), 'Asia/Seoul', 'en')).toBe(
      'Independence Movement Day (substitute day)',
    );
  });

  it('joins the names of holidays that share a day', () => {
    expect(holidayName('KR', seoulNoon('2025-05-05'), 'Asia/Seoul', 'ko')).toBe('어린이날, 석가탄신일');
  });

  it('counts only public holidays, not observances or optional days', () => {
    const ny = (date: string): boolean =>
      isPublicHoliday('US', Date.parse(`${date}T17:00:00Z`), 'America/New_York');
    expect(ny('2026-07-03')).toBe(true); // Independence Day observed on the Friday
    expect(ny('2026-11-26')).toBe(true); // Thanksgiving
    expect(ny('2026-02-14')).toBe(false); // Valentine's Day, an observance
    expect(ny('2026-12-24')).toBe(false); // Christmas Eve, optional
  });

  it('has no holidays for a country without data', () => {
    expect(isPublicHoliday('XX', seoulNoon('2026-01-01'), 'Asia/Seoul')).toBe(false);
    expect(holidayName('XX', seoulNoon('2026-01-01'), 'Asia/Seoul', 'en')).toBeNull();
  });
});
