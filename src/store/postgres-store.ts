import pg from 'pg';
import { ledgerRowsOf, type Row, type SqlValue } from './rows.ts';
import { type SqlDialect, type SqlPort, SqlStore } from './sql-store.ts';
import type { AnswerWriteResult, FirePlan, QuizAnswer, Store } from './store.ts';

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
  return new SqlStore(new PostgresDialect(pool));
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

/**
 * PostgreSQL statements through a pool or one client. The shared SQL's `?` become `$1`, `$2`… once per statement text
 * (a handful of texts, so the cache stays small).
 */
class PgPort implements SqlPort {
  constructor(
    private readonly db: Queryable,
    protected readonly numbered: Map<string, string>,
  ) {}

  async all(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return (await this.query(sql, params)).rows;
  }

  async get(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    return (await this.query(sql, params)).rows[0];
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  async script(sql: string): Promise<void> {
    await this.db.query(sql);
  }

  private query(sql: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult<Row>> {
    let text = this.numbered.get(sql);
    if (text === undefined) {
      let n = 0;
      // Quoted text is passed over, so a `?` inside a string literal or identifier stays as it is.
      text = sql.replace(/'[^']*'|"[^"]*"|\?/g, (token) => (token === '?' ? `$${++n}` : token));
      this.numbered.set(sql, text);
    }
    return this.db.query<Row>(text, [...params]);
  }
}

/** The PostgreSQL engine: a pool of connections, row locks and set-based batches. */
class PostgresDialect extends PgPort implements SqlDialect {
  readonly kind = 'postgres' as const;
  // The default collation follows the database's locale; "C" compares bytes, as SQLite does.
  readonly bytewise = ' COLLATE "C"';

  spaceOf(column: string): string {
    return `split_part(${column}, ':', 1) || ':' || split_part(${column}, ':', 2) || ':'`;
  }

  private ending: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {
    super(pool, new Map());
  }

  transaction<T>(work: (tx: SqlPort) => Promise<T>): Promise<T> {
    return this.clientTransaction((client) => work(new PgPort(client, this.numbered)));
  }

  // Held until commit: a second process waits here, then finds the versions already applied.
  // Keyed by schema so separate schemas (test runs) do not wait for each other.
  async lockMigrations(tx: SqlPort): Promise<void> {
    await tx.get("SELECT pg_advisory_xact_lock(hashtext('orch.migrate:' || coalesce(current_schema(), '')))");
  }

  // Nothing to check: the server is where the URL says.
  assertInPlace(): void {}

  applyFirePlans(plans: readonly FirePlan[]): Promise<boolean[]> {
    // A fixed number of round trips for any number of channels: lock the rows in key order (two processes
    // locking overlapping sets in different orders could deadlock), move each next fire only where it still has
    // the expected value, then insert every ledger row of the plans that won in one statement.
    return this.clientTransaction(async (client) => {
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
          `INSERT INTO ledger (channel_key, fire_at, lesson, status, claimed_by, claimed_at, kind, note, attempts)
           SELECT k, f, l, s, b, a, kd, n, 0
           FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[])
             AS t (k, f, l, s, b, a, kd, n)
           ON CONFLICT (channel_key, fire_at) DO NOTHING`,
          [0, 1, 2, 3, 4, 5, 6, 7].map((i) => rows.map((r) => r[i])),
        );
      }
      // Cleared only where it still holds what the plan used: an override an admin set since stays for the next slot.
      const overrides = plans.filter((p) => p.consumesOverride && won.has(p.channelKey));
      if (overrides.length > 0)
        await client.query(
          `UPDATE channels AS c SET pace_override = NULL
           FROM unnest($1::text[], $2::text[]) AS v (channel_key, used)
           WHERE c.channel_key = v.channel_key AND c.pace_override = v.used`,
          [overrides.map((p) => p.channelKey), overrides.map((p) => p.consumesOverride)],
        );
      return plans.map((p) => won.has(p.channelKey));
    });
  }

  async recordAnswers(answers: readonly QuizAnswer[]): Promise<AnswerWriteResult[]> {
    const column = <K extends keyof QuizAnswer>(key: K) => answers.map((a) => a[key]);
    const keyOf = (roundId: string, index: number, userId: string) =>
      `${roundId}\u0000${index}\u0000${userId}`;
    // One statement for the whole burst. Under READ COMMITTED a plain INSERT ... SELECT WHERE open could judge a
    // question open from its snapshot and commit after a concurrent reveal. FOR SHARE closes that gap: once the
    // question row is share-locked, revealQuestion's UPDATE waits until these answers commit; and if a reveal
    // committed first, the lock re-reads the newest row version and inserts only answers that arrived before it.
    // Share locks do not conflict with each other, so batches for one question still proceed in parallel. Within
    // the statement, ON CONFLICT DO NOTHING skips a member's later rows once the earlier one is in. Rows go in by
    // key, then arrival: two batches holding the same members in opposite orders would otherwise each wait for the
    // other's uncommitted row and deadlock (seen in the 100-member race), and one key's rows stay earliest first.
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
       ORDER BY i.round_id, i.idx, i.user_id, i.ord
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
    // Rows that were not inserted: duplicate if the member has an answer (earlier, or from a rival), else closed. A
    // new statement, so a new snapshot: it sees the rival answer the ON CONFLICT waited for.
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

  close(): Promise<void> {
    this.ending ??= this.pool.end();
    return this.ending;
  }

  private async clientTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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
