import { existsSync, type Stats, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { Mutex } from './mutex.ts';
import { ledgerRowsOf, type Row, type SqlValue } from './rows.ts';
import { type SqlDialect, type SqlPort, SqlStore } from './sql-store.ts';
import type { AnswerWriteResult, FirePlan, QuizAnswer, Store } from './store.ts';

// Long enough to ride out another process's write transaction (they are all short), short enough to
// surface a stuck lock instead of hanging a scheduler tick.
const BUSY_TIMEOUT_MS = 5_000;

/** SQLite result codes that are about the database file rather than the statement. */
const FILE_ERRORS = /^SQLITE_(READONLY|IOERR|CANTOPEN|FULL|CORRUPT|NOTADB|PERM)/;

/**
 * The marker beside a database file, written once the file exists: a database missing where the marker is means it
 * was deleted or its volume not mounted, and starting with an empty one would silently lose every schedule and score.
 */
export function sqliteMarkerPath(path: string): string {
  return join(dirname(path), `${basename(path)}.created`);
}

/**
 * Opens (creating if needed) the SQLite store at `path`; `':memory:'` gives a private in-memory database. Refuses
 * to create a new file where its marker says one existed before.
 */
export async function openSqliteStore(path: string): Promise<Store> {
  const inMemory = path === ':memory:' || path === '';
  const marker = sqliteMarkerPath(path);
  if (!inMemory) {
    await mkdir(dirname(path), { recursive: true });
    if (!existsSync(path) && existsSync(marker))
      throw new Error(
        `the SQLite database ${path} is missing, but ${marker} shows one was created there before, so starting ` +
          'would begin with no schedules or scores. Restore the file from a backup (or mount the volume that ' +
          `holds it); to start over with an empty database, delete ${marker}.`,
      );
  }
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw namingPath(error, path);
  }
  try {
    // WAL lets readers (the console, a second process) work while the scheduler writes.
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    // With WAL, NORMAL can lose the last commits on power loss but never corrupts; the ledger
    // tolerates that because every post is idempotent per fire.
    db.pragma('synchronous = NORMAL');
    if (inMemory) return new SqlStore(new SqliteDialect(db, null));
    if (!existsSync(marker))
      await writeFile(
        marker,
        `orch created ${basename(path)} here. If the database goes missing, orch refuses to start empty; delete this file to allow it.\n`,
      );
    return new SqlStore(new SqliteDialect(db, { path, opened: statSync(path) }));
  } catch (error) {
    db.close();
    throw namingPath(error, path);
  }
}

/** An error with the database's path in its message (SQLite's own say only "unable to open database file"). */
function namingPath(error: unknown, path: string): Error {
  if (!(error instanceof Error) || error.message.includes(path)) return error as Error;
  error.message = `${error.message} (SQLite database ${path})`;
  return error;
}

/**
 * One queue for every SQLite store in the process. A transaction awaits between its statements while it holds the
 * write lock; a statement of another connection to the same file run meanwhile (a second store, as tests open) would
 * wait for that lock synchronously, blocking the very thread that has to finish the transaction. Queued, each task
 * runs alone, as better-sqlite3's synchronous calls always did, and a store's close() comes after its pending work.
 */
const queue = new Mutex();

/** The SQLite engine: one connection, used one task at a time, each write holding the database's write lock. */
class SqliteDialect implements SqlDialect {
  readonly kind = 'sqlite' as const;
  // SQLite compares text bytewise (BINARY) unless told otherwise.
  readonly bytewise = '';

  spaceOf(column: string): string {
    // Up to and with the second colon: a channel key has exactly three parts, none with a colon inside.
    return `substr(${column}, 1, instr(${column}, ':') + instr(substr(${column}, instr(${column}, ':') + 1), ':'))`;
  }

  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Statements inside a transaction: the queue is held and BEGIN IMMEDIATE has run. */
  private readonly inTransaction: SqlPort = {
    all: async (sql, params) => this.prepared(sql).all(...bind(params)) as Row[],
    get: async (sql, params) => this.prepared(sql).get(...bind(params)) as Row | undefined,
    run: async (sql, params) => this.prepared(sql).run(...bind(params)).changes,
    script: async (sql) => {
      this.db.exec(sql);
    },
  };

