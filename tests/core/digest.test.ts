// The weekly digest: when it is due, what it says, that it is posted once per channel and week however the processes
// crash or race (on SQLite and PostgreSQL), and what `/orch digest` does.
import { afterEach, describe, expect, it } from 'vitest';
import { DigestService, digestDueAt, digestRuleOf } from '../../src/digest/digest-service.ts';
import { type Reply, type Store, toPlainText } from '../../src/index.ts';
import { openStore, silentLogger } from '../../src/testing.ts';
import { command, realCatalog, testBot } from '../helpers/catalog.ts';
import { DAY, HOUR, ManualClock, MINUTE } from '../helpers/clock.ts';
import { playRound, twoOptionQuestion } from '../helpers/quiz-history.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';
import { BACKENDS, type TestDatabase } from '../helpers/stores.ts';

const KEY = 'test:T1:C1';
const admin = { platform: 'test', userId: 'A1', displayName: 'admin', isAdmin: true };
const member = { platform: 'test', userId: 'U2', displayName: 'member', isAdmin: false };
// Monday 2026-12-07 09:00 in Seoul: the default digest time of the week that starts that day.
const MONDAY_NINE = Date.parse('2026-12-07T00:00:00Z');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let rounds = 0;

/** A one-question round in the channel at `at`, answered by each of `answers` (user, right or not). */
function round(store: Store, at: number, answers: [string, boolean][], questionId = 'q-etcd') {
  return playRound(
    store,
    { id: `round-${++rounds}`, channelKey: KEY, at, questions: [twoOptionQuestion(questionId)] },
    () => answers.map(([userId, correct]) => ({ userId, correct })),
  );
}

/** A scheduled channel with two lessons posted last week, Done presses and quiz rounds in both weeks. */
async function seedWeek(store: Store): Promise<void> {
  await store.updateChannel(
    KEY,
    { scheduleText: 'mon,wed 09:00', cron: '0 9 * * 1,3', timeZone: 'Asia/Seoul', position: 1 },
    MONDAY_NINE - 14 * DAY,
  );
  // Lessons 1 and 2 were posted Monday and Wednesday of last week.
  for (const [lesson, at] of [
    [1, MONDAY_NINE - 7 * DAY],
    [2, MONDAY_NINE - 5 * DAY],
  ] as const) {
    await store.updateChannel(KEY, { nextFireAt: at }, at - HOUR);
    const [applied] = await store.applyFirePlans([
      {
        channelKey: KEY,
        post: { fireAt: at, lesson },
        skipped: [],
        nextFireAt: at + 2 * DAY,
        expectedNextFireAt: at,
        claimedBy: 'seed',
        now: at,
      },
    ]);
    expect(applied).toBe(true);
    await store.markPosted(KEY, at, `lesson-${lesson}`, at);
  }
  await store.updateChannel(KEY, { nextFireAt: MONDAY_NINE }, MONDAY_NINE - DAY);
  for (const user of ['U1', 'U2', 'U3'])
    await store.recordCompletion({
      channelKey: KEY,
      userId: user,
      lesson: 1,
      completedAt: MONDAY_NINE - 6 * DAY,
    });
  await store.recordCompletion({
    channelKey: KEY,
    userId: 'U1',
    lesson: 2,
    completedAt: MONDAY_NINE - 4 * DAY,
  });
  // The week before last: U2 scored 100; last week U2 scored 300 and U1 100.
  await round(store, MONDAY_NINE - 10 * DAY, [['U2', true]]);
  await round(store, MONDAY_NINE - 6 * DAY, [
    ['U1', true],
    ['U2', true],
    ['U3', false],
  ]);
  await round(store, MONDAY_NINE - 5 * DAY, [['U2', true]], 'q-k8s');
  await round(
    store,
    MONDAY_NINE - 4 * DAY,
    [
      ['U2', true],
      ['U3', false],
      ['U1', false],
    ],
    'q-hard',
  );
}

function service(
  store: Store,
  poster: RecordingPoster,
  clock: ManualClock,
  extra: Partial<ConstructorParameters<typeof DigestService>[0]> = {},
) {
  let catalog: Awaited<ReturnType<typeof realCatalog>> | undefined;
  return realCatalog().then((loaded) => {
    catalog = loaded;
    return new DigestService({
      store,
      catalog: () => catalog as NonNullable<typeof catalog>,
      poster,
      clock,
      logger: silentLogger,
      instanceId: 'proc-a',
      defaultLang: 'en',
      ...extra,
    });
  });
}

const digestsOf = (poster: RecordingPoster): Reply[] =>
  poster.replies.filter((_, i) => poster.messages[i]?.key.startsWith('digest:'));

