import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration } from '../../../src/i18n/dates.ts';
import { type Lang, type Store, toPlainText } from '../../../src/index.ts';
import { calendarPeriod } from '../../../src/lessons/time-zone.ts';
import { openStore } from '../../../src/testing.ts';
import { command, testBot } from '../../helpers/catalog.ts';
import { HOUR, ManualClock } from '../../helpers/clock.ts';

const KEY = 'test:T1:C1';
let rounds = 0;

/** One right answer worth 100 points by `userId`, arriving at `at`. */
async function score(store: Store, userId: string, at: string): Promise<void> {
  const id = `round-${++rounds}`;
  const answeredAt = Date.parse(at);
  const question = {
    questionId: `q${rounds}`,
    question: { en: 'q', ko: 'q' },
    options: [
      { en: 'a', ko: 'a' },
      { en: 'b', ko: 'b' },
    ],
    answer: 0,
    explanation: { en: 'e', ko: 'e' },
    toolId: null,
  };
  await store.createRound(
    {
      id,
      channelKey: KEY,
      startedBy: userId,
      topic: 'all',
      lang: 'en',
      secondsPerQuestion: 20,
      questionCount: 1,
      status: 'running',
      current: 0,
      createdAt: answeredAt - 2000,
      finishedAt: null,
    },
    [question],
  );
  await store.markQuestionPosted(id, 0, `m${rounds}`, answeredAt - 1000, answeredAt + 20_000);
  const [outcome] = await store.recordAnswers([
    {
      roundId: id,
      index: 0,
      userId,
      displayName: userId,
      option: 0,
      answeredAt,
      correct: true,
      points: 100,
    },
  ]);
  expect(outcome).toBe('recorded');
  // One running round per channel: the next call opens its own.
  await store.finishRound(id, 'finished', answeredAt + 1);
}

async function setup(now: string, timeZone: string | null, lang: Lang = 'en') {
  const store = await openStore({ sqlitePath: ':memory:' });
  const clock = new ManualClock(Date.parse(now));
  if (timeZone) await store.updateChannel(KEY, { timeZone }, clock.now().getTime());
  const bot = await testBot({ store, clock, defaultLang: lang, defaultTimeZone: 'Asia/Seoul' });
  const say = async (text: string) => (await bot.handle(command(text))).map(toPlainText).join('\n');
  return { store, clock, say };
}

