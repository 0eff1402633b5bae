import { describe, expect, it } from 'vitest';
import { parseScheduleRule, type ScheduleRule, TOO_FREQUENT } from '../../src/lessons/schedule-rule.ts';

function rule(input: string, defaultZone = 'Asia/Seoul'): ScheduleRule {
  const result = parseScheduleRule(input, defaultZone);
  if (!result.ok) throw new Error(`${input}: ${result.error.code} ${result.error.detail}`);
  return result.rule;
}

describe('parseScheduleRule: accepted forms', () => {
  it.each([
    ['weekdays 09:00', '0 9 * * 1-5'],
    ['Weekdays   9:00', '0 9 * * 1-5'],
    ['평일 09:00', '0 9 * * 1-5'],
    ['daily 21:30', '30 21 * * *'],
    ['every day 21:30', '30 21 * * *'],
    ['everyday 21:30', '30 21 * * *'],
    ['매일 21:30', '30 21 * * *'],
    ['weekends 10:00', '0 10 * * 0,6'],
    ['주말 10:00', '0 10 * * 0,6'],
    ['mon,wed,fri 08:00', '0 8 * * 1,3,5'],
    ['mon, wed, fri 08:00', '0 8 * * 1,3,5'],
    ['mon-fri 08:00', '0 8 * * 1-5'],
    ['tue thu 08:00', '0 8 * * 2,4'],
    ['monday 08:00', '0 8 * * 1'],
    ['Tuesday and Thursday 08:00', '0 8 * * 2,4'],
    ['every monday 08:00', '0 8 * * 1'],
    ['fri-mon 08:00', '0 8 * * 0,1,5,6'],
    ['월,수,금 08:00', '0 8 * * 1,3,5'],
    ['월수금 08:00', '0 8 * * 1,3,5'],
    ['월-금 08:00', '0 8 * * 1-5'],
    ['월요일 08:00', '0 8 * * 1'],
    ['화요일과 목요일 08:00', '0 8 * * 2,4'],
    ['월요일부터 금요일까지 08:00', '0 8 * * 1-5'],
    ['일요일 08:00', '0 8 * * 0'],
    ['09:00', '0 9 * * *'],
    ['9:00', '0 9 * * *'],
    ['21:30', '30 21 * * *'],
    ['0:00', '0 0 * * *'],
    ['23:59', '59 23 * * *'],
    ['9am', '0 9 * * *'],
    ['9 AM', '0 9 * * *'],
    ['9:30pm', '30 21 * * *'],
    ['12am', '0 0 * * *'],
    ['12pm', '0 12 * * *'],
    ['21시', '0 21 * * *'],
    ['21시 30분', '30 21 * * *'],
    ['9시 반', '30 9 * * *'],
    ['오전 9시', '0 9 * * *'],
    ['오전 12시', '0 0 * * *'],
    ['오후 9시 30분', '30 21 * * *'],
    ['오후 12시', '0 12 * * *'],
    ['밤 10시', '0 22 * * *'],
    ['밤 12시', '0 0 * * *'],
    ['아침 7시', '0 7 * * *'],
    ['저녁 7시', '0 19 * * *'],
    ['평일 오전 9시', '0 9 * * 1-5'],
    ['월수금 밤 10시', '0 22 * * 1,3,5'],
    ['9am weekdays', '0 9 * * 1-5'],
    ['ＷＥＥＫＤＡＹＳ ０９：００', '0 9 * * 1-5'],
  ])('reads %j as %j', (input, cron) => {
    expect(rule(input)).toMatchObject({ cron, timeZone: 'Asia/Seoul' });
  });

  it.each([
    ['weekdays 09:00 Europe/Berlin', 'Europe/Berlin'],
    ['weekdays 09:00 america/new_york', 'America/New_York'],
    ['weekdays 09:00 UTC', 'UTC'],
    ['weekdays 09:00 KST', 'Asia/Seoul'],
    ['평일 오전 9시 kst', 'Asia/Seoul'],
    ['30 21 * * 1-5 Europe/Berlin', 'Europe/Berlin'],
  ])('takes the trailing zone of %j', (input, timeZone) => {
    expect(rule(input, 'America/New_York').timeZone).toBe(timeZone);
  });

  it('uses the default zone when none is given', () => {
    expect(rule('weekdays 09:00', 'Europe/Berlin').timeZone).toBe('Europe/Berlin');
    expect(rule('weekdays 09:00', 'europe/berlin').timeZone).toBe('Europe/Berlin');
  });

  it('writes a canonical display text that parses back to the same rule', () => {
    const cases: [string, string][] = [
      ['평일 오전 9시', 'weekdays 09:00 (Asia/Seoul)'],
      ['매일 21시 30분 Europe/Berlin', 'daily 21:30 (Europe/Berlin)'],
      ['월수금 8am', 'mon,wed,fri 08:00 (Asia/Seoul)'],
      ['fri-mon 10:00', 'mon,fri,sat,sun 10:00 (Asia/Seoul)'],
      ['주말 10:00 UTC', 'weekends 10:00 (UTC)'],
      ['30 21 * * mon-fri', '30 21 * * 1-5 (Asia/Seoul)'],
    ];
    for (const [input, text] of cases) {
      const first = rule(input);
      expect(first.text).toBe(text);
      expect(rule(first.text, 'America/New_York')).toEqual(first);
    }
  });
});

