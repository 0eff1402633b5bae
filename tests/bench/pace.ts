// `npm run bench -- pace`: the group-pace decision (issue 18). 10,000 channels with 50 members each, every one due at
// the same minute (a popular 09:00), on SQLite and PostgreSQL: each channel's decision alone (its facts read from the
// store and the rule applied), p50/p99 over every channel; and the scheduler's whole dispatch of that minute (find the
// due channels, plan, decide, write the claims) with the rule on, beside the same minute with it off. A baseline row:
// what a script would do instead, read the channel's ledger and its Done marks and count in JS.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Poster, Store } from '../../src/index.ts';
import { planCatchUps } from '../../src/lessons/catch-up.ts';
import { ACTIVE_WINDOW_MS, decidePace } from '../../src/lessons/group-pace.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { type Catalog, LessonScheduler, silentLogger } from '../../src/testing.ts';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, testSchemaName } from '../helpers/postgres.ts';

const CHANNELS = Number(process.env.ORCH_BENCH_PACE_CHANNELS ?? 10_000);
const MEMBERS = 50;
/** Lessons posted before the minute, one a day. */
const POSTED = 8;
const DAY = 86_400_000;
// Monday 2026-12-07 09:00 in Seoul: every channel's next fire.
const MINUTE = Date.parse('2026-12-07T00:00:00Z');

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const key = (c: number) => `slack:T1:P${String(c).padStart(5, '0')}`;

/** Rows to seed: each channel's settings, its posted lessons and its members' Done marks (about 70% of them). */
function* seedRows(): Generator<{
  channel: unknown[];
  ledger: unknown[][];
  done: unknown[][];
  catchUp: unknown[][];
}> {
  for (let c = 0; c < CHANNELS; c++) {
    const k = key(c);
    const ledger: unknown[][] = [];
    const done: unknown[][] = [];
    for (let lesson = 1; lesson <= POSTED; lesson++) {
      const at = MINUTE - (POSTED - lesson + 1) * DAY;
      ledger.push([k, at, lesson, 'posted', 'seed', at, 1, `m${lesson}`, at, 'lesson']);
      // A third of the channels fall behind on the latest lessons: their decision is a review day.
      const behind = c % 3 === 0 && lesson >= POSTED - 1;
      for (let m = 0; m < MEMBERS; m++)
        if ((m * 7 + lesson + c) % 10 < (behind ? 3 : 7)) done.push([k, `U${m}`, lesson, at + 3_600_000]);
    }
    const channel = [k, 'daily 09:00', '0 9 * * *', 'Asia/Seoul', POSTED + 1, MINUTE, MINUTE - DAY];
    // Every member is catching up at two lessons a day: the most planning a channel's slot can have.
    const catchUp = Array.from({ length: MEMBERS }, (_, m) => [k, `U${m}`, 2, MINUTE - 2 * DAY]);
    yield { channel, ledger, done, catchUp };
  }
}

