import { existsSync, type Stats, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrationSql, pendingMigrations, SCHEMA_MIGRATIONS_SQL } from './migrations.ts';
import { Mutex } from './mutex.ts';
import {
  type ChannelPatch,
  ledgerRowsOf,
  num,
  patchColumns,
  type SqlValue,
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

// Long enough to ride out another process's write transaction (they are all short), short enough to
// surface a stuck lock instead of hanging a scheduler tick.
const BUSY_TIMEOUT_MS = 5_000;

/** SQLite result codes that are about the database file rather than the statement. */
const FILE_ERRORS = /^SQLITE_(READONLY|IOERR|CANTOPEN|FULL|CORRUPT|NOTADB|PERM)/;

/** Who wrote the readiness probe's row, for an operator looking at the database. */
const PROBED_BY = `${hostname()}-${process.pid}`;

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
    if (inMemory) return new SqliteStore(db, null);
    if (!existsSync(marker))
      await writeFile(
        marker,
        `orch created ${basename(path)} here. If the database goes missing, orch refuses to start empty; delete this file to allow it.\n`,
      );
    return new SqliteStore(db, { path, opened: statSync(path) });
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

type Row = Record<string, unknown>;

class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  /** When expired delivery claims were last deleted (see DELIVERY_PRUNE_MS). */
  private deliveriesPrunedAt = Number.NEGATIVE_INFINITY;
  // better-sqlite3 is synchronous, so a method that finishes in one call cannot be interleaved; the
  // mutex keeps that true for any method that awaits inside a transaction, and orders close() last.
  private readonly mutex = new Mutex();
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly db: Database.Database,
    /** The file and its identity when opened; null in memory. */
    private readonly file: { path: string; opened: Stats } | null,
  ) {}

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

  // A write, not a read: a read-only file (or directory) answers reads and fails every write.
  async ping(): Promise<void> {
    this.assertSameFile();
    await this.write(() => {
      this.stmt(
        `INSERT INTO health_probe (id, probed_at, probed_by) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at, probed_by = excluded.probed_by`,
      ).run(Date.now(), PROBED_BY);
    });
  }

  /**
   * The open file is still the one at the path. Deleted or replaced, it keeps working through the open handle, so
   * nothing fails, but every write goes where the next start will not find it.
   */
  private assertSameFile(): void {
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

  dueChannels(now: number, limit: number, platforms?: readonly string[]): Promise<ChannelSettings[]> {
    const only = platformFilter(platforms);
    return this.read(() =>
      (
        this.stmt(
          `SELECT * FROM channels
           WHERE next_fire_at IS NOT NULL AND next_fire_at <= ? AND paused = 0 AND cron IS NOT NULL${only.sql}
           ORDER BY next_fire_at, channel_key LIMIT ?`,
        ).all(now, ...only.params, limit) as Row[]
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

  pendingPosts(
    now: number,
    staleBefore: number,
    claimedBy: string,
    platforms?: readonly string[],
  ): Promise<LedgerEntry[]> {
    const only = platformFilter(platforms);
    return this.read(() =>
      (
        this.stmt(
          `SELECT * FROM ledger
           WHERE ((status = 'claimed' AND (claimed_by = ? OR claimed_at < ?))
              OR (status = 'failed' AND retry_at <= ?))${only.sql}
           ORDER BY fire_at, channel_key`,
        ).all(claimedBy, staleBefore, now, ...only.params) as Row[]
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

  claimDelivery(deliveryKey: string, now: number, expiresAt: number): Promise<boolean> {
    return this.write(() => {
      if (now - this.deliveriesPrunedAt >= DELIVERY_PRUNE_MS) {
        this.deliveriesPrunedAt = now;
        this.stmt('DELETE FROM deliveries WHERE expires_at < ?').run(now);
      }
      // An expired claim of this very key is replaced in the same statement.
      return (
        this.stmt(
          `INSERT INTO deliveries (delivery_key, expires_at) VALUES (?, ?)
           ON CONFLICT (delivery_key) DO UPDATE SET expires_at = excluded.expires_at WHERE deliveries.expires_at < ?`,
        ).run(deliveryKey, expiresAt, now).changes === 1
      );
    });
  }

  createRound(round: QuizRound, questions: RoundQuestion[]): Promise<boolean> {
    return this.write(() => {
      // The partial unique index decides; across processes BEGIN IMMEDIATE already orders the two writers.
      const inserted = this.stmt(
        `INSERT INTO quiz_rounds (id, channel_key, started_by, topic, lang, seconds_per_question, question_count,
           status, current_index, created_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, NULL)
         ON CONFLICT (channel_key) WHERE status = 'running' DO NOTHING`,
      ).run(
        round.id,
        round.channelKey,
        round.startedBy,
        round.topic,
        round.lang,
        round.secondsPerQuestion,
        round.questionCount,
        round.current,
        round.createdAt,
      );
      if (inserted.changes === 0) return false;
      const insert = this.stmt('INSERT INTO quiz_questions (round_id, idx, question_json) VALUES (?, ?, ?)');
      for (const [index, question] of questions.entries())
        insert.run(round.id, index, JSON.stringify(question));
      return true;
    });
  }

  getRound(roundId: string): Promise<QuizRound | null> {
    return this.read(() => {
      const row = this.stmt('SELECT * FROM quiz_rounds WHERE id = ?').get(roundId) as Row | undefined;
      return row ? toQuizRound(row) : null;
    });
  }

  runningRound(channelKey: string): Promise<QuizRound | null> {
    return this.read(() => {
      const row = this.stmt("SELECT * FROM quiz_rounds WHERE channel_key = ? AND status = 'running'").get(
        channelKey,
      ) as Row | undefined;
      return row ? toQuizRound(row) : null;
    });
  }

  runningRounds(): Promise<QuizRound[]> {
    return this.read(() =>
      (
        this.stmt("SELECT * FROM quiz_rounds WHERE status = 'running' ORDER BY created_at, id").all() as Row[]
      ).map(toQuizRound),
    );
  }

  lastRoundStart(channelKey: string): Promise<number | null> {
    return this.read(() => {
      const last = this.stmt('SELECT MAX(created_at) FROM quiz_rounds WHERE channel_key = ?')
        .pluck()
        .get(channelKey);
      return last === null || last === undefined ? null : num(last, 'created_at');
    });
  }

  roundQuestion(roundId: string, index: number): Promise<QuizRoundQuestion | null> {
    return this.read(() => {
      const row = this.stmt('SELECT * FROM quiz_questions WHERE round_id = ? AND idx = ?').get(
        roundId,
        index,
      ) as Row | undefined;
      return row ? toQuizRoundQuestion(row) : null;
    });
  }

  markQuestionPosted(
    roundId: string,
    index: number,
    messageId: string,
    postedAt: number,
    deadlineAt: number,
  ): Promise<void> {
    return this.write(() => {
      // A repeated call (a retried post) keeps the first message and deadline, which answers are judged by.
      const changed = this.stmt(
        `UPDATE quiz_questions SET message_id = ?, posted_at = ?, deadline_at = ?
         WHERE round_id = ? AND idx = ? AND posted_at IS NULL`,
      ).run(messageId, postedAt, deadlineAt, roundId, index).changes;
      if (
        changed === 0 &&
        !this.stmt('SELECT 1 FROM quiz_questions WHERE round_id = ? AND idx = ?').get(roundId, index)
      ) {
        throw missingQuestion(roundId, index);
      }
    });
  }

  recordAnswer(answer: QuizAnswer): Promise<AnswerOutcome> {
    // BEGIN IMMEDIATE holds the database's write lock for the check and the insert together, so a reveal
    // (another writer) lands either wholly before or wholly after; the primary key picks the first answer.
    return this.write(() => this.insertAnswer(answer));
  }

  recordAnswers(answers: readonly QuizAnswer[]): Promise<AnswerOutcome[]> {
    if (answers.length === 0) return Promise.resolve([]);
    return this.write(() => answers.map((answer) => this.insertAnswer(answer)));
  }

  private insertAnswer(answer: QuizAnswer): AnswerOutcome {
    const inserted = this.stmt(
      `INSERT INTO quiz_answers (round_id, idx, user_id, display_name, option_index, answered_at, correct, points)
       SELECT q.round_id, q.idx, @userId, @displayName, @option, @answeredAt, @correct, @points
       FROM quiz_questions q JOIN quiz_rounds r ON r.id = q.round_id
       WHERE q.round_id = @roundId AND q.idx = @index AND q.posted_at IS NOT NULL AND @answeredAt < q.deadline_at
         AND (q.revealed_at IS NULL OR @answeredAt < q.revealed_at)
         AND (r.status = 'running' OR @answeredAt < r.finished_at)
       ON CONFLICT (round_id, idx, user_id) DO NOTHING`,
    ).run({ ...answer, correct: answer.correct ? 1 : 0 });
    if (inserted.changes === 1) return 'recorded';
    const existing = this.stmt(
      'SELECT 1 FROM quiz_answers WHERE round_id = ? AND idx = ? AND user_id = ?',
    ).get(answer.roundId, answer.index, answer.userId);
    return existing ? 'duplicate' : 'closed';
  }

  answers(roundId: string, index: number): Promise<QuizAnswer[]> {
    return this.read(() =>
      (
        this.stmt(
          'SELECT * FROM quiz_answers WHERE round_id = ? AND idx = ? ORDER BY answered_at, user_id',
        ).all(roundId, index) as Row[]
      ).map(toQuizAnswer),
    );
  }

  participantsBefore(roundId: string, index: number): Promise<string[]> {
    return this.read(
      () =>
        this.stmt('SELECT DISTINCT user_id FROM quiz_answers WHERE round_id = ? AND idx < ? ORDER BY user_id')
          .pluck()
          .all(roundId, index) as string[],
    );
  }

  revealQuestion(roundId: string, index: number, now: number): Promise<boolean> {
    return this.write(
      () =>
        this.stmt(
          'UPDATE quiz_questions SET revealed_at = ? WHERE round_id = ? AND idx = ? AND revealed_at IS NULL',
        ).run(now, roundId, index).changes === 1,
    );
  }

  advanceRound(roundId: string, index: number): Promise<boolean> {
    // Never backwards: a late timer for an earlier question must not rewind a round that moved on.
    return this.write(
      () =>
        this.stmt(
          "UPDATE quiz_rounds SET current_index = ? WHERE id = ? AND status = 'running' AND current_index < ?",
        ).run(index, roundId, index).changes === 1,
    );
  }

  finishRound(roundId: string, status: 'finished' | 'stopped', now: number): Promise<boolean> {
    return this.write(
      () =>
        this.stmt(
          "UPDATE quiz_rounds SET status = ?, finished_at = ? WHERE id = ? AND status = 'running'",
        ).run(status, now, roundId).changes === 1,
    );
  }

  roundScores(roundId: string): Promise<LeaderboardRow[]> {
    return this.read(() =>
      (this.stmt(scoresSql('a.round_id = ?', '')).all(roundId) as Row[]).map(toLeaderboardRow),
    );
  }

  leaderboard(channelKey: string, since: number, limit: number): Promise<LeaderboardRow[]> {
    return this.read(() =>
      (
        this.stmt(scoresSql('r.channel_key = ? AND a.answered_at >= ?', 'LIMIT ?')).all(
          channelKey,
          since,
          limit,
        ) as Row[]
      ).map(toLeaderboardRow),
    );
  }

  quizStats(
    channelKey: string,
    userId: string,
  ): Promise<{ answered: number; correct: number; points: number }> {
    return this.read(() => {
      const row = this.stmt(
        `SELECT COUNT(*) AS answered, COALESCE(SUM(CASE WHEN a.correct THEN 1 ELSE 0 END), 0) AS correct,
           COALESCE(SUM(a.points), 0) AS points
         FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
         WHERE r.channel_key = ? AND a.user_id = ?`,
      ).get(channelKey, userId) as Row;
      return {
        answered: num(row.answered, 'answered'),
        correct: num(row.correct, 'correct'),
        points: num(row.points, 'points'),
      };
    });
  }

  saveReviewCard(card: ReviewCard): Promise<void> {
    return this.write(() => {
      this.stmt(
        `INSERT INTO review_cards (user_key, question_id, question_json, card, due_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (user_key, question_id) DO UPDATE
         SET question_json = excluded.question_json, card = excluded.card, due_at = excluded.due_at`,
      ).run(card.userKey, card.questionId, JSON.stringify(card.question), card.card, card.dueAt);
    });
  }

  reviewCard(userKey: string, questionId: string): Promise<ReviewCard | null> {
    return this.read(() => {
      const row = this.stmt('SELECT * FROM review_cards WHERE user_key = ? AND question_id = ?').get(
        userKey,
        questionId,
      ) as Row | undefined;
      return row ? toReviewCard(row) : null;
    });
  }

  dueReviews(userKey: string, now: number, limit: number): Promise<ReviewCard[]> {
    return this.read(() =>
      (
        this.stmt(
          'SELECT * FROM review_cards WHERE user_key = ? AND due_at <= ? ORDER BY due_at, question_id LIMIT ?',
        ).all(userKey, now, limit) as Row[]
      ).map(toReviewCard),
    );
  }

  countDueReviews(userKey: string, now: number): Promise<number> {
    return this.read(() =>
      num(
        this.stmt('SELECT COUNT(*) FROM review_cards WHERE user_key = ? AND due_at <= ?')
          .pluck()
          .get(userKey, now),
        'count',
      ),
    );
  }

  private read<T>(work: () => T): Promise<T> {
    return this.mutex.run(() => {
      this.assertOpen();
      try {
        return work();
      } catch (error) {
        throw this.fileError(error);
      }
    });
  }

  // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then writes
  // can fail with SQLITE_BUSY when another process wrote in between, and busy_timeout cannot help it.
  private write<T>(work: () => T): Promise<T> {
    return this.mutex.run(() => {
      this.assertOpen();
      try {
        return this.db.transaction(work).immediate();
      } catch (error) {
        throw this.fileError(error);
      }
    });
  }

  /** Trouble with the file itself (read-only, disk full, I/O) says which file; other errors pass unchanged. */
  private fileError(error: unknown): unknown {
    const code = String((error as { code?: unknown })?.code ?? '');
    return this.file && FILE_ERRORS.test(code) ? namingPath(error, this.file.path) : error;
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

function missingQuestion(roundId: string, index: number): Error {
  return new Error(`no question ${index} in quiz round ${roundId}`);
}

// Points, then right answers, then the user id so that ties have a stable order; the display name is the
// one a member used most recently in the answers counted.
function scoresSql(where: string, limit: string): string {
  return `WITH scoped AS (
    SELECT a.user_id, a.display_name, a.points, a.correct,
      ROW_NUMBER() OVER (PARTITION BY a.user_id ORDER BY a.answered_at DESC, a.round_id DESC, a.idx DESC) AS recency
    FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
    WHERE ${where}
  )
  SELECT user_id, MAX(CASE WHEN recency = 1 THEN display_name END) AS display_name, SUM(points) AS total_points,
    SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS correct_count, COUNT(*) AS answered_count
  FROM scoped GROUP BY user_id
  ORDER BY total_points DESC, correct_count DESC, user_id ${limit}`;
}

/** `AND (channel_key LIKE 'slack:%' OR ...)` for the platforms a process runs; nothing when it runs every one. */
function platformFilter(platforms: readonly string[] | undefined): { sql: string; params: string[] } {
  if (!platforms) return { sql: '', params: [] };
  if (platforms.length === 0) return { sql: ' AND 0', params: [] };
  return {
    sql: ` AND (${platforms.map(() => "channel_key LIKE ? ESCAPE '\\'").join(' OR ')})`,
    params: platforms.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}:%`),
  };
}
