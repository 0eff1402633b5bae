import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { lessonDone } from '../../src/actions/lesson-done.ts';
import { type Bot, type Reply, type Store, toPlainText } from '../../src/index.ts';
import { localDay } from '../../src/lessons/catch-up.ts';
import { nextFireAfter } from '../../src/lessons/cron-fires.ts';
import { decidePace, MIN_ACTIVE } from '../../src/lessons/group-pace.ts';
import { isPublicHoliday } from '../../src/lessons/holidays.ts';
import { postedOrder } from '../../src/lessons/member-progress.ts';
import { streaks } from '../../src/lessons/streaks.ts';
import { fromCurated } from '../../src/quiz/bank.ts';
import type { LedgerEntry, MemberPause, PaceFacts } from '../../src/store/store.ts';
import { type Catalog, createBot, LessonScheduler, silentLogger } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { DAY, HOUR, ManualClock, MINUTE } from '../helpers/clock.ts';
import { dailyAtNineInSeoul } from '../helpers/daily-schedule.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';
import { BACKENDS, type TestDatabase } from '../helpers/stores.ts';

const catalog: Catalog = await realCatalog();
const WHERE = { platform: 'test', space: 'T1', channel: 'C1' };
const KEY = 'test:T1:C1';
// Monday 2026-12-07 07:00 in Seoul; the daily 09:00 lesson is two hours away.
const START = Date.parse('2026-12-06T22:00:00Z');

function member(userId: string, isAdmin = false) {
  return { platform: 'test', userId, displayName: `name-${userId}`, isAdmin };
}

const facts = (overrides: Partial<PaceFacts> = {}): PaceFacts => ({
  lastLessons: [4, 3],
  lastWasReview: false,
  active: 4,
  done: 2,
  ...overrides,
});

describe('the group pace rule', () => {
  const on = { pace: null, paceOverride: null };
  it('makes the slot a review day when active members pressed Done on less than half of the last two lessons', () => {
    // 4 active members, 2 lessons: 8 possible presses; 3 is under half, 4 is not.
    expect(decidePace(on, facts({ done: 3 }))).toEqual({
      kind: 'review',
      note: { lessons: [3, 4], cause: 'rule', active: 4, done: 3, percent: 50 },
      consumesOverride: false,
    });
    expect(decidePace(on, facts({ done: 4 })).kind).toBe('lesson');
    // At 30%, 3 of 8 (37.5%) is enough and 2 of 8 (25%) is not.
    expect(decidePace({ ...on, pace: '30' }, facts({ done: 3 })).kind).toBe('lesson');
    expect(decidePace({ ...on, pace: '30' }, facts({ done: 2 })).kind).toBe('review');
  });

  it('never slows a channel with the rule off, after a review day, with one lesson posted or too few active members', () => {
    expect(decidePace({ ...on, pace: 'off' }, facts({ done: 0 })).kind).toBe('lesson');
    expect(decidePace(on, facts({ done: 0, lastWasReview: true })).kind).toBe('lesson');
    expect(decidePace(on, facts({ done: 0, lastLessons: [1] })).kind).toBe('lesson');
    expect(decidePace(on, facts({ done: 0, active: MIN_ACTIVE - 1 })).kind).toBe('lesson');
  });

  it("follows an admin's one-off choice either way, and uses it up", () => {
    expect(decidePace({ pace: 'off', paceOverride: 'review' }, facts({ done: 8 }))).toEqual({
      kind: 'review',
      note: { lessons: [3, 4], cause: 'override', active: 4, done: 8, percent: 50 },
      consumesOverride: true,
    });
    expect(decidePace({ pace: null, paceOverride: 'lesson' }, facts({ done: 0 }))).toEqual({
      kind: 'lesson',
      note: null,
      consumesOverride: true,
    });
  });
});

