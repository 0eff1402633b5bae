// `npm run bench -- links`: what linked members cost a command (issue 18, target: the linked-identity lookup adds
// <= 1 ms p99). 100 study groups of a Slack and a Discord channel, 100 members on each side, each with Done marks,
// quiz answers and review cards; half of them (5,000 people, 10,000 identities) linked to their account on the other
// side. Measured on SQLite and PostgreSQL: `/orch progress` answered for a linked member (every read gathers the
// person's keys in the same statement and reads both sides), beside the same command for an unlinked member of the
// same groups (one side), interleaved so both see the same machine; and the identity lookup on its own, as a separate
// statement would cost it. Every command asks for a different member, so nothing is served warm from a cache.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Store } from '../../src/index.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { type Catalog, createBot } from '../../src/testing.ts';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, testSchemaName } from '../helpers/postgres.ts';

const GROUPS = 100;
const PER_SIDE = 100;
const LESSONS = 8;
const T0 = Date.parse('2026-12-01T00:00:00Z');
const NOW = T0 + 6 * 86_400_000;
const SAMPLES = 2_000;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const ms = (v: number) => `${v.toFixed(2)} ms`;
const slackChannel = (g: number) => ({ platform: 'slack', space: 'T1', channel: `C${g}` });
const discordChannel = (g: number) => ({ platform: 'discord', space: 'G1', channel: `D${g}` });
const keyOf = (w: { platform: string; space: string; channel: string }) =>
  `${w.platform}:${w.space}:${w.channel}`;
const slackUser = (g: number, m: number) => `U${g}x${m}`;
const discordUser = (g: number, m: number) => `9${g}0${m}`;

/** Every table's rows for the seed, in insert order. */
function seed(): Record<string, { columns: string[]; rows: unknown[][] }> {
  const table = (columns: string[]) => ({ columns, rows: [] as unknown[][] });
  const t = {
    channels: table(['channel_key', 'position', 'updated_at', 'group_key']),
    completions: table(['channel_key', 'user_id', 'lesson', 'completed_at']),
    quiz_rounds: table([
      'id',
      'channel_key',
      'started_by',
      'topic',
      'lang',
      'seconds_per_question',
      'question_count',
      'status',
      'current_index',
      'created_at',
    ]),
    quiz_questions: table(['round_id', 'idx', 'question_json', 'question_id', 'question_version']),
    quiz_answers: table([
      'round_id',
      'idx',
      'user_id',
      'display_name',
      'option_index',
      'answered_at',
      'correct',
      'points',
    ]),
    review_cards: table(['user_key', 'question_id', 'question_json', 'card', 'due_at']),
    identities: table(['member_key', 'person_key', 'space', 'linked_at']),
  };
  const question = JSON.stringify({
    questionId: 'q',
    question: { en: 'q', ko: 'q' },
    options: [],
    answer: 0,
  });
  for (let g = 0; g < GROUPS; g++) {
    const sides = [
      { key: keyOf(slackChannel(g)), space: 'slack:T1:', user: (m: number) => slackUser(g, m) },
      { key: keyOf(discordChannel(g)), space: 'discord:G1:', user: (m: number) => discordUser(g, m) },
    ];
    for (const side of sides) {
      t.channels.rows.push([side.key, LESSONS + 1, T0, sides[0]?.key]);
      for (let r = 0; r < 5; r++) {
        const id = `${side.key}-r${r}`;
        t.quiz_rounds.rows.push([id, side.key, 'x', 'k8s', 'ko', 20, 1, 'finished', 1, T0 + r * 86_400_000]);
        t.quiz_questions.rows.push([id, 0, question, `q${r}`, '']);
      }
      for (let m = 0; m < PER_SIDE; m++) {
        const user = side.user(m);
        for (let lesson = 1; lesson <= LESSONS; lesson++)
          if ((m + lesson) % 3 !== 0)
            t.completions.rows.push([side.key, user, lesson, T0 + lesson * 3_600_000]);
        for (let r = 0; r < 5; r++)
          t.quiz_answers.rows.push([
            `${side.key}-r${r}`,
            0,
            user,
            user,
            0,
            T0 + r * 86_400_000 + m,
            r % 2 === 0,
            10,
          ]);
        for (let q = 0; q < 5; q++)
          t.review_cards.rows.push([
            `${side.space}${user}`,
            `q${q}`,
            question,
            '{}',
            T0 + (q + m) * 3_600_000,
          ]);
      }
    }
    // Every other member of the group is linked to the one at the same place on the other side.
    for (let m = 0; m < PER_SIDE; m += 2) {
      const person = `person:${g}:${m}`;
      t.identities.rows.push([`slack:T1:${slackUser(g, m)}`, person, 'slack:T1:', T0]);
      t.identities.rows.push([`discord:G1:${discordUser(g, m)}`, person, 'discord:G1:', T0]);
    }
  }
  return t;
}

