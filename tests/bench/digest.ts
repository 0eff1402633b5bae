// `npm run bench -- digest`: the weekly digest (issue 17). For one channel with 200 members and a year of history, on
// SQLite and PostgreSQL: the data query (gatherDigest) beside what a script would do instead (read the channel's rows
// and add them up in JS); the card's render with resvg as orch calls it beside resvg's defaults (system fonts scanned
// on each render), and its size. Then 1,000 channels crossing the week boundary in the same minute: how long until
// every digest is claimed, and until every one is drawn and handed to a platform that answers at once.
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { digestSvg, renderDigestCard } from '../../src/digest/digest-card.ts';
import { gatherDigest } from '../../src/digest/digest-data.ts';
import { DigestService } from '../../src/digest/digest-service.ts';
import type { Poster, Store } from '../../src/index.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import type { RoundQuestion } from '../../src/store/store.ts';
import { type Catalog, silentLogger } from '../../src/testing.ts';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, testSchemaName } from '../helpers/postgres.ts';
import { playRound, twoOptionQuestion } from '../helpers/quiz-history.ts';

const DAY = 24 * 60 * 60 * 1000;
const WEEK = 7 * DAY;
const KEY = 'slack:T1:CDIGEST';
const MEMBERS = 200;
const WEEKS = 52;
// Monday 2026-12-07 09:00 in Seoul, the digest's minute; the history runs the year before it.
const BOUNDARY = Date.parse('2026-12-07T00:00:00Z');
const RUNS = 200;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

/** A year of a busy group: three lessons a week, Done from most members, two 10-question rounds a week, reviews. */
async function seedYear(store: Store, catalog: Catalog): Promise<{ answers: number; completions: number }> {
  const lessons = catalog.roadmap.lessons.length;
  const start = BOUNDARY - WEEKS * WEEK;
  await store.updateChannel(
    KEY,
    { scheduleText: 'mon,wed,fri 09:00', cron: '0 9 * * 1,3,5', timeZone: 'Asia/Seoul', position: 1 },
    start - DAY,
  );
  let posted = 0;
  for (let week = 0; week < WEEKS && posted < lessons; week++) {
    for (const day of [0, 2, 4]) {
      if (posted >= lessons) break;
      const at = start + week * WEEK + day * DAY;
      posted++;
      await store.updateChannel(KEY, { nextFireAt: at }, at - 1);
      await store.applyFirePlans([
        {
          channelKey: KEY,
          post: { fireAt: at, lesson: posted },
          skipped: [],
          nextFireAt: at + DAY,
          expectedNextFireAt: at,
          claimedBy: 'seed',
          now: at,
        },
      ]);
      await store.markPosted(KEY, at, `m${posted}`, at);
    }
  }
  await store.updateChannel(KEY, { nextFireAt: BOUNDARY }, BOUNDARY - DAY);
  let completions = 0;
  for (let lesson = 1; lesson <= posted; lesson++)
    for (let member = 0; member < MEMBERS; member++)
      if ((member * 7 + lesson) % 10 < 7) {
        await store.recordCompletion({
          channelKey: KEY,
          userId: `U${member}`,
          lesson,
          completedAt: start + lesson * DAY,
        });
        completions++;
      }
  let answers = 0;
  for (let week = 0; week < WEEKS; week++) {
    for (const round of [0, 1]) {
      const questions = Array.from({ length: 10 }, (_, i) => twoOptionQuestion(`q${(week * 10 + i) % 150}`));
      answers += await playRound(
        store,
        {
          id: `r${week}-${round}`,
          channelKey: KEY,
          at: start + week * WEEK + (round * 3 + 1) * DAY,
          questions,
        },
        // Half the group plays a round; about two answers in three are right.
        (index) =>
          Array.from({ length: MEMBERS / 2 }, (_, m) => {
            const member = (m * 2 + week + round) % MEMBERS;
            return {
              userId: `U${member}`,
              displayName: `멤버${member}`,
              correct: (member + index + week) % 3 !== 0,
            };
          }),
      );
    }
  }
  for (let member = 0; member < MEMBERS; member++)
    for (let card = 0; card < 20; card++)
      await store.saveReviewCard({
        userKey: `slack:T1:U${member}`,
        questionId: `q${card}`,
        question: twoOptionQuestion(`q${card}`),
        card: '{}',
        dueAt: BOUNDARY + (card % 14) * DAY,
      });
  return { answers, completions };
}

