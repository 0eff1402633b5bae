// The scheduling half of `npm run bench`: 10,000 scheduled channels on SQLite and PostgreSQL.
// Measures the per-minute "find and dispatch the due channels" step and the whole tick (posting excluded), side by
// side on each backend with the scheduler a developer would build by hand: a table of channels with an index on
// their next due time, one indexed query for the due rows and an update of each to its next fire, in a transaction.
// (An earlier baseline asked node-cron's match() about every channel every minute, which nobody would ship.)
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Poster, Store } from '../../src/index.ts';
import { nextFireAfter } from '../../src/lessons/cron-fires.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { type Catalog, LessonScheduler, silentLogger } from '../../src/testing.ts';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, testSchemaName } from '../helpers/postgres.ts';

const CHANNELS = 10_000;
const MINUTE = 60_000;
const ZONES = ['Asia/Seoul', 'Asia/Seoul', 'Asia/Seoul', 'Europe/Berlin', 'America/New_York', 'UTC'];
// 2026-11-25 00:00 UTC, a Wednesday.
const T0 = Date.parse('2026-11-25T00:00:00Z');

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return { p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? 0 };
}

/** Deterministic pseudo-random numbers, so every run schedules the same channels. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A spread of realistic study schedules: most groups pick a round time, some mornings and evenings are busy. */
function schedules(): { cron: string; timeZone: string }[] {
  const next = random(42);
  return Array.from({ length: CHANNELS }, () => {
    const hour = Math.floor(next() * 24);
    const minute = [0, 0, 0, 30, 15, 45][Math.floor(next() * 6)] ?? 0;
    const days = ['*', '1-5', '1,3,5', '2,4'][Math.floor(next() * 4)] ?? '*';
    return {
      cron: `${minute} ${hour} * * ${days}`,
      timeZone: ZONES[Math.floor(next() * ZONES.length)] ?? 'UTC',
    };
  });
}

/** A platform that answers at once: posting is excluded from the measurement. */
const instantPoster: Poster = {
  async post(_channelKey, _reply, key) {
    return { messageId: key };
  },
};

async function seed(store: Store, rules: { cron: string; timeZone: string }[]): Promise<void> {
  for (const [i, rule] of rules.entries()) {
    await store.updateChannel(
      `bench:T:C${i}`,
      { ...rule, scheduleText: rule.cron, nextFireAt: nextFireAfter(rule.cron, rule.timeZone, T0) },
      T0,
    );
  }
}

interface ScheduleResult {
  backend: string;
  dispatch: Percentiles;
  tick: Percentiles;
  busiestMinute: number;
  fires: number;
  ledgerPerSecond: number;
}

async function measure(
  backend: string,
  store: Store,
  catalog: Catalog,
  minutes: number,
): Promise<ScheduleResult> {
  let now = T0;
  const clock = { now: () => new Date(now) };
  const tickTimes: number[] = [];
  const dispatchTimes: number[] = [];
  let busiest = 0;
  let fires = 0;
  // One tick per simulated minute: find the due channels, plan and claim their fires in the ledger, "post" them
  // through a platform that answers at once, and mark them posted. Only the platform's own latency is left out.
  const scheduler = new LessonScheduler({
    store,
    catalog,
    poster: instantPoster,
    clock,
    logger: silentLogger,
    instanceId: 'bench',
    defaultLang: 'ko',
  });
  for (let m = 1; m <= minutes; m++) {
    now = T0 + m * MINUTE;
    const t0 = performance.now();
    const report = await scheduler.tick();
    tickTimes.push(performance.now() - t0);
    dispatchTimes.push(report.dispatchMs);
    fires += report.posted;
    busiest = Math.max(busiest, report.planned);
  }
  const seconds = tickTimes.reduce((a, b) => a + b, 0) / 1000;
  return {
    backend,
    dispatch: percentiles(dispatchTimes),
    tick: percentiles(tickTimes),
    busiestMinute: busiest,
    fires,
    ledgerPerSecond: fires / Math.max(seconds, 1e-9),
  };
}

/**
 * One minute of the hand-built scheduler: the due rows by an indexed query, each moved to its next fire. The cron
 * math is orch's own nextFireAfter, so the row measures the storage work, not a cron library.
 */
interface DueTable {
  minute(nowMs: number): Promise<number>;
  close(): Promise<void>;
}

async function sqliteDueTable(rules: { cron: string; timeZone: string }[]): Promise<DueTable> {
  const db = new Database(join(await mkdtemp(join(tmpdir(), 'orch-bench-due-')), 'due.db'));
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE due (channel TEXT PRIMARY KEY, cron TEXT NOT NULL, tz TEXT NOT NULL, next_fire_at INTEGER);' +
      ' CREATE INDEX due_next ON due (next_fire_at)',
  );
  const insert = db.prepare('INSERT INTO due VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const [i, r] of rules.entries())
      insert.run(`C${i}`, r.cron, r.timeZone, nextFireAfter(r.cron, r.timeZone, T0));
  })();
  const select = db.prepare('SELECT channel, cron, tz FROM due WHERE next_fire_at <= ?');
  const advance = db.prepare('UPDATE due SET next_fire_at = ? WHERE channel = ?');
  const minute = db.transaction((nowMs: number) => {
    const rows = select.all(nowMs) as { channel: string; cron: string; tz: string }[];
    for (const row of rows) advance.run(nextFireAfter(row.cron, row.tz, nowMs), row.channel);
    return rows.length;
  });
  return {
    minute: async (nowMs) => minute(nowMs),
    close: async () => {
      db.close();
    },
  };
}

