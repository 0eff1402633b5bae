// Threads keep the channel calm (issue 16 §1): a quiz round runs in a thread under its announcement and leaves one
// summary in the channel; a scheduled lesson opens a thread for its discussion; a channel setting turns both off.
import { afterEach, describe, expect, it } from 'vitest';
import { type Incoming, type Store, toPlainText } from '../../src/index.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { createBot, LessonScheduler, silentLogger } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';
import { ThreadedRecordingPoster } from '../helpers/recording-poster.ts';
import { BACKENDS, type TestDatabase } from '../helpers/stores.ts';

const catalog = await realCatalog();
const WHERE = { platform: 'test', space: 'T1', channel: 'C1' };
const KEY = 'test:T1:C1';
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

const member = (userId: string, isAdmin = false) => ({
  platform: 'test',
  userId,
  displayName: `name-${userId}`,
  isAdmin,
});

/** A poster whose first thread start reaches the platform and then the process dies (the step throws). */
class DyingAfterThreadPoster extends ThreadedRecordingPoster {
  private died = false;
  override async startThread(channelKey: string, anchorId: string, name: string): Promise<boolean> {
    const opened = await super.startThread(channelKey, anchorId, name);
    if (!this.died) {
      this.died = true;
      throw new Error('killed after the thread was opened, before the round recorded it');
    }
    return opened;
  }
}

function bot(store: Store, poster: ThreadedRecordingPoster, clock: ManualClock) {
  const b = createBot({ catalog, store, poster, clock, timers: noTimers, defaultLang: 'en' });
  const send = async (incoming: Incoming) => (await b.handle(incoming)).map(toPlainText).join('\n');
  return {
    bot: b,
    say: (text: string, who = member('U1')) =>
      send({ kind: 'command', text, who, where: WHERE, receivedAt: clock.now() }),
    press: (actionId: string, value: string, who = member('U1'), messageId?: string) =>
      send({
        kind: 'choice',
        actionId,
        value,
        who,
        where: WHERE,
        receivedAt: clock.now(),
        ...(messageId ? { messageId } : {}),
      }),
  };
}