describe('/orch leaderboard counts calendar periods in the channel zone', () => {
  it('counts the week from Monday 00:00 in Seoul, not the last 7 days, and says when it resets', async () => {
    // Wednesday 2026-12-09 12:00 in Seoul.
    const { store, say } = await setup('2026-12-09T03:00:00Z', null);
    await score(store, 'sunday-late', '2026-12-06T14:30:00Z'); // Sunday 23:30 in Seoul: last week
    await score(store, 'monday-early', '2026-12-06T15:30:00Z'); // Monday 00:30 in Seoul: this week
    const text = await say('leaderboard');
    expect(text).toContain('Leaderboard: this week');
    expect(text).toContain('monday-early');
    expect(text).not.toContain('sunday-late');
    // Next Monday 00:00 in Seoul is 2026-12-13T15:00Z: 4 days 12 hours away.
    expect(text).toContain('Since Mon, Dec 7, 00:00, resets in 4 d 12 h (Mon, Dec 14, 00:00)');
    const all = await say('leaderboard all');
    expect(all).toContain('sunday-late');
    expect(all).toContain('monday-early');
  });

  it('says the reset in Korean', async () => {
    const { say } = await setup('2026-12-10T10:00:00Z', 'Asia/Seoul', 'ko');
    // Thursday 19:00 in Seoul; Monday 00:00 is 3 days 5 hours away.
    const text = await say('리더보드');
    expect(text).toContain('순위: 이번 주');
    expect(text).toContain('12월 7일 (월) 00:00부터 집계, 3일 5시간 뒤 초기화 (12월 14일 (월) 00:00)');
  });

  it('keeps the week boundaries at local midnight across the end of DST in New York', async () => {
    // Sunday 2026-11-01 22:00 EST, the day DST ended: this week began Monday 2026-10-26 00:00 EDT (04:00Z).
    const { store, say } = await setup('2026-11-02T03:00:00Z', 'America/New_York');
    await score(store, 'before', '2026-10-26T03:30:00Z'); // Sunday 23:30 EDT
    await score(store, 'after', '2026-10-26T04:30:00Z'); // Monday 00:30 EDT
    const text = await say('leaderboard week');
    expect(text).toContain('after');
    expect(text).not.toContain('before');
    // The next Monday 00:00 is in EST (05:00Z), two hours away, not three or one.
    expect(text).toContain('resets in 2 h (Mon, Nov 2, 00:00)');
  });

  it('makes a week 167 hours long when Berlin springs forward and 169 when New York falls back', () => {
    const berlin = calendarPeriod(Date.parse('2026-03-27T12:00:00Z'), 'Europe/Berlin', 'week');
    expect(new Date(berlin.start).toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(new Date(berlin.end).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect((berlin.end - berlin.start) / HOUR).toBe(167);
    const ny = calendarPeriod(Date.parse('2026-10-28T12:00:00Z'), 'America/New_York', 'week');
    expect((ny.end - ny.start) / HOUR).toBe(169);
    // A Sunday belongs to the week that began six days earlier.
    const sunday = calendarPeriod(Date.parse('2026-12-13T14:00:00Z'), 'Asia/Seoul', 'week');
    expect(new Date(sunday.start).toISOString()).toBe('2026-12-06T15:00:00.000Z');
  });

  it('counts the calendar month with `month`, from the 1st at 00:00 in the channel zone', async () => {
    const { store, say } = await setup('2026-12-20T03:00:00Z', 'Asia/Seoul');
    await score(store, 'november', '2026-11-30T14:30:00Z'); // Nov 30 23:30 in Seoul
    await score(store, 'december', '2026-11-30T15:30:00Z'); // Dec 1 00:30 in Seoul
    const text = await say('leaderboard month');
    expect(text).toContain('Leaderboard: this month');
    expect(text).toContain('december');
    expect(text).not.toContain('november');
    expect(text).toContain('resets in 11 d 12 h (Fri, Jan 1, 00:00)');
  });

  it('answers an unknown period with the usage, naming week, month and all', async () => {
    const { say } = await setup('2026-12-09T03:00:00Z', null);
    const text = await say('leaderboard year');
    expect(text).toContain('"year"');
    for (const period of ['`week`', '`month`', '`all`']) expect(text).toContain(period);
  });
});

describe('date formatting', () => {
  it('writes a time as the channel reads it in both languages', () => {
    const at = Date.parse('2026-12-10T01:19:00Z');
    expect(formatDateTime(at, 'Asia/Seoul', 'ko')).toBe('12월 10일 (목) 10:19');
    expect(formatDateTime(at, 'Asia/Seoul', 'en')).toBe('Thu, Dec 10, 10:19');
    expect(formatDateTime(at, 'America/New_York', 'en')).toBe('Wed, Dec 9, 20:19');
  });

  it('writes a span in its two largest units, never as zero', () => {
    expect(formatDuration(3 * 24 * HOUR + 5 * HOUR, 'ko')).toBe('3일 5시간');
    expect(formatDuration(3 * 24 * HOUR + 5 * HOUR, 'en')).toBe('3 d 5 h');
    expect(formatDuration(2 * HOUR + 40 * 60_000, 'en')).toBe('2 h 40 min');
    expect(formatDuration(1, 'en')).toBe('1 min');
    expect(formatDuration(3 * 24 * HOUR, 'en')).toBe('3 d');
  });
});
