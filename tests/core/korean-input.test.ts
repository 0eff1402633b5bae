import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/index.ts';
import { parseScheduleRule, scheduleRuleText } from '../../src/lessons/schedule-rule.ts';
import { findCommand, openStore, parseLine } from '../../src/testing.ts';
import { command, testBot } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';

// What a person types (or copies from what the bot printed) -> the command it runs and the words that command reads.
const TABLE: readonly [input: string, command: string, rest: string][] = [
  ['일시정지', 'schedule', 'pause'],
  ['일시 정지', 'schedule', 'pause'],
  ['일정 일시정지', 'schedule', 'pause'],
  ['재개', 'schedule', 'resume'],
  ['일정 재개', 'schedule', 'resume'],
  ['일정 보기', 'schedule', 'show'],
  ['일정 끄기', 'schedule', 'off'],
  ['3강', 'lesson', '3'],
  ['3강 보여줘', 'lesson', '3'],
  ['3강 정답', 'lesson', '3 정답'],
  ['/orch 12강 보여 주세요', 'lesson', '12'],
  ['레슨 3강', 'lesson', '3'],
  ['레슨 3', 'lesson', '3'],
  ['오늘 레슨', 'lesson', ''],
  ['오늘의 레슨 보여줘', 'lesson', ''],
  ['다음 레슨', 'lesson', 'next'],
  ['레슨 다음', 'lesson', '다음'],
  ['강의 3', 'lesson', '3'],
  ['퀴즈 시작', 'quiz', ''],
  ['퀴즈 이스티오 5 시작', 'quiz', '이스티오 5'],
  ['퀴즈 그만', 'quiz', 'stop'],
  ['퀴즈 종료', 'quiz', 'stop'],
  ['언어 영어', 'lang', 'en'],
  ['언어 한국어', 'lang', 'ko'],
  ['언어 자동', 'lang', 'auto'],
  ['공휴일 한국', 'schedule', 'skip-holidays KR'],
  ['공휴일 미국', 'schedule', 'skip-holidays US'],
  ['일정 공휴일 대한민국', 'schedule', 'skip-holidays KR'],
  ['공휴일 끄기', 'schedule', 'skip-holidays off'],
  ['schedule skip-holidays 끄기', 'schedule', 'skip-holidays off'],
  ['schedule skip-holidays kr', 'schedule', 'skip-holidays kr'],
  ['로드맵 보여줘', 'roadmap', ''],
  ['로드맵', 'roadmap', ''],
  ['로드맵 설정 5강', 'roadmap', 'set 5'],
  ['roadmap set 5', 'roadmap', 'set 5'],
  ['내 진도', 'progress', ''],
  ['내 진도 보여줘', 'progress', ''],
  ['순위 보여줘', 'leaderboard', ''],
  ['리더보드', 'leaderboard', ''],
  ['복습', 'review', ''],
  ['일정 평일 오전 9시', 'schedule', '평일 오전 9시'],
  ['schedule every day at 9pm', 'schedule', 'every day at 9pm'],
  ['일정 every day at 9pm', 'schedule', 'every day at 9pm'],
  // Lookups pass through as typed.
  ['이스티오 알려줘', 'ask', '이스티오 알려줘'],
  ['쿠버네티스 일정 관리', 'ask', '쿠버네티스 일정 관리'],
];

describe('Korean input a person naturally types', () => {
  it.each(TABLE)('%s -> %s %s', (input, name, rest) => {
    const line = parseLine(input);
    expect(line.command === undefined ? 'ask' : findCommand(line.command)?.name).toBe(name);
    expect(line.rest).toBe(rest);
  });
});