  constructor(
    private readonly db: Database.Database,
    /** The file and its identity when opened; null in memory. */
    private readonly file: { path: string; opened: Stats } | null,
  ) {}

  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.alone(sql, (s) => s.all(...bind(params)) as Row[]);
  }

  get(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    return this.alone(sql, (s) => s.get(...bind(params)) as Row | undefined);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.alone(sql, (s) => s.run(...bind(params)).changes);
  }

  script(sql: string): Promise<void> {
    return this.transaction((tx) => tx.script(sql));
  }

  // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then writes
  // can fail with SQLITE_BUSY when another process wrote in between, and busy_timeout cannot help it.
  transaction<T>(work: (tx: SqlPort) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.prepared('BEGIN IMMEDIATE').run();
      try {
        const result = await work(this.inTransaction);
        this.prepared('COMMIT').run();
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.prepared('ROLLBACK').run();
        throw error;
      }
    });
  }

  // BEGIN IMMEDIATE already makes a second process wait for the write lock until this one has migrated.
  async lockMigrations(): Promise<void> {}

  /**
   * The open file is still the one at the path. Deleted or replaced, it keeps working through the open handle, so
   * nothing fails, but every write goes where the next start will not find it.
   */
  assertInPlace(): void {
    if (!this.file) return;
    const { path, opened } = this.file;
    let now: Stats;
    try {
      now = statSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw namingPath(error, path);
      throw new Error(
        `the SQLite database ${path} was deleted while the bot was running: what it writes now is lost at the next ` +
          'start. Restore the file from a backup and restart the bot.',
      );
    }
    if (now.dev !== opened.dev || now.ino !== opened.ino)
      throw new Error(
        `the SQLite database ${path} was replaced by another file while the bot was running; restart the bot to ` +
          'use the new file.',
      );
  }

  // One transaction for the whole batch: SQLite commits are the expensive part. Each plan's compare-and-set and its
  // ledger rows run under the write lock, so no other writer comes between them.
  applyFirePlans(plans: readonly FirePlan[]): Promise<boolean[]> {
    return this.transaction(async (tx) => {
      const applied: boolean[] = [];
      for (const plan of plans) {
        const moved = await tx.run(
          'UPDATE channels SET next_fire_at = ? WHERE channel_key = ? AND next_fire_at = ?',
          [plan.nextFireAt, plan.channelKey, plan.expectedNextFireAt],
        );
        applied.push(moved === 1);
        if (moved === 0) continue;
        for (const row of ledgerRowsOf(plan))
          await tx.run(
            `INSERT INTO ledger (channel_key, fire_at, lesson, status, claimed_by, claimed_at, kind, note, attempts)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (channel_key, fire_at) DO NOTHING`,
            row,
          );
        if (plan.consumesOverride)
          await tx.run(
            'UPDATE channels SET pace_override = NULL WHERE channel_key = ? AND pace_override = ?',
            [plan.channelKey, plan.consumesOverride],
          );
      }
      return applied;
    });
  }

  // BEGIN IMMEDIATE holds the database's write lock for each answer's check and insert, so a reveal (another writer)
  // lands wholly before or wholly after the batch; the primary key picks the first answer, in the batch the earlier.
  recordAnswers(answers: readonly QuizAnswer[]): Promise<AnswerWriteResult[]> {
    return this.transaction(async (tx) => {
      const outcomes: AnswerWriteResult[] = [];
      for (const a of answers) {
        const inserted = await tx.run(
          `WITH a (round_id, idx, user_id, display_name, option_index, answered_at, correct, points)
             AS (VALUES (?, ?, ?, ?, ?, ?, ?, ?))
           INSERT INTO quiz_answers (round_id, idx, user_id, display_name, option_index, answered_at, correct, points)
           SELECT a.* FROM a
             JOIN quiz_questions q ON q.round_id = a.round_id AND q.idx = a.idx JOIN quiz_rounds r ON r.id = q.round_id
           WHERE q.posted_at IS NOT NULL AND a.answered_at < q.deadline_at
             AND (q.revealed_at IS NULL OR a.answered_at < q.revealed_at)
             AND (r.status = 'running' OR a.answered_at < r.finished_at)
           ON CONFLICT (round_id, idx, user_id) DO NOTHING`,
          [a.roundId, a.index, a.userId, a.displayName, a.option, a.answeredAt, a.correct, a.points],
        );
        if (inserted === 1) {
          outcomes.push('recorded');
          continue;
        }
        const existing = await tx.get(
          'SELECT 1 AS found FROM quiz_answers WHERE round_id = ? AND idx = ? AND user_id = ?',
          [a.roundId, a.index, a.userId],
        );
        outcomes.push(existing ? 'duplicate' : 'closed');
      }
      return outcomes;
    });
  }

  close(): Promise<void> {
    this.closing ??= queue.run(() => {
      this.closed = true;
      this.statements.clear();
      this.db.close();
    });
    return this.closing;
  }

  /** One statement on its own: a read as it is, a write in a BEGIN IMMEDIATE transaction of its own. */
  private alone<T>(sql: string, call: (statement: Database.Statement) => T): Promise<T> {
    return this.exclusive(() => {
      const statement = this.prepared(sql);
      return statement.readonly ? call(statement) : this.db.transaction(() => call(statement)).immediate();
    });
  }

  /** Runs `task` when no other SQLite task of the process runs; trouble with the file itself says which file. */
  private exclusive<T>(task: () => T | Promise<T>): Promise<T> {
    return queue.run(async () => {
      if (this.closed) throw new Error('the SQLite store is closed');
      try {
        return await task();
      } catch (error) {
        const code = String((error as { code?: unknown })?.code ?? '');
        throw this.file && FILE_ERRORS.test(code) ? namingPath(error, this.file.path) : error;
      }
    });
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

// SQLite has no boolean type and better-sqlite3 refuses to bind JS booleans.
function bind(params: readonly SqlValue[] = []): (string | number | null)[] {
  return params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}