/** What a script would do instead: read the channel's answers and completions and add them up in JS. */
async function scriptedDigest(store: Store, since: number, until: number) {
  // The store's own connection (the SqlStore's dialect), as a script sharing the database would have one.
  const db = (
    store as unknown as { db: { all(sql: string, p: unknown[]): Promise<Record<string, unknown>[]> } }
  ).db;
  const rows = (await db.all(
    `SELECT a.user_id, a.display_name, a.points, a.correct, a.answered_at, q.question_json
     FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
     JOIN quiz_questions q ON q.round_id = a.round_id AND q.idx = a.idx WHERE r.channel_key = ?`,
    [KEY],
  )) as { user_id: string; points: number; correct: unknown; answered_at: unknown; question_json: string }[];
  const board = new Map<string, number>();
  const questions = new Map<string, [number, number]>();
  for (const row of rows) {
    const at = Number(row.answered_at);
    if (at < since || at >= until) continue;
    board.set(row.user_id, (board.get(row.user_id) ?? 0) + Number(row.points));
    const id = (JSON.parse(row.question_json) as RoundQuestion).questionId;
    const q = questions.get(id) ?? [0, 0];
    q[0]++;
    if (row.correct === true || row.correct === 1) q[1]++;
    questions.set(id, q);
  }
  const ledger = await store.ledger(KEY, 1000);
  const done = new Map<number, number>();
  for (const row of await db.all('SELECT lesson FROM completions WHERE channel_key = ?', [KEY]))
    done.set(Number(row.lesson), (done.get(Number(row.lesson)) ?? 0) + 1);
  return {
    board: [...board].sort((a, b) => b[1] - a[1]).slice(0, 5),
    questions: questions.size,
    ledger,
    done,
  };
}