/** The answer buttons of the newest question posted, with the round's right option. */
async function newestQuestion(poster: ThreadedRecordingPoster, store: Store) {
  const reply = poster.replies.findLast((r) =>
    r.blocks.some((b) => b.type === 'choices' && b.choices[0]?.actionId === 'quiz.answer'),
  );
  const values = (reply?.blocks ?? [])
    .flatMap((b) => (b.type === 'choices' ? b.choices : []))
    .map((c) => c.value);
  const round = await store.runningRound(KEY);
  const question = await store.roundQuestion(round?.id ?? '', round?.current ?? 0);
  const answer = question?.question.answer ?? 0;
  return {
    reply,
    right: values[answer] as string,
    wrong: values[(answer + 1) % values.length] as string,
  };
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`threads on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });
    const fresh = async () => {
      db = await backend.create();
      return db;
    };

    it('runs a round in a thread under its announcement and posts one summary back to the channel', async () => {
      const store = await (await fresh()).connect();
      const poster = new ThreadedRecordingPoster();
      const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
      const { bot: b, say, press } = bot(store, poster, clock);
      expect(await say('quiz etcd 2 30')).toContain('Round started.');
      const [intro] = poster.inChannel(KEY);
      expect(intro?.text).toContain('Quiz time!');
      const anchor = intro?.messageId ?? '';
      expect(poster.threads.names.get(anchor)).toBe('Quiz: etcd');
      expect((await store.runningRound(KEY))?.threadAnchor).toBe(anchor);

      // Question 1: U1 right, U2 wrong. Question 2: both wrong, so it is the hardest.
      const q1 = await newestQuestion(poster, store);
      expect(q1.reply?.thread).toEqual({ anchorId: anchor });
      await press('quiz.answer', q1.right, member('U1'));
      await press('quiz.answer', q1.wrong, member('U2'));
      clock.advance(30_000);
      await b.quiz.tick();
      const reveal = poster.replies.find((r) => r.replaces && toPlainText(r).includes('Answer: '));
      expect(reveal?.thread).toEqual({ anchorId: anchor });
      const q2 = await newestQuestion(poster, store);
      await press('quiz.answer', q2.wrong, member('U1'));
      await press('quiz.answer', q2.wrong, member('U2'));
      await b.quiz.drain();
      clock.advance(30_000);
      await b.quiz.tick();
      await b.quiz.drain();

      const thread = poster.inThread(anchor).map((m) => m.text);
      expect(thread.filter((x) => x.includes('Round over: scores'))).toHaveLength(1);
      const channel = poster.inChannel(KEY);
      expect(channel).toHaveLength(2);
      const summary = channel[1]?.text ?? '';
      expect(summary).toContain('Quiz on etcd: round over');
      expect(summary).toContain('Winner: name-U1 with');
      const roundId = /^quiz:(.+):intro$/.exec(intro?.key ?? '')?.[1] ?? '';
      const round = await store.getRound(roundId);
      const second = await store.roundQuestion(roundId, 1);
      expect(summary).toMatch(/Hardest question\s*: /);
      expect(summary).toContain(`${second?.question.question.en} (0 of 2 right)`);
      expect(summary).toContain('The questions and reveals are in the thread.');
      expect(poster.threads.starts.get(anchor)).toBe(1);
      expect(round?.status).toBe('finished');
    });

    it('with threads off, plays every step in the channel and posts no summary', async () => {
      const store = await (await fresh()).connect();
      const poster = new ThreadedRecordingPoster();
      const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
      const { bot: b, say, press } = bot(store, poster, clock);
      expect(await say('settings threads off', member('A1', true))).toContain(
        'now post in the channel itself',
      );
      await say('quiz etcd 1 30');
      const q1 = await newestQuestion(poster, store);
      expect(q1.reply?.thread).toBeUndefined();
      await press('quiz.answer', q1.right);
      clock.advance(30_000);
      await b.quiz.tick();
      await b.quiz.drain();
      expect(poster.threads.starts.size).toBe(0);
      expect(poster.messages.every((m) => m.thread === null)).toBe(true);
      const texts = poster.inChannel(KEY).map((m) => m.text);
      expect(texts.some((x) => x.includes('Round over: scores'))).toBe(true);
      expect(texts.some((x) => x.includes('round over'))).toBe(false);
      expect(poster.messages.some((m) => m.key.endsWith(':summary'))).toBe(false);
    });

    it('plays in the channel when the platform refuses threads there, a lesson\'s "quiz me" too', async () => {
      const store = await (await fresh()).connect();
      const poster = new ThreadedRecordingPoster();
      poster.refuseThreads = true;
      const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
      const { press } = bot(store, poster, clock);
      const lesson = await poster.post(
        KEY,
        { visibility: 'channel', blocks: [{ type: 'text', text: 'l' }] },
        'l1',
      );
      expect(await press('quiz.lesson', '1', member('U1'), lesson.messageId)).toContain('Round started.');
      expect((await store.runningRound(KEY))?.threadAnchor).toBeNull();
      expect(poster.messages.every((m) => m.thread === null)).toBe(true);
      expect(poster.inChannel(KEY).map((m) => m.text)).toEqual([
        'l',
        expect.stringContaining('Quiz time!'),
        expect.stringContaining('Question 1/'),
      ]);
    });

    it('opens one thread when a process dies between opening it and recording it, and the round goes on there', async () => {
      const database = await fresh();
      const poster = new DyingAfterThreadPoster();
      const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
      const first = bot(await database.connect(), poster, clock);
      await first.say('quiz etcd 1 30');
      first.bot.quiz.close();
      const store = await database.connect();
      const round = await store.runningRound(KEY);
      expect(round?.threadAnchor).toBeNull();
      expect(poster.messages.map((m) => m.key)).toEqual([`quiz:${round?.id}:intro`]);

      // Another process carries the round on from the store: the announcement's post finds its first attempt.
      const second = bot(store, poster, clock);
      await second.bot.quiz.resume();
      second.bot.quiz.close();
      const [intro] = poster.inChannel(KEY);
      expect(poster.inChannel(KEY)).toHaveLength(1);
      expect(poster.threads.names.size).toBe(1);
      expect(poster.threads.starts.get(intro?.messageId ?? '')).toBe(2);
      expect((await store.getRound(round?.id ?? ''))?.threadAnchor).toBe(intro?.messageId);
      expect(poster.inThread(intro?.messageId ?? '').map((m) => m.key)).toEqual([
        `quiz:${round?.id}:0:question`,
      ]);
    });

    it('runs a lesson\'s "quiz me" round in the lesson\'s thread without a second announcement', async () => {
      const store = await (await fresh()).connect();
      const poster = new ThreadedRecordingPoster();
      const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
      const { press } = bot(store, poster, clock);
      const lesson = await poster.post(
        KEY,
        { visibility: 'channel', blocks: [{ type: 'text', text: 'lesson 1' }] },
        'l1',
      );
      expect(await press('quiz.lesson', '1', member('U1'), lesson.messageId)).toContain('Round started.');
      expect((await store.runningRound(KEY))?.threadAnchor).toBe(lesson.messageId);
      expect(poster.inChannel(KEY)).toHaveLength(1);
      expect(poster.inThread(lesson.messageId).map((m) => m.key)).toEqual([
        expect.stringMatching(/^quiz:.+:0:question$/),
      ]);
      expect(poster.threads.names.get(lesson.messageId)).toMatch(/^Quiz: 1\. /);
    });
  });
}

describe('"Done" on a lesson in a channel with threads', () => {
  const setup = async () => {
    const db = await (BACKENDS[0] as (typeof BACKENDS)[number]).create();
    const store = await db.connect();
    const poster = new ThreadedRecordingPoster();
    const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
    const lesson = await poster.post(
      KEY,
      { visibility: 'channel', blocks: [{ type: 'text', text: 'lesson 1' }] },
      'l1',
    );
    return { db, store, poster, lesson, ...bot(store, poster, clock) };
  };

  it("says who finished in the lesson's thread, once per member", async () => {
    const { db, poster, lesson, press, say } = await setup();
    expect(await press('lesson.done', '1', member('U1'), lesson.messageId)).toContain('Lesson 1 marked done');
    expect(await press('lesson.done', '1', member('U1'), lesson.messageId)).toContain('already');
    await press('lesson.done', '1', member('U2'), lesson.messageId);
    expect(poster.inThread(lesson.messageId).map((m) => m.text)).toEqual([
      '✅ name-U1 finished lesson 1.',
      '✅ name-U2 finished lesson 1.',
    ]);
    expect(poster.threads.names.get(lesson.messageId)).toMatch(/^Lesson 1: /);
    // With threads off, the receipt is only the member's own.
    await say('settings threads off', member('A1', true));
    await press('lesson.done', '1', member('U3'), lesson.messageId);
    expect(poster.inThread(lesson.messageId)).toHaveLength(2);
    expect(poster.inChannel(KEY).map((m) => m.text)).not.toContain(
      expect.stringContaining('finished lesson'),
    );
    await db.dispose();
  });

  it('still records the lesson when the platform refuses the thread', async () => {
    const { db, store, poster, lesson, press } = await setup();
    poster.failNextThread = new Error('Missing Permissions (50013)');
    expect(await press('lesson.done', '1', member('U1'), lesson.messageId)).toContain('Lesson 1 marked done');
    expect(await store.completions(KEY, 'U1')).toEqual([1]);
    expect(poster.inThread(lesson.messageId)).toEqual([]);
    await db.dispose();
  });
});

describe('a scheduled lesson in a channel with threads', () => {
  const setup = async (threads: boolean) => {
    const db = await (BACKENDS[0] as (typeof BACKENDS)[number]).create();
    const store = await db.connect();
    const poster = new ThreadedRecordingPoster();
    const clock = new ManualClock(Date.parse('2026-11-26T08:59:00Z'));
    await store.updateChannel(
      KEY,
      { cron: '0 9 * * *', timeZone: 'UTC', nextFireAt: Date.parse('2026-11-26T09:00:00Z'), threads },
      clock.now().getTime(),
    );
    const scheduler = new LessonScheduler({
      store,
      catalog,
      poster,
      clock,
      logger: silentLogger,
      instanceId: 'p1',
      defaultLang: 'en',
    });
    clock.set('2026-11-26T09:00:30Z');
    return { db, store, poster, scheduler };
  };

  it('opens a thread under the lesson with its check question and answer', async () => {
    const { db, store, poster, scheduler } = await setup(true);
    expect((await scheduler.tick()).posted).toBe(1);
    const [lesson] = poster.inChannel(KEY);
    expect(poster.lessonsIn(KEY)).toEqual([1]);
    expect(poster.threads.names.get(lesson?.messageId ?? '')).toMatch(/^Lesson 1: /);
    const [welcome] = poster.inThread(lesson?.messageId ?? '');
    expect(welcome?.text).toContain('Talk about lesson 1 here');
    expect(welcome?.text).toContain(catalog.roadmap.lessons[0]?.check.answer.en ?? '?');
    expect((await store.ledger(KEY, 1))[0]?.messageId).toBe(lesson?.messageId);
    await db.dispose();
  });

  it('still counts the lesson as posted when the platform refuses the thread', async () => {
    const { db, store, poster, scheduler } = await setup(true);
    poster.failNextThread = new Error('Missing Permissions (50013)');
    expect((await scheduler.tick()).posted).toBe(1);
    expect(poster.lessonsIn(KEY)).toEqual([1]);
    expect(poster.messages.filter((m) => m.thread !== null)).toEqual([]);
    expect((await store.ledger(KEY, 1))[0]?.status).toBe('posted');
    expect((await store.getChannel(KEY))?.position).toBe(2);
    await db.dispose();
  });

  it('posts only the lesson when threads are off', async () => {
    const { db, poster, scheduler } = await setup(false);
    expect((await scheduler.tick()).posted).toBe(1);
    expect(poster.messages).toHaveLength(1);
    expect(poster.threads.starts.size).toBe(0);
    await db.dispose();
  });
});
