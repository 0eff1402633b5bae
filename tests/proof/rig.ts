/**
 * What every proof test shares: a fake Slack in the test process, a store for the bot processes (a SQLite file or
 * a fresh PostgreSQL database), signed Slack requests, and clean-up that runs even when a test fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestContext } from 'vitest';
import type { Store } from '../../src/index.ts';
import { openStore } from '../../src/testing.ts';
import {
  blockActionsBody,
  type FakeSlack,
  type FakeSlackMessage,
  type FakeSlackResponse,
  signSlackRequest,
  slashCommandBody,
  startFakeSlack,
} from '../fakes/slack.ts';
import { displayUrl, POSTGRES_REQUIRED, postgresAvailable, TEST_DATABASE_URL } from '../helpers/postgres.ts';
import { until } from '../helpers/until.ts';
import { type BotProcess, startBot } from './child.ts';

export { until };

export const SECRET = 'proof-signing-secret';
export const TEAM = 'T1';
/** Listed in SLACK_ADMIN_USERS, so schedule changes need no users.info round trip. */
export const ADMIN = 'UADMIN';
/** A Monday; every test's clock starts here unless it says otherwise. */
export const MONDAY_0800 = Date.parse('2026-01-05T08:00:00Z');
export const MINUTE = 60_000;
export const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL availability (the shared server on 127.0.0.1:5432, as in tests/helpers/postgres.ts)

const pgUp = await postgresAvailable();
/** True when the PostgreSQL proofs must be skipped: no server, and CI's ORCH_REQUIRE_POSTGRES=1 is not set. */
export const SKIP_POSTGRES = !pgUp && !POSTGRES_REQUIRED;
/** Appended to a suite's name, so a skipped suite says why in the report. */
export const POSTGRES_NOTE = SKIP_POSTGRES
  ? ` [SKIPPED: PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)}; ORCH_REQUIRE_POSTGRES=1 makes this fail instead]`
  : '';
