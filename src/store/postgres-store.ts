import pg from 'pg';
import { MIGRATIONS, migrationSql, pendingMigrations, SCHEMA_MIGRATIONS_SQL } from './migrations.ts';
import { type ChannelPatch, ledgerRowsOf, patchColumns, toChannel, toLedgerEntry } from './rows.ts';
import type { ChannelSettings, Completion, FirePlan, LedgerEntry, Store } from './store.ts';

/** Options for {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** A schema to create if missing and use for every query (tests give each run its own); lowercase identifier. */
  schema?: string;
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
  // process. The pool drops the client, and the next query reports the outage to its caller.
  pool.on('error', () => undefined);
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

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
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

  async dueChannels(now: number, limit: number): Promise<ChannelSettings[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM channels
       WHERE next_fire_at IS NOT NULL AND next_fire_at <= $1 AND paused = FALSE AND cron IS NOT NULL
       ORDER BY next_fire_at, channel_key LIMIT $2`,
      [now, limit],
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

  async pendingPosts(now: number, staleBefore: number, claimedBy: string): Promise<LedgerEntry[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ledger
       WHERE (status = 'claimed' AND (claimed_by = $1 OR claimed_at < $2))
          OR (status = 'failed' AND retry_at <= $3)
       ORDER BY fire_at, channel_key`,
      [claimedBy, staleBefore, now],
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

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
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
