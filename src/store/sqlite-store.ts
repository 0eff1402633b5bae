import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrationSql, pendingMigrations, SCHEMA_MIGRATIONS_SQL } from './migrations.ts';
import { Mutex } from './mutex.ts';
import {
  type ChannelPatch,
  ledgerRowsOf,
  patchColumns,
  type SqlValue,
  toChannel,
  toLedgerEntry,
} from './rows.ts';
import type { ChannelSettings, Completion, FirePlan, LedgerEntry, Store } from './store.ts';

// Long enough to ride out another process's write transaction (they are all short), short enough to
// surface a stuck lock instead of hanging a scheduler tick.
const BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating if needed) the SQLite store at `path`; `':memory:'` gives a private in-memory database. */
export async function openSqliteStore(path: string): Promise<Store> {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) await mkdir(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // WAL lets readers (the console, a second process) work while the scheduler writes.
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    // With WAL, NORMAL can lose the last commits on power loss but never corrupts; the ledger
    // tolerates that because every post is idempotent per fire.
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteStore(db);
}

type Row = Record<string, unknown>;

class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  // better-sqlite3 is synchronous, so a method that finishes in one call cannot be interleaved; the
  // mutex keeps that true for any method that awaits inside a transaction, and orders close() last.
  private readonly mutex = new Mutex();
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly db: Database.Database) {}

  migrate(): Promise<void> {
    return this.write(() => {
      this.db.exec(SCHEMA_MIGRATIONS_SQL);
      const applied = this.db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[];
      for (const migration of pendingMigrations(applied, MIGRATIONS)) {
        this.db.exec(migrationSql(migration, 'sqlite'));
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, Date.now());
      }
    });
  }

  close(): Promise<void> {
    this.closing ??= this.mutex.run(() => {
      this.closed = true;
      this.statements.clear();
      this.db.close();
    });
    return this.closing;
  }

  ping(): Promise<void> {
    return this.read(() => {
      this.stmt('SELECT 1').get();
    });
  }

  getChannel(channelKey: string): Promise<ChannelSettings | null> {
    return this.read(() => {
      const row = this.stmt('SELECT * FROM channels WHERE channel_key = ?').get(channelKey) as
        | Row
        | undefined;
      return row ? toChannel(row) : null;
    });
  }

  updateChannel(channelKey: string, patch: ChannelPatch, now: number): Promise<ChannelSettings> {
    const set = patchColumns(patch);
    const inserted = ['channel_key', ...set.map((c) => c.column), 'updated_at'];
    const updated = [...set.map((c) => c.column), 'updated_at'];
    // Only the patched columns are overwritten on conflict, so two concurrent patches of different
    // fields both survive; the table's defaults fill the rest on first insert.
    const sql =
      `INSERT INTO channels (${inserted.join(', ')}) VALUES (${inserted.map(() => '?').join(', ')}) ` +
      `ON CONFLICT (channel_key) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')} ` +
      'RETURNING *';
    const values = [channelKey, ...set.map((c) => encode(c.value)), now];
    return this.write(() => toChannel(this.stmt(sql).get(...values) as Row));
  }

  dueChannels(now: number, limit: number): Promise<ChannelSettings[]> {
    return this.read(() =>
      (
        this.stmt(
          `SELECT * FROM channels
           WHERE next_fire_at IS NOT NULL AND next_fire_at <= ? AND paused = 0 AND cron IS NOT NULL
           ORDER BY next_fire_at, channel_key LIMIT ?`,
        ).all(now, limit) as Row[]
      ).map(toChannel),
    );
  }

  async applyFirePlan(plan: FirePlan): Promise<boolean> {
    return (await this.applyFirePlans([plan]))[0] === true;
  }

  applyFirePlans(plans: readonly FirePlan[]): Promise<boolean[]> {
    // One transaction for the whole batch: SQLite commits are the expensive part.
    return this.write(() =>
      plans.map((plan) => {
        const moved = this.stmt(
          'UPDATE channels SET next_fire_at = ? WHERE channel_key = ? AND next_fire_at = ?',
        ).run(plan.nextFireAt, plan.channelKey, plan.expectedNextFireAt);
        if (moved.changes === 0) return false;
        const insert = this.stmt(
          `INSERT INTO ledger (channel_key, fire_at, lesson, status, claimed_by, claimed_at, attempts)
           VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (channel_key, fire_at) DO NOTHING`,
        );
        for (const row of ledgerRowsOf(plan)) insert.run(...row);
        return true;
      }),
    );
  }

  pendingPosts(now: number, staleBefore: number, claimedBy: string): Promise<LedgerEntry[]> {
    return this.read(() =>
      (
        this.stmt(
          `SELECT * FROM ledger
           WHERE (status = 'claimed' AND (claimed_by = ? OR claimed_at < ?))
              OR (status = 'failed' AND retry_at <= ?)
           ORDER BY fire_at, channel_key`,
        ).all(claimedBy, staleBefore, now) as Row[]
      ).map(toLedgerEntry),
    );
  }

  takeClaim(
    channelKey: string,
    fireAt: number,
    claimedBy: string,
    now: number,
    staleBefore: number,
  ): Promise<boolean> {
    return this.write(
      () =>
        this.stmt(
          `UPDATE ledger SET claimed_by = ?, claimed_at = ?, status = 'claimed'
           WHERE channel_key = ? AND fire_at = ?
             AND ((status = 'claimed' AND (claimed_by = ? OR claimed_at < ?))
               OR (status = 'failed' AND retry_at <= ?))`,
        ).run(claimedBy, now, channelKey, fireAt, claimedBy, staleBefore, now).changes === 1,
    );
  }

  markPosted(channelKey: string, fireAt: number, messageId: string, now: number): Promise<void> {
    return this.write(() => {
      const row = this.stmt('SELECT lesson, status FROM ledger WHERE channel_key = ? AND fire_at = ?').get(
        channelKey,
        fireAt,
      ) as { lesson: number; status: string } | undefined;
      if (!row) throw missingRow(channelKey, fireAt);
      // A second call keeps the first message id and time; the position already moved with it.
      if (row.status === 'posted') return;
      this.stmt(
        "UPDATE ledger SET status = 'posted', message_id = ?, posted_at = ? WHERE channel_key = ? AND fire_at = ?",
      ).run(messageId, now, channelKey, fireAt);
      this.stmt('UPDATE channels SET position = MAX(position, ?) WHERE channel_key = ?').run(
        row.lesson + 1,
        channelKey,
      );
    });
  }

  markFailed(
    channelKey: string,
    fireAt: number,
    error: string,
    retryAt: number | null,
    _now: number,
  ): Promise<void> {
    return this.write(() => {
      // A row already posted stays posted: turning it back into `failed` would post the lesson twice.
      const changed = this.stmt(
        `UPDATE ledger SET attempts = attempts + 1, last_error = ?, retry_at = ?, status = ?
         WHERE channel_key = ? AND fire_at = ? AND status <> 'posted'`,
      ).run(error, retryAt, retryAt === null ? 'abandoned' : 'failed', channelKey, fireAt).changes;
      if (
        changed === 0 &&
        !this.stmt('SELECT 1 FROM ledger WHERE channel_key = ? AND fire_at = ?').get(channelKey, fireAt)
      ) {
        throw missingRow(channelKey, fireAt);
      }
    });
  }

  ledger(channelKey: string, limit: number): Promise<LedgerEntry[]> {
    return this.read(() =>
      (
        this.stmt('SELECT * FROM ledger WHERE channel_key = ? ORDER BY fire_at DESC LIMIT ?').all(
          channelKey,
          limit,
        ) as Row[]
      ).map(toLedgerEntry),
    );
  }

  recordCompletion(completion: Completion): Promise<boolean> {
    return this.write(
      () =>
        this.stmt(
          `INSERT INTO completions (channel_key, user_id, lesson, completed_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (channel_key, user_id, lesson) DO NOTHING`,
        ).run(completion.channelKey, completion.userId, completion.lesson, completion.completedAt).changes ===
        1,
    );
  }

  completions(channelKey: string, userId: string): Promise<number[]> {
    return this.read(
      () =>
        this.stmt('SELECT lesson FROM completions WHERE channel_key = ? AND user_id = ? ORDER BY lesson')
          .pluck()
          .all(channelKey, userId) as number[],
    );
  }

  claimRun(runKey: string, claimedBy: string, now: number, pruneBefore: number): Promise<boolean> {
    return this.write(() => {
      this.stmt('DELETE FROM cron_runs WHERE claimed_at < ?').run(pruneBefore);
      return (
        this.stmt(
          'INSERT INTO cron_runs (run_key, claimed_by, claimed_at) VALUES (?, ?, ?) ON CONFLICT (run_key) DO NOTHING',
        ).run(runKey, claimedBy, now).changes === 1
      );
    });
  }

  private read<T>(work: () => T): Promise<T> {
    return this.mutex.run(() => {
      this.assertOpen();
      return work();
    });
  }

  // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then writes
  // can fail with SQLITE_BUSY when another process wrote in between, and busy_timeout cannot help it.
  private write<T>(work: () => T): Promise<T> {
    return this.mutex.run(() => {
      this.assertOpen();
      return this.db.transaction(work).immediate();
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the SQLite store is closed');
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

// SQLite has no boolean type and better-sqlite3 refuses to bind JS booleans.
function encode(value: SqlValue): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function missingRow(channelKey: string, fireAt: number): Error {
  return new Error(`no ledger row for ${channelKey} at ${fireAt}`);
}