if (SKIP_POSTGRES)
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)}: skipping the PostgreSQL process proofs`,
  );

// ---------------------------------------------------------------------------------------------------------
// One test's resources: every child, fake, temp dir and database goes away when the test ends, passed or failed.

export type StoreKind = 'sqlite' | 'postgres';

/** Where the bot processes of one test keep their data. */
export interface ProofStore {
  kind: StoreKind;
  /** ORCH_DATA_DIR, ORCH_ENV_FILE and, for PostgreSQL, DATABASE_URL. */
  env: Record<string, string>;
  /** A store on the same data, in the test process (for seeding, or reading after the bots are gone). */
  open(): Promise<Store>;
}

/** A URL naming another database on the server of `url`. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * What one proof test set up, torn down by the test's own onTestFinished hook (so tests of a file may run
 * concurrently): bots first (kill -9, their logs printed when the test failed), then everything else in reverse.
 */
export class Proof {
  private readonly cleanups: (() => Promise<unknown>)[] = [];
  private readonly bots: BotProcess[] = [];

  /** A Proof for the running test, closed when it finishes; `ctx` is the test's context. */
  static of(ctx: TestContext): Proof {
    const proof = new Proof();
    ctx.onTestFinished(async (finished) => {
      await proof.close(finished.task.result?.state === 'fail');
    }, 60_000);
    return proof;
  }

  /** Runs `fn` when the test ends (last registered, first run). */
  onCleanup(fn: () => Promise<unknown>): void {
    this.cleanups.push(fn);
  }

  /** Kills the bots (kill -9), prints their logs when `failed`, then runs the clean-ups. */
  async close(failed: boolean): Promise<void> {
    await Promise.all(this.bots.map((bot) => bot.kill9()));
    if (failed) this.printLogs();
    const errors: unknown[] = [];
    for (const fn of this.cleanups.splice(0).reverse())
      await fn().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'clean-up failed');
  }

  /** Writes the tail of every bot's log to stderr (for a failing test's report). */
  printLogs(): void {
    for (const bot of this.bots)
      process.stderr.write(`\n----- log of ${bot.name} -----\n${bot.log().slice(-20_000)}\n`);
  }

  /** A temp dir removed at the end. */
  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.onCleanup(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Creates a fresh database on the server of `serverUrl`, dropped (with any connection left) at the end. */
  async freshDatabase(serverUrl: string): Promise<string> {
    const name = `orch_proof_${randomBytes(6).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
      client.on('error', () => undefined);
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    this.onCleanup(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    return databaseUrl(serverUrl, name);
  }

  /**
   * A store: a SQLite file in a temp dir, or a new database on the PostgreSQL server at `serverUrl` (or, with
   * `fresh` false, the database `serverUrl` names: a private cluster of the test's own needs no other).
   */
  async store(kind: StoreKind, serverUrl: string = TEST_DATABASE_URL, fresh = true): Promise<ProofStore> {
    const dataDir = await this.tempDir('orch-proof-');
    // An empty dotenv file, so a developer's own .env cannot change the test.
    const envFile = join(dataDir, 'proof.env');
    await writeFile(envFile, '');
    const env: Record<string, string> = { ORCH_DATA_DIR: dataDir, ORCH_ENV_FILE: envFile };
    if (kind === 'postgres') env.DATABASE_URL = fresh ? await this.freshDatabase(serverUrl) : serverUrl;
    return {
      kind,
      env,
      open: async () => {
        const store = await openStore({
          databaseUrl: env.DATABASE_URL,
          sqlitePath: join(dataDir, 'orch.db'),
        });
        this.onCleanup(() => store.close());
        return store;
      },
    };
  }

  /** A fake Slack, closed at the end. */
  async fakeSlack(): Promise<FakeSlack> {
    const fake = await startFakeSlack({
      teamId: TEAM,
      users: [{ id: ADMIN, name: 'admin', is_admin: true }],
    });
    this.onCleanup(() => fake.close());
    return fake;
  }

  /** Starts a bot process in Slack HTTP mode against `fake`, on `store`, its clock at `clockMs`. */
  async bot(
    name: string,
    fake: FakeSlack,
    store: ProofStore,
    clockMs: number,
    extra: Record<string, string> = {},
  ): Promise<BotProcess> {
    const bot = await startBot(
      name,
      {
        SLACK_BOT_TOKEN: 'xoxb-proof',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_MODE: 'http',
        SLACK_API_URL: fake.apiUrl,
        SLACK_ADMIN_USERS: ADMIN,
        PORT: '0',
        ORCH_HEALTH_PORT: '0',
        ORCH_CATALOG_WATCH: 'off',
        ORCH_LOG_LEVEL: 'warn',
        ORCH_DEFAULT_LANG: 'en',
        ORCH_DEFAULT_TIMEZONE: 'UTC',
        ...store.env,
        ...extra,
      },
      clockMs,
    );
    this.bots.push(bot);
    return bot;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Slack requests

/** POSTs a body to a bot's /slack/events, signed with the app's secret unless other headers are given. */
export async function deliver(
  bot: BotProcess,
  body: string,
  headers: Record<string, string> = signSlackRequest(SECRET, body),
): Promise<number> {
  const response = await fetch(bot.events, { method: 'POST', body, headers });
  await response.arrayBuffer();
  return response.status;
}

let responseIds = 0;
/** A fresh response_url id, so each request's answer can be found. */
export const responseId = (what: string): string => `${what}-${++responseIds}`;

/** Sends `/orch <text>`; resolves with the response_url id its answer will arrive under. */
export async function command(
  bot: BotProcess,
  fake: FakeSlack,
  text: string,
  options: { user?: string; channel?: string; name?: string } = {},
): Promise<string> {
  const id = responseId('command');
  const body = slashCommandBody({
    text,
    team_id: TEAM,
    user_id: options.user ?? 'U1',
    user_name: options.name ?? (options.user ?? 'U1').toLowerCase(),
    channel_id: options.channel ?? 'C1',
    response_url: fake.responseUrl(id),
  });
  const status = await deliver(bot, body);
  if (status !== 200) throw new Error(`/orch ${text} got HTTP ${status}`);
  return id;
}

/** A button of a posted message: what Slack sends back when it is clicked. */
export interface Button {
  actionId: string;
  value: string;
  /** The core's action and value, decoded from the button's value. */
  action: string;
  arg: string;
}

export function buttonsOf(message: FakeSlackMessage): Button[] {
  const blocks = (message.blocks ?? []) as {
    type: string;
    elements?: { action_id?: string; value?: string }[];
  }[];
  return blocks.flatMap((block) =>
    (block.type === 'actions' ? (block.elements ?? []) : []).flatMap((e) => {
      if (!e.action_id || !e.value) return [];
      try {
        const { a, v } = JSON.parse(e.value) as { a?: unknown; v?: unknown };
        return typeof a === 'string' && typeof v === 'string'
          ? [{ actionId: e.action_id, value: e.value, action: a, arg: v }]
          : [];
      } catch {
        return [];
      }
    }),
  );
}

/** A quiz question message as it reached the channel. */
export interface PostedQuestion {
  message: FakeSlackMessage;
  roundId: string;
  index: number;
  options: Button[];
}

/** The question `index` posted in `channel`, if it is there. */
export function postedQuestion(fake: FakeSlack, channel: string, index: number): PostedQuestion | undefined {
  for (const message of fake.history(channel)) {
    const options = buttonsOf(message).filter((b) => b.action === 'quiz.answer');
    const [roundId, at] = options[0]?.arg.split(':') ?? [];
    if (roundId && Number(at) === index) return { message, roundId, index, options };
  }
  return undefined;
}

/** Clicks answer `option` of a question as `user`; resolves with the response_url id of the bot's reply. */
export async function click(
  bot: BotProcess,
  fake: FakeSlack,
  question: PostedQuestion,
  user: string,
  option: number,
  channel = 'C1',
  name = user.toLowerCase(),
): Promise<string> {
  const button = question.options[option];
  if (!button) throw new Error(`question ${question.index} has no option ${option}`);
  const id = responseId(`click-${user}`);
  const body = blockActionsBody({
    action_id: button.actionId,
    value: button.value,
    user,
    user_name: name,
    team_id: TEAM,
    channel,
    message_ts: question.message.ts,
    response_url: fake.responseUrl(id),
  });
  const status = await deliver(bot, body);
  if (status !== 200) throw new Error(`a click by ${user} got HTTP ${status}`);
  return id;
}

/** The text a response_url answer carries (its fallback `text` and its blocks), as one string. */
export function responseText(response: FakeSlackResponse | undefined): string {
  return JSON.stringify(response?.body ?? null);
}

/** Resolves with the answer that arrived under `id`. */
export function answerTo(fake: FakeSlack, id: string, timeoutMs?: number): Promise<FakeSlackResponse> {
  return until(() => fake.responses.find((r) => r.id === id), `the answer to ${id}`, timeoutMs);
}

/** The value of one Prometheus sample (0 when absent), e.g. metric(text, 'orch_quiz_answers_total', {outcome: 'counted'}). */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(match[3]);
  }
  return total;
}

/** The /metrics text of a bot process. */
export async function metricsOf(bot: BotProcess): Promise<string> {
  return (await fetch(`${bot.health}/metrics`)).text();
}

/** The HTTP status of a bot's /readyz (0 when it does not answer). */
export async function readyz(bot: BotProcess): Promise<number> {
  try {
    const response = await fetch(`${bot.health}/readyz`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