interface Backend {
  name: string;
  store: Store;
  dispose(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const path = join(await mkdtemp(join(tmpdir(), 'orch-bench-links-')), 'orch.db');
  const store = await openSqliteStore(path);
  await store.migrate();
  const db = new Database(path);
  db.transaction(() => {
    for (const [name, { columns, rows }] of Object.entries(seed())) {
      const insert = db.prepare(
        `INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      for (const row of rows) insert.run(...row.map((v) => (typeof v === 'boolean' ? Number(v) : v)));
    }
  })();
  db.exec('ANALYZE');
  db.close();
  return { name: 'SQLite', store, dispose: () => store.close() };
}

async function postgresBackend(): Promise<Backend> {
  const schema = testSchemaName();
  const store = await openPostgresStore(TEST_DATABASE_URL, { schema });
  await store.migrate();
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  for (const [name, { columns, rows }] of Object.entries(seed())) {
    // Typed by what the first row holds: one unnest per column, a few thousand rows a statement.
    const types = columns.map((_, n) => {
      const v = rows[0]?.[n];
      return typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'bigint' : 'text';
    });
    for (let i = 0; i < rows.length; i += 20_000) {
      const chunk = rows.slice(i, i + 20_000);
      await client.query(
        `INSERT INTO ${schema}.${name} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t, n) => `$${n + 1}::${t}[]`).join(', ')})`,
        types.map((_, n) => chunk.map((r) => r[n])),
      );
    }
    await client.query(`ANALYZE ${schema}.${name}`);
  }
  await client.end();
  return {
    name: 'PostgreSQL',
    store,
    async dispose() {
      await store.close();
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

export async function benchLinks(catalog: Catalog): Promise<void> {
  const backends: (() => Promise<Backend>)[] = [sqliteBackend];
  if (await postgresAvailable()) backends.push(postgresBackend);
  else console.log(`  PostgreSQL not reachable at ${TEST_DATABASE_URL}: its rows are left out`);
  console.log(
    `\nlinked members: ${GROUPS} groups of a Slack and a Discord channel, ${PER_SIDE} members a side, ` +
      `${((GROUPS * PER_SIDE) / 2).toLocaleString('en')} people linked across the two; /orch progress for a different member each time`,
  );
  const lines: string[] = [];
  for (const open of backends) {
    const backend = await open();
    try {
      const { store } = backend;
      const clock = { now: () => new Date(NOW) };
      const poster = { post: async () => ({ messageId: 'm' }) };
      const bot = createBot({ catalog, store, poster, clock, defaultLang: 'ko' });
      const progress = async (g: number, m: number, discord: boolean) => {
        const t = performance.now();
        const answered = await bot.answer({
          where: discord ? discordChannel(g) : slackChannel(g),
          receivedAt: new Date(NOW),
          kind: 'command',
          text: 'progress',
          who: {
            platform: discord ? 'discord' : 'slack',
            userId: discord ? discordUser(g, m) : slackUser(g, m),
            displayName: 'x',
            isAdmin: false,
          },
        });
        return { ms: performance.now() - t, data: answered.data as { quiz: { answered: number } } };
      };
      const linked: number[] = [];
      const unlinked: number[] = [];
      const lookups: number[] = [];
      // Warm the statements once, then interleave: each pair asks the same member with and without the lookup.
      await progress(0, 0, true);
      for (let i = 0; i < SAMPLES; i++) {
        const g = (i * 37) % GROUPS;
        // Even members are linked, odd ones are not.
        const m = ((i * 11) % (PER_SIDE / 2)) * 2;
        const withLinks = await progress(g, m, i % 2 === 0);
        // A linked member's answers on both sides add up: the lookup was really used.
        if (withLinks.data.quiz.answered !== 10)
          throw new Error(`linked member answered ${withLinks.data.quiz.answered}`);
        linked.push(withLinks.ms);
        const without = await progress(g, m + 1, i % 2 === 0);
        if (without.data.quiz.answered !== 5)
          throw new Error(`unlinked member answered ${without.data.quiz.answered}`);
        unlinked.push(without.ms);
        const t = performance.now();
        await store.identityOf(`slack:T1:${slackUser((g + 1) % GROUPS, m)}`);
        lookups.push(performance.now() - t);
      }
      const added = percentile(linked, 99) - percentile(unlinked, 99);
      lines.push(
        `  ${backend.name.padEnd(10)} | /orch progress, linked p50 ${ms(percentile(linked, 50))} p99 ${ms(percentile(linked, 99))}` +
          ` | unlinked p50 ${ms(percentile(unlinked, 50))} p99 ${ms(percentile(unlinked, 99))}` +
          ` | added at p99 ${ms(added)} | the lookup alone p50 ${ms(percentile(lookups, 50))} p99 ${ms(percentile(lookups, 99))}` +
          ` | ${added <= 1 ? 'meets' : 'MISSES'} the target`,
      );
    } finally {
      await backend.dispose();
    }
  }
  console.log(lines.join('\n'));
  console.log(
    '  target: the linked-identity lookup adds <= 1 ms p99 to a command (a linked member reads both sides in the same statements; an unlinked one reads one)',
  );
}