async function openBackend(kind: 'sqlite' | 'postgres'): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const store = await openSqliteStore(join(await mkdtemp(join(tmpdir(), 'orch-bench-digest-')), 'orch.db'));
    await store.migrate();
    return { store, dispose: () => store.close() };
  }
  const schema = testSchemaName();
  const store = await openPostgresStore(TEST_DATABASE_URL, { schema });
  await store.migrate();
  return {
    store,
    async dispose() {
      await store.close();
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

export async function benchDigest(catalog: Catalog): Promise<void> {
  const backends: ('sqlite' | 'postgres')[] = ['sqlite'];
  if (await postgresAvailable()) backends.push('postgres');
  else console.log(`  PostgreSQL not reachable at ${TEST_DATABASE_URL}: its rows are left out`);
  console.log(
    `\ndigest data: one channel, ${MEMBERS} members, a year of history; ${RUNS} digests of weeks across the year` +
      ' (each a different week, so no query repeats); baseline: the rows read and added up in JS',
  );
  const rows: string[] = [];
  let sample: Awaited<ReturnType<typeof gatherDigest>> | undefined;
  for (const kind of backends) {
    const { store, dispose } = await openBackend(kind);
    try {
      const seeded = await seedYear(store, catalog);
      const channel = await store.getChannel(KEY);
      if (!channel) throw new Error('no channel');
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const now = BOUNDARY - (i % WEEKS) * WEEK + 60_000;
        let t = performance.now();
        sample = await gatherDigest(store, catalog, channel, now, 'ko');
        ours.push(performance.now() - t);
        t = performance.now();
        await scriptedDigest(store, now - WEEK, now);
        theirs.push(performance.now() - t);
      }
      // Where the time goes: each of gatherDigest's queries on its own, p99 over the same weeks.
      const parts: Record<string, number[]> = {};
      const time = async (name: string, run: () => Promise<unknown>) => {
        const t = performance.now();
        await run();
        const samples = parts[name] ?? [];
        samples.push(performance.now() - t);
        parts[name] = samples;
      };
      for (let i = 0; i < 50; i++) {
        const now = BOUNDARY - (i % WEEKS) * WEEK + 60_000;
        await time('ledger', () => store.ledger(KEY, 200));
        await time('leaderboard', () => store.leaderboardBetween(KEY, now - WEEK, now, 500));
        await time('question results', () => store.questionResults(KEY, now - WEEK, now));
        await time('Done by lesson', () => store.lessonCompleters(KEY, [1, 2, 3]));
        await time('reviews due', () =>
          store.countDueReviewsOf(
            Array.from({ length: MEMBERS }, (_, m) => `slack:T1:U${m}`),
            now + WEEK,
          ),
        );
      }
      const breakdown = Object.entries(parts)
        .map(([name, samples]) => `${name} ${ms(percentile(samples, 99))}`)
        .join(', ');
      rows.push(
        `  ${kind.padEnd(8)} (${seeded.answers} answers, ${seeded.completions} Done presses): orch p50 ${ms(percentile(ours, 50))}, ` +
          `p99 ${ms(percentile(ours, 99))} (target <= 50 ms: ${percentile(ours, 99) <= 50 ? 'PASS' : 'FAIL'}); ` +
          `script p50 ${ms(percentile(theirs, 50))}, p99 ${ms(percentile(theirs, 99))}\n    orch's queries one by one, p99: ${breakdown}`,
      );
    } finally {
      await dispose();
    }
  }
  console.log(rows.join('\n'));

  if (!sample) return;
  const data = sample;
  console.log(
    '\ndigest card: 1200x675 PNG of that week, Korean; baseline: resvg with its defaults (system fonts loaded)',
  );
  renderDigestCard(data);
  const renders: number[] = [];
  let size = 0;
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    size = renderDigestCard(data).byteLength;
    renders.push(performance.now() - t);
  }
  const { Resvg } = createRequire(import.meta.url)('@resvg/resvg-js') as { Resvg: typeof ResvgClass };
  const svg = digestSvg(data);
  const defaults: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    new Resvg(svg).render().asPng();
    defaults.push(performance.now() - t);
  }
  console.log(
    `  orch: p50 ${ms(percentile(renders, 50))}, p99 ${ms(percentile(renders, 99))} (target <= 300 ms: ` +
      `${percentile(renders, 99) <= 300 ? 'PASS' : 'FAIL'}); PNG ${(size / 1024).toFixed(0)} KB (target <= 300 KB: ` +
      `${size <= 300 * 1024 ? 'PASS' : 'FAIL'})\n  resvg defaults: p50 ${ms(percentile(defaults, 50))}, ` +
      `p99 ${ms(percentile(defaults, 99))} (and no Hangul without a system Korean font)`,
  );

  console.log('\nweek boundary: 1,000 scheduled channels reach Monday 09:00 in the same minute (SQLite)');
  const { store, dispose } = await openBackend('sqlite');
  try {
    for (let i = 0; i < 1000; i++)
      await store.updateChannel(
        `slack:T1:C${i}`,
        { scheduleText: 'weekdays 09:00', cron: '0 9 * * 1-5', timeZone: 'Asia/Seoul', nextFireAt: BOUNDARY },
        BOUNDARY - WEEK,
      );
    let claimedAt = 0;
    let posted = 0;
    const instant: Poster = {
      async post() {
        posted++;
        return { messageId: `m${posted}` };
      },
    };
    const t0 = performance.now();
    const service = new DigestService({
      store,
      catalog: () => catalog,
      poster: instant,
      clock: { now: () => new Date(BOUNDARY + 30_000) },
      logger: silentLogger,
      instanceId: 'bench',
      defaultLang: 'ko',
      onStep: (step) => {
        if (step === 'claimed') claimedAt = performance.now() - t0;
      },
    });
    const report = await service.pass(BOUNDARY + 30_000);
    const total = performance.now() - t0;
    console.log(
      `  claimed ${report.claimed} in ${ms(claimedAt)} (target: all within the minute: ${report.claimed === 1000 && claimedAt < 60_000 ? 'PASS' : 'FAIL'}); ` +
        `all ${report.posted} drawn and posted to an instant platform in ${(total / 1000).toFixed(1)} s`,
    );
  } finally {
    await dispose();
  }
}