interface Rig {
  bot: Bot;
  clock: ManualClock;
  poster: RecordingPoster;
  store: Store;
  scheduler: LessonScheduler;
  say(text: string, who?: ReturnType<typeof member>): Promise<string>;
  done(lesson: number, who: ReturnType<typeof member>): Promise<string>;
  /** Moves the clock a day at a time (ticking every hour) and returns what the scheduler posted meanwhile. */
  days(n: number): Promise<Reply[]>;
}

async function rig(db: TestDatabase): Promise<Rig> {
  const clock = new ManualClock(START);
  const poster = new RecordingPoster();
  const store = await db.connect();
  const bot = createBot({ catalog, store, poster, clock, defaultLang: 'en' });
  await store.updateChannel(KEY, dailyAtNineInSeoul(START), START);
  const scheduler = new LessonScheduler({
    store,
    catalog,
    poster,
    clock,
    logger: silentLogger,
    instanceId: 'p1',
    defaultLang: 'en',
  });
  const send = async (incoming: Parameters<Bot['handle']>[0]) =>
    (await bot.handle(incoming)).map(toPlainText).join('\n');
  return {
    bot,
    clock,
    poster,
    store,
    scheduler,
    say: (text, who = member('U1')) =>
      send({ where: WHERE, receivedAt: clock.now(), kind: 'command', text, who }),
    done: (lesson, who) =>
      send({ where: WHERE, receivedAt: clock.now(), kind: 'choice', ...lessonDone.press(lesson), who }),
    async days(n) {
      const before = poster.replies.length;
      for (let h = 0; h < n * 24; h++) {
        clock.advance(HOUR);
        await scheduler.tick();
      }
      return poster.replies.slice(before);
    },
  };
}

