import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  type Migration,
  MigrationError,
  migrationSql,
  pendingMigrations,
  SCHEMA_MIGRATIONS_SQL,
} from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open-store.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { questionVersion } from '../../src/store/question-version.ts';
import { openSqliteStore, sqliteMarkerPath } from '../../src/store/sqlite-store.ts';
import type {
  AnswerWriteResult,
  FirePlan,
  QuestionReport,
  QuizAnswer,
  QuizRound,
  RoundQuestion,
  Store,
} from '../../src/store/store.ts';
import {
  displayUrl,
  dropSchema,
  POSTGRES_REQUIRED,
  postgresAvailable,
  queryInSchema,
  TEST_DATABASE_URL,
  testSchemaName,
} from '../helpers/postgres.ts';

/** One test's database, reachable through as many stores as the test opens. */
interface StoreTarget {
  /** Opens another store on this database, without migrating it. */
  openUnmigrated(): Promise<Store>;
  /** Runs SQL on this database directly, for checks the Store contract cannot express. */
  sql(text: string): Promise<Record<string, unknown>[]>;
  /** Closes every store opened here and deletes the database. */
  dispose(): Promise<void>;
}

/** How the contract suite reaches one implementation. */
interface Backend {
  name: string;
  createTarget(): Promise<StoreTarget>;
  /** Race through separately opened stores (separate connections) rather than through one store. */
  raceOnSeparateStores: boolean;
}

type ChannelPatch = Parameters<Store['updateChannel']>[1];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// Real epoch milliseconds, beyond 32 bits, so every test also checks that BIGINT columns come back as numbers.
const T0 = Date.UTC(2026, 0, 5, 0, 0);
const KEY = 'slack:T1:C1';
const OTHER_KEY = 'discord:G1:C9';
const SCHEDULE: ChannelPatch = {
  cron: '0 9 * * 1-5',
  timeZone: 'Asia/Seoul',
  scheduleText: 'weekdays 09:00',
};

