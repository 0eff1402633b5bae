import { hostname } from 'node:os';
import pg from 'pg';
import { MIGRATIONS, migrationSql, pendingMigrations, SCHEMA_MIGRATIONS_SQL } from './migrations.ts';
import {
  type ChannelPatch,
  ledgerRowsOf,
  num,
  patchColumns,
  toChannel,
  toLeaderboardRow,
  toLedgerEntry,
  toQuizAnswer,
  toQuizRound,
  toQuizRoundQuestion,
  toReviewCard,
} from './rows.ts';
import type {
  AnswerOutcome,
  ChannelSettings,
  Completion,
  FirePlan,
  LeaderboardRow,
  LedgerEntry,
  QuizAnswer,
  QuizRound,
  QuizRoundQuestion,
  ReviewCard,
  RoundQuestion,
  Store,
} from './store.ts';
import { DELIVERY_PRUNE_MS } from './store.ts';

/** Options for {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** A schema to create if missing and use for every query (tests give each run its own); lowercase identifier. */
  schema?: string;
  /** Told about a connection lost while idle in the pool (the pool drops it; the next query connects again). */
  onError?: (error: Error) => void;
}

// A schema name goes into DDL and SET unquoted, so only plain lowercase identifiers are accepted: they
// cannot inject SQL and mean the same thing quoted or not.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Who wrote the readiness probe's row, for an operator looking at the database. */
const PROBED_BY = `${hostname()}-${process.pid}`;

// Without a timeout a dead server makes every call hang forever instead of failing a scheduler tick.
const CONNECT_TIMEOUT_MS = 10_000;