const ALL = ['amy', 'bob', 'cat', 'dan'].map((id) => member(id));

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`group pace and members' pauses on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });
    const fresh = async () => {
      db = await backend.create();
      return rig(db);
    };

    it('posts a review day instead of lesson 3 when few pressed Done on lessons 1 and 2, says why, and posts lesson 3 next', async () => {
      const r = await fresh();
      const first = await r.days(1);
      expect(toPlainText(first[0] as Reply)).toContain('Lesson 1/');
      for (const m of ALL) await r.done(1, m);
      const second = await r.days(1);
      expect(toPlainText(second[0] as Reply)).toContain('Lesson 2/');
      await r.done(2, member('amy'));
      // Lessons 1 and 2: 4 active members, 8 possible presses, 5 made (62%): a new lesson.
      const third = await r.days(1);
      expect(toPlainText(third[0] as Reply)).toContain('Lesson 3/');
      // Lessons 2 and 3: 1 + 0 of 8 (12%): the next slot reviews them.
      const review = await r.days(1);
      expect(review).toHaveLength(1);
      const text = toPlainText(review[0] as Reply);
      expect(text).toContain('Review day');
      expect(text).toContain(
        "Of 8 possible Done presses on these lessons, active members made 1 (13%), under this channel's 50%.",
      );
      expect(text).toContain('Lesson 4, ');
      expect(text).toContain('comes at the next slot.');
      const buttons = (review[0] as Reply).blocks.flatMap((b) => (b.type === 'choices' ? b.choices : []));
      expect(buttons.map((b) => b.actionId)).toEqual([
        'lesson.open',
        'quiz.lesson',
        'lesson.open',
        'quiz.lesson',
      ]);
      const [newest] = await r.store.ledger(KEY, 1);
      expect(newest).toMatchObject({ kind: 'review', lesson: 4, status: 'posted' });
      expect(JSON.parse(newest?.note ?? '')).toEqual({
        lessons: [2, 3],
        cause: 'rule',
        active: 4,
        done: 1,
        percent: 50,
      });
      expect((await r.store.getChannel(KEY))?.position).toBe(4);
      // Nobody caught up, but never two review days in a row: lesson 4 comes.
      const next = await r.days(1);
      expect(toPlainText(next[0] as Reply)).toContain('Lesson 4/');
      // A review day is not a lesson: Amy's streak counts lessons 1 and 2 and does not break on the day.
      expect(await r.say('progress', member('amy'))).toMatch(/Best streak\s*: 2 lessons in a row/);
    });

    it('an admin turns the rule off or decides the next slot once; members cannot', async () => {
      const r = await fresh();
      await r.days(2);
      for (const m of ALL) await r.done(1, m);
      expect(await r.say('pace off', member('amy'))).toContain('only channel admins');
      const boss = member('boss', true);
      expect(await r.say('pace next review', boss)).toContain('The next slot is a review day (once).');
      const forced = await r.days(1);
      expect(toPlainText(forced[0] as Reply)).toContain(
        'A channel admin made this slot a review day instead of a lesson.',
      );
      expect((await r.store.getChannel(KEY))?.paceOverride).toBeNull();
      // Off: lessons 2 and 3 nobody pressed Done on do not slow the channel.
      expect(await r.say('pace off', boss)).toBe('Group pace is off: every slot posts the next lesson.');
      const plain = await r.days(3);
      expect(plain.map((p) => toPlainText(p)).filter((t) => t.includes('Review day'))).toEqual([]);
      expect(await r.say('pace 40%', boss)).toContain('fewer than 40%');
      expect(await r.say('pace sometimes', boss)).toContain('Unknown pace option "sometimes"');
      expect((await r.store.getChannel(KEY))?.pace).toBe('40');
    });

    it("a paused member's streak survives the lessons posted while away, their reviews wait, and the pace does not count them", async () => {
      const r = await fresh();
      const amy = member('amy');
      const bob = member('bob');
      await r.store.updateChannel(KEY, { pace: 'off' }, r.clock.now().getTime());
      for (let lesson = 1; lesson <= 3; lesson++) {
        await r.days(1);
        await r.done(lesson, amy);
        await r.done(lesson, bob);
      }
      // A review card due tomorrow for Amy.
      const tomorrow = r.clock.now().getTime() + DAY;
      const q = catalog.questions[0];
      if (!q) throw new Error('no curated question');
      await r.store.saveReviewCard({
        userKey: 'test:T1:amy',
        questionId: q.id,
        question: fromCurated(q),
        card: '{}',
        dueAt: tomorrow,
      });
      expect(await r.say('pause 7d', amy)).toMatch(/^Paused for 7 days, until /);
      expect(await r.say('pause', amy)).toMatch(/^You are paused until /);
      expect((await r.store.reviewCard('test:T1:amy', q.id))?.dueAt).toBe(tomorrow + 7 * DAY);
      // Away a week: lessons 4 to 10 are posted; Bob keeps going, Amy does nothing.
      for (let lesson = 4; lesson <= 10; lesson++) {
        await r.days(1);
        await r.done(lesson, bob);
      }
      // Back by herself: she does lesson 11 and her streak goes on from 3.
      await r.days(1);
      expect(await r.say('pause', amy)).toContain('You are not paused here.');
      await r.done(11, amy);
      expect(await r.say('progress', amy)).toMatch(/Current streak\s*: 4 lessons in a row/);
      // Without a pause the same week breaks it: Cat did 1-3 and 11 like Amy and has a streak of 1.
      const cat = member('cat');
      for (const lesson of [1, 2, 3, 11]) await r.done(lesson, cat);
      expect(await r.say('progress', cat)).toMatch(/Current streak\s*: 1 lesson in a row/);
      // Korean works too, and a length out of range changes nothing.
      expect(await r.say('일시정지 2주', cat)).toMatch(/까지 14일 동안 일시정지했어요/);
      expect(await r.say('일시정지 끝', cat)).toBe('다시 돌아온 걸 환영해요! 일시정지를 끝냈어요.');
      expect(await r.say('pause 365d', cat)).toContain('up to 90 days');
      expect(await r.store.memberPauses(KEY, 'cat')).toHaveLength(1);
    });

    it('does not count a paused member as behind: the group pace reads only those here', async () => {
      const r = await fresh();
      const [amy, bob, cat, dan] = ['amy', 'bob', 'cat', 'dan'].map((id) => member(id)) as [
        ReturnType<typeof member>,
        ReturnType<typeof member>,
        ReturnType<typeof member>,
        ReturnType<typeof member>,
      ];
      await r.days(1);
      for (const m of [amy, bob, cat, dan]) await r.done(1, m);
      await r.days(1);
      await r.done(2, amy);
      await r.done(2, bob);
      await r.days(1);
      await r.done(3, amy);
      // Cat and Dan go on holiday. Of the two members here, 3 of 4 presses on lessons 2 and 3 were made: lesson 4.
      await r.say('pause 10d', cat);
      await r.say('pause 10d', dan);
      const now = () => r.clock.now().getTime();
      const here = await r.store.paceFacts(KEY, now() - 28 * DAY, now());
      expect(here).toEqual({ lastLessons: [3, 2], lastWasReview: false, active: 2, done: 3 });
      const fourth = await r.days(1);
      expect(toPlainText(fourth[0] as Reply)).toContain('Lesson 4/');
      // Counted as here, the same four would have made it a review day: 3 of 8.
      await r.say('pause off', cat);
      await r.say('pause off', dan);
      const everyone = { ...here, active: 4 };
      expect(decidePace({ pace: null, paceOverride: null }, everyone).kind).toBe('review');
    });
  });
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`catching up on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    it('a late joiner catching up at 2 a day gets at most 2 lessons a day, privately, and reaches the group', async () => {
      db = await backend.create();
      const r = await rig(db);
      await r.store.updateChannel(KEY, { pace: 'off' }, r.clock.now().getTime());
      // The group has had ten lessons when Eve joins.
      await r.days(10);
      const eve = member('eve');
      expect(await r.say('catchup', eve)).toBe(
        'You are 10 lessons behind the group. `/orch catchup 2/day` sends you the ones you missed privately, at most 2 a day, until you reach the group.',
      );
      const ask = (text: string) =>
        r.bot.answer({ where: WHERE, receivedAt: r.clock.now(), kind: 'command', text, who: eve });
      const answered = await ask('catchup 2/day');
      expect(answered.replies[0]?.visibility).toBe('private');
      expect(answered.data).toMatchObject({ action: 'today', today: [1, 2], behind: 10, perDay: 2 });
      const text = toPlainText(answered.replies[0] as Reply);
      expect(text).toContain("Catching up: today's lessons");
      expect(text).toContain(
        '10 lessons to go until you reach the group, at 2 a day. At this pace you reach the group in about 10 days.',
      );
      let days = 0;
      const perDay: number[] = [];
      while (days < 30) {
        const today = await ask('catchup');
        if (today.data.action === 'reached') break;
        const lessons = today.data.today as number[];
        perDay.push(lessons.length);
        for (const lesson of lessons) await r.done(lesson, eve);
        days++;
        // Asking again the same day gives the same lessons, all done now, and nothing more (or: she is level).
        const again = await ask('catchup');
        if (again.data.action === 'reached') break;
        expect(again.data.today).toEqual(lessons);
        expect(toPlainText(again.replies[0] as Reply)).toContain("That's today's lessons done.");
        await r.days(1);
      }
      // One new lesson a day for the group, two for Eve: she gains one a day and is level about ten days on.
      expect(perDay.every((n) => n <= 2)).toBe(true);
      expect(days).toBeGreaterThanOrEqual(9);
      expect(days).toBeLessThanOrEqual(11);
      expect(await r.say('catchup', eve)).toBe('You are with the group: there is nothing to catch up on.');
      const channel = await r.store.getChannel(KEY);
      expect((await r.store.completions(KEY, 'eve')).length).toBe((channel?.position ?? 1) - 1);
      expect(await r.store.catchUps(KEY)).toEqual([]);
    });

    it("plans every catching-up member's day at the channel's slot, once a day, and refuses a pace it cannot keep", async () => {
      db = await backend.create();
      const r = await rig(db);
      await r.days(4);
      const fay = member('fay');
      const gus = member('gus');
      expect(await r.say('따라잡기 하루 3개', fay)).toContain('따라잡기: 오늘의 레슨');
      await r.say('catchup 1', gus);
      // To the next day's 09:00 slot, and past it.
      await r.days(1);
      for (let h = 0; h < 3; h++) {
        r.clock.advance(HOUR);
        await r.scheduler.tick();
      }
      // The slot planned both members' new day without either asking.
      const now = r.clock.now().getTime();
      const day = await r.store.planCatchUpDay(KEY, localDay(now, 'Asia/Seoul'), [], now);
      expect(Object.fromEntries(day)).toEqual({ fay: [1, 2, 3], gus: [1] });
      expect(await r.say('catchup 9/day', fay)).toContain('Unknown catch-up pace "9/day"');
      expect(await r.say('catchup off', gus)).toBe('Catch-up ended.');
      expect(await r.say('catchup off', gus)).toBe('You are not catching up here.');
      expect((await r.store.catchUps(KEY)).map((m) => [m.catchUp.userId, m.catchUp.perDay])).toEqual([
        ['fay', 3],
      ]);
    });
  });
}