async function sqliteTarget(): Promise<StoreTarget & { path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'orch-store-'));
  // A folder that does not exist yet: opening the store must create it.
  const path = join(dir, 'data', 'orch.db');
  const stores: Store[] = [];
  return {
    path,
    async openUnmigrated() {
      const store = await openSqliteStore(path);
      stores.push(store);
      return store;
    },
    async sql(text) {
      const db = new Database(path);
      try {
        db.pragma('busy_timeout = 5000');
        const statement = db.prepare(text);
        if (statement.reader) return statement.all() as Record<string, unknown>[];
        statement.run();
        return [];
      } finally {
        db.close();
      }
    },
    async dispose() {
      for (const store of stores) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTarget(): Promise<StoreTarget & { schema: string }> {
  const schema = testSchemaName();
  const stores: Store[] = [];
  return {
    schema,
    async openUnmigrated() {
      const store = await openPostgresStore(TEST_DATABASE_URL, { schema });
      stores.push(store);
      return store;
    },
    sql: (text) => queryInSchema(TEST_DATABASE_URL, schema, text),
    async dispose() {
      for (const store of stores) await store.close();
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

async function openMigrated(target: StoreTarget): Promise<Store> {
  const store = await target.openUnmigrated();
  await store.migrate();
  return store;
}

function firePlan(overrides: Partial<FirePlan>): FirePlan {
  return {
    channelKey: KEY,
    post: null,
    skipped: [],
    nextFireAt: null,
    expectedNextFireAt: T0,
    claimedBy: 'proc-a',
    now: T0,
    ...overrides,
  };
}

/** Applies one fire plan: a batch of one, through applyFirePlans as the scheduler does. */
async function applyPlan(store: Store, plan: FirePlan): Promise<boolean | undefined> {
  return (await store.applyFirePlans([plan]))[0];
}

/** Records one answer: a batch of one, through recordAnswers as the quiz does. */
async function answer(store: Store, quizAnswer: QuizAnswer): Promise<AnswerWriteResult | undefined> {
  return (await store.recordAnswers([quizAnswer]))[0];
}

/** Sends every batch through recordAnswers at once, batch i on `stores[i % n]`; the outcomes in the batches' order. */
async function sendBatches(stores: readonly Store[], batches: QuizAnswer[][]): Promise<AnswerWriteResult[]> {
  const outcomes = await Promise.all(
    batches.map((batch, i) => (stores[i % stores.length] as Store).recordAnswers(batch)),
  );
  return outcomes.flat();
}

/** The whole numbers from `from` up to, not including, `to`. */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Consecutive slices of `size`. */
function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

/** Schedules `channelKey` to fire at `fireAt` and claims that fire for `claimedBy` at `now`. */
async function claimFire(
  store: Store,
  channelKey: string,
  fireAt: number,
  lesson: number,
  claimedBy: string,
  now: number,
): Promise<void> {
  await store.updateChannel(channelKey, { ...SCHEDULE, nextFireAt: fireAt }, now);
  const applied = await applyPlan(
    store,
    firePlan({
      channelKey,
      post: { fireAt, lesson },
      nextFireAt: fireAt + DAY,
      expectedNextFireAt: fireAt,
      claimedBy,
      now,
    }),
  );
  expect(applied).toBe(true);
}

/** A frozen round question with Korean and English text, answer 0. */
function quizQuestion(n: number): RoundQuestion {
  return {
    questionId: `q-${n}`,
    question: {
      en: `Which component schedules pods? (${n})`,
      ko: `파드를 노드에 배치하는 구성 요소는? (${n})`,
    },
    options: [
      { en: 'kube-scheduler', ko: '쿠버네티스 스케줄러' },
      { en: 'kubelet', ko: '큐블릿' },
      { en: 'etcd', ko: '엣시디 "키-값" 저장소' },
    ],
    answer: 0,
    explanation: { en: 'The scheduler picks a node.', ko: '스케줄러가 노드를 고릅니다.\n줄바꿈도 그대로.' },
    toolId: n % 2 === 0 ? 'kubernetes' : null,
  };
}

function quizRound(overrides: Partial<QuizRound> = {}): QuizRound {
  return {
    id: 'round-1',
    channelKey: KEY,
    startedBy: 'U1',
    topic: 'kubernetes',
    lang: 'ko',
    secondsPerQuestion: 20,
    questionCount: 3,
    status: 'running',
    current: 0,
    createdAt: T0,
    finishedAt: null,
    threadAnchor: null,
    ...overrides,
  };
}

function quizAnswer(overrides: Partial<QuizAnswer> = {}): QuizAnswer {
  return {
    roundId: 'round-1',
    index: 0,
    userId: 'U1',
    displayName: 'Mina',
    option: 0,
    answeredAt: T0 + 5_000,
    correct: true,
    points: 10,
    ...overrides,
  };
}

/** Creates a round of `count` questions and posts them all, open until ten minutes after it started. */
async function startRound(store: Store, overrides: Partial<QuizRound> = {}, count = 3): Promise<QuizRound> {
  const round = quizRound({ questionCount: count, ...overrides });
  const questions = Array.from({ length: count }, (_, i) => quizQuestion(i));
  expect(await store.createRound(round, questions)).toBe(true);
  for (let i = 0; i < count; i++) {
    await store.markQuestionPosted(
      round.id,
      i,
      `msg-${round.id}-${i}`,
      round.createdAt,
      round.createdAt + 10 * MINUTE,
    );
  }
  return round;
}

/** Records answers that must all be accepted: [round, question, user, display name, points, answered at]. */
async function recordAll(
  store: Store,
  rows: [roundId: string, index: number, userId: string, displayName: string, points: number, at: number][],
): Promise<void> {
  for (const [roundId, index, userId, displayName, points, answeredAt] of rows) {
    const result = await answer(
      store,
      quizAnswer({
        roundId,
        index,
        userId,
        displayName,
        points,
        answeredAt,
        correct: points > 0,
        option: points > 0 ? 0 : 1,
      }),
    );
    expect(result).toBe('recorded');
  }
}

/** The contract every Store implementation must meet; each test gets a fresh, migrated database. */
function storeContract(backend: Backend, availability: { skip: boolean; failure?: string }): void {
  describe.skipIf(availability.skip)(`${backend.name} store contract`, () => {
    if (availability.failure !== undefined) {
      // A failing test rather than a failing hook: reporters count it, and nothing else tries to connect.
      const failure = availability.failure;
      it('needs a reachable database', () => {
        throw new Error(failure);
      });
      return;
    }

    let target: StoreTarget;
    let store: Store;

    beforeEach(async () => {
      target = await backend.createTarget();
      store = await openMigrated(target);
    });

    afterEach(async () => {
      await target?.dispose();
    });

    /** `count` stores to race with: the same one, or separately opened ones on the same database. */
    async function rivals(count: number): Promise<Store[]> {
      if (!backend.raceOnSeparateStores) return Array.from({ length: count }, () => store);
      const others = await Promise.all(Array.from({ length: count - 1 }, () => openMigrated(target)));
      return [store, ...others];
    }

    describe('migrations', () => {
      it('records each migration once when migrate runs again', async () => {
        await store.migrate();
        await store.migrate();
        const rows = await target.sql('SELECT version, name FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => ({ version: Number(r.version), name: r.name }))).toEqual(
          MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
        );
      });

      it('migrates a fresh database safely from two stores at once', async () => {
        const fresh = await backend.createTarget();
        try {
          const [a, b] = await Promise.all([fresh.openUnmigrated(), fresh.openUnmigrated()]);
          await Promise.all([a.migrate(), b.migrate()]);
          const rows = await fresh.sql('SELECT version FROM schema_migrations');
          expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
          expect(await a.getChannel(KEY)).toBeNull();
        } finally {
          await fresh.dispose();
        }
      });

      it('refuses a database migrated by a newer version of the code', async () => {
        await target.sql(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from the future', 0)",
        );
        await expect(store.migrate()).rejects.toThrow(MigrationError);
        await expect(store.migrate()).rejects.toThrow(/newer than this code.*9999/);
        const reopened = await target.openUnmigrated();
        await expect(reopened.migrate()).rejects.toThrow(/newer than this code/);
      });
    });

    describe('channel page tokens', () => {
      it('keeps the first token stored, for concurrent callers too, and finds the channel by it', async () => {
        expect(await store.channelOfPageToken('a'.repeat(32))).toBeNull();
        const [one, two] = await Promise.all([
          store.channelPageToken(KEY, 'a'.repeat(32), T0),
          store.channelPageToken(KEY, 'b'.repeat(32), T0),
        ]);
        expect(one).toBe(two);
        expect(await store.channelPageToken(KEY, 'c'.repeat(32), T0 + 1)).toBe(one);
        expect(await store.channelOfPageToken(one)).toBe(KEY);
        // Another channel gets its own.
        expect(await store.channelPageToken(`${KEY}x`, 'd'.repeat(32), T0)).toBe('d'.repeat(32));
      });

      it('rotates: the new token finds the channel and the old one finds nothing', async () => {
        const old = await store.channelPageToken(KEY, 'a'.repeat(32), T0);
        await store.rotateChannelPageToken(KEY, 'e'.repeat(32), T0 + 1);
        expect(await store.channelOfPageToken(old)).toBeNull();
        expect(await store.channelOfPageToken('e'.repeat(32))).toBe(KEY);
        expect(await store.channelPageToken(KEY, 'f'.repeat(32), T0 + 2)).toBe('e'.repeat(32));
      });
    });

    describe('channels', () => {
      it('creates a channel with defaults on its first update', async () => {
        expect(await store.getChannel(KEY)).toBeNull();
        const created = await store.updateChannel(KEY, {}, T0);
        expect(created).toEqual({
          channelKey: KEY,
          lang: null,
          scheduleText: null,
          cron: null,
          timeZone: null,
          paused: false,
          holidayCountry: null,
          threads: true,
          quizCount: null,
          quizSeconds: null,
          position: 1,
          nextFireAt: null,
          digest: null,
          pace: null,
          paceOverride: null,
          groupKey: null,
          updatedAt: T0,
        });
        expect(await store.getChannel(KEY)).toEqual(created);
      });

      it('applies only the fields a patch sets and stamps updatedAt', async () => {
        await store.updateChannel(
          KEY,
          { ...SCHEDULE, lang: 'ko', holidayCountry: 'KR', position: 4, nextFireAt: T0 + DAY },
          T0,
        );
        const paused = await store.updateChannel(KEY, { paused: true }, T0 + MINUTE);
        expect(paused).toEqual({
          channelKey: KEY,
          lang: 'ko',
          scheduleText: 'weekdays 09:00',
          cron: '0 9 * * 1-5',
          timeZone: 'Asia/Seoul',
          paused: true,
          holidayCountry: 'KR',
          threads: true,
          quizCount: null,
          quizSeconds: null,
          position: 4,
          nextFireAt: T0 + DAY,
          digest: null,
          pace: null,
          paceOverride: null,
          groupKey: null,
          updatedAt: T0 + MINUTE,
        });
        // The quiz defaults are kept apart from everything else, and null goes back to the bot's defaults.
        expect(await store.updateChannel(KEY, { quizCount: 8, quizSeconds: 45 }, T0 + MINUTE)).toEqual({
          ...paused,
          quizCount: 8,
          quizSeconds: 45,
        });
        await store.updateChannel(KEY, { quizCount: null, quizSeconds: null }, T0 + MINUTE);
        // Threads are on by default; turning them off touches nothing else.
        expect(await store.updateChannel(KEY, { threads: false }, T0 + MINUTE)).toEqual({
          ...paused,
          threads: false,
        });
        expect((await store.updateChannel(KEY, { threads: true }, T0 + MINUTE)).threads).toBe(true);
        const cleared = await store.updateChannel(
          KEY,
          { cron: null, nextFireAt: null, lang: 'en' },
          T0 + 2 * MINUTE,
        );
        expect(cleared).toMatchObject({
          cron: null,
          nextFireAt: null,
          lang: 'en',
          paused: true,
          position: 4,
        });
        expect(await store.getChannel(KEY)).toEqual(cleared);
        expect(await store.getChannel(OTHER_KEY)).toBeNull();
      });

      it('lists due channels oldest first, leaving out paused, unscheduled and future ones', async () => {
        const now = T0 + 10 * MINUTE;
        await store.updateChannel('c:late', { ...SCHEDULE, nextFireAt: T0 + 3 * MINUTE }, T0);
        await store.updateChannel('c:oldest', { ...SCHEDULE, nextFireAt: T0 + MINUTE }, T0);
        await store.updateChannel('c:paused', { ...SCHEDULE, nextFireAt: T0, paused: true }, T0);
        await store.updateChannel('c:no-cron', { nextFireAt: T0 }, T0);
        await store.updateChannel('c:future', { ...SCHEDULE, nextFireAt: now + 1 }, T0);
        await store.updateChannel('c:no-fire', { ...SCHEDULE }, T0);
        await store.updateChannel('c:exactly-now', { ...SCHEDULE, nextFireAt: now }, T0);
        const due = await store.dueChannels(now, 10);
        expect(due.map((c) => c.channelKey)).toEqual(['c:oldest', 'c:late', 'c:exactly-now']);
        expect((await store.dueChannels(now, 2)).map((c) => c.channelKey)).toEqual(['c:oldest', 'c:late']);
        expect(due[0]?.nextFireAt).toBe(T0 + MINUTE);
      });

      it('lists only the platforms a process runs, when it names them', async () => {
        const now = T0 + 10 * MINUTE;
        await store.updateChannel('slack:T1:C1', { ...SCHEDULE, nextFireAt: T0 + MINUTE }, T0);
        await store.updateChannel('discord:G1:C2', { ...SCHEDULE, nextFireAt: T0 + 2 * MINUTE }, T0);
        await store.updateChannel('slack_x:T1:C3', { ...SCHEDULE, nextFireAt: T0 + 3 * MINUTE }, T0);
        const keys = async (platforms?: readonly string[]) =>
          (await store.dueChannels(now, 10, platforms)).map((c) => c.channelKey);
        expect(await keys()).toEqual(['slack:T1:C1', 'discord:G1:C2', 'slack_x:T1:C3']);
        expect(await keys(['slack'])).toEqual(['slack:T1:C1']);
        expect(await keys(['discord', 'slack'])).toEqual(['slack:T1:C1', 'discord:G1:C2']);
        expect(await keys([])).toEqual([]);
      });
    });

    describe('applyFirePlans', () => {
      it('writes the claim, the skipped fires and the next fire together', async () => {
        await store.updateChannel(KEY, { ...SCHEDULE, nextFireAt: T0 }, T0);
        const now = T0 + 2 * DAY + MINUTE;
        const applied = await applyPlan(
          store,
          firePlan({
            skipped: [
              { fireAt: T0, lesson: 1, status: 'missed' },
              { fireAt: T0 + DAY, lesson: 1, status: 'holiday' },
            ],
            post: { fireAt: T0 + 2 * DAY, lesson: 1 },
            nextFireAt: T0 + 3 * DAY,
            expectedNextFireAt: T0,
            claimedBy: 'proc-a',
            now,
          }),
        );
        expect(applied).toBe(true);
        expect((await store.getChannel(KEY))?.nextFireAt).toBe(T0 + 3 * DAY);
        expect((await store.getChannel(KEY))?.position).toBe(1);
        const unclaimed = {
          kind: 'lesson',
          note: null,
          claimedBy: null,
          claimedAt: null,
          attempts: 0,
          retryAt: null,
          lastError: null,
          messageId: null,
          postedAt: null,
        };
        expect(await store.ledger(KEY, 10)).toEqual([
          {
            ...unclaimed,
            channelKey: KEY,
            fireAt: T0 + 2 * DAY,
            lesson: 1,
            status: 'claimed',
            claimedBy: 'proc-a',
            claimedAt: now,
          },
          { ...unclaimed, channelKey: KEY, fireAt: T0 + DAY, lesson: 1, status: 'holiday' },
          { ...unclaimed, channelKey: KEY, fireAt: T0, lesson: 1, status: 'missed' },
        ]);
      });

      it('refuses a plan computed from a stale nextFireAt and writes nothing', async () => {
        await store.updateChannel(KEY, { ...SCHEDULE, nextFireAt: T0 + DAY }, T0);
        const applied = await applyPlan(
          store,
          firePlan({
            skipped: [{ fireAt: T0 - DAY, lesson: 1, status: 'missed' }],
            post: { fireAt: T0, lesson: 1 },
            nextFireAt: T0 + 5 * DAY,
            expectedNextFireAt: T0,
          }),
        );
        expect(applied).toBe(false);
        expect((await store.getChannel(KEY))?.nextFireAt).toBe(T0 + DAY);
        expect(await store.ledger(KEY, 10)).toEqual([]);
        expect(await applyPlan(store, firePlan({ channelKey: 'c:unknown' }))).toBe(false);
      });

      it('can end a schedule and record only skipped fires', async () => {
        await store.updateChannel(KEY, { ...SCHEDULE, nextFireAt: T0 }, T0);
        const applied = await applyPlan(
          store,
          firePlan({ skipped: [{ fireAt: T0, lesson: 2, status: 'missed' }], nextFireAt: null }),
        );
        expect(applied).toBe(true);
        expect((await store.getChannel(KEY))?.nextFireAt).toBeNull();
        expect((await store.ledger(KEY, 10)).map((e) => e.status)).toEqual(['missed']);
        expect(await store.dueChannels(T0 + DAY, 10)).toEqual([]);
      });

      it('never overwrites a fire already in the ledger', async () => {
        await claimFire(store, KEY, T0, 1, 'proc-a', T0);
        await store.markPosted(KEY, T0, 'msg-1', T0 + MINUTE);
        const applied = await applyPlan(
          store,
          firePlan({
            skipped: [{ fireAt: T0, lesson: 9, status: 'missed' }],
            post: { fireAt: T0 + DAY, lesson: 2 },
            nextFireAt: T0 + 2 * DAY,
            expectedNextFireAt: T0 + DAY,
            claimedBy: 'proc-b',
          }),
        );
        expect(applied).toBe(true);
        const [newest, first] = await store.ledger(KEY, 10);
        expect(first).toMatchObject({ fireAt: T0, lesson: 1, status: 'posted', messageId: 'msg-1' });
        expect(newest).toMatchObject({ fireAt: T0 + DAY, lesson: 2, status: 'claimed', claimedBy: 'proc-b' });
      });

      it('lets exactly one of several concurrent plans with the same expectation win', async () => {
        const contenders = await rivals(3);
        const keys = ['race:1', 'race:2', 'race:3', 'race:4', 'race:5'];
        for (const key of keys) await store.updateChannel(key, { ...SCHEDULE, nextFireAt: T0 }, T0);
        for (const key of keys) {
          const results = await Promise.all(
            contenders.map((s, i) =>
              applyPlan(
                s,
                firePlan({
                  channelKey: key,
                  skipped: [{ fireAt: T0 - DAY, lesson: 1, status: 'missed' }],
                  post: { fireAt: T0, lesson: 1 },
                  nextFireAt: T0 + DAY,
                  claimedBy: `proc-${i}`,
                }),
              ),
            ),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
          const winner = `proc-${results.indexOf(true)}`;
          const ledger = await store.ledger(key, 10);
          expect(ledger.map((e) => [e.fireAt, e.status, e.claimedBy])).toEqual([
            [T0, 'claimed', winner],
            [T0 - DAY, 'missed', null],
          ]);
          expect((await store.getChannel(key))?.nextFireAt).toBe(T0 + DAY);
        }
      });
    });

    describe('pendingPosts and takeClaim', () => {
      const now = T0 + DAY;
      const staleBefore = now - 10 * MINUTE;

      it('returns own claims, stale claims and failed rows due for retry, by fire time', async () => {
        await claimFire(store, KEY, T0 + 1 * MINUTE, 1, 'crashed', staleBefore - 1);
        await claimFire(store, KEY, T0 + 2 * MINUTE, 2, 'other', staleBefore);
        await claimFire(store, KEY, T0 + 3 * MINUTE, 3, 'me', staleBefore - DAY);
        await claimFire(store, KEY, T0 + 4 * MINUTE, 4, 'me', staleBefore);
        await store.markFailed(KEY, T0 + 4 * MINUTE, 'timeout', now, now - MINUTE);
        await claimFire(store, KEY, T0 + 5 * MINUTE, 5, 'me', staleBefore);
        await store.markFailed(KEY, T0 + 5 * MINUTE, 'timeout', now + 1, now - MINUTE);
        await claimFire(store, KEY, T0 + 6 * MINUTE, 6, 'crashed', staleBefore - DAY);
        await store.markPosted(KEY, T0 + 6 * MINUTE, 'msg-6', staleBefore - DAY);
        await claimFire(store, KEY, T0 + 7 * MINUTE, 7, 'crashed', staleBefore - DAY);
        await store.markFailed(KEY, T0 + 7 * MINUTE, 'channel gone', null, staleBefore - DAY);
        await store.updateChannel(OTHER_KEY, { ...SCHEDULE, nextFireAt: T0 + 150_000 }, T0);
        await applyPlan(
          store,
          firePlan({
            channelKey: OTHER_KEY,
            skipped: [{ fireAt: T0 + 90_000, lesson: 1, status: 'missed' }],
            post: { fireAt: T0 + 150_000, lesson: 1 },
            expectedNextFireAt: T0 + 150_000,
            claimedBy: 'me',
            now,
          }),
        );

        const pending = await store.pendingPosts(now, staleBefore, 'me');
        expect(pending.map((e) => [e.channelKey, e.fireAt, e.status])).toEqual([
          [KEY, T0 + 1 * MINUTE, 'claimed'],
          [OTHER_KEY, T0 + 150_000, 'claimed'],
          [KEY, T0 + 3 * MINUTE, 'claimed'],
          [KEY, T0 + 4 * MINUTE, 'failed'],
        ]);
        expect(pending[3]).toMatchObject({ attempts: 1, retryAt: now, lastError: 'timeout', lesson: 4 });
      });

      it("leaves other platforms' posts to the processes that run them", async () => {
        await claimFire(store, 'slack:T1:C1', T0 + MINUTE, 1, 'crashed', staleBefore - 1);
        await claimFire(store, 'discord:G1:C2', T0 + 2 * MINUTE, 1, 'crashed', staleBefore - 1);
        const keys = async (platforms?: readonly string[]) =>
          (await store.pendingPosts(now, staleBefore, 'me', platforms)).map((e) => e.channelKey);
        expect(await keys()).toEqual(['slack:T1:C1', 'discord:G1:C2']);
        expect(await keys(['discord'])).toEqual(['discord:G1:C2']);
        expect(await keys(['slack'])).toEqual(['slack:T1:C1']);
      });

      it('takes stale, own and retry-due rows and refuses the rest', async () => {
        await claimFire(store, KEY, T0 + 1 * MINUTE, 1, 'crashed', staleBefore - 1);
        await claimFire(store, KEY, T0 + 2 * MINUTE, 2, 'other', staleBefore);
        await claimFire(store, KEY, T0 + 3 * MINUTE, 3, 'me', staleBefore);
        await claimFire(store, KEY, T0 + 4 * MINUTE, 4, 'other', staleBefore);
        await store.markFailed(KEY, T0 + 4 * MINUTE, 'rate limited', now, now - MINUTE);
        await claimFire(store, KEY, T0 + 5 * MINUTE, 5, 'other', staleBefore);
        await store.markFailed(KEY, T0 + 5 * MINUTE, 'rate limited', now + 1, now - MINUTE);
        await claimFire(store, KEY, T0 + 6 * MINUTE, 6, 'crashed', staleBefore - DAY);
        await store.markPosted(KEY, T0 + 6 * MINUTE, 'msg-6', staleBefore - DAY);

        const take = (fireAt: number) => store.takeClaim(KEY, fireAt, 'me', now, staleBefore);
        expect(await take(T0 + 1 * MINUTE)).toBe(true);
        expect(await take(T0 + 2 * MINUTE)).toBe(false);
        expect(await take(T0 + 3 * MINUTE)).toBe(true);
        expect(await take(T0 + 4 * MINUTE)).toBe(true);
        expect(await take(T0 + 5 * MINUTE)).toBe(false);
        expect(await take(T0 + 6 * MINUTE)).toBe(false);
        expect(await take(T0 + 99 * MINUTE)).toBe(false);

        const byFire = new Map((await store.ledger(KEY, 10)).map((e) => [e.fireAt, e]));
        expect(byFire.get(T0 + 1 * MINUTE)).toMatchObject({
          status: 'claimed',
          claimedBy: 'me',
          claimedAt: now,
        });
        expect(byFire.get(T0 + 2 * MINUTE)).toMatchObject({ status: 'claimed', claimedBy: 'other' });
        expect(byFire.get(T0 + 4 * MINUTE)).toMatchObject({
          status: 'claimed',
          claimedBy: 'me',
          claimedAt: now,
          attempts: 1,
        });
        expect(byFire.get(T0 + 5 * MINUTE)).toMatchObject({ status: 'failed', claimedBy: 'other' });
        expect(byFire.get(T0 + 6 * MINUTE)).toMatchObject({ status: 'posted', claimedBy: 'crashed' });
      });

      it('gives a contested stale claim to exactly one taker', async () => {
        const contenders = await rivals(3);
        const fires = [1, 2, 3, 4, 5].map((n) => T0 + n * MINUTE);
        for (const [i, fireAt] of fires.entries()) {
          await claimFire(store, KEY, fireAt, i + 1, 'crashed', staleBefore - 1);
        }
        for (const fireAt of fires) {
          const results = await Promise.all(
            contenders.map((s, i) => s.takeClaim(KEY, fireAt, `proc-${i}`, now, staleBefore)),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
          const entry = (await store.ledger(KEY, 10)).find((e) => e.fireAt === fireAt);
          expect(entry?.claimedBy).toBe(`proc-${results.indexOf(true)}`);
        }
      });
    });

    describe('markPosted and markFailed', () => {
      it('advances the position past the lesson once, and a second call changes nothing', async () => {
        await claimFire(store, KEY, T0, 1, 'proc-a', T0);
        await store.markPosted(KEY, T0, 'msg-1', T0 + MINUTE);
        expect((await store.getChannel(KEY))?.position).toBe(2);
        await store.markPosted(KEY, T0, 'msg-again', T0 + 2 * MINUTE);
        expect((await store.getChannel(KEY))?.position).toBe(2);
        expect((await store.ledger(KEY, 1))[0]).toMatchObject({
          status: 'posted',
          messageId: 'msg-1',
          postedAt: T0 + MINUTE,
          lesson: 1,
        });
      });

      it('never lowers the position', async () => {
        await claimFire(store, KEY, T0, 2, 'proc-a', T0);
        await store.updateChannel(KEY, { position: 5 }, T0);
        await store.markPosted(KEY, T0, 'msg-2', T0 + MINUTE);
        expect((await store.getChannel(KEY))?.position).toBe(5);
        await claimFire(store, KEY, T0 + DAY, 7, 'proc-a', T0 + DAY);
        await store.markPosted(KEY, T0 + DAY, 'msg-7', T0 + DAY + MINUTE);
        expect((await store.getChannel(KEY))?.position).toBe(8);
      });

      it('counts failed attempts, abandons on a null retry, and keeps the position', async () => {
        await claimFire(store, KEY, T0, 1, 'proc-a', T0);
        await store.markFailed(KEY, T0, 'timeout', T0 + MINUTE, T0);
        await store.markFailed(KEY, T0, 'rate limited', T0 + 5 * MINUTE, T0 + MINUTE);
        expect((await store.ledger(KEY, 1))[0]).toMatchObject({
          status: 'failed',
          attempts: 2,
          retryAt: T0 + 5 * MINUTE,
          lastError: 'rate limited',
        });
        await store.markFailed(KEY, T0, 'channel not found', null, T0 + 5 * MINUTE);
        expect((await store.ledger(KEY, 1))[0]).toMatchObject({
          status: 'abandoned',
          attempts: 3,
          retryAt: null,
          lastError: 'channel not found',
        });
        expect((await store.getChannel(KEY))?.position).toBe(1);
        expect(await store.pendingPosts(T0 + DAY, T0 + DAY, 'proc-a')).toEqual([]);
      });

      it('keeps a posted row posted when a late failure arrives', async () => {
        await claimFire(store, KEY, T0, 1, 'proc-a', T0);
        await store.markPosted(KEY, T0, 'msg-1', T0 + MINUTE);
        await store.markFailed(KEY, T0, 'late timeout', T0 + 2 * MINUTE, T0 + MINUTE);
        expect((await store.ledger(KEY, 1))[0]).toMatchObject({
          status: 'posted',
          attempts: 0,
          messageId: 'msg-1',
        });
        expect((await store.getChannel(KEY))?.position).toBe(2);
      });

      it('rejects marking a fire that is not in the ledger', async () => {
        await expect(store.markPosted(KEY, T0, 'msg', T0)).rejects.toThrow(/no ledger row/);
        await expect(store.markFailed(KEY, T0, 'boom', null, T0)).rejects.toThrow(/no ledger row/);
      });
    });

    describe('ledger and completions', () => {
      it('lists the ledger newest first, up to the limit', async () => {
        for (const n of [1, 2, 3]) await claimFire(store, KEY, T0 + n * DAY, n, 'proc-a', T0 + n * DAY);
        await claimFire(store, OTHER_KEY, T0, 1, 'proc-a', T0);
        expect((await store.ledger(KEY, 2)).map((e) => e.lesson)).toEqual([3, 2]);
        expect((await store.ledger(KEY, 10)).map((e) => e.lesson)).toEqual([3, 2, 1]);
      });

      it('applies a batch of fire plans in one go, refusing only the stale ones', async () => {
        for (const key of ['b:1', 'b:2', 'b:3'])
          await store.updateChannel(key, { cron: '0 9 * * *', timeZone: 'UTC', nextFireAt: T0 }, T0);
        const plan = (channelKey: string, expected: number) => ({
          channelKey,
          post: { fireAt: T0, lesson: 1 },
          skipped: [],
          nextFireAt: T0 + 86_400_000,
          expectedNextFireAt: expected,
          claimedBy: 'p1',
          now: T0,
        });
        expect(await store.applyFirePlans([plan('b:1', T0), plan('b:2', T0 - 1), plan('b:3', T0)])).toEqual([
          true,
          false,
          true,
        ]);
        expect((await store.ledger('b:1', 5)).map((e) => e.status)).toEqual(['claimed']);
        expect(await store.ledger('b:2', 5)).toEqual([]);
        expect((await store.getChannel('b:2'))?.nextFireAt).toBe(T0);
        expect(await store.applyFirePlans([])).toEqual([]);
      });

      it('grants each cron run key to exactly one claimant and prunes old keys', async () => {
        const results = await Promise.all([
          store.claimRun('orch:2026-11-25T09:00', 'a', T0, T0 - 1000),
          store.claimRun('orch:2026-11-25T09:00', 'b', T0, T0 - 1000),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.claimRun('orch:2026-11-25T09:01', 'b', T0 + 60_000, T0 - 1000)).toBe(true);
        // Once pruned, an old key could be claimed again: pruning only ever removes keys from the past.
        expect(await store.claimRun('orch:2026-11-25T09:00', 'c', T0 + 120_000, T0 + 1)).toBe(true);
      });

      it('grants each delivery to exactly one claimant until it expires, then to the next', async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, () => store.claimDelivery('slack:event:Ev1', T0, T0 + 60_000)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.claimDelivery('slack:event:Ev2', T0, T0 + 60_000)).toBe(true);
        expect(await store.claimDelivery('slack:event:Ev1', T0 + 59_000, T0 + 119_000)).toBe(false);
        // Expired: a platform no longer redelivers it, so the key is free again.
        expect(await store.claimDelivery('slack:event:Ev1', T0 + 61_000, T0 + 121_000)).toBe(true);
        expect(await store.claimDelivery('slack:event:Ev1', T0 + 62_000, T0 + 122_000)).toBe(false);
      });

      it('records a completion once and lists lessons in ascending order', async () => {
        const done = (lesson: number, userId = 'U1', channelKey = KEY) =>
          store.recordCompletion({ channelKey, userId, lesson, completedAt: T0 + lesson });
        expect(await done(5)).toBe(true);
        expect(await done(1)).toBe(true);
        expect(await done(2)).toBe(true);
        expect(await done(1)).toBe(false);
        expect(await done(3, 'U2')).toBe(true);
        expect(await done(4, 'U1', OTHER_KEY)).toBe(true);
        expect(await store.completions(KEY, 'U1')).toEqual([1, 2, 5]);
        expect(await store.completions(KEY, 'U2')).toEqual([3]);
        expect(await store.completions(KEY, 'nobody')).toEqual([]);
      });
    });

    describe('quiz rounds', () => {
      it('keeps the first thread anchor of a round, and a round created on a message keeps that one', async () => {
        expect(await store.createRound(quizRound(), [quizQuestion(0)])).toBe(true);
        expect(await store.setRoundThread('round-1', 'm1')).toBe('m1');
        // A second call (another process, a retry) cannot move the round to another thread.
        expect(await store.setRoundThread('round-1', 'm2')).toBe('m1');
        expect((await store.getRound('round-1'))?.threadAnchor).toBe('m1');
        expect(await store.setRoundThread('missing', 'm1')).toBeNull();
        const onLesson = quizRound({ id: 'round-2', channelKey: OTHER_KEY, threadAnchor: 'lesson-msg' });
        expect(await store.createRound(onLesson, [quizQuestion(0)])).toBe(true);
        expect(await store.getRound('round-2')).toEqual(onLesson);
      });

      it('creates a round with its questions and reads them back, Korean text included', async () => {
        const round = quizRound({ questionCount: 2 });
        expect(await store.createRound(round, [quizQuestion(0), quizQuestion(1)])).toBe(true);
        expect(await store.getRound('round-1')).toEqual(round);
        expect(await store.runningRound(KEY)).toEqual(round);
        expect(await store.runningRound(OTHER_KEY)).toBeNull();
        expect(await store.getRound('missing')).toBeNull();
        expect(await store.roundQuestion('round-1', 1)).toEqual({
          roundId: 'round-1',
          index: 1,
          question: quizQuestion(1),
          postedAt: null,
          deadlineAt: null,
          revealedAt: null,
          messageId: null,
        });
        expect((await store.roundQuestion('round-1', 0))?.question.options[2]?.ko).toBe(
          '엣시디 "키-값" 저장소',
        );
        expect(await store.roundQuestion('round-1', 2)).toBeNull();
        expect(await store.roundQuestion('missing', 0)).toBeNull();
      });

      it('lets only one of two rounds started at once run in a channel', async () => {
        const [a, b] = await rivals(2);
        const results = await Promise.all([
          (a as Store).createRound(quizRound({ id: 'round-a' }), [quizQuestion(0)]),
          (b as Store).createRound(quizRound({ id: 'round-b', startedBy: 'U2' }), [quizQuestion(1)]),
          (b as Store).createRound(quizRound({ id: 'round-other', channelKey: OTHER_KEY }), [
            quizQuestion(2),
          ]),
        ]);
        expect(results.slice(0, 2).filter(Boolean)).toHaveLength(1);
        expect(results[2]).toBe(true);
        const [winner, loser] = results[0] ? ['round-a', 'round-b'] : ['round-b', 'round-a'];
        expect((await store.runningRound(KEY))?.id).toBe(winner);
        // The refused round left nothing behind: neither the round nor its questions.
        expect(await store.getRound(loser)).toBeNull();
        expect(await store.roundQuestion(loser, 0)).toBeNull();
        expect((await store.runningRounds()).map((r) => r.id).sort()).toEqual([winner, 'round-other'].sort());
      });

      it('allows a new round once the running one has finished, and finishes a round only once', async () => {
        await startRound(store);
        expect(await store.createRound(quizRound({ id: 'round-2', createdAt: T0 + MINUTE }), [])).toBe(false);
        expect(await store.lastRoundStart(KEY)).toBe(T0);
        expect(await store.finishRound('round-1', 'stopped', T0 + 2 * MINUTE)).toBe(true);
        expect(await store.finishRound('round-1', 'finished', T0 + 3 * MINUTE)).toBe(false);
        expect(await store.finishRound('missing', 'finished', T0)).toBe(false);
        expect(await store.getRound('round-1')).toMatchObject({
          status: 'stopped',
          finishedAt: T0 + 2 * MINUTE,
        });
        expect(await store.runningRound(KEY)).toBeNull();
        expect(await store.runningRounds()).toEqual([]);

        expect(
          await store.createRound(quizRound({ id: 'round-2', createdAt: T0 + DAY }), [quizQuestion(0)]),
        ).toBe(true);
        expect((await store.runningRound(KEY))?.id).toBe('round-2');
        expect(await store.lastRoundStart(KEY)).toBe(T0 + DAY);
        expect(await store.lastRoundStart(OTHER_KEY)).toBeNull();
      });

      it('lists every running round oldest first', async () => {
        await startRound(store, { id: 'late', createdAt: T0 + MINUTE });
        await startRound(store, { id: 'early', channelKey: OTHER_KEY, createdAt: T0 });
        await startRound(store, { id: 'done', channelKey: 'c:third', createdAt: T0 - MINUTE });
        await store.finishRound('done', 'finished', T0);
        expect((await store.runningRounds()).map((r) => r.id)).toEqual(['early', 'late']);
      });

      it('keeps the first posting of a question and rejects an unknown one', async () => {
        await store.createRound(quizRound(), [quizQuestion(0)]);
        await store.markQuestionPosted('round-1', 0, 'msg-1', T0 + 1_000, T0 + 21_000);
        await store.markQuestionPosted('round-1', 0, 'msg-retry', T0 + 5_000, T0 + 25_000);
        expect(await store.roundQuestion('round-1', 0)).toMatchObject({
          messageId: 'msg-1',
          postedAt: T0 + 1_000,
          deadlineAt: T0 + 21_000,
          revealedAt: null,
        });
        await expect(store.markQuestionPosted('round-1', 7, 'msg', T0, T0)).rejects.toThrow(/no question 7/);
      });

      it('advances a running round only forwards, telling only the caller that moved it', async () => {
        await startRound(store);
        expect(await store.advanceRound('round-1', 2)).toBe(true);
        expect(await store.advanceRound('round-1', 2)).toBe(false);
        expect(await store.advanceRound('round-1', 1)).toBe(false);
        expect((await store.getRound('round-1'))?.current).toBe(2);
        await store.finishRound('round-1', 'finished', T0 + MINUTE);
        expect(await store.advanceRound('round-1', 3)).toBe(false);
        expect((await store.getRound('round-1'))?.current).toBe(2);
      });
    });

    describe('quiz answers', () => {
      it('records the first answer and refuses a second, keeping the first', async () => {
        await startRound(store);
        expect(await answer(store, quizAnswer({ option: 2, correct: false, points: 0 }))).toBe('recorded');
        expect(await answer(store, quizAnswer({ option: 0, answeredAt: T0 + 6_000 }))).toBe('duplicate');
        expect(await store.answers('round-1', 0)).toEqual([
          quizAnswer({ option: 2, correct: false, points: 0 }),
        ]);
        expect(await store.answers('round-1', 1)).toEqual([]);
      });

      it('refuses answers before posting, at or after the deadline, after the reveal and after the round', async () => {
        await store.createRound(quizRound(), [quizQuestion(0), quizQuestion(1)]);
        expect(await answer(store, quizAnswer())).toBe('closed');
        await store.markQuestionPosted('round-1', 0, 'msg-0', T0, T0 + 20_000);
        expect(await answer(store, quizAnswer({ userId: 'late', answeredAt: T0 + 20_000 }))).toBe('closed');
        expect(await answer(store, quizAnswer({ userId: 'later', answeredAt: T0 + 20_001 }))).toBe('closed');
        expect(await answer(store, quizAnswer({ userId: 'just-in', answeredAt: T0 + 19_999 }))).toBe(
          'recorded',
        );
        expect(await answer(store, quizAnswer({ index: 9 }))).toBe('closed');
        expect(await answer(store, quizAnswer({ roundId: 'missing' }))).toBe('closed');

        expect(await store.revealQuestion('round-1', 0, T0 + 10_000)).toBe(true);
        expect(await answer(store, quizAnswer({ userId: 'after-reveal', answeredAt: T0 + 10_001 }))).toBe(
          'closed',
        );
        // Someone who already answered is told so, even once the question is closed.
        expect(await answer(store, quizAnswer({ userId: 'just-in', answeredAt: T0 + 10_002 }))).toBe(
          'duplicate',
        );

        await store.markQuestionPosted('round-1', 1, 'msg-1', T0 + MINUTE, T0 + 2 * MINUTE);
        await store.finishRound('round-1', 'stopped', T0 + MINUTE + 1);
        expect(await answer(store, quizAnswer({ index: 1, answeredAt: T0 + MINUTE + 2 }))).toBe('closed');
        expect((await store.answers('round-1', 0)).map((a) => a.userId)).toEqual(['just-in']);
        expect(await store.answers('round-1', 1)).toEqual([]);
      });

      it('records a batch of answers in one go with the same rules, the earlier of two by one member counting', async () => {
        await startRound(store);
        expect(await answer(store, quizAnswer({ userId: 'before' }))).toBe('recorded');
        const outcomes = await store.recordAnswers([
          quizAnswer({ userId: 'a', option: 1 }),
          quizAnswer({ userId: 'b', option: 0 }),
          quizAnswer({ userId: 'a', option: 2 }),
          quizAnswer({ userId: 'before', option: 3 }),
          quizAnswer({ userId: 'c', index: 9 }),
          quizAnswer({ userId: 'd', answeredAt: T0 + 11 * MINUTE }),
        ]);
        expect(outcomes).toEqual(['recorded', 'recorded', 'duplicate', 'duplicate', 'closed', 'closed']);
        const stored = await store.answers('round-1', 0);
        expect(stored.map((a) => a.userId).sort()).toEqual(['a', 'b', 'before']);
        expect(stored.find((a) => a.userId === 'a')?.option).toBe(1);
        expect(await store.recordAnswers([])).toEqual([]);
      });

      it('keeps exactly one answer per member when 100 members each answer twice at once', async () => {
        const contenders = await rivals(4);
        await startRound(store);
        // Answer i is member i % 100's first (i < 100) or second. Members 0-19 send both in one batch; the others'
        // firsts and seconds go in separate batches (seconds from the last member down), sent to rival stores at once.
        const sent = (i: number) =>
          quizAnswer({
            userId: `u${i % 100}`,
            displayName: `member ${i % 100}`,
            option: i < 100 ? 0 : 1,
            answeredAt: T0 + i,
          });
        const firsts = chunks(range(20, 100), 4);
        const seconds = chunks(range(120, 200).reverse(), 4);
        const batches = range(0, 20).flatMap((k) => [[k, k + 100], firsts[k] ?? [], seconds[k] ?? []]);
        const outcomes = await sendBatches(
          contenders,
          batches.map((batch) => batch.map(sent)),
        );
        const results: (AnswerWriteResult | undefined)[] = [];
        batches.flat().forEach((i, k) => {
          results[i] = outcomes[k];
        });
        expect(results.filter((r) => r === 'recorded')).toHaveLength(100);
        expect(results.filter((r) => r === 'duplicate')).toHaveLength(100);
        const stored = await store.answers('round-1', 0);
        expect(new Set(stored.map((a) => a.userId)).size).toBe(100);
        for (let member = 0; member < 100; member++) {
          // For each member, exactly one of the two answers says recorded; in one batch, the earlier.
          expect([results[member], results[member + 100]].filter((r) => r === 'recorded')).toHaveLength(1);
          if (member < 20) expect(results[member], `u${member}`).toBe('recorded');
        }
      });

      it('takes batches holding the same members in opposite orders side by side, without a deadlock', async () => {
        // Two replicas can receive one burst of clicks (a member's press and its retry) in different orders.
        const contenders = await rivals(2);
        await startRound(store);
        const members = range(0, 200);
        const answer = (i: number, option: number) =>
          quizAnswer({ userId: `u${i}`, displayName: `member ${i}`, option, answeredAt: T0 + i });
        const outcomes = await Promise.all([
          (contenders[0] as Store).recordAnswers(members.map((i) => answer(i, 0))),
          (contenders[1] as Store).recordAnswers([...members].reverse().map((i) => answer(i, 1))),
        ]);
        expect(outcomes.flat().filter((r) => r === 'recorded')).toHaveLength(200);
        expect(new Set((await store.answers('round-1', 0)).map((a) => a.userId)).size).toBe(200);
      });

      it('reveals a question for exactly one of several callers', async () => {
        const contenders = await rivals(3);
        await startRound(store);
        for (const index of [0, 1, 2]) {
          const results = await Promise.all(
            [...contenders, ...contenders].map((s, i) => s.revealQuestion('round-1', index, T0 + MINUTE + i)),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
          expect((await store.roundQuestion('round-1', index))?.revealedAt).toBe(
            T0 + MINUTE + results.indexOf(true),
          );
        }
      });

      it('never records an answer that arrived after a concurrent reveal closed the question', async () => {
        const contenders = await rivals(4);
        const on = (i: number) => contenders[i % contenders.length] as Store;
        await startRound(store, {}, 5);
        const revealAt = T0 + MINUTE;
        for (const index of [0, 1, 2, 3, 4]) {
          const send = (members: number[], at: (member: number) => number) =>
            sendBatches(
              contenders,
              chunks(members, 3).map((batch) =>
                batch.map((m) => quizAnswer({ index, userId: `u${m}`, answeredAt: at(m) })),
              ),
            );
          const early = send(range(0, 30), (m) => T0 + 1_000 + m);
          // What the reveal would show: read right after it committed, on the revealing connection.
          const revealed = on(1)
            .revealQuestion('round-1', index, revealAt)
            .then(async (won) => ({ won, shown: await on(1).answers('round-1', index) }));
          const late = send(range(30, 60), (m) => revealAt + m - 30);
          const results = [...(await early), ...(await late)];
          const { won, shown } = await revealed;
          expect(won).toBe(true);

          // Arrived before the reveal: counted, whether written before or after it.
          expect(results.slice(0, 30)).toEqual(Array(30).fill('recorded'));
          // Arrived after it: counted only when written while the question was still open, so the reveal shows it.
          const stored = await store.answers('round-1', index);
          const shownIds = new Set(shown.map((a) => a.userId));
          for (const answer of stored.filter((a) => a.answeredAt >= revealAt))
            expect(shownIds.has(answer.userId), answer.userId).toBe(true);
          expect(results.filter((r) => r === 'recorded')).toHaveLength(stored.length);
          expect(results.filter((r) => r === 'closed')).toHaveLength(60 - stored.length);
        }
      });

      it('lists the members who answered earlier questions', async () => {
        await startRound(store);
        await recordAll(store, [
          ['round-1', 0, 'mina', 'Mina', 10, T0 + 1_000],
          ['round-1', 1, 'joon', 'Joon', 0, T0 + 2_000],
          ['round-1', 1, 'mina', 'Mina', 10, T0 + 2_000],
          ['round-1', 2, 'ari', 'Ari', 10, T0 + 3_000],
        ]);
        expect(await store.participantsBefore('round-1', 0)).toEqual([]);
        expect(await store.participantsBefore('round-1', 1)).toEqual(['mina']);
        expect(await store.participantsBefore('round-1', 2)).toEqual(['joon', 'mina']);
        expect(await store.participantsBefore('round-1', 3)).toEqual(['ari', 'joon', 'mina']);
      });
    });

    describe('question health', () => {
      const version = (n: number) => questionVersion(quizQuestion(n));
      /** A report of q-0 as asked (version 0) in KEY, by `userId`. */
      const report = (userId: string, overrides: Partial<QuestionReport> = {}): QuestionReport => ({
        channelKey: KEY,
        questionId: 'q-0',
        version: version(0),
        userId,
        reason: 'wrong',
        note: null,
        roundId: 'r1',
        reportedAt: T0,
        ...overrides,
      });

      it("adds each member's first answer to the channel's record once, when the question is revealed", async () => {
        await startRound(store, { id: 'r1' }, 1);
        await recordAll(store, [
          ['r1', 0, 'amy', 'Amy', 10, T0 + 4_000],
          ['r1', 0, 'bob', 'Bob', 0, T0 + 9_000],
          ['r1', 0, 'cat', 'Cat', 10, T0 + 2_000],
        ]);
        // Nothing counts before the reveal, and the reveal counts once however many callers close the question.
        expect(await store.questionRecords(KEY)).toEqual([]);
        const closers = await rivals(3);
        const closed = await Promise.all(closers.map((s) => s.revealQuestion('r1', 0, T0 + MINUTE)));
        expect(closed.filter(Boolean)).toHaveLength(1);
        expect(await store.questionRecords(KEY)).toEqual([
          { questionId: 'q-0', version: version(0), players: 3, correct: 2 },
        ]);
        // The same question in a second round: Amy's second answer does not count again, Dan is new.
        await store.finishRound('r1', 'finished', T0 + 2 * MINUTE);
        await startRound(store, { id: 'r2', createdAt: T0 + DAY }, 1);
        await recordAll(store, [
          ['r2', 0, 'amy', 'Amy', 0, T0 + DAY + 1_000],
          ['r2', 0, 'dan', 'Dan', 0, T0 + DAY + 6_000],
        ]);
        expect(await store.revealQuestion('r2', 0, T0 + DAY + MINUTE)).toBe(true);
        expect(await store.questionRecords(KEY)).toEqual([
          { questionId: 'q-0', version: version(0), players: 4, correct: 2 },
        ]);
        const standing = await store.questionStanding(KEY, 'q-0', version(0));
        // Answer times from each post: 2, 4, 6 and 9 s; the median of four is halfway between 4 and 6.
        expect(standing).toEqual({ players: 4, correct: 2, medianMs: 5_000, reporters: 0, reports: [] });
        expect(await store.questionStanding(OTHER_KEY, 'q-0', version(0))).toEqual({
          players: 0,
          correct: 0,
          medianMs: null,
          reporters: 0,
          reports: [],
        });
      });

      it('counts different members who reported a version, keeping one report each', async () => {
        expect(await store.reportQuestion(report('amy'))).toBe(1);
        // The same member again: their report is replaced, still one member.
        expect(
          await store.reportQuestion(
            report('amy', { reason: 'typo', note: '오타: "파드"', reportedAt: T0 + 1 }),
          ),
        ).toBe(1);
        // Another version of the question, and another channel, are other questions.
        expect(await store.reportQuestion(report('bob', { version: 'another' }))).toBe(1);
        expect(await store.reportQuestion(report('bob', { channelKey: OTHER_KEY }))).toBe(1);
        expect(await store.reportQuestion(report('cat', { reason: 'ambiguous' }))).toBe(2);
        const standing = await store.questionStanding(KEY, 'q-0', version(0));
        expect(standing.reports).toEqual(
          [
            { reason: 'typo', note: '오타: "파드"', reportedAt: T0 + 1 },
            { reason: 'ambiguous', note: null, reportedAt: T0 },
          ].sort((a, b) => a.reportedAt - b.reportedAt),
        );
        expect(await store.questionReportCounts(KEY)).toEqual([
          { questionId: 'q-0', version: version(0), reporters: 2 },
          { questionId: 'q-0', version: 'another', reporters: 1 },
        ]);
      });

      it('counts both of two members reporting at the same moment once their reports are in', async () => {
        const [a, b] = await rivals(2);
        await Promise.all([
          (a as Store).reportQuestion(report('amy')),
          (b as Store).reportQuestion(report('bob')),
        ]);
        // Whichever read comes after both writes sees two members: what pauseIfDue reads.
        expect((await (a as Store).questionStanding(KEY, 'q-0', version(0))).reporters).toBe(2);
        expect((await (b as Store).questionStanding(KEY, 'q-0', version(0))).reporters).toBe(2);
      });

      it('pauses a version once, resumes it for an admin, and never pauses a resumed version again', async () => {
        const pause = {
          channelKey: KEY,
          questionId: 'q-0',
          version: 'v1',
          reason: 'reports' as const,
          pausedAt: T0,
        };
        const [a, b] = await rivals(2);
        const paused = await Promise.all([
          (a as Store).pauseQuestion(pause),
          (b as Store).pauseQuestion(pause),
        ]);
        expect(paused.filter(Boolean)).toHaveLength(1);
        expect(
          await store.pauseQuestion({ ...pause, questionId: 'q-1', reason: 'easy', pausedAt: T0 + 1 }),
        ).toBe(true);
        expect((await store.questionPauses(KEY)).map((p) => [p.questionId, p.reason, p.status])).toEqual([
          ['q-1', 'easy', 'paused'],
          ['q-0', 'reports', 'paused'],
        ]);
        expect(await store.resumeQuestion(KEY, 'q-0', 'admin', T0 + 2)).toBe(1);
        expect(await store.resumeQuestion(KEY, 'q-0', 'admin', T0 + 3)).toBe(0);
        expect(await store.pauseQuestion({ ...pause, pausedAt: T0 + 4 })).toBe(false);
        expect((await store.questionPauses(KEY)).find((p) => p.questionId === 'q-0')).toEqual({
          ...pause,
          status: 'resumed',
          resumedBy: 'admin',
          resumedAt: T0 + 2,
        });
        // A new version (the question was fixed) may pause again.
        expect(await store.pauseQuestion({ ...pause, version: 'v2', pausedAt: T0 + 5 })).toBe(true);
        expect(await store.questionPauses(OTHER_KEY)).toEqual([]);
      });

      /**
       * A database at schema `version`, written by the migrations of that time, and a store on it not yet migrated
       * further: what an operator's database looks like when they upgrade.
       */
      async function atVersion(old: StoreTarget, version: number): Promise<Store> {
        // Opened first: that makes the file (SQLite) or the schema (PostgreSQL) the old version is written into.
        const migrated = await old.openUnmigrated();
        await old.sql(SCHEMA_MIGRATIONS_SQL);
        for (const m of MIGRATIONS.filter((x) => x.version <= version)) {
          for (const statement of migrationSql(m, backend.name === 'SQLite' ? 'sqlite' : 'postgres').split(
            /;\s*\n/,
          ))
            if (statement.trim() !== '') await old.sql(statement);
          await old.sql(
            `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, 'old', 0)`,
          );
        }
        return migrated;
      }

      it('migrates a database of version 12 with a two-platform group: nothing moves or is lost, and members can link', async () => {
        const old = await backend.createTarget();
        try {
          const migrated = await atVersion(old, 12);
          const SLACK = 'slack:T1:C1';
          const DISCORD = 'discord:G1:C2';
          await old.sql(
            `INSERT INTO channels (channel_key, position, updated_at, group_key)
             VALUES ('${SLACK}', 4, ${T0}, '${SLACK}'), ('${DISCORD}', 4, ${T0}, '${SLACK}'), ('${OTHER_KEY}', 1, ${T0}, NULL)`,
          );
          await old.sql(
            `INSERT INTO completions (channel_key, user_id, lesson, completed_at)
             VALUES ('${SLACK}', 'U1', 1, ${T0}), ('${SLACK}', 'U1', 2, ${T0}), ('${DISCORD}', '91', 3, ${T0})`,
          );
          await old.sql(
            `INSERT INTO quiz_rounds (id, channel_key, started_by, topic, lang, seconds_per_question, question_count, status, current_index, created_at)
             VALUES ('s-1', '${SLACK}', 'U1', 'k8s', 'ko', 20, 1, 'finished', 1, ${T0}), ('d-1', '${DISCORD}', '91', 'k8s', 'ko', 20, 1, 'finished', 1, ${T0})`,
          );
          const json = JSON.stringify(quizQuestion(0)).replace(/'/g, "''");
          await old.sql(
            `INSERT INTO quiz_questions (round_id, idx, question_json, posted_at, revealed_at, question_id, question_version)
             VALUES ('s-1', 0, '${json}', ${T0}, ${T0 + MINUTE}, 'q-0', ''), ('d-1', 0, '${json}', ${T0}, ${T0 + MINUTE}, 'q-0', '')`,
          );
          await old.sql(
            `INSERT INTO quiz_answers (round_id, idx, user_id, display_name, option_index, answered_at, correct, points)
             VALUES ('s-1', 0, 'U1', 'Sam', 0, ${T0 + 1_000}, TRUE, 100), ('d-1', 0, '91', 'Sam D', 0, ${T0 + 2_000}, TRUE, 140)`,
          );
          await old.sql(
            `INSERT INTO review_cards (user_key, question_id, question_json, card, due_at)
             VALUES ('slack:T1:U1', 'q-0', '${json}', '{}', ${T0})`,
          );
          await migrated.migrate();
          // Every row is where it was, and reads across the group as before the upgrade.
          for (const table of ['channels', 'completions', 'quiz_rounds', 'quiz_answers', 'review_cards'])
            expect(Number((await old.sql(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n), table).toEqual(
              { channels: 3, completions: 3, quiz_rounds: 2, quiz_answers: 2, review_cards: 1 }[
                table
              ] as number,
            );
          expect((await migrated.leaderboard(DISCORD, 0, 10)).map((r) => [r.memberKey, r.points])).toEqual([
            ['discord:G1:91', 140],
            ['slack:T1:U1', 100],
          ]);
          expect(await migrated.completions(SLACK, 'U1')).toEqual([1, 2]);
          expect(await migrated.completions(DISCORD, '91')).toEqual([3]);
          expect(await migrated.countDueReviews('slack:T1:U1', T0)).toBe(1);
          expect((await migrated.getChannel(DISCORD))?.groupKey).toBe(SLACK);
          // Linked after the upgrade: the old records add up, with nothing rewritten.
          await migrated.issueLinkCode(
            { hash: 'h', memberKey: 'slack:T1:U1', channelKey: SLACK, issuedAt: T0, expiresAt: T0 + MINUTE },
            5,
          );
          expect(await migrated.linkMember('h', 'discord:G1:91', DISCORD, T0 + 1, 5)).toBe('linked');
          expect(await migrated.completions(DISCORD, '91')).toEqual([1, 2, 3]);
          expect((await migrated.leaderboard(SLACK, 0, 10)).map((r) => r.points)).toEqual([240]);
          expect(await migrated.countDueReviews('discord:G1:91', T0)).toBe(1);
          expect(await migrated.quizStats(OTHER_KEY, 'U1')).toEqual({ answered: 0, correct: 0, points: 0 });
        } finally {
          await old.dispose();
        }
      });

      it("migrates a database of version 8 with answers: each asked question gets its id, and each member's first answer is on record", async () => {
        const old = await backend.createTarget();
        try {
          const migrated = await atVersion(old, 8);
          const rounds = old.sql.bind(old);
          await rounds(
            `INSERT INTO quiz_rounds (id, channel_key, started_by, topic, lang, seconds_per_question, question_count, status, current_index, created_at)
             VALUES ('old-1', '${KEY}', 'U1', 'k8s', 'ko', 20, 1, 'finished', 1, ${T0}), ('old-2', '${KEY}', 'U1', 'k8s', 'ko', 20, 1, 'finished', 1, ${T0 + DAY})`,
          );
          const json = JSON.stringify(quizQuestion(0)).replace(/'/g, "''");
          await rounds(
            `INSERT INTO quiz_questions (round_id, idx, question_json, posted_at, revealed_at)
             VALUES ('old-1', 0, '${json}', ${T0}, ${T0 + MINUTE}), ('old-2', 0, '${json}', ${T0 + DAY}, ${T0 + DAY + MINUTE})`,
          );
          await rounds(
            `INSERT INTO quiz_answers (round_id, idx, user_id, display_name, option_index, answered_at, correct, points)
             VALUES ('old-1', 0, 'amy', 'Amy', 1, ${T0 + 3_000}, FALSE, 0),
                    ('old-2', 0, 'amy', 'Amy', 0, ${T0 + DAY + 1_000}, TRUE, 10),
                    ('old-2', 0, 'bob', 'Bob', 0, ${T0 + DAY + 7_000}, TRUE, 10)`,
          );
          await migrated.migrate();
          expect(
            (await old.sql('SELECT DISTINCT question_id FROM quiz_questions')).map((r) => r.question_id),
          ).toEqual(['q-0']);
          // Amy's first answer (wrong, in old-1) is hers on record; her later right one is not counted again.
          expect(await migrated.questionRecords(KEY)).toEqual([
            { questionId: 'q-0', version: '', players: 2, correct: 1 },
          ]);
          // Unversioned answers count for whatever version the question has now.
          expect(await migrated.questionStanding(KEY, 'q-0', version(0))).toEqual({
            players: 2,
            correct: 1,
            medianMs: 5_000,
            reporters: 0,
            reports: [],
          });
          // Asked again after the migration: the old answers belong to this first version, and Amy counts once.
          await startRound(migrated, { id: 'new-1', createdAt: T0 + 2 * DAY }, 1);
          await recordAll(migrated, [
            ['new-1', 0, 'amy', 'Amy', 10, T0 + 2 * DAY + 1_000],
            ['new-1', 0, 'cat', 'Cat', 10, T0 + 2 * DAY + 2_000],
          ]);
          expect(await migrated.revealQuestion('new-1', 0, T0 + 2 * DAY + MINUTE)).toBe(true);
          expect(await migrated.questionStanding(KEY, 'q-0', version(0))).toMatchObject({
            players: 3,
            correct: 3,
          });
          // A version fixed after that starts clean.
          expect(await migrated.questionStanding(KEY, 'q-0', 'fixed')).toMatchObject({
            players: 0,
            medianMs: null,
          });
          // The old rounds still read back as they were.
          expect((await migrated.roundQuestion('old-2', 0))?.question).toEqual(quizQuestion(0));
        } finally {
          await old.dispose();
        }
      });
    });

    describe('pacing: pace facts, pauses and catch-up', () => {
      /** Lessons 1..n posted a day apart from T0 (one a day), each marked posted. */
      async function postLessons(n: number): Promise<void> {
        for (let lesson = 1; lesson <= n; lesson++) {
          const at = T0 + (lesson - 1) * DAY;
          await store.updateChannel(KEY, { nextFireAt: at }, at);
          await applyPlan(
            store,
            firePlan({ post: { fireAt: at, lesson }, nextFireAt: at + DAY, expectedNextFireAt: at, now: at }),
          );
          await store.markPosted(KEY, at, `m${lesson}`, at);
        }
      }

      it("reads the last two lessons and the active members' Done presses, leaving out the paused and the catching up", async () => {
        await postLessons(3);
        const done = async (userId: string, lesson: number) =>
          store.recordCompletion({ channelKey: KEY, userId, lesson, completedAt: T0 + lesson * DAY });
        for (const user of ['amy', 'bob', 'cat', 'dan']) await done(user, 1);
        await done('amy', 2);
        await done('amy', 3);
        await done('bob', 3);
        const now = T0 + 3 * DAY;
        expect(await store.paceFacts(KEY, T0, now)).toEqual({
          lastLessons: [3, 2],
          lastWasReview: false,
          active: 4,
          done: 3,
        });
        await store.pauseMember(
          { channelKey: KEY, userId: 'cat', fromAt: now - 1, untilAt: now + DAY },
          'slack:T1:cat',
        );
        await store.setCatchUp({ channelKey: KEY, userId: 'dan', perDay: 2, startedAt: now });
        expect(await store.paceFacts(KEY, T0, now)).toEqual({
          lastLessons: [3, 2],
          lastWasReview: false,
          active: 2,
          done: 3,
        });
        // A review day is not a lesson, and the newest fire's kind is read.
        const at = T0 + 3 * DAY;
        await store.updateChannel(KEY, { nextFireAt: at }, at);
        await applyPlan(
          store,
          firePlan({
            post: { fireAt: at, lesson: 4, kind: 'review', note: '{}' },
            nextFireAt: at + DAY,
            expectedNextFireAt: at,
            now: at,
          }),
        );
        await store.markPosted(KEY, at, 'm-review', at);
        expect((await store.getChannel(KEY))?.position).toBe(4);
        expect(await store.paceFacts(KEY, T0, now)).toMatchObject({
          lastLessons: [3, 2],
          lastWasReview: true,
        });
      });

      it('clears a used pace override only if it still holds what the plan read', async () => {
        await store.updateChannel(KEY, { ...SCHEDULE, nextFireAt: T0, paceOverride: 'review' }, T0);
        // An admin changed it to `lesson` after the plan read `review`: the new one stays.
        await store.updateChannel(KEY, { paceOverride: 'lesson' }, T0);
        await applyPlan(
          store,
          firePlan({
            post: { fireAt: T0, lesson: 1, kind: 'review', note: '{}' },
            nextFireAt: T0 + DAY,
            consumesOverride: 'review',
          }),
        );
        expect((await store.getChannel(KEY))?.paceOverride).toBe('lesson');
        await applyPlan(
          store,
          firePlan({
            post: null,
            nextFireAt: T0 + 2 * DAY,
            expectedNextFireAt: T0 + DAY,
            consumesOverride: 'lesson',
          }),
        );
        expect((await store.getChannel(KEY))?.paceOverride).toBeNull();
      });

      it("moves a member's review cards once by the part of a pause no other pause of theirs in the workspace covers", async () => {
        const card = async (userKey: string, dueAt: number) =>
          store.saveReviewCard({ userKey, questionId: 'q-0', question: quizQuestion(0), card: '{}', dueAt });
        await card('slack:T1:amy', T0 + DAY);
        await card('slack:T2:amy', T0 + DAY);
        await store.pauseMember(
          { channelKey: KEY, userId: 'amy', fromAt: T0, untilAt: T0 + 14 * DAY },
          'slack:T1:amy',
        );
        expect((await store.reviewCard('slack:T1:amy', 'q-0'))?.dueAt).toBe(T0 + 15 * DAY);
        // Shortened to three days: already covered, nothing moves again.
        await store.pauseMember(
          { channelKey: KEY, userId: 'amy', fromAt: T0 + 1, untilAt: T0 + 3 * DAY },
          'slack:T1:amy',
        );
        expect((await store.reviewCard('slack:T1:amy', 'q-0'))?.dueAt).toBe(T0 + 15 * DAY);
        // A second channel of the same workspace, ten days: the three-day pause covers the start, so the cards move
        // by the rest, seven days.
        await store.pauseMember(
          { channelKey: 'slack:T1:C2', userId: 'amy', fromAt: T0 + 2, untilAt: T0 + 10 * DAY + 2 },
          'slack:T1:amy',
        );
        expect((await store.reviewCard('slack:T1:amy', 'q-0'))?.dueAt).toBe(T0 + 22 * DAY + 2);
        // Another workspace's cards never moved.
        expect((await store.reviewCard('slack:T2:amy', 'q-0'))?.dueAt).toBe(T0 + DAY);
        expect(await store.endMemberPause(KEY, 'amy', 'slack:T1:amy', T0 + DAY)).toEqual({
          channelKey: KEY,
          userId: 'amy',
          fromAt: T0 + 1,
          untilAt: T0 + DAY,
        });
        expect(await store.endMemberPause(KEY, 'amy', 'slack:T1:amy', T0 + DAY)).toBeNull();
        expect((await store.memberPauses(KEY, 'amy')).map((p) => [p.fromAt - T0, p.untilAt - T0])).toEqual([
          [0, 1],
          [1, DAY],
        ]);
      });

      it("plans a member's catch-up day once, however many planners race for it", async () => {
        await store.setCatchUp({ channelKey: KEY, userId: 'eve', perDay: 2, startedAt: T0 });
        await store.setCatchUp({ channelKey: KEY, userId: 'fay', perDay: 1, startedAt: T0 });
        await store.setCatchUp({ channelKey: KEY, userId: 'eve', perDay: 3, startedAt: T0 + 1 });
        await store.recordCompletion({ channelKey: KEY, userId: 'eve', lesson: 1, completedAt: T0 });
        expect(await store.catchUps(KEY)).toEqual([
          { catchUp: { channelKey: KEY, userId: 'eve', perDay: 3, startedAt: T0 }, done: [1] },
          { catchUp: { channelKey: KEY, userId: 'fay', perDay: 1, startedAt: T0 }, done: [] },
        ]);
        // One member's alone, as the personal view reads it.
        expect(await store.catchUps(KEY, 'eve')).toEqual([
          { catchUp: { channelKey: KEY, userId: 'eve', perDay: 3, startedAt: T0 }, done: [1] },
        ]);
        // Two planners with different ideas of the day (a slot and the member, on two replicas): one plan wins whole.
        const racers = await rivals(4);
        const plans = await Promise.all(
          racers.map((s, i) =>
            s.planCatchUpDay(
              KEY,
              '2026-01-05',
              [{ userId: 'eve', lessons: i % 2 === 0 ? [2, 3] : [4, 5] }],
              T0,
            ),
          ),
        );
        const eve = plans[0]?.get('eve');
        expect([
          [2, 3],
          [4, 5],
        ]).toContainEqual(eve);
        for (const plan of plans) expect(plan.get('eve')).toEqual(eve);
        // Another day is another plan; Fay's day is hers.
        const next = await store.planCatchUpDay(
          KEY,
          '2026-01-06',
          [
            { userId: 'eve', lessons: [6] },
            { userId: 'fay', lessons: [1] },
          ],
          T0,
        );
        expect(Object.fromEntries(next)).toEqual({ eve: [6], fay: [1] });
        expect(await store.endCatchUp(KEY, 'eve')).toBe(true);
        expect(await store.endCatchUp(KEY, 'eve')).toBe(false);
      });
    });

    describe('quiz scores', () => {
      /** r1 (KEY, T0), finished; r2 (KEY, a day later); r3 (OTHER_KEY). */
      async function playRounds(): Promise<void> {
        await startRound(store, { id: 'r1' });
        await recordAll(store, [
          ['r1', 1, 'eve', 'Eve', 10, T0 + 2 * MINUTE],
          ['r1', 0, 'amy', 'Amy', 10, T0 + 1_000],
          ['r1', 0, 'bob', 'Bob', 6, T0 + 1_000],
          ['r1', 0, 'cat', 'Cat', 9, T0 + 1_000],
          ['r1', 1, 'amy', 'Amy', 0, T0 + 2 * MINUTE],
          ['r1', 1, 'bob', 'Bob', 6, T0 + 2 * MINUTE],
          ['r1', 1, 'cat', 'Cat', 9, T0 + 2 * MINUTE],
          ['r1', 2, 'dan', 'Dan', 10, T0 + 4 * MINUTE],
          ['r1', 2, 'amy', 'Amy K', 10, T0 + 4 * MINUTE],
          ['r1', 2, 'bob', 'Bob', 6, T0 + 4 * MINUTE],
        ]);
        await store.finishRound('r1', 'finished', T0 + 5 * MINUTE);
        await startRound(store, { id: 'r2', createdAt: T0 + DAY });
        await recordAll(store, [
          ['r2', 0, 'dan', 'Dan', 10, T0 + DAY + 1_000],
          ['r2', 0, 'eve', 'Eve', 0, T0 + DAY + 1_000],
        ]);
        await startRound(store, { id: 'r3', channelKey: OTHER_KEY });
        await recordAll(store, [['r3', 0, 'amy', 'Amy elsewhere', 100, T0 + 1_000]]);
      }

      const line = (
        userId: string,
        displayName: string,
        points: number,
        correct: number,
        answered: number,
        space = 'slack:T1:',
      ) => ({
        userId,
        memberKey: `${space}${userId}`,
        displayName,
        points,
        correct,
        answered,
      });

      it('ranks a round by points, then right answers, then user id, with the latest display name', async () => {
        await playRounds();
        expect(await store.roundScores('r1')).toEqual([
          line('amy', 'Amy K', 20, 2, 3),
          line('bob', 'Bob', 18, 3, 3),
          line('cat', 'Cat', 18, 2, 2),
          line('dan', 'Dan', 10, 1, 1),
          line('eve', 'Eve', 10, 1, 1),
        ]);
        expect(await store.roundScores('r2')).toEqual([
          line('dan', 'Dan', 10, 1, 1),
          line('eve', 'Eve', 0, 0, 1),
        ]);
        expect(await store.roundScores('missing')).toEqual([]);
      });

      it('adds up a channel leaderboard since a time, up to a limit, leaving other channels out', async () => {
        await playRounds();
        expect(await store.leaderboard(KEY, 0, 10)).toEqual([
          line('amy', 'Amy K', 20, 2, 3),
          line('dan', 'Dan', 20, 2, 2),
          line('bob', 'Bob', 18, 3, 3),
          line('cat', 'Cat', 18, 2, 2),
          line('eve', 'Eve', 10, 1, 2),
        ]);
        expect((await store.leaderboard(KEY, 0, 2)).map((r) => r.userId)).toEqual(['amy', 'dan']);
        expect(await store.leaderboard(KEY, T0 + 3 * MINUTE, 10)).toEqual([
          line('dan', 'Dan', 20, 2, 2),
          line('amy', 'Amy K', 10, 1, 1),
          line('bob', 'Bob', 6, 1, 1),
          line('eve', 'Eve', 0, 0, 1),
        ]);
        expect(await store.leaderboard(KEY, T0 + DAY + 1_000, 10)).toEqual([
          line('dan', 'Dan', 10, 1, 1),
          line('eve', 'Eve', 0, 0, 1),
        ]);
        expect(await store.leaderboard(KEY, T0 + DAY + 1_001, 10)).toEqual([]);
        expect(await store.leaderboard(OTHER_KEY, 0, 10)).toEqual([
          line('amy', 'Amy elsewhere', 100, 1, 1, 'discord:G1:'),
        ]);
      });

      it("totals a member's answers in one channel, zero when there are none", async () => {
        expect(await store.quizStats(KEY, 'amy')).toEqual({ answered: 0, correct: 0, points: 0 });
        await playRounds();
        expect(await store.quizStats(KEY, 'amy')).toEqual({ answered: 3, correct: 2, points: 20 });
        expect(await store.quizStats(KEY, 'eve')).toEqual({ answered: 2, correct: 1, points: 10 });
        expect(await store.quizStats(OTHER_KEY, 'amy')).toEqual({ answered: 1, correct: 1, points: 100 });
        expect(await store.quizStats(OTHER_KEY, 'bob')).toEqual({ answered: 0, correct: 0, points: 0 });
      });
      it("lists a member's study channels and recent rounds under a key prefix, most recent first", async () => {
        await playRounds();
        await store.recordCompletion({
          channelKey: 'slack:T1:C2',
          userId: 'amy',
          lesson: 1,
          completedAt: T0 + DAY,
        });
        await store.recordCompletion({
          channelKey: 'slack:T10:C1',
          userId: 'amy',
          lesson: 1,
          completedAt: T0,
        });
        // T1's prefix is not T10's: ids are compared whole, not as a pattern.
        expect(await store.studyChannels('amy', 'slack:T1:', 10)).toEqual([
          { channelKey: 'slack:T1:C2', lastActiveAt: T0 + DAY },
          { channelKey: KEY, lastActiveAt: T0 + 4 * MINUTE },
        ]);
        expect((await store.studyChannels('amy', 'slack:', 10)).map((c) => c.channelKey)).toEqual([
          'slack:T1:C2',
          KEY,
          'slack:T10:C1',
        ]);
        expect(await store.studyChannels('amy', 'slack:T1:', 1)).toHaveLength(1);
        expect(await store.studyChannels('nobody', 'slack:', 10)).toEqual([]);
        expect(await store.recentQuizResults('amy', 'discord:', 5)).toEqual([
          {
            roundId: 'r3',
            channelKey: OTHER_KEY,
            topic: expect.any(String),
            at: T0 + 1_000,
            answered: 1,
            correct: 1,
            points: 100,
          },
        ]);
        expect(await store.recentQuizResults('dan', 'slack:T1:', 5)).toMatchObject([
          { roundId: 'r2', at: T0 + DAY + 1_000, answered: 1, correct: 1, points: 10 },
          { roundId: 'r1', at: T0 + 4 * MINUTE, answered: 1, correct: 1, points: 10 },
        ]);
      });
    });

    describe('review cards', () => {
      const card = (questionId: string, dueAt: number, userKey = 'slack:T1:U1') => ({
        userKey,
        questionId,
        question: quizQuestion(Number(questionId.slice(2))),
        card: JSON.stringify({ interval: 1, ease: 2.5, note: '복습' }),
        dueAt,
      });

      it('saves a card, and saving it again replaces it', async () => {
        expect(await store.reviewCard('slack:T1:U1', 'q-1')).toBeNull();
        await store.saveReviewCard(card('q-1', T0));
        expect(await store.reviewCard('slack:T1:U1', 'q-1')).toEqual(card('q-1', T0));
        const later = { ...card('q-1', T0 + DAY), card: '{"interval":3}' };
        await store.saveReviewCard(later);
        expect(await store.reviewCard('slack:T1:U1', 'q-1')).toEqual(later);
        expect(await store.countDueReviews('slack:T1:U1', T0 + 2 * DAY)).toBe(1);
      });

      it('lists and counts due cards, most overdue first, per user', async () => {
        await store.saveReviewCard(card('q-3', T0 + 2 * MINUTE));
        await store.saveReviewCard(card('q-1', T0));
        await store.saveReviewCard(card('q-2', T0 + MINUTE));
        await store.saveReviewCard(card('q-4', T0 + DAY));
        await store.saveReviewCard(card('q-5', T0, 'discord:G1:U1'));
        const now = T0 + 2 * MINUTE;
        expect((await store.dueReviews('slack:T1:U1', now, 10)).map((c) => c.questionId)).toEqual([
          'q-1',
          'q-2',
          'q-3',
        ]);
        expect((await store.dueReviews('slack:T1:U1', now, 2)).map((c) => c.questionId)).toEqual([
          'q-1',
          'q-2',
        ]);
        expect((await store.dueReviews('slack:T1:U1', now, 1))[0]).toEqual(card('q-1', T0));
        expect(await store.countDueReviews('slack:T1:U1', now)).toBe(3);
        expect(await store.countDueReviews('slack:T1:U1', T0 - 1)).toBe(0);
        expect(await store.countDueReviews('discord:G1:U1', now)).toBe(1);
        expect(await store.dueReviews('nobody', now, 10)).toEqual([]);
      });
    });

    describe('lifecycle', () => {
      it('answers ping and can be closed twice', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await store.close();
        const other = await openMigrated(target);
        await Promise.all([other.close(), other.close()]);
      });

      it('keeps its data across close and reopen', async () => {
        await store.updateChannel(KEY, { ...SCHEDULE, lang: 'ko' }, T0);
        await claimFire(store, KEY, T0, 1, 'proc-a', T0);
        await store.markPosted(KEY, T0, 'msg-1', T0 + MINUTE);
        await store.recordCompletion({ channelKey: KEY, userId: 'U1', lesson: 1, completedAt: T0 + DAY });
        const before = { channel: await store.getChannel(KEY), ledger: await store.ledger(KEY, 10) };
        await store.close();

        const reopened = await openMigrated(target);
        expect(await reopened.getChannel(KEY)).toEqual(before.channel);
        expect(await reopened.ledger(KEY, 10)).toEqual(before.ledger);
        expect(await reopened.completions(KEY, 'U1')).toEqual([1]);
        expect((await reopened.getChannel(KEY))?.position).toBe(2);
      });

      it('keeps quiz rounds, answers and review cards across close and reopen', async () => {
        await startRound(store);
        await answer(store, quizAnswer({ displayName: '김민아' }));
        await store.revealQuestion('round-1', 0, T0 + MINUTE);
        await store.advanceRound('round-1', 1);
        await store.saveReviewCard({
          userKey: 'slack:T1:U1',
          questionId: 'q-0',
          question: quizQuestion(0),
          card: '{}',
          dueAt: T0,
        });
        const before = {
          round: await store.getRound('round-1'),
          question: await store.roundQuestion('round-1', 0),
          answers: await store.answers('round-1', 0),
          scores: await store.roundScores('round-1'),
          cards: await store.dueReviews('slack:T1:U1', T0, 10),
        };
        expect(before.scores[0]?.displayName).toBe('김민아');
        await store.close();

        const reopened = await openMigrated(target);
        expect({
          round: await reopened.getRound('round-1'),
          question: await reopened.roundQuestion('round-1', 0),
          answers: await reopened.answers('round-1', 0),
          scores: await reopened.roundScores('round-1'),
          cards: await reopened.dueReviews('slack:T1:U1', T0, 10),
        }).toEqual(before);
        expect(await answer(reopened, quizAnswer())).toBe('duplicate');
        expect(await reopened.createRound(quizRound({ id: 'round-2' }), [])).toBe(false);
      });
    });
  });
}

const pgReachable = await postgresAvailable();
const pgMessage = `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)}`;
if (!pgReachable && !POSTGRES_REQUIRED) console.warn(`${pgMessage}: skipping the PostgreSQL store suites`);
const pgAvailability = {
  skip: !pgReachable && !POSTGRES_REQUIRED,
  ...(pgReachable
    ? {}
    : { failure: `${pgMessage}, and ORCH_REQUIRE_POSTGRES=1 requires the PostgreSQL store suites to run` }),
};

storeContract({ name: 'SQLite', createTarget: sqliteTarget, raceOnSeparateStores: false }, { skip: false });
storeContract(
  { name: 'PostgreSQL', createTarget: postgresTarget, raceOnSeparateStores: true },
  pgAvailability,
);

describe('SQLite store', () => {
  it('creates the parent folder and keeps the file in WAL mode', async () => {
    const target = await sqliteTarget();
    try {
      await openMigrated(target);
      expect(existsSync(target.path)).toBe(true);
      expect(await target.sql('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    } finally {
      await target.dispose();
    }
  });

  it('lets exactly one of two connections to one file apply the same plan', async () => {
    const target = await sqliteTarget();
    try {
      const [a, b] = [await openMigrated(target), await openMigrated(target)];
      await a.updateChannel(KEY, { ...SCHEDULE, nextFireAt: T0 }, T0);
      const plan = (claimedBy: string) =>
        firePlan({ post: { fireAt: T0, lesson: 1 }, nextFireAt: T0 + DAY, claimedBy });
      const results = await Promise.all([applyPlan(a, plan('a')), applyPlan(b, plan('b'))]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await b.ledger(KEY, 10)).toHaveLength(1);
    } finally {
      await target.dispose();
    }
  });

  it('works in memory', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      await store.migrate();
      expect((await store.updateChannel(KEY, { lang: 'en' }, T0)).lang).toBe('en');
    } finally {
      await store.close();
    }
  });

  it('is what openStore opens without a database URL, already migrated', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orch-open-'));
    const store = await openStore({ sqlitePath: join(dir, 'orch.db') });
    try {
      expect(store.kind).toBe('sqlite');
      expect(await store.getChannel(KEY)).toBeNull();
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('its file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'orch-file-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('is probed by a write: ping stamps the health_probe row', async () => {
      const path = join(dir, 'orch.db');
      const store = await openStore({ sqlitePath: path });
      await store.ping();
      await store.close();
      const db = new Database(path, { readonly: true });
      const rows = db.prepare('SELECT id, probed_at FROM health_probe').all() as { probed_at: number }[];
      db.close();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.probed_at).toBeGreaterThan(0);
    });

    it('fails ping, naming the path, once its file is replaced by another', async () => {
      const path = join(dir, 'orch.db');
      const store = await openStore({ sqlitePath: path });
      const other = await openStore({ sqlitePath: join(dir, 'other.db') });
      await other.close();
      await rename(join(dir, 'other.db'), path);
      await expect(store.ping()).rejects.toThrow(`the SQLite database ${path} was replaced`);
      await store.close();
    });

    it('refuses to create an empty database where one was before, until its marker is removed', async () => {
      const path = join(dir, 'data', 'orch.db');
      const first = await openStore({ sqlitePath: path });
      await first.close();
      expect(existsSync(sqliteMarkerPath(path))).toBe(true);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) await rm(file, { force: true });
      await expect(openStore({ sqlitePath: path })).rejects.toThrow(`the SQLite database ${path} is missing`);
      expect(existsSync(path)).toBe(false);
      await unlink(sqliteMarkerPath(path));
      const fresh = await openStore({ sqlitePath: path });
      expect(await fresh.getChannel(KEY)).toBeNull();
      await fresh.close();
    });
  });

  it('refuses to be used after close', async () => {
    const store = await openSqliteStore(':memory:');
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
  });
});

describe.skipIf(!pgReachable)('PostgreSQL store', () => {
  it('is what openStore opens with a database URL, already migrated', async () => {
    const schema = testSchemaName();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    await queryInSchema(TEST_DATABASE_URL, 'public', `CREATE SCHEMA ${schema}`);
    try {
      const store = await openStore({
        databaseUrl: url.toString(),
        sqlitePath: '/nonexistent/never-used.db',
      });
      try {
        expect(store.kind).toBe('postgres');
        expect(await store.getChannel(KEY)).toBeNull();
      } finally {
        await store.close();
      }
      const tables = await queryInSchema(
        TEST_DATABASE_URL,
        schema,
        'SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1',
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'catchup_days',
        'catchup_lessons',
        'channel_pages',
        'channels',
        'completions',
        'cron_runs',
        'deliveries',
        'digests',
        'group_events',
        'group_fires',
        'health_probe',
        'identities',
        'join_codes',
        'ledger',
        'link_codes',
        'member_catchup',
        'member_pauses',
        'question_pauses',
        'question_players',
        'question_reports',
        'quiz_answers',
        'quiz_questions',
        'quiz_rounds',
        'review_cards',
        'schema_migrations',
      ]);
    } finally {
      await dropSchema(TEST_DATABASE_URL, schema);
    }
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openPostgresStore(TEST_DATABASE_URL, { schema: 'x; DROP TABLE y' })).rejects.toThrow(
      /invalid PostgreSQL schema name/,
    );
  });
});

describe('pendingMigrations', () => {
  const known: Migration[] = [
    { version: 1, name: 'one', sql: 'SELECT 1' },
    { version: 2, name: 'two', sql: { sqlite: 'SELECT 2', postgres: 'SELECT 2' } },
  ];

  it('returns the missing migrations in order', () => {
    expect(pendingMigrations([], known).map((m) => m.version)).toEqual([1, 2]);
    expect(pendingMigrations([1], known).map((m) => m.version)).toEqual([2]);
    expect(pendingMigrations([1, 2], known)).toEqual([]);
  });

  it('refuses versions it does not know', () => {
    expect(() => pendingMigrations([1, 2, 3], known)).toThrow(/newer than this code/);
    expect(() => pendingMigrations([1, 2], [known[0] as Migration])).toThrow(/newer than this code/);
    expect(() => pendingMigrations([1], [{ version: 2, name: 'two', sql: '' }])).toThrow(/does not know/);
  });

  it('rejects a list that is not in ascending order', () => {
    expect(() => pendingMigrations([], [...known].reverse())).toThrow(/ascending/);
  });
});