describe('parseScheduleRule: cron expressions', () => {
  it.each([
    ['30 21 * * 1-5', '30 21 * * 1-5'],
    ['30  21 *  * 1-5', '30 21 * * 1-5'],
    ['0 9 * * mon-fri', '0 9 * * 1-5'],
    ['0 9 * * MON,WED,FRI', '0 9 * * 1,3,5'],
    ['0 9 * * 7', '0 9 * * 0'],
    ['0 9 * * */2', '0 9 * * */2'],
    ['0 9 1 * 0-6', '0 9 1 * 0-6'],
    ['0 9 1 jan *', '0 9 1 1 *'],
    ['0 9 l * *', '0 9 L * *'],
    ['0 10 * * 5#2', '0 10 * * 5#2'],
    ['0 * * * *', '0 * * * *'],
  ])('accepts %j as %j', (input, cron) => {
    expect(rule(input).cron).toBe(cron);
  });

  it.each([
    ['* * * * *', TOO_FREQUENT],
    ['*/5 * * * *', TOO_FREQUENT],
    ['0,30 9 * * *', TOO_FREQUENT],
    ['0 0 9 * * *', '0 0 9 * * *'],
    ['0 9 * *', '0 9 * *'],
    ['0 9 30 2 *', '30'],
    ['0 25 * * *', '25'],
  ])('refuses %j as badCron (%s)', (input, detail) => {
    expect(parseScheduleRule(input, 'Asia/Seoul')).toEqual({ ok: false, error: { code: 'badCron', detail } });
  });
});

describe('parseScheduleRule: refusals', () => {
  it.each([
    ['', 'empty', ''],
    ['   ', 'empty', ''],
    ['weekdays 25:00', 'badTime', '25:00'],
    ['weekdays 24:00', 'badTime', '24:00'],
    ['daily 9:60', 'badTime', '9:60'],
    ['daily 9:5', 'badTime', '9:5'],
    ['daily 13pm', 'badTime', '13pm'],
    ['오전 13시', 'badTime', '오전 13시'],
    ['daily', 'badTime', 'daily'],
    ['평일', 'badTime', '평일'],
    ['매일 아침', 'badTime', '아침'],
    ['weekdays 9', 'badTime', '9'],
    ['KST', 'badTime', 'KST'],
    ['someday 09:00', 'badRule', 'someday'],
    ['constructor 09:00', 'badRule', 'constructor'],
    ['mon- 09:00', 'badRule', 'mon-'],
    ['weekdays 09:00 Mars/Olympus', 'badZone', 'Mars/Olympus'],
    ['weekdays 09:00 EST', 'badZone', 'EST'],
    ['30 21 * * 1-5 Mars/Olympus', 'badZone', 'Mars/Olympus'],
  ])('refuses %j with %s', (input, code, detail) => {
    expect(parseScheduleRule(input, 'Asia/Seoul')).toEqual({ ok: false, error: { code, detail } });
  });

  it('reports a broken default zone rather than throwing', () => {
    expect(parseScheduleRule('daily 09:00', 'Nowhere/Land')).toEqual({
      ok: false,
      error: { code: 'badZone', detail: 'Nowhere/Land' },
    });
  });
});