interface Backend {
  name: string;
  store: Store;
  /** Puts every member of every channel on a catch-up of two lessons a day (after the pace decisions are measured). */
  seedCatchUps(): Promise<void>;
  /** Turns the pace rule on or off in every channel and puts every channel's next fire back on the minute. */
  reset(pace: 'on' | 'off'): Promise<void>;
  /** Makes every two channels one study group (as a Slack and a Discord channel of one group are). */
  pairIntoGroups(): Promise<void>;
  dispose(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const path = join(await mkdtemp(join(tmpdir(), 'orch-bench-pace-')), 'orch.db');
  const store = await openSqliteStore(path);
  await store.migrate();
  const db = new Database(path);
  db.pragma('busy_timeout = 10000');
  const channel = db.prepare(
    `INSERT INTO channels (channel_key, schedule_text, cron, time_zone, position, next_fire_at, updated_at, threads)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const ledger = db.prepare(
    `INSERT INTO ledger (channel_key, fire_at, lesson, status, claimed_by, claimed_at, attempts, message_id, posted_at, kind)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const done = db.prepare(
    'INSERT INTO completions (channel_key, user_id, lesson, completed_at) VALUES (?, ?, ?, ?)',
  );
  const catchUp = db.prepare(
    'INSERT INTO member_catchup (channel_key, user_id, per_day, started_at) VALUES (?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const rows of seedRows()) {
      channel.run(...rows.channel);
      for (const row of rows.ledger) ledger.run(...row);
      for (const row of rows.done) done.run(...row);
    }
  })();
  db.exec('ANALYZE');
  return {
    name: 'SQLite',
    store,
    async seedCatchUps() {
      db.transaction(() => {
        for (const rows of seedRows()) for (const row of rows.catchUp) catchUp.run(...row);
      })();
    },
    async reset(pace) {
      db.prepare(`UPDATE channels SET pace = ?, next_fire_at = ?`).run(pace === 'off' ? 'off' : null, MINUTE);
      db.prepare('DELETE FROM ledger WHERE fire_at >= ?').run(MINUTE);
    },
    async pairIntoGroups() {
      db.exec(
        `UPDATE channels SET group_key =
           'slack:T1:P' || substr('00000' || ((CAST(substr(channel_key, 11) AS INTEGER) / 2) * 2), -5, 5)`,
      );
    },
    async dispose() {
      db.close();
      await store.close();
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  const schema = testSchemaName();
  const store = await openPostgresStore(TEST_DATABASE_URL, { schema });
  await store.migrate();
  const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  const insert = async (table: string, columns: string, types: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 20_000) {
      const chunk = rows.slice(i, i + 20_000);
      await pool.query(
        `INSERT INTO ${schema}.${table} (${columns}) SELECT * FROM unnest(${types.map((t, n) => `$${n + 1}::${t}[]`).join(', ')})`,
        types.map((_, n) => chunk.map((r) => r[n])),
      );
    }
  };
  let channels: unknown[][] = [];
  let ledgers: unknown[][] = [];
  let dones: unknown[][] = [];
  let catchUps: unknown[][] = [];
  const flush = async () => {
    await insert(
      'channels',
      'channel_key, schedule_text, cron, time_zone, position, next_fire_at, updated_at',
      ['text', 'text', 'text', 'text', 'int', 'bigint', 'bigint'],
      channels,
    );
    await insert(
      'ledger',
      'channel_key, fire_at, lesson, status, claimed_by, claimed_at, attempts, message_id, posted_at, kind',
      ['text', 'bigint', 'int', 'text', 'text', 'bigint', 'int', 'text', 'bigint', 'text'],
      ledgers,
    );
    await insert(
      'completions',
      'channel_key, user_id, lesson, completed_at',
      ['text', 'text', 'int', 'bigint'],
      dones,
    );
    await insert(
      'member_catchup',
      'channel_key, user_id, per_day, started_at',
      ['text', 'text', 'int', 'bigint'],
      catchUps,
    );
    catchUps = [];
    channels = [];
    ledgers = [];
    dones = [];
  };
  for (const rows of seedRows()) {
    channels.push(rows.channel);
    ledgers.push(...rows.ledger);
    dones.push(...rows.done);
    if (dones.length > 100_000) await flush();
  }
  await flush();
  await pool.query(`UPDATE ${schema}.channels SET threads = FALSE`);
  await pool.query(
    `ANALYZE ${schema}.channels; ANALYZE ${schema}.ledger; ANALYZE ${schema}.completions; ANALYZE ${schema}.member_catchup`,
  );
  return {
    name: 'PostgreSQL',
    store,
    async seedCatchUps() {
      for (const rows of seedRows()) catchUps.push(...rows.catchUp);
      await insert(
        'member_catchup',
        'channel_key, user_id, per_day, started_at',
        ['text', 'text', 'int', 'bigint'],
        catchUps,
      );
      catchUps = [];
      await pool.query(`ANALYZE ${schema}.member_catchup`);
    },
    async reset(pace) {
      await pool.query(`UPDATE ${schema}.channels SET pace = $1, next_fire_at = $2`, [
        pace === 'off' ? 'off' : null,
        MINUTE,
      ]);
      await pool.query(`DELETE FROM ${schema}.ledger WHERE fire_at >= $1`, [MINUTE]);
    },
    async pairIntoGroups() {
      await pool.query(
        `UPDATE ${schema}.channels SET group_key =
           'slack:T1:P' || lpad(((substr(channel_key, 11)::int / 2) * 2)::text, 5, '0')`,
      );
      await pool.query(`ANALYZE ${schema}.channels`);
    },
    async dispose() {
      await pool.end();
      await store.close();
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

/** The baseline: a script's decision from the channel's rows, read whole and counted in JS. */
async function scripted(store: Store, channelKey: string, now: number): Promise<'lesson' | 'review'> {
  const ledger = (await store.ledger(channelKey, 5000)).filter(
    (e) => e.status === 'posted' && e.kind === 'lesson',
  );
  const last = ledger.slice(0, 2).map((e) => e.lesson);
  const members = new Map<string, number[]>();
  // Every member's Done marks, one read per member a script knows of (its own list of members).
  for (let m = 0; m < MEMBERS; m++) members.set(`U${m}`, await store.completions(channelKey, `U${m}`));
  let active = 0;
  let done = 0;
  for (const lessons of members.values()) {
    if (lessons.length === 0) continue;
    active++;
    done += lessons.filter((l) => last.includes(l)).length;
  }
  void now;
  return active >= 2 && done / (active * 2) < 0.5 ? 'review' : 'lesson';
}

const instantPoster: Poster = {
  async post(_channel, _reply, key) {
    return { messageId: `m-${key}` };
  },
};

export async function benchPace(catalog: Catalog): Promise<void> {
  const backends: (() => Promise<Backend>)[] = [sqliteBackend];
  if (await postgresAvailable()) backends.push(postgresBackend);
  else console.log(`  PostgreSQL not reachable at ${TEST_DATABASE_URL}: its rows are left out`);
  console.log(
    `\ngroup pace: ${CHANNELS.toLocaleString('en')} channels x ${MEMBERS} members, ${POSTED} lessons posted, all due at one minute;` +
      ' a third of them fell behind (their decision is a review day)',
  );
  const table: string[] = [];
  for (const open of backends) {
    const t0 = performance.now();
    const backend = await open();
    const seeded = performance.now() - t0;
    try {
      const { store } = backend;
      await backend.reset('on');
      // Each channel's decision on its own: its facts from the store, then the rule.
      const ours: number[] = [];
      let reviews = 0;
      for (let c = 0; c < CHANNELS; c++) {
        const t = performance.now();
        const facts = await store.paceFacts(key(c), MINUTE - ACTIVE_WINDOW_MS, MINUTE);
        if (decidePace({ pace: null, paceOverride: null }, facts).kind === 'review') reviews++;
        ours.push(performance.now() - t);
      }
      const theirs: number[] = [];
      for (let c = 0; c < Math.min(CHANNELS, 500); c++) {
        const t = performance.now();
        await scripted(store, key(c * Math.floor(CHANNELS / 500)), MINUTE);
        theirs.push(performance.now() - t);
      }
      // The scheduler's dispatch of the minute: due channels found, planned, decided and claimed, before any post.
      const dispatch = async (pace: 'on' | 'off') => {
        await backend.reset(pace);
        const scheduler = new LessonScheduler({
          store,
          catalog,
          poster: instantPoster,
          clock: { now: () => new Date(MINUTE + 1_000) },
          logger: silentLogger,
          instanceId: 'bench',
          defaultLang: 'ko',
        });
        const report = await scheduler.tick();
        return report;
      };
      const off = await dispatch('off');
      const on = await dispatch('on');
      // The same decisions with every two channels one study group: the facts are read across both channels, each
      // person once (the path a Slack and a Discord channel of one group take).
      await backend.pairIntoGroups();
      const grouped: number[] = [];
      for (let c = 0; c < CHANNELS; c++) {
        const t = performance.now();
        await store.paceFacts(key(c), MINUTE - ACTIVE_WINDOW_MS, MINUTE);
        grouped.push(performance.now() - t);
      }
      table.push(
        `  ${backend.name.padEnd(10)} | decision p50 ${ms(percentile(ours, 50))} p99 ${ms(percentile(ours, 99))} (${reviews.toLocaleString('en')} review days)` +
          `, in groups of two channels p50 ${ms(percentile(grouped, 50))} p99 ${ms(percentile(grouped, 99))}` +
          ` | baseline (script) p50 ${ms(percentile(theirs, 50))} p99 ${ms(percentile(theirs, 99))}` +
          ` | minute dispatch: rule on ${(on.dispatchMs / 1000).toFixed(2)} s, off ${(off.dispatchMs / 1000).toFixed(2)} s` +
          ` (${on.planned.toLocaleString('en')} planned, ${on.posted.toLocaleString('en')} posted) | seeded in ${(seeded / 1000).toFixed(1)} s`,
      );
      // Then every member starts catching up, and each channel's day is planned for its 50 members: their Done marks
      // read, each day planned and written. (After the decisions: a member catching up does not count as active.)
      await backend.seedCatchUps();
      // One channel at a time for each channel's own cost, then the next day eight at a time, as the scheduler's post
      // workers plan them after each channel's post, for the time the whole minute takes.
      const planning: number[] = [];
      let planned = 0;
      for (let c = 0; c < CHANNELS; c++) {
        const t = performance.now();
        const day = await planCatchUps(store, key(c), 'Asia/Seoul', MINUTE + 60_000);
        planning.push(performance.now() - t);
        planned += day.lessons.size;
      }
      let nextChannel = 0;
      const wall = performance.now();
      const worker = async () => {
        for (let c = nextChannel++; c < CHANNELS; c = nextChannel++)
          await planCatchUps(store, key(c), 'Asia/Seoul', MINUTE + DAY + 60_000);
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      const wallMs = performance.now() - wall;
      if (planned !== CHANNELS * MEMBERS)
        throw new Error(`planned ${planned} members, not ${CHANNELS * MEMBERS}`);
      table.push(
        `  ${backend.name.padEnd(10)} | catch-up day for ${MEMBERS} members per channel: p50 ${ms(percentile(planning, 50))} p99 ${ms(percentile(planning, 99))}` +
          ` | ${(wallMs / 1000).toFixed(1)} s for all ${CHANNELS.toLocaleString('en')} channels, 8 at a time as the scheduler's workers`,
      );
      if (reviews !== Math.ceil(CHANNELS / 3))
        throw new Error(`expected ${Math.ceil(CHANNELS / 3)} review days, got ${reviews}`);
    } finally {
      await backend.dispose();
    }
  }
  console.log(table.join('\n'));
  console.log(
    '  target: the decision and the catch-up day p99 <= 50 ms per channel on both databases, and the whole minute inside the minute',
  );
}