const ZONES = [
  'Asia/Seoul',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'UTC',
];
const RULES = ['0 9 * * *', '30 20 * * 1-5', '0 7 * * 1,3,5', '15 2 * * *'];

describe('streaks over random calendars', () => {
  it('a member who does every lesson has a streak of all posted lessons, and a pause never shortens a streak, in any zone, across DST and holidays', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...RULES),
        fc.constantFrom('KR', 'US', 'DE', null),
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-01T00:00:00Z') }),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 14 })), {
          maxLength: 3,
        }),
        (zone, cron, country, start, doneFlags, pauseSpecs) => {
          // The fires a channel with this rule posts in 60 days, holidays skipped, one lesson each.
          const ledger: LedgerEntry[] = [];
          let at = start;
          for (let lesson = 1; lesson <= 80; ) {
            const fire = nextFireAfter(cron, zone, at);
            if (fire === null || fire > start + 60 * DAY) break;
            at = fire;
            if (country && isPublicHoliday(country, fire, zone)) continue;
            ledger.push({
              channelKey: KEY,
              fireAt: fire,
              lesson,
              kind: 'lesson',
              note: null,
              status: 'posted',
              claimedBy: 'p',
              claimedAt: fire,
              attempts: 1,
              retryAt: null,
              lastError: null,
              messageId: `m${lesson}`,
              postedAt: fire + MINUTE,
            });
            // A review day now and then: never a lesson, never in a streak.
            if (lesson % 7 === 0)
              ledger.push({
                ...(ledger.at(-1) as LedgerEntry),
                fireAt: fire + 12 * HOUR,
                kind: 'review',
                lesson: lesson + 1,
              });
            lesson++;
          }
          const posted = postedOrder(ledger);
          expect(posted).toEqual(ledger.filter((e) => e.kind === 'lesson').map((e) => e.lesson));
          // Everything done: the streak is every posted lesson.
          const all = new Set(posted);
          expect(streaks(posted, all)).toEqual({ current: posted.length, best: posted.length });
          // Some done, some paused: the pause can only keep or lengthen the current and best streaks.
          const done = new Set(posted.filter((_, i) => doneFlags[i]));
          const pauses: MemberPause[] = pauseSpecs.map(([offset, length]) => ({
            channelKey: KEY,
            userId: 'u',
            fromAt: start + offset * DAY,
            untilAt: start + (offset + length) * DAY,
          }));
          const without = streaks(postedOrder(ledger, [], done), done);
          const withPauses = streaks(postedOrder(ledger, pauses, done), done);
          expect(withPauses.current).toBeGreaterThanOrEqual(without.current);
          expect(withPauses.best).toBeGreaterThanOrEqual(without.best);
          // A lesson done is never left out, whenever it was posted.
          for (const lesson of done) expect(postedOrder(ledger, pauses, done)).toContain(lesson);
        },
      ),
      { numRuns: 200 },
    );
  });
});