async function postgresDueTable(rules: { cron: string; timeZone: string }[]): Promise<DueTable> {
  const schema = testSchemaName();
  const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query(
    `CREATE TABLE ${schema}.due (channel TEXT PRIMARY KEY, cron TEXT NOT NULL, tz TEXT NOT NULL, next_fire_at BIGINT);` +
      ` CREATE INDEX ON ${schema}.due (next_fire_at)`,
  );
  for (let i = 0; i < rules.length; i += 1000) {
    const chunk = rules.slice(i, i + 1000);
    await pool.query(
      `INSERT INTO ${schema}.due SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])`,
      [
        chunk.map((_, k) => `C${i + k}`),
        chunk.map((r) => r.cron),
        chunk.map((r) => r.timeZone),
        chunk.map((r) => nextFireAfter(r.cron, r.timeZone, T0)),
      ],
    );
  }
  await pool.query(`ANALYZE ${schema}.due`);
  return {
    async minute(nowMs) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ channel: string; cron: string; tz: string }>(
          `SELECT channel, cron, tz FROM ${schema}.due WHERE next_fire_at <= $1 FOR UPDATE SKIP LOCKED`,
          [nowMs],
        );
        if (rows.length > 0)
          await client.query(
            `UPDATE ${schema}.due AS d SET next_fire_at = v.next FROM unnest($1::text[], $2::bigint[]) AS v(channel, next)` +
              ' WHERE d.channel = v.channel',
            [rows.map((r) => r.channel), rows.map((r) => nextFireAfter(r.cron, r.tz, nowMs))],
          );
        await client.query('COMMIT');
        return rows.length;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

/** The hand-built scheduler over `minutes` simulated minutes: per-minute times and the busiest minute. */
async function dueTableRun(table: DueTable, minutes: number): Promise<Percentiles & { busiest: number }> {
  const times: number[] = [];
  let busiest = 0;
  for (let m = 1; m <= minutes; m++) {
    const t0 = performance.now();
    busiest = Math.max(busiest, await table.minute(T0 + m * MINUTE));
    times.push(performance.now() - t0);
  }
  return { ...percentiles(times), busiest };
}

const ms = (v: number) => `${v.toFixed(2)} ms`;

/** Runs the scheduling benchmark and prints its table. */
export async function benchSchedule(catalog: Catalog): Promise<void> {
  const rules = schedules();
  const minutes = Number(process.env.BENCH_MINUTES ?? 24 * 60);
  console.log(
    `\nscheduling: ${CHANNELS} channels, ${minutes} simulated minutes from ${new Date(T0).toISOString()}`,
  );
  const rows: string[][] = [];
  const wholeTicks: string[] = [];
  const backends: [
    string,
    () => Promise<{ store: Store; dispose: () => Promise<void> }>,
    (r: typeof rules) => Promise<DueTable>,
  ][] = [
    [
      'SQLite (file, WAL)',
      async () => {
        const store = await openSqliteStore(join(await mkdtemp(join(tmpdir(), 'orch-bench-')), 'bench.db'));
        await store.migrate();
        return { store, dispose: () => store.close() };
      },
      sqliteDueTable,
    ],
  ];
  if (await postgresAvailable()) {
    backends.push([
      'PostgreSQL',
      async () => {
        const schema = testSchemaName();
        const store = await openPostgresStore(TEST_DATABASE_URL, { schema });
        await store.migrate();
        return {
          store,
          dispose: async () => {
            await store.close();
            await dropSchema(TEST_DATABASE_URL, schema);
          },
        };
      },
      postgresDueTable,
    ]);
  } else {
    console.log(`PostgreSQL not reachable at ${TEST_DATABASE_URL}: its row is left out`);
  }
  for (const [name, open, openDueTable] of backends) {
    const { store, dispose } = await open();
    try {
      const t0 = performance.now();
      await seed(store, rules);
      const seedMs = performance.now() - t0;
      const result = await measure(name, store, catalog, minutes);
      wholeTicks.push(`${name} ${ms(result.tick.p99)}`);
      rows.push([
        `${name}: find + plan + claim (dispatch)`,
        ms(result.dispatch.p50),
        ms(result.dispatch.p99),
        ms(result.dispatch.max),
        String(result.busiestMinute),
        '',
      ]);
      rows.push([
        `${name}: whole tick, instant platform`,
        ms(result.tick.p50),
        ms(result.tick.p99),
        ms(result.tick.max),
        String(result.busiestMinute),
        `${result.ledgerPerSecond.toFixed(0)} fires/s (${result.fires} fires; seeding ${(CHANNELS / (seedMs / 1000)).toFixed(0)} channels/s)`,
      ]);
    } finally {
      await dispose();
    }
    const table = await openDueTable(rules);
    try {
      const due = await dueTableRun(table, minutes);
      rows.push([
        `${name}: baseline, indexed due-time query + update`,
        ms(due.p50),
        ms(due.p99),
        ms(due.max),
        String(due.busiest),
        'no ledger: a crash between update and post loses or repeats a lesson',
      ]);
    } finally {
      await table.close();
    }
  }
  const header = ['run (per simulated minute)', 'p50', 'p99', 'max', 'busiest minute', 'ledger throughput'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(
    `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`,
  );
  console.log(
    `whole tick p99 (what a replica spends each minute, ledger included): ${wholeTicks.join(', ')}`,
  );
  console.log(
    'target: p99 <= 50 ms to find and dispatch the channels due in a minute, posting excluded; the whole tick (ledger' +
      ' claims and marks included) is the figure a replica spends each minute',
  );
}
