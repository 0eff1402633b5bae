// The scheduling half of `npm run bench`: 10,000 scheduled channels on SQLite and PostgreSQL.
// Measures the per-minute "find and dispatch the due channels" step (posting excluded), side by side with a
// naive scheduler that asks node-cron whether each channel's rule matches the minute, and the ledger's throughput.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTask } from 'node-cron';
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

/** The naive baseline: every minute, ask node-cron whether each of the 10,000 rules matches. */
function naiveScan(rules: { cron: string; timeZone: string }[], minutes: number): Percentiles {
  const tasks = rules.map((r) => createTask(r.cron, () => undefined, { timezone: r.timeZone }));
  const times: number[] = [];
  for (let m = 1; m <= minutes; m++) {
    const date = new Date(T0 + m * MINUTE);
    const t0 = performance.now();
    let due = 0;
    for (const task of tasks) if (task.match(date)) due++;
    times.push(performance.now() - t0);
    void due;
  }
  for (const task of tasks) void task.destroy();
  return percentiles(times);
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
  const backends: [string, () => Promise<{ store: Store; dispose: () => Promise<void> }>][] = [
    [
      'SQLite (file, WAL)',
      async () => {
        const store = await openSqliteStore(join(await mkdtemp(join(tmpdir(), 'orch-bench-')), 'bench.db'));
        await store.migrate();
        return { store, dispose: () => store.close() };
      },
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
    ]);
  } else {
    console.log(`PostgreSQL not reachable at ${TEST_DATABASE_URL}: its row is left out`);
  }
  for (const [name, open] of backends) {
    const { store, dispose } = await open();
    try {
      const t0 = performance.now();
      await seed(store, rules);
      const seedMs = performance.now() - t0;
      const result = await measure(name, store, catalog, minutes);
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
  }
  const naive = naiveScan(rules, Math.min(minutes, 120));
  rows.push([
    'baseline: node-cron match() over every channel',
    ms(naive.p50),
    ms(naive.p99),
    ms(naive.max),
    '-',
    'finds due channels only',
  ]);
  const header = ['run (per simulated minute)', 'p50', 'p99', 'max', 'busiest minute', 'ledger throughput'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(
    `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`,
  );
  console.log('target: p99 <= 50 ms to find and dispatch the channels due in a minute, posting excluded');
}