/** Opens a PostgreSQL store on `url` (a postgres:// connection string); call migrate() before use. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema } = options;
  if (schema !== undefined) {
    if (!SCHEMA_NAME.test(schema))
      throw new Error(`invalid PostgreSQL schema name: ${JSON.stringify(schema)}`);
    await createSchema(url, schema);
  }
  // The schema goes into the connection's startup parameters, so it holds from the first query on every
  // connection (setting it in the pool's 'connect' event races the caller's first query, which pg deprecates).
  // This replaces an `options` given in the URL, which only tests that pass a schema can meet.
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, that would crash the
  // process. The pool drops the client, and the next query reports the outage to its caller; the operator hears of
  // it at once through onError (a failover, a restarted server, a proxy cutting idle connections).
  const onError = options.onError;
  pool.on('error', (error) => onError?.(error));
  return new PostgresStore(pool);
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    // IF NOT EXISTS is not race-free: a concurrent creator makes it fail on the catalog's unique index.
    if (!(error instanceof pg.DatabaseError && error.code === '23505')) throw error;
  } finally {
    await client.end();
  }
}

type Queryable = pg.Pool | pg.PoolClient;

class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  /** When expired delivery claims were last deleted (see DELIVERY_PRUNE_MS). */
  private deliveriesPrunedAt = Number.NEGATIVE_INFINITY;
  private ending: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  migrate(): Promise<void> {
    return this.transaction(async (client) => {
      // Held until commit: a second process waits here, then finds the versions already applied.
      // Keyed by schema so separate schemas (test runs) do not wait for each other.
      await client.query(
        "SELECT pg_advisory_xact_lock(hashtext('orch.migrate:' || coalesce(current_schema(), '')))",
      );
      await client.query(SCHEMA_MIGRATIONS_SQL);
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      for (const migration of pendingMigrations(
        rows.map((r) => r.version),
        MIGRATIONS,
      )) {
        await client.query(migrationSql(migration, 'postgres'));
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          Date.now(),
        ]);
      }
    });
  }

  close(): Promise<void> {
    this.ending ??= this.pool.end();
    return this.ending;
  }

  // A write, not a read: a server in recovery or made read-only after a failover answers reads and refuses writes.
  async ping(): Promise<void> {
    await this.pool.query(
      `INSERT INTO health_probe (id, probed_at, probed_by) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at, probed_by = excluded.probed_by`,
      [Date.now(), PROBED_BY],
    );
  }

  async getChannel(channelKey: string): Promise<ChannelSettings | null> {
    const { rows } = await this.pool.query('SELECT * FROM channels WHERE channel_key = $1', [channelKey]);
    const row = rows[0];
    return row ? toChannel(row) : null;
  }

  async updateChannel(channelKey: string, patch: ChannelPatch, now: number): Promise<ChannelSettings> {
    const set = patchColumns(patch);
    const inserted = ['channel_key', ...set.map((c) => c.column), 'updated_at'];
    const updated = [...set.map((c) => c.column), 'updated_at'];
    // Only the patched columns are overwritten on conflict, so two concurrent patches of different
    // fields both survive; the table's defaults fill the rest on first insert.
    const sql =
      `INSERT INTO channels (${inserted.join(', ')}) VALUES (${inserted.map((_, i) => `$${i + 1}`).join(', ')}) ` +
      `ON CONFLICT (channel_key) DO UPDATE SET ${updated.map((c) => `${c} = EXCLUDED.${c}`).join(', ')} ` +
      'RETURNING *';
    const { rows } = await this.pool.query(sql, [channelKey, ...set.map((c) => c.value), now]);
    const row = rows[0];
    if (!row) throw new Error(`upsert of channel ${channelKey} returned no row`);
    return toChannel(row);
  }

  async dueChannels(now: number, limit: number, platforms?: readonly string[]): Promise<ChannelSettings[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM channels
       WHERE next_fire_at IS NOT NULL AND next_fire_at <= $1 AND paused = FALSE AND cron IS NOT NULL
         AND ($3::text[] IS NULL OR split_part(channel_key, ':', 1) = ANY($3::text[]))
       ORDER BY next_fire_at, channel_key LIMIT $2`,
      [now, limit, platforms ? [...platforms] : null],
    );
    return rows.map(toChannel);
  }

  async applyFirePlan(plan: FirePlan): Promise<boolean> {
    return (await this.applyFirePlans([plan]))[0] === true;
  }

  applyFirePlans(plans: readonly FirePlan[]): Promise<boolean[]> {
    if (plans.length === 0) return Promise.resolve([]);
    // A fixed number of round trips for any number of channels: lock the rows in key order (two processes
    // locking overlapping sets in different orders could deadlock), move each next fire only where it still has
    // the expected value, then insert every ledger row of the plans that won in one statement.
    return this.transaction(async (client) => {
      const keys = plans.map((p) => p.channelKey);
      await client.query(
        'SELECT 1 FROM channels WHERE channel_key = ANY($1::text[]) ORDER BY channel_key FOR UPDATE',
        [keys],
      );
      const moved = await client.query<{ channel_key: string }>(
        `UPDATE channels AS c SET next_fire_at = v.next_fire_at
         FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS v (channel_key, expected, next_fire_at)
         WHERE c.channel_key = v.channel_key AND c.next_fire_at = v.expected
         RETURNING c.channel_key`,
        [keys, plans.map((p) => p.expectedNextFireAt), plans.map((p) => p.nextFireAt)],
      );
      const won = new Set(moved.rows.map((r) => r.channel_key));
      const rows = plans.filter((plan) => won.has(plan.channelKey)).flatMap(ledgerRowsOf);
      if (rows.length > 0) {
        await client.query(
          `INSERT INTO ledger (channel_key, fire_at, lesson, status, claimed_by, claimed_at, attempts)
           SELECT k, f, l, s, b, a, 0 FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::bigint[]) AS t (k, f, l, s, b, a)
           ON CONFLICT (channel_key, fire_at) DO NOTHING`,
          [0, 1, 2, 3, 4, 5].map((i) => rows.map((r) => r[i])),
        );
      }
      return plans.map((p) => won.has(p.channelKey));
    });
  }

  async pendingPosts(
    now: number,
    staleBefore: number,
    claimedBy: string,
    platforms?: readonly string[],
  ): Promise<LedgerEntry[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ledger
       WHERE ((status = 'claimed' AND (claimed_by = $1 OR claimed_at < $2))
          OR (status = 'failed' AND retry_at <= $3))
         AND ($4::text[] IS NULL OR split_part(channel_key, ':', 1) = ANY($4::text[]))
       ORDER BY fire_at, channel_key`,
      [claimedBy, staleBefore, now, platforms ? [...platforms] : null],
    );
    return rows.map(toLedgerEntry);
  }

  async takeClaim(
    channelKey: string,
    fireAt: number,
    claimedBy: string,
    now: number,
    staleBefore: number,
  ): Promise<boolean> {
    // One statement: the row lock makes a concurrent taker re-check the condition after this one commits.
    const result = await this.pool.query(
      `UPDATE ledger SET claimed_by = $1, claimed_at = $2, status = 'claimed'
       WHERE channel_key = $3 AND fire_at = $4
         AND ((status = 'claimed' AND (claimed_by = $1 OR claimed_at < $5))
           OR (status = 'failed' AND retry_at <= $2))`,
      [claimedBy, now, channelKey, fireAt, staleBefore],
    );
    return result.rowCount === 1;
  }

  markPosted(channelKey: string, fireAt: number, messageId: string, now: number): Promise<void> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ lesson: number }>(
        `UPDATE ledger SET status = 'posted', message_id = $3, posted_at = $4
         WHERE channel_key = $1 AND fire_at = $2 AND status <> 'posted' RETURNING lesson`,
        [channelKey, fireAt, messageId, now],
      );
      const row = rows[0];
      if (!row) {
        // Already posted: a second call keeps the first message id and time; the position already moved.
        await assertRowExists(client, channelKey, fireAt);
        return;
      }
      await client.query(
        'UPDATE channels SET position = GREATEST(position, $2::integer) WHERE channel_key = $1',
        [channelKey, row.lesson + 1],
      );
    });
  }

  async markFailed(
    channelKey: string,
    fireAt: number,
    error: string,
    retryAt: number | null,
    _now: number,
  ): Promise<void> {
    // A row already posted stays posted: turning it back into `failed` would post the lesson twice.
    const result = await this.pool.query(
      `UPDATE ledger SET attempts = attempts + 1, last_error = $3, retry_at = $4, status = $5
       WHERE channel_key = $1 AND fire_at = $2 AND status <> 'posted'`,
      [channelKey, fireAt, error, retryAt, retryAt === null ? 'abandoned' : 'failed'],
    );
    if (result.rowCount === 0) await assertRowExists(this.pool, channelKey, fireAt);
  }

  async ledger(channelKey: string, limit: number): Promise<LedgerEntry[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM ledger WHERE channel_key = $1 ORDER BY fire_at DESC LIMIT $2',
      [channelKey, limit],
    );
    return rows.map(toLedgerEntry);
  }

  async claimRun(runKey: string, claimedBy: string, now: number, pruneBefore: number): Promise<boolean> {
    await this.pool.query('DELETE FROM cron_runs WHERE claimed_at < $1', [pruneBefore]);
    const result = await this.pool.query(
      'INSERT INTO cron_runs (run_key, claimed_by, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (run_key) DO NOTHING',
      [runKey, claimedBy, now],
    );
    return result.rowCount === 1;
  }

  async claimDelivery(deliveryKey: string, now: number, expiresAt: number): Promise<boolean> {
    // The expired row of this very key is replaced in the same statement, so a key whose claim ran out is claimable
    // again without a window in which two callers both see it free.
    const result = await this.pool.query(
      `INSERT INTO deliveries (delivery_key, expires_at) VALUES ($1, $2)
       ON CONFLICT (delivery_key) DO UPDATE SET expires_at = EXCLUDED.expires_at
       WHERE deliveries.expires_at < $3`,
      [deliveryKey, expiresAt, now],
    );
    // Pruning other keys is housekeeping: at most once a minute per process, a few thousand rows at a time.
    if (now - this.deliveriesPrunedAt >= DELIVERY_PRUNE_MS) {
      this.deliveriesPrunedAt = now;
      await this.pool.query(
        'DELETE FROM deliveries WHERE delivery_key IN (SELECT delivery_key FROM deliveries WHERE expires_at < $1 LIMIT 5000)',
        [now],
      );
    }
    return result.rowCount === 1;
  }

  async recordCompletion(completion: Completion): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO completions (channel_key, user_id, lesson, completed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel_key, user_id, lesson) DO NOTHING`,
      [completion.channelKey, completion.userId, completion.lesson, completion.completedAt],
    );
    return result.rowCount === 1;
  }

  async completions(channelKey: string, userId: string): Promise<number[]> {
    const { rows } = await this.pool.query<{ lesson: number }>(
      'SELECT lesson FROM completions WHERE channel_key = $1 AND user_id = $2 ORDER BY lesson',
      [channelKey, userId],
    );
    return rows.map((r) => r.lesson);
  }

  createRound(round: QuizRound, questions: RoundQuestion[]): Promise<boolean> {
    return this.transaction(async (client) => {
      // A concurrent creator for the same channel waits on the partial unique index until this commits,
      // then does nothing, so exactly one of them goes on to insert questions.
      const inserted = await client.query(
        `INSERT INTO quiz_rounds (id, channel_key, started_by, topic, lang, seconds_per_question, question_count,
           status, current_index, created_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $9, NULL)
         ON CONFLICT (channel_key) WHERE status = 'running' DO NOTHING`,
        [
          round.id,
          round.channelKey,
          round.startedBy,
          round.topic,
          round.lang,
          round.secondsPerQuestion,
          round.questionCount,
          round.current,
          round.createdAt,
        ],
      );
      if (inserted.rowCount !== 1) return false;
      if (questions.length > 0) {
        await client.query(
          `INSERT INTO quiz_questions (round_id, idx, question_json)
           SELECT $1, idx, question_json FROM unnest($2::int[], $3::text[]) AS t (idx, question_json)`,
          [round.id, questions.map((_, i) => i), questions.map((q) => JSON.stringify(q))],
        );
      }
      return true;
    });
  }

  async getRound(roundId: string): Promise<QuizRound | null> {
    const { rows } = await this.pool.query('SELECT * FROM quiz_rounds WHERE id = $1', [roundId]);
    const row = rows[0];
    return row ? toQuizRound(row) : null;
  }

  async runningRound(channelKey: string): Promise<QuizRound | null> {
    const { rows } = await this.pool.query(
      "SELECT * FROM quiz_rounds WHERE channel_key = $1 AND status = 'running'",
      [channelKey],
    );
    const row = rows[0];
    return row ? toQuizRound(row) : null;
  }

  async runningRounds(): Promise<QuizRound[]> {
    const { rows } = await this.pool.query(
      "SELECT * FROM quiz_rounds WHERE status = 'running' ORDER BY created_at, id",
    );
    return rows.map(toQuizRound);
  }

  async lastRoundStart(channelKey: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ last: unknown }>(
      'SELECT MAX(created_at) AS last FROM quiz_rounds WHERE channel_key = $1',
      [channelKey],
    );
    const last = rows[0]?.last;
    return last === null || last === undefined ? null : num(last, 'created_at');
  }

  async roundQuestion(roundId: string, index: number): Promise<QuizRoundQuestion | null> {
    const { rows } = await this.pool.query('SELECT * FROM quiz_questions WHERE round_id = $1 AND idx = $2', [
      roundId,
      index,
    ]);
    const row = rows[0];
    return row ? toQuizRoundQuestion(row) : null;
  }

  async markQuestionPosted(
    roundId: string,
    index: number,
    messageId: string,
    postedAt: number,
    deadlineAt: number,
  ): Promise<void> {
    // A repeated call (a retried post) keeps the first message and deadline, which answers are judged by.
    const result = await this.pool.query(
      `UPDATE quiz_questions SET message_id = $3, posted_at = $4, deadline_at = $5
       WHERE round_id = $1 AND idx = $2 AND posted_at IS NULL`,
      [roundId, index, messageId, postedAt, deadlineAt],
    );
    if (result.rowCount !== 0) return;
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM quiz_questions WHERE round_id = $1 AND idx = $2',
      [roundId, index],
    );
    if (rowCount === 0) throw new Error(`no question ${index} in quiz round ${roundId}`);
  }

  async recordAnswers(answers: readonly QuizAnswer[]): Promise<AnswerOutcome[]> {
    if (answers.length === 0) return [];
    const column = <K extends keyof QuizAnswer>(key: K) => answers.map((a) => a[key]);
    const keyOf = (roundId: string, index: number, userId: string) =>
      `${roundId}\u0000${index}\u0000${userId}`;
    // One statement for the whole burst, with the same FOR SHARE reasoning as recordAnswer: the open questions are
    // share-locked, so a reveal either waits for this insert or has committed and its time is what arrivals meet.
    // Within the statement, ON CONFLICT DO NOTHING skips a member's later rows once the earlier one is in.
    const inserted = await this.pool.query<{ round_id: string; idx: number; user_id: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::bool[], $8::int[])
           WITH ORDINALITY AS t (round_id, idx, user_id, display_name, option_index, answered_at, correct, points, ord)
       ),
       open_question AS (
         SELECT q.round_id, q.idx, q.deadline_at, q.revealed_at, r.status, r.finished_at
         FROM quiz_questions q JOIN quiz_rounds r ON r.id = q.round_id
         WHERE (q.round_id, q.idx) IN (SELECT DISTINCT round_id, idx FROM input) AND q.posted_at IS NOT NULL
         FOR SHARE OF q
       )
       INSERT INTO quiz_answers (round_id, idx, user_id, display_name, option_index, answered_at, correct, points)
       SELECT i.round_id, i.idx, i.user_id, i.display_name, i.option_index, i.answered_at, i.correct, i.points
       FROM input i JOIN open_question o ON o.round_id = i.round_id AND o.idx = i.idx
       WHERE i.answered_at < o.deadline_at AND (o.revealed_at IS NULL OR i.answered_at < o.revealed_at)
         AND (o.status = 'running' OR i.answered_at < o.finished_at)
       ORDER BY i.ord
       ON CONFLICT (round_id, idx, user_id) DO NOTHING
       RETURNING round_id, idx, user_id`,
      [
        column('roundId'),
        column('index'),
        column('userId'),
        column('displayName'),
        column('option'),
        column('answeredAt'),
        column('correct'),
        column('points'),
      ],
    );
    const recorded = new Set(inserted.rows.map((r) => keyOf(r.round_id, r.idx, r.user_id)));
    // Rows that were not inserted: duplicate if the member has an answer (earlier, or from a rival), else closed.
    const { rows } = await this.pool.query<{ round_id: string; idx: number; user_id: string }>(
      `SELECT a.round_id, a.idx, a.user_id FROM quiz_answers a
       JOIN unnest($1::text[], $2::int[], $3::text[]) AS t (round_id, idx, user_id)
         ON a.round_id = t.round_id AND a.idx = t.idx AND a.user_id = t.user_id`,
      [column('roundId'), column('index'), column('userId')],
    );
    const answered = new Set(rows.map((r) => keyOf(r.round_id, r.idx, r.user_id)));
    const claimed = new Set<string>();
    return answers.map((a) => {
      const key = keyOf(a.roundId, a.index, a.userId);
      if (recorded.has(key) && !claimed.has(key)) {
        claimed.add(key);
        return 'recorded';
      }
      return answered.has(key) ? 'duplicate' : 'closed';
    });
  }

  async recordAnswer(answer: QuizAnswer): Promise<AnswerOutcome> {
    // Under READ COMMITTED a plain INSERT ... SELECT WHERE open could judge the question open from its snapshot
    // and commit after a concurrent reveal. FOR SHARE closes that gap in the same single statement: once the
    // question row is share-locked, revealQuestion's UPDATE waits until this answer commits; and if a reveal
    // committed first, the lock re-reads the newest row version and inserts only an answer that arrived before it.
    // Share locks do not conflict with each other, so answers to one question still proceed in parallel.
    const inserted = await this.pool.query(
      `WITH open_question AS (
         SELECT q.round_id, q.idx, q.deadline_at, q.revealed_at, r.status, r.finished_at
         FROM quiz_questions q JOIN quiz_rounds r ON r.id = q.round_id
         WHERE q.round_id = $1 AND q.idx = $2 AND q.posted_at IS NOT NULL
         FOR SHARE OF q
       )
       INSERT INTO quiz_answers (round_id, idx, user_id, display_name, option_index, answered_at, correct, points)
       SELECT round_id, idx, $3, $4, $5, $6, $7, $8 FROM open_question
       WHERE $6 < deadline_at AND (revealed_at IS NULL OR $6 < revealed_at) AND (status = 'running' OR $6 < finished_at)
       ON CONFLICT (round_id, idx, user_id) DO NOTHING`,
      [
        answer.roundId,
        answer.index,
        answer.userId,
        answer.displayName,
        answer.option,
        answer.answeredAt,
        answer.correct,
        answer.points,
      ],
    );
    if (inserted.rowCount === 1) return 'recorded';
    // A new statement, so a new snapshot: it sees the rival answer the ON CONFLICT waited for.
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM quiz_answers WHERE round_id = $1 AND idx = $2 AND user_id = $3',
      [answer.roundId, answer.index, answer.userId],
    );
    return rowCount === 0 ? 'closed' : 'duplicate';
  }

  async answers(roundId: string, index: number): Promise<QuizAnswer[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM quiz_answers WHERE round_id = $1 AND idx = $2 ORDER BY answered_at, user_id COLLATE "C"',
      [roundId, index],
    );
    return rows.map(toQuizAnswer);
  }

  async participantsBefore(roundId: string, index: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ user_id: string }>(
      'SELECT DISTINCT user_id COLLATE "C" AS user_id FROM quiz_answers WHERE round_id = $1 AND idx < $2 ORDER BY 1',
      [roundId, index],
    );
    return rows.map((r) => r.user_id);
  }

  async revealQuestion(roundId: string, index: number, now: number): Promise<boolean> {
    // The UPDATE's row lock waits for answers holding FOR SHARE (see recordAnswer), and a concurrent revealer
    // re-checks revealed_at after this commits, so exactly one caller gets true.
    const result = await this.pool.query(
      'UPDATE quiz_questions SET revealed_at = $3 WHERE round_id = $1 AND idx = $2 AND revealed_at IS NULL',
      [roundId, index, now],
    );
    return result.rowCount === 1;
  }

  async advanceRound(roundId: string, index: number): Promise<boolean> {
    // Never backwards: a late timer for an earlier question must not rewind a round that moved on.
    const result = await this.pool.query(
      "UPDATE quiz_rounds SET current_index = $2 WHERE id = $1 AND status = 'running' AND current_index < $2",
      [roundId, index],
    );
    return result.rowCount === 1;
  }

  async finishRound(roundId: string, status: 'finished' | 'stopped', now: number): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE quiz_rounds SET status = $2, finished_at = $3 WHERE id = $1 AND status = 'running'",
      [roundId, status, now],
    );
    return result.rowCount === 1;
  }

  async roundScores(roundId: string): Promise<LeaderboardRow[]> {
    const { rows } = await this.pool.query(scoresSql('a.round_id = $1', ''), [roundId]);
    return rows.map(toLeaderboardRow);
  }

  async leaderboard(channelKey: string, since: number, limit: number): Promise<LeaderboardRow[]> {
    const { rows } = await this.pool.query(
      scoresSql('r.channel_key = $1 AND a.answered_at >= $2', 'LIMIT $3'),
      [channelKey, since, limit],
    );
    return rows.map(toLeaderboardRow);
  }

  async quizStats(
    channelKey: string,
    userId: string,
  ): Promise<{ answered: number; correct: number; points: number }> {
    const { rows } = await this.pool.query(
      `SELECT COUNT(*) AS answered, COALESCE(SUM(CASE WHEN a.correct THEN 1 ELSE 0 END), 0) AS correct,
         COALESCE(SUM(a.points), 0) AS points
       FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
       WHERE r.channel_key = $1 AND a.user_id = $2`,
      [channelKey, userId],
    );
    const row = rows[0] ?? {};
    return {
      answered: num(row.answered, 'answered'),
      correct: num(row.correct, 'correct'),
      points: num(row.points, 'points'),
    };
  }

  async saveReviewCard(card: ReviewCard): Promise<void> {
    await this.pool.query(
      `INSERT INTO review_cards (user_key, question_id, question_json, card, due_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_key, question_id) DO UPDATE
       SET question_json = EXCLUDED.question_json, card = EXCLUDED.card, due_at = EXCLUDED.due_at`,
      [card.userKey, card.questionId, JSON.stringify(card.question), card.card, card.dueAt],
    );
  }

  async reviewCard(userKey: string, questionId: string): Promise<ReviewCard | null> {
    const { rows } = await this.pool.query(
      'SELECT * FROM review_cards WHERE user_key = $1 AND question_id = $2',
      [userKey, questionId],
    );
    const row = rows[0];
    return row ? toReviewCard(row) : null;
  }

  async dueReviews(userKey: string, now: number, limit: number): Promise<ReviewCard[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM review_cards WHERE user_key = $1 AND due_at <= $2
       ORDER BY due_at, question_id COLLATE "C" LIMIT $3`,
      [userKey, now, limit],
    );
    return rows.map(toReviewCard);
  }

  async countDueReviews(userKey: string, now: number): Promise<number> {
    const { rows } = await this.pool.query<{ due: unknown }>(
      'SELECT COUNT(*) AS due FROM review_cards WHERE user_key = $1 AND due_at <= $2',
      [userKey, now],
    );
    return num(rows[0]?.due, 'count');
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A connection lost between two statements (a server restart) emits 'error' on the checked-out client; the pool's
    // handler covers idle clients only, and unhandled the event kills the process. The next statement or the ROLLBACK
    // then fails with the cause, and the client is destroyed instead of going back to the pool.
    const lost = (error: Error) => {
      broken ??= error;
    };
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A connection that cannot roll back must not go back to the pool mid-transaction.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }
}

async function assertRowExists(db: Queryable, channelKey: string, fireAt: number): Promise<void> {
  const { rowCount } = await db.query('SELECT 1 FROM ledger WHERE channel_key = $1 AND fire_at = $2', [
    channelKey,
    fireAt,
  ]);
  if (rowCount === 0) throw new Error(`no ledger row for ${channelKey} at ${fireAt}`);
}

// Points, then right answers, then the user id so that ties have a stable order. COLLATE "C" orders ids
// bytewise, as SQLite does, so both stores rank ties the same whatever the database's locale. The display
// name is the one a member used most recently in the answers counted.
function scoresSql(where: string, limit: string): string {
  return `WITH scoped AS (
    SELECT a.user_id, a.display_name, a.points, a.correct,
      ROW_NUMBER() OVER (PARTITION BY a.user_id ORDER BY a.answered_at DESC, a.round_id COLLATE "C" DESC, a.idx DESC)
        AS recency
    FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
    WHERE ${where}
  )
  SELECT user_id, MAX(CASE WHEN recency = 1 THEN display_name END) AS display_name, SUM(points) AS total_points,
    SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS correct_count, COUNT(*) AS answered_count
  FROM scoped GROUP BY user_id
  ORDER BY total_points DESC, correct_count DESC, user_id COLLATE "C" ${limit}`;
}