describe('schedule rules', () => {
  it('reads "every day at 9pm" as 21:00 every day and echoes it in Korean', () => {
    const parsed = parseScheduleRule('every day at 9pm', 'Asia/Seoul');
    expect(parsed).toEqual({
      ok: true,
      rule: { cron: '0 21 * * *', timeZone: 'Asia/Seoul', text: 'daily 21:00 (Asia/Seoul)' },
    });
    if (!parsed.ok) return;
    expect(scheduleRuleText(parsed.rule.text, 'ko')).toBe('매일 21:00 (Asia/Seoul)');
  });

  it.each([
    ['weekdays 09:00 (Asia/Seoul)', '평일 09:00 (Asia/Seoul)'],
    ['weekends 10:30 (UTC)', '주말 10:30 (UTC)'],
    ['mon,wed,fri 08:00 (Europe/Berlin)', '월,수,금 08:00 (Europe/Berlin)'],
    ['30 21 * * 1-5 (Asia/Seoul)', '30 21 * * 1-5 (Asia/Seoul)'],
  ])('shows %s as %s to a Korean reader, and that reads back as the same rule', (text, korean) => {
    expect(scheduleRuleText(text, 'ko')).toBe(korean);
    expect(scheduleRuleText(text, 'en')).toBe(text);
    const again = parseScheduleRule(korean, 'UTC');
    const original = parseScheduleRule(text, 'UTC');
    expect(again.ok && original.ok && again.rule.cron === original.rule.cron).toBe(true);
  });
});

describe('through the bot', () => {
  const admin = { platform: 'test', userId: 'A1', displayName: '민수', isAdmin: true };
  const KEY = 'test:T1:C1';

  async function setup() {
    const store = await openStore({ sqlitePath: ':memory:' });
    const clock = new ManualClock(Date.parse('2026-11-25T03:00:00Z'));
    const bot = await testBot({ store, clock });
    const say = async (text: string) =>
      (await bot.handle(command(text, { who: admin }))).map(toPlainText).join('\n');
    return { store, say };
  }

  it('echoes 평일 09:00 in Korean, pauses on 일시정지 and skips Korean holidays on 공휴일 한국', async () => {
    const { store, say } = await setup();
    const set = await say('일정 평일 09:00');
    expect(set).toContain('일정을 정했어요: 평일 09:00 (Asia/Seoul)');
    expect(set).not.toMatch(/weekdays/);
    expect(await say('일시정지')).toContain('일시정지했어요');
    expect(await store.getChannel(KEY)).toMatchObject({ paused: true });
    expect(await say('공휴일 한국')).toContain('대한민국 공휴일에는');
    expect(await store.getChannel(KEY)).toMatchObject({ holidayCountry: 'KR' });
    const shown = await say('일정');
    expect(shown).toContain('평일 09:00 (Asia/Seoul) (일시정지 중)');
    expect(shown).toContain('공휴일 건너뛰기: 대한민국');
    expect(shown).not.toMatch(/\bKR\b|weekdays/);
  });

  it('sets the schedule from "every day at 9pm"', async () => {
    const { store, say } = await setup();
    expect(await say('schedule every day at 9pm')).toContain('매일 21:00 (Asia/Seoul)');
    expect(await store.getChannel(KEY)).toMatchObject({ cron: '0 21 * * *' });
  });

  it('refuses a rule that fires more than once an hour in Korean, without English inside', async () => {
    const { say } = await setup();
    const text = await say('일정 */5 9 * * *');
    const [first, ...rest] = text.split('\n');
    expect(first).toBe(
      '한 시간에 레슨이 두 번 이상 올라오는 일정은 만들 수 없어요. 아무것도 바꾸지 않았어요.',
    );
    // The pointer to the whole syntax follows, in Korean too.
    expect(rest).toEqual(['모든 사용법은 `/orch 도움말 일정` 명령으로 볼 수 있어요.']);
  });

  it('shows lesson 3 for 3강 보여줘 and switches the language for 언어 영어', async () => {
    const { store, say } = await setup();
    expect(await say('3강 보여줘')).toMatch(/^== 3강: .* \(전체 \d+강\) ==$/m);
    expect(await say('언어 영어')).toBe('This channel now gets answers in English.');
    expect(await store.getChannel(KEY)).toMatchObject({ lang: 'en' });
  });

  it('names the channel language in Korean', async () => {
    const { say } = await setup();
    expect(await say('언어')).toBe(
      '이 채널의 언어는 자동이에요. `/orch 언어 한국어|영어|자동`으로 바꿀 수 있어요.',
    );
    await say('언어 한국어');
    expect(await say('언어')).toContain('이 채널의 언어는 한국어예요.');
  });
});