describe('when a digest is due', () => {
  it('is Monday 09:00 in the channel zone by default, and a day and time the admin chose otherwise', () => {
    expect(digestRuleOf({ digest: null })).toEqual({ weekday: 1, hour: 9, minute: 0 });
    expect(digestRuleOf({ digest: 'off' })).toBeNull();
    expect(digestRuleOf({ digest: '0 20:30' })).toEqual({ weekday: 0, hour: 20, minute: 30 });
    const now = Date.parse('2026-12-09T05:00:00Z');
    expect(digestDueAt({ weekday: 1, hour: 9, minute: 0 }, now, 'Asia/Seoul').dueAt).toBe(MONDAY_NINE);
    // Sunday is the last day of the Monday-first week.
    expect(digestDueAt({ weekday: 0, hour: 20, minute: 30 }, now, 'Asia/Seoul').dueAt).toBe(
      Date.parse('2026-12-13T11:30:00Z'),
    );
    // New York's week holding its DST change (2027-03-14): Monday 09:00 is still local 09:00.
    const ny = digestDueAt(
      { weekday: 1, hour: 9, minute: 0 },
      Date.parse('2027-03-16T12:00:00Z'),
      'America/New_York',
    );
    expect(ny.dueAt).toBe(Date.parse('2027-03-15T13:00:00Z'));
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`the weekly digest (${backend.name})`, () => {
    let database: TestDatabase | undefined;
    afterEach(async () => {
      await database?.dispose();
      database = undefined;
    });

    async function setup() {
      database = await backend.create();
      const store = await database.connect();
      await seedWeek(store);
      return { store, clock: new ManualClock(MONDAY_NINE + MINUTE), poster: new RecordingPoster() };
    }

    it('posts one digest with its card at the week boundary, saying what last week held', async () => {
      const { store, clock, poster } = await setup();
      const digests = await service(store, poster, clock);
      expect(await digests.pass(MONDAY_NINE - MINUTE)).toEqual({ claimed: 0, posted: 0, failed: 0 });
      expect(await digests.pass(clock.now().getTime())).toEqual({ claimed: 1, posted: 1, failed: 0 });
      const [reply] = digestsOf(poster);
      const text = toPlainText(reply as Reply);
      expect(text).toContain('Our week: Mon, Nov 30 to Sun, Dec 6');
      expect(text).toMatch(/Lesson 1: [^\n]+, Done by 3/);
      expect(text).toMatch(/Lesson 2: [^\n]+, Done by 1/);
      expect(text).toMatch(
        /1\. U2: 300 points \(3 of 3 right\)\n2\. U1: 100 points \(1 of 2 right\)\n3\. U3: 0 points/,
      );
      expect(text).toContain('Most improved: U2 (200 points more than the week before)');
      // q-hard: 1 of 3 right is harder than q-etcd's 2 of 3; q-k8s had one answer and is not called hard.
      expect(text.indexOf('q-hard')).toBeLessThan(text.indexOf('q-etcd'));
      expect(text).not.toContain('q-k8s use');
      expect(text).toMatch(/This week\n• Mon, Dec 7, 09:00 · Lesson 3: /);
      const image = reply?.image;
      expect(Buffer.from(image?.png ?? []).subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(image?.filename).toBe('orch-digest-2026-12-07.png');
      expect(image?.alt.length).toBeGreaterThan(20);
      expect(image?.alt.length).toBeLessThanOrEqual(1000);
      // The next minute, and the rest of the week: nothing more.
      clock.advance(MINUTE);
      expect((await digests.pass(clock.now().getTime())).claimed).toBe(0);
      expect((await digests.pass(clock.now().getTime() + 3 * DAY)).claimed).toBe(0);
      expect(digestsOf(poster)).toHaveLength(1);
      expect((await store.digests(KEY, 5)).map((d) => d.status)).toEqual(['posted']);
    });

    it('two replicas at the boundary post one digest', async () => {
      const { store, clock, poster } = await setup();
      const other = await database?.connect();
      const a = await service(store, poster, clock);
      const b = await service(other as Store, poster, clock, { instanceId: 'proc-b' });
      const now = clock.now().getTime();
      const [ra, rb] = await Promise.all([a.pass(now), b.pass(now)]);
      expect(ra.claimed + rb.claimed).toBe(1);
      expect(poster.calls).toBe(1);
      expect(digestsOf(poster)).toHaveLength(1);
    });

    it('a crash after the claim is finished by the next pass once the lease ran out; never zero, never two', async () => {
      const { store, clock, poster } = await setup();
      const crashing = await service(store, poster, clock, {
        onStep: (step) => {
          if (step === 'claimed') throw new Error('killed after the claim');
        },
      });
      await expect(crashing.pass(clock.now().getTime())).rejects.toThrow('killed');
      expect(poster.calls).toBe(0);
      const restarted = await service(store, poster, clock, { instanceId: 'proc-b' });
      // Within the lease the claim is the dead process's; after it, the new process takes it.
      expect((await restarted.pass(clock.now().getTime() + MINUTE)).posted).toBe(0);
      expect((await restarted.pass(clock.now().getTime() + 3 * MINUTE)).posted).toBe(1);
      expect(digestsOf(poster)).toHaveLength(1);
    });

    it('a crash after the post, before the mark, is retried with the same key: the platform keeps one message', async () => {
      const { store, clock, poster } = await setup();
      const crashing = await service(store, poster, clock, {
        onStep: (step) => {
          if (step === 'posted') throw new Error('killed after the post');
        },
      });
      await expect(crashing.pass(clock.now().getTime())).rejects.toThrow('killed');
      const restarted = await service(store, poster, clock, { instanceId: 'proc-b' });
      expect((await restarted.pass(clock.now().getTime() + 3 * MINUTE)).posted).toBe(1);
      expect(poster.calls).toBe(2);
      expect(poster.messages.filter((m) => m.key.startsWith('digest:'))).toHaveLength(1);
      expect((await store.digests(KEY, 5))[0]?.status).toBe('posted');
    });

    it('a failed post is retried, and a card that cannot be drawn leaves the text digest', async () => {
      const { store, clock, poster } = await setup();
      poster.failNext(1);
      const digests = await service(store, poster, clock, {
        renderCard: () => {
          throw new Error('no font');
        },
      });
      expect(await digests.pass(clock.now().getTime())).toEqual({ claimed: 1, posted: 0, failed: 1 });
      expect((await digests.pass(clock.now().getTime() + MINUTE)).posted).toBe(1);
      const [reply] = digestsOf(poster);
      expect(reply?.image).toBeUndefined();
      expect(toPlainText(reply as Reply)).toContain('Our week');
    });

    it('a restart past the grace skips that week, and an admin who turned it off gets none', async () => {
      const { store, clock, poster } = await setup();
      const digests = await service(store, poster, clock);
      expect((await digests.pass(MONDAY_NINE + 25 * HOUR)).claimed).toBe(0);
      await store.updateChannel(KEY, { digest: 'off' }, MONDAY_NINE);
      expect((await digests.pass(MONDAY_NINE + 7 * DAY + MINUTE)).claimed).toBe(0);
      expect(poster.calls).toBe(0);
    });
  });
}

describe('/orch digest', () => {
  async function setup() {
    const store = await openStore({ sqlitePath: ':memory:' });
    await seedWeek(store);
    const clock = new ManualClock(MONDAY_NINE + HOUR);
    const bot = await testBot({ store, clock, defaultLang: 'en' });
    const say = async (text: string, who = admin) => {
      const answer = await bot.answer(command(text, { who }));
      return { ...answer, text: answer.replies.map(toPlainText).join('\n') };
    };
    return { store, say };
  }

  it("shows last week's digest privately to anyone, with when the weekly one is posted", async () => {
    const { say } = await setup();
    const shown = await say('digest', member);
    expect(shown.outcome).toBe('ok');
    expect(shown.replies[0]?.visibility).toBe('private');
    expect(shown.text).toContain('Our week: Mon, Nov 30 to Sun, Dec 6');
    expect(shown.text).toContain('The weekly digest is posted in the channel: Monday 09:00.');
    expect((await say('요약 --lang ko', member)).text).toContain('주간 요약: 11월 30일 (월) ~ 12월 6일 (일)');
  });

  it('lets an admin move it, turn it off and on again, and refuses members and bad input', async () => {
    const { store, say } = await setup();
    expect((await say('digest sun 20:30')).text).toContain('Sunday 20:30');
    expect((await store.getChannel(KEY))?.digest).toBe('0 20:30');
    expect((await say('요약 끄기')).data.action).toBe('off');
    expect((await store.getChannel(KEY))?.digest).toBe('off');
    await say('digest on');
    expect((await store.getChannel(KEY))?.digest).toBeNull();
    await say('요약 금요일 18:00');
    expect((await store.getChannel(KEY))?.digest).toBe('5 18:00');
    const refused = await say('digest off', member);
    expect(refused.outcome).toBe('refused');
    expect((await store.getChannel(KEY))?.digest).toBe('5 18:00');
    const bad = await say('digest someday 25:00');
    expect(bad.outcome).toBe('usage');
    expect(bad.text).toContain('Nothing was changed');
  });
});
