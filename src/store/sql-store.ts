import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { spaceOfKey, userIdOfKey, userKeyOf } from '../channel-key.ts';
import { MIGRATIONS, migrationSql, pendingMigrations, SCHEMA_MIGRATIONS_SQL } from './migrations.ts';
import { questionVersion, UNVERSIONED } from './question-version.ts';
import {
  type ChannelPatch,
  groupColumns,
  nullableNum,
  num,
  patchColumns,
  type Row,
  type SqlValue,
  toChannel,
  toDigestEntry,
  toLeaderboardRow,
  toLedgerEntry,
  toMemberPause,
  toQuestionPause,
  toQuizAnswer,
  toQuizResult,
  toQuizRound,
  toQuizRoundQuestion,
  toReportLine,
  toReviewCard,
  toStudyChannel,
} from './rows.ts';
import type {
  AnswerWriteResult,
  CatchUp,
  ChannelSettings,
  Completion,
  DigestEntry,
  FirePlan,
  GroupEvent,
  JoinOutcome,
  LeaderboardRow,
  LedgerEntry,
  LinkOutcome,
  MemberPause,
  PaceFacts,
  QuestionPause,
  QuestionRecord,
  QuestionReport,
  QuestionResult,
  QuestionStanding,
  QuizAnswer,
  QuizResult,
  QuizRound,
  QuizRoundQuestion,
  ReviewCard,
  RoundQuestion,
  Store,
  StudyChannel,
} from './store.ts';
import { DELIVERY_PRUNE_MS } from './store.ts';

/**
 * The statements a database runs for the shared store. The SQL is written once with `?` placeholders: better-sqlite3
 * binds them as they are (it would read PostgreSQL's `$1` as a named parameter, bound from an object), and the
 * PostgreSQL dialect numbers them once per statement text. Values are bound in the order the `?` appear.
 */
export interface SqlPort {
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** The first row, if any. */
  get(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** Runs a statement; how many rows it inserted, updated or deleted. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs a script of several statements without parameters (a migration). */
  script(sql: string): Promise<void>;
}

/**
 * One database engine under the shared store: its statements outside a transaction (each atomic on its own), its
 * transactions, and the few things that are not the same SQL on both engines.
 */
export interface SqlDialect extends SqlPort {
  readonly kind: Store['kind'];
  /** What orders text bytewise, as SQLite always does: ` COLLATE "C"` where the default follows the locale. */
  readonly bytewise: string;
  /** The `platform:space:` start of the channel key in `column`, as SQL: with a user id, the member's key. */
  spaceOf(column: string): string;
  /** Runs `work` in one transaction, rolled back if it throws; every statement of it goes through `tx`. */
  transaction<T>(work: (tx: SqlPort) => Promise<T>): Promise<T>;
  /** Inside the migration's transaction: makes a second process wait until this one has migrated. */
  lockMigrations(tx: SqlPort): Promise<void>;
  /** Throws if the database is no longer where the next start will find it (called by ping). */
  assertInPlace(): void;
  /** Store.applyFirePlans for a non-empty batch, the way this engine does it safely and fast. */
  applyFirePlans(plans: readonly FirePlan[]): Promise<boolean[]>;
  /** Store.recordAnswers for a non-empty batch, the way this engine makes the first answer count. */
  recordAnswers(answers: readonly QuizAnswer[]): Promise<AnswerWriteResult[]>;
  close(): Promise<void>;
}

/**
 * The channels of a channel's study group, the channel itself included, as a subquery taking the channel's key twice:
 * what a group's leaderboards and question results read across (a round on Discord counts on the Slack side too).
 */
const GROUP_OF = `(SELECT CAST(? AS TEXT) UNION SELECT c.channel_key FROM channels c
  WHERE c.group_key = (SELECT g.group_key FROM channels g WHERE g.channel_key = ? AND g.group_key IS NOT NULL))`;

/**
 * The member keys of the person a member key is (taken twice): the key itself and every key linked to it. Read inside
 * each per-person statement rather than looked up first, which would cost a round trip of its own.
 */
const LINKED_KEYS = `(SELECT CAST(? AS TEXT) AS member_key
  UNION SELECT other.member_key FROM identities mine JOIN identities other ON other.person_key = mine.person_key
  WHERE mine.member_key = ?)`;

/**
 * True for a review card `c` that is its person's current card for the question: a member linked to others may hold a
 * card per key for one question (each side missed it before they linked), and the one reviewed last holds what the
 * member knows now (a lapse on one side is not hidden by an older success on the other). Cards from before review
 * times were kept fall back to the later due time. An unlinked member's cards are all current.
 */
const CURRENT_CARD = `NOT EXISTS (SELECT 1 FROM identities mine
  JOIN identities other ON other.person_key = mine.person_key AND other.member_key <> mine.member_key
  JOIN review_cards d ON d.user_key = other.member_key AND d.question_id = c.question_id
  WHERE mine.member_key = c.user_key AND (COALESCE(d.reviewed_at, 0) > COALESCE(c.reviewed_at, 0)
    OR (COALESCE(d.reviewed_at, 0) = COALESCE(c.reviewed_at, 0)
      AND (d.due_at > c.due_at OR (d.due_at = c.due_at AND d.user_key > c.user_key)))))`;

/** Who wrote the readiness probe's row, for an operator looking at the database. */
const PROBED_BY = `${hostname()}-${process.pid}`;

/** The Store contract in SQL both engines run; what differs lives in a SqlDialect. */
export class SqlStore implements Store {
  readonly kind: Store['kind'];
  /** When expired delivery claims were last deleted (see DELIVERY_PRUNE_MS). */
  private deliveriesPrunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: SqlDialect) {
    this.kind = db.kind;
  }

  migrate(): Promise<void> {
    return this.db.transaction(async (tx) => {
      await this.db.lockMigrations(tx);
      await tx.script(SCHEMA_MIGRATIONS_SQL);
      const applied = await tx.all('SELECT version FROM schema_migrations');
      for (const migration of pendingMigrations(
        applied.map((r) => num(r.version, 'version')),
        MIGRATIONS,
      )) {
        await tx.script(migrationSql(migration, this.kind));
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          migration.version,
          migration.name,
          Date.now(),
        ]);
      }
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // A write, not a read: a read-only file, or a server in recovery or made read-only after a failover, answers
  // reads and refuses writes.
  async ping(): Promise<void> {
    this.db.assertInPlace();
    await this.db.run(
      `INSERT INTO health_probe (id, probed_at, probed_by) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at, probed_by = excluded.probed_by`,
      [Date.now(), PROBED_BY],
    );
  }

  getChannel(channelKey: string): Promise<ChannelSettings | null> {
    return this.one(toChannel, 'SELECT * FROM channels WHERE channel_key = ?', [channelKey]);
  }

  async updateChannel(channelKey: string, patch: ChannelPatch, now: number): Promise<ChannelSettings> {
    const set = patchColumns(patch);
    const inserted = ['channel_key', ...set.map((c) => c.column), 'updated_at'];
    const updated = [...set.map((c) => c.column), 'updated_at'];
    // Only the patched columns are overwritten on conflict, so two concurrent patches of different
    // fields both survive; the table's defaults fill the rest on first insert.
    const shared = groupColumns(patch);
    return this.db.transaction(async (tx) => {
      const row = await tx.get(
        `INSERT INTO channels (${inserted.join(', ')}) VALUES (${inserted.map(() => '?').join(', ')}) ` +
          `ON CONFLICT (channel_key) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')} ` +
          'RETURNING *',
        [channelKey, ...set.map((c) => c.value), now],
      );
      if (!row) throw new Error(`upsert of channel ${channelKey} returned no row`);
      // What and when the group studies is the group's: the same change in its other channels.
      if (shared.length > 0 && typeof row.group_key === 'string')
        await tx.run(
          `UPDATE channels SET ${shared.map((c) => `${c.column} = ?`).join(', ')}, updated_at = ?
           WHERE group_key = ? AND channel_key <> ?`,
          [...shared.map((c) => c.value), now, row.group_key, channelKey],
        );
      return toChannel(row);
    });
  }

  dueChannels(now: number, limit: number, platforms?: readonly string[]): Promise<ChannelSettings[]> {
    const only = platformFilter(platforms);
    return this.many(
      toChannel,
      `SELECT * FROM channels
       WHERE next_fire_at IS NOT NULL AND next_fire_at <= ? AND paused = FALSE AND cron IS NOT NULL${only.sql}
       ORDER BY next_fire_at, channel_key LIMIT ?`,
      [now, ...only.params, limit],
    );
  }

  async applyFirePlans(plans: readonly FirePlan[]): Promise<boolean[]> {
    return plans.length === 0 ? [] : this.db.applyFirePlans(plans);
  }

  pendingPosts(
    now: number,
    staleBefore: number,
    claimedBy: string,
    platforms?: readonly string[],
  ): Promise<LedgerEntry[]> {
    const only = platformFilter(platforms);
    return this.many(
      toLedgerEntry,
      `SELECT * FROM ledger
       WHERE ((status = 'claimed' AND (claimed_by = ? OR claimed_at < ?))
          OR (status = 'failed' AND retry_at <= ?))${only.sql}
       ORDER BY fire_at, channel_key`,
      [claimedBy, staleBefore, now, ...only.params],
    );
  }

  takeClaim(
    channelKey: string,
    fireAt: number,
    claimedBy: string,
    now: number,
    staleBefore: number,
  ): Promise<boolean> {
    // One statement: the row lock (PostgreSQL) or the write lock (SQLite) makes a concurrent taker re-check the
    // condition after this one commits.
    return this.changedOne(
      `UPDATE ledger SET claimed_by = ?, claimed_at = ?, status = 'claimed'
       WHERE channel_key = ? AND fire_at = ?
         AND ((status = 'claimed' AND (claimed_by = ? OR claimed_at < ?))
           OR (status = 'failed' AND retry_at <= ?))`,
      [claimedBy, now, channelKey, fireAt, claimedBy, staleBefore, now],
    );
  }

  markPosted(channelKey: string, fireAt: number, messageId: string, now: number): Promise<void> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get(
        `UPDATE ledger SET status = 'posted', message_id = ?, posted_at = ?
         WHERE channel_key = ? AND fire_at = ? AND status <> 'posted' RETURNING lesson, kind`,
        [messageId, now, channelKey, fireAt],
      );
      // Already posted: a second call keeps the first message id and time; the position already moved with it.
      if (!row) return assertLedgerRow(tx, channelKey, fireAt);
      // A review day holds its lesson back: the position stays for the next fire.
      if (row.kind === 'review') return;
      const next = num(row.lesson, 'lesson') + 1;
      // A study group's place is one: a lesson posted in one of its channels moves them all (the same fire's post
      // in the others moves nothing more), so a post one platform gave up on does not leave that channel behind.
      await tx.run(
        `UPDATE channels SET position = ? WHERE position < ? AND (channel_key = ? OR group_key =
           (SELECT g.group_key FROM channels g WHERE g.channel_key = ? AND g.group_key IS NOT NULL))`,
        [next, next, channelKey, channelKey],
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
    const changed = await this.db.run(
      `UPDATE ledger SET attempts = attempts + 1, last_error = ?, retry_at = ?, status = ?
       WHERE channel_key = ? AND fire_at = ? AND status <> 'posted'`,
      [error, retryAt, retryAt === null ? 'abandoned' : 'failed', channelKey, fireAt],
    );
    if (changed === 0) await assertLedgerRow(this.db, channelKey, fireAt);
  }

  ledger(channelKey: string, limit: number): Promise<LedgerEntry[]> {
    return this.many(
      toLedgerEntry,
      'SELECT * FROM ledger WHERE channel_key = ? ORDER BY fire_at DESC LIMIT ?',
      [channelKey, limit],
    );
  }

  async claimRun(runKey: string, claimedBy: string, now: number, pruneBefore: number): Promise<boolean> {
    await this.db.run('DELETE FROM cron_runs WHERE claimed_at < ?', [pruneBefore]);
    return this.changedOne(
      'INSERT INTO cron_runs (run_key, claimed_by, claimed_at) VALUES (?, ?, ?) ON CONFLICT (run_key) DO NOTHING',
      [runKey, claimedBy, now],
    );
  }

  async claimDelivery(deliveryKey: string, now: number, expiresAt: number): Promise<boolean> {
    // The expired row of this very key is replaced in the same statement, so a key whose claim ran out is claimable
    // again without a window in which two callers both see it free.
    const claimed = await this.changedOne(
      `INSERT INTO deliveries (delivery_key, expires_at) VALUES (?, ?)
       ON CONFLICT (delivery_key) DO UPDATE SET expires_at = excluded.expires_at
       WHERE deliveries.expires_at < ?`,
      [deliveryKey, expiresAt, now],
    );
    // Pruning other keys is housekeeping: at most once a minute per process, a few thousand rows at a time.
    if (now - this.deliveriesPrunedAt >= DELIVERY_PRUNE_MS) {
      this.deliveriesPrunedAt = now;
      await this.db.run(
        'DELETE FROM deliveries WHERE delivery_key IN (SELECT delivery_key FROM deliveries WHERE expires_at < ? LIMIT 5000)',
        [now],
      );
    }
    return claimed;
  }

  recordCompletion(completion: Completion): Promise<boolean> {
    return this.changedOne(
      `INSERT INTO completions (channel_key, user_id, lesson, completed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (channel_key, user_id, lesson) DO NOTHING`,
      [completion.channelKey, completion.userId, completion.lesson, completion.completedAt],
    );
  }

  async completions(channelKey: string, userId: string): Promise<number[]> {
    const rows = await this.personalRows(
      (mine) =>
        `SELECT channel_key, user_id, lesson FROM completions WHERE ${mine('channel_key', 'user_id')}`,
      channelKey,
      userId,
    );
    return [...new Set(rows.map((r) => num(r.lesson, 'lesson')))].sort((a, b) => a - b);
  }

  async identityOf(memberKey: string): Promise<{ personKey: string; memberKeys: string[] }> {
    const rows = await this.db.all(
      `WITH keys AS ${LINKED_KEYS}
       SELECT k.member_key, i.person_key FROM keys k LEFT JOIN identities i ON i.member_key = k.member_key
       ORDER BY k.member_key${this.db.bytewise}`,
      [memberKey, memberKey],
    );
    const personKey = rows.find((r) => typeof r.person_key === 'string')?.person_key;
    const others = rows.map((r) => String(r.member_key)).filter((key) => key !== memberKey);
    return {
      personKey: typeof personKey === 'string' ? personKey : memberKey,
      memberKeys: [memberKey, ...others],
    };
  }

  /**
   * The rows of the query `sql` builds in the channel's study group that are the member's or a linked key's.
   * `mine(channel, user)` is the condition on its channel key and user id columns. The member's keys are read in the
   * same statement (one round trip, which is what a lookup costs on PostgreSQL); the user ids are matched by the
   * completions' and answers' indexes, and then each row's workspace with them, so a user id that means someone else
   * in another workspace of the group is not theirs.
   */
  private personalRows(
    sql: (mine: (channel: string, user: string) => string) => string,
    channelKey: string,
    userId: string,
  ): Promise<Row[]> {
    const memberKey = userKeyOf(channelKey, userId);
    const space = (column: string) => this.db.spaceOf(column);
    return this.db.all(
      `WITH keys AS ${LINKED_KEYS} ${sql(
        (channel, user) =>
          `${channel} IN ${GROUP_OF}
           AND ${user} IN (SELECT substr(k.member_key, length(${space('k.member_key')}) + 1) FROM keys k)
           AND ${space(channel)} || ${user} IN (SELECT member_key FROM keys)`,
      )}`,
      [memberKey, memberKey, channelKey, channelKey],
    );
  }

  studyChannels(userId: string, prefix: string, limit: number): Promise<StudyChannel[]> {
    // substr rather than LIKE: a team or guild id is compared as it is, with no wildcard to escape.
    return this.many(
      toStudyChannel,
      `SELECT channel_key, MAX(at) AS last_at FROM (
         SELECT channel_key, completed_at AS at FROM completions WHERE user_id = ? AND substr(channel_key, 1, ?) = ?
         UNION ALL
         SELECT r.channel_key, a.answered_at AS at FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
         WHERE a.user_id = ? AND substr(r.channel_key, 1, ?) = ?
       ) studied
       GROUP BY channel_key ORDER BY last_at DESC, channel_key${this.db.bytewise} LIMIT ?`,
      [userId, prefix.length, prefix, userId, prefix.length, prefix, limit],
    );
  }

  createRound(round: QuizRound, questions: RoundQuestion[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The partial unique index decides: a concurrent creator for the same channel waits for this transaction (on
      // the index entry, or for SQLite's write lock), then does nothing, so exactly one goes on to insert questions.
      const inserted = await tx.run(
        `INSERT INTO quiz_rounds (id, channel_key, started_by, topic, lang, seconds_per_question, question_count,
           status, current_index, created_at, finished_at, thread_anchor)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, NULL, ?)
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
          round.threadAnchor ?? null,
        ],
      );
      if (inserted === 0) return false;
      if (questions.length > 0)
        await tx.run(
          `INSERT INTO quiz_questions (round_id, idx, question_json, question_id, question_version)
           VALUES ${questions.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          questions.flatMap((question, index) => [
            round.id,
            index,
            JSON.stringify(question),
            question.questionId,
            questionVersion(question),
          ]),
        );
      return true;
    });
  }

  getRound(roundId: string): Promise<QuizRound | null> {
    return this.one(toQuizRound, 'SELECT * FROM quiz_rounds WHERE id = ?', [roundId]);
  }

  runningRound(channelKey: string): Promise<QuizRound | null> {
    return this.one(toQuizRound, "SELECT * FROM quiz_rounds WHERE channel_key = ? AND status = 'running'", [
      channelKey,
    ]);
  }

  runningRounds(): Promise<QuizRound[]> {
    return this.many(
      toQuizRound,
      "SELECT * FROM quiz_rounds WHERE status = 'running' ORDER BY created_at, id",
    );
  }

  async channelPageToken(channelKey: string, candidate: string, now: number): Promise<string> {
    await this.db.run(
      'INSERT INTO channel_pages (channel_key, token, created_at) VALUES (?, ?, ?) ON CONFLICT (channel_key) DO NOTHING',
      [channelKey, candidate, now],
    );
    const row = await this.db.get('SELECT token FROM channel_pages WHERE channel_key = ?', [channelKey]);
    if (!row) throw new Error(`the page token of ${channelKey} was stored but cannot be read`);
    return String(row.token);
  }

  async rotateChannelPageToken(channelKey: string, token: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO channel_pages (channel_key, token, created_at) VALUES (?, ?, ?)
       ON CONFLICT (channel_key) DO UPDATE SET token = excluded.token, created_at = excluded.created_at`,
      [channelKey, token, now],
    );
  }

  async channelOfPageToken(token: string): Promise<string | null> {
    const row = await this.db.get('SELECT channel_key FROM channel_pages WHERE token = ?', [token]);
    return row ? String(row.channel_key) : null;
  }

  async digestChannels(
    afterKey: string,
    limit: number,
    platforms?: readonly string[],
  ): Promise<{ channel: ChannelSettings; digestWeek: number | null }[]> {
    const only = platformFilter(platforms);
    const rows = await this.db.all(
      `SELECT * FROM channels
       WHERE cron IS NOT NULL AND (digest IS NULL OR digest <> 'off') AND channel_key > ?${only.sql}
       ORDER BY channel_key${this.db.bytewise} LIMIT ?`,
      [afterKey, ...only.params, limit],
    );
    return rows.map((row) => ({
      channel: toChannel(row),
      digestWeek: nullableNum(row.digest_week, 'digest_week'),
    }));
  }

  claimDigest(channelKey: string, weekStart: number, claimedBy: string, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const moved = await tx.run(
        'UPDATE channels SET digest_week = ? WHERE channel_key = ? AND (digest_week IS NULL OR digest_week < ?)',
        [weekStart, channelKey, weekStart],
      );
      if (moved === 0) return false;
      await tx.run(
        `INSERT INTO digests (channel_key, week_start, status, claimed_by, claimed_at) VALUES (?, ?, 'claimed', ?, ?)
         ON CONFLICT (channel_key, week_start) DO NOTHING`,
        [channelKey, weekStart, claimedBy, now],
      );
      return true;
    });
  }

  async reclaimDigests(
    claimedBy: string,
    staleBefore: number,
    now: number,
    maxAttempts: number,
  ): Promise<DigestEntry[]> {
    const candidates = await this.many(
      toDigestEntry,
      `SELECT * FROM digests
       WHERE (status = 'claimed' AND claimed_at < ?) OR (status = 'failed' AND attempts < ?)
       ORDER BY claimed_at LIMIT 100`,
      [staleBefore, maxAttempts],
    );
    const taken: DigestEntry[] = [];
    for (const entry of candidates) {
      // Compare-and-set on the claim this process read: of two processes taking the same row, one changes it.
      const changed = await this.db.run(
        `UPDATE digests SET status = 'claimed', claimed_by = ?, claimed_at = ?
         WHERE channel_key = ? AND week_start = ? AND status = ? AND claimed_by = ? AND claimed_at = ?`,
        [claimedBy, now, entry.channelKey, entry.weekStart, entry.status, entry.claimedBy, entry.claimedAt],
      );
      if (changed === 1) taken.push({ ...entry, status: 'claimed', claimedBy, claimedAt: now });
    }
    return taken;
  }

  async markDigestPosted(
    channelKey: string,
    weekStart: number,
    messageId: string,
    now: number,
  ): Promise<void> {
    await this.db.run(
      `UPDATE digests SET status = 'posted', message_id = ?, posted_at = ?
       WHERE channel_key = ? AND week_start = ? AND status <> 'posted'`,
      [messageId, now, channelKey, weekStart],
    );
  }

  async markDigestFailed(
    channelKey: string,
    weekStart: number,
    error: string,
    giveUp: boolean,
  ): Promise<void> {
    await this.db.run(
      `UPDATE digests SET status = ?, attempts = attempts + 1, last_error = ?
       WHERE channel_key = ? AND week_start = ? AND status <> 'posted'`,
      [giveUp ? 'abandoned' : 'failed', error.slice(0, 500), channelKey, weekStart],
    );
  }

  digests(channelKey: string, limit: number): Promise<DigestEntry[]> {
    return this.many(
      toDigestEntry,
      'SELECT * FROM digests WHERE channel_key = ? ORDER BY week_start DESC LIMIT ?',
      [channelKey, limit],
    );
  }

  leaderboardBetween(
    channelKey: string,
    since: number,
    until: number,
    limit: number,
  ): Promise<LeaderboardRow[]> {
    return this.many(
      toLeaderboardRow,
      this.scoresSql(`r.channel_key IN ${GROUP_OF} AND a.answered_at >= ? AND a.answered_at < ?`, 'LIMIT ?'),
      [channelKey, channelKey, since, until, limit],
    );
  }

  async questionResults(channelKey: string, since: number, until: number): Promise<QuestionResult[]> {
    // Counted per asked question first, and only then joined to its (long) JSON: grouping by the JSON text itself
    // cost PostgreSQL most of the digest's time.
    const rows = await this.db.all(
      `SELECT q.question_json AS question_json, s.answered AS answered, s.correct AS correct
       FROM (
         SELECT a.round_id, a.idx, COUNT(*) AS answered, SUM(CASE WHEN a.correct THEN 1 ELSE 0 END) AS correct
         FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
         WHERE r.channel_key IN ${GROUP_OF} AND a.answered_at >= ? AND a.answered_at < ?
         GROUP BY a.round_id, a.idx
       ) s
       JOIN quiz_questions q ON q.round_id = s.round_id AND q.idx = s.idx`,
      [channelKey, channelKey, since, until],
    );
    return rows.map((row) => ({
      questionJson: String(row.question_json),
      answered: num(row.answered, 'answered'),
      correct: num(row.correct, 'correct'),
    }));
  }

  async lessonCompleters(channelKey: string, lessons: readonly number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>(lessons.map((lesson) => [lesson, []]));
    if (lessons.length === 0) return out;
    const rows = await this.db.all(
      `SELECT DISTINCT c.lesson AS lesson, ${this.personOf('c.channel_key', 'c.user_id')} AS person FROM completions c
       WHERE c.channel_key IN ${GROUP_OF} AND c.lesson IN (${lessons.map(() => '?').join(', ')})`,
      [channelKey, channelKey, ...lessons],
    );
    for (const row of rows) out.get(num(row.lesson, 'lesson'))?.push(String(row.person));
    return out;
  }

  async countDueReviewsOf(userKeys: readonly string[], until: number): Promise<number> {
    let due = 0;
    // A few hundred keys at a time keeps every statement under both engines' parameter limits. A person key stands
    // for its members' keys; a member key already folded into a person given too is not counted twice.
    for (let i = 0; i < userKeys.length; i += 250) {
      const keys = userKeys.slice(i, i + 250);
      const list = keys.map(() => '?').join(', ');
      // One IN over a union, not two INs joined by OR: PostgreSQL turns the OR into a scan of every card.
      const row = await this.db.get(
        `SELECT COUNT(*) AS due FROM review_cards c
         WHERE c.due_at < ? AND ${CURRENT_CARD}
           AND c.user_key IN (${keys.map(() => 'SELECT CAST(? AS TEXT)').join(' UNION ALL ')}
             UNION SELECT member_key FROM identities WHERE person_key IN (${list}))`,
        [until, ...keys, ...keys],
      );
      due += num(row?.due, 'due');
    }
    return due;
  }

  async lastRoundStart(channelKey: string): Promise<number | null> {
    const row = await this.db.get('SELECT MAX(created_at) AS last FROM quiz_rounds WHERE channel_key = ?', [
      channelKey,
    ]);
    return row?.last === null || row?.last === undefined ? null : num(row.last, 'created_at');
  }

  roundQuestion(roundId: string, index: number): Promise<QuizRoundQuestion | null> {
    return this.one(toQuizRoundQuestion, 'SELECT * FROM quiz_questions WHERE round_id = ? AND idx = ?', [
      roundId,
      index,
    ]);
  }

  async markQuestionPosted(
    roundId: string,
    index: number,
    messageId: string,
    postedAt: number,
    deadlineAt: number,
  ): Promise<void> {
    // A repeated call (a retried post) keeps the first message and deadline, which answers are judged by.
    const changed = await this.db.run(
      `UPDATE quiz_questions SET message_id = ?, posted_at = ?, deadline_at = ?
       WHERE round_id = ? AND idx = ? AND posted_at IS NULL`,
      [messageId, postedAt, deadlineAt, roundId, index],
    );
    if (
      changed === 0 &&
      !(await this.db.get('SELECT 1 AS found FROM quiz_questions WHERE round_id = ? AND idx = ?', [
        roundId,
        index,
      ]))
    )
      throw new Error(`no question ${index} in quiz round ${roundId}`);
  }

  async recordAnswers(answers: readonly QuizAnswer[]): Promise<AnswerWriteResult[]> {
    return answers.length === 0 ? [] : this.db.recordAnswers(answers);
  }

  answers(roundId: string, index: number): Promise<QuizAnswer[]> {
    return this.many(
      toQuizAnswer,
      `SELECT * FROM quiz_answers WHERE round_id = ? AND idx = ? ORDER BY answered_at, user_id${this.db.bytewise}`,
      [roundId, index],
    );
  }

  participantsBefore(roundId: string, index: number): Promise<string[]> {
    return this.many(
      (r) => String(r.user_id),
      `SELECT DISTINCT user_id${this.db.bytewise} AS user_id FROM quiz_answers WHERE round_id = ? AND idx < ? ORDER BY 1`,
      [roundId, index],
    );
  }

  revealQuestion(roundId: string, index: number, now: number): Promise<boolean> {
    // The UPDATE waits for answers being written (see the dialects' recordAnswers), and a concurrent revealer
    // re-checks revealed_at after this commits, so exactly one caller gets true. That caller adds the question's
    // answers to the channel's question record in the same transaction, so a record never counts a reveal twice
    // or misses one.
    return this.db.transaction(async (tx) => {
      const closed = await tx.run(
        'UPDATE quiz_questions SET revealed_at = ? WHERE round_id = ? AND idx = ? AND revealed_at IS NULL',
        [now, roundId, index],
      );
      if (closed !== 1) return false;
      await tx.run(
        `INSERT INTO question_players
           (channel_key, question_id, question_version, user_id, correct, answer_ms, answered_at)
         SELECT r.channel_key, q.question_id, COALESCE(q.question_version, ?), a.user_id, a.correct,
                a.answered_at - COALESCE(q.posted_at, a.answered_at), a.answered_at
         FROM quiz_answers a
         JOIN quiz_questions q ON q.round_id = a.round_id AND q.idx = a.idx
         JOIN quiz_rounds r ON r.id = a.round_id
         WHERE a.round_id = ? AND a.idx = ? AND q.question_id IS NOT NULL
         ON CONFLICT DO NOTHING`,
        [UNVERSIONED, roundId, index],
      );
      return true;
    });
  }

  async setRoundThread(roundId: string, anchorId: string): Promise<string | null> {
    await this.db.run('UPDATE quiz_rounds SET thread_anchor = ? WHERE id = ? AND thread_anchor IS NULL', [
      anchorId,
      roundId,
    ]);
    return (await this.getRound(roundId))?.threadAnchor ?? null;
  }

  advanceRound(roundId: string, index: number): Promise<boolean> {
    // Never backwards: a late timer for an earlier question must not rewind a round that moved on.
    return this.changedOne(
      "UPDATE quiz_rounds SET current_index = ? WHERE id = ? AND status = 'running' AND current_index < ?",
      [index, roundId, index],
    );
  }

  finishRound(roundId: string, status: 'finished' | 'stopped', now: number): Promise<boolean> {
    return this.changedOne(
      "UPDATE quiz_rounds SET status = ?, finished_at = ? WHERE id = ? AND status = 'running'",
      [status, now, roundId],
    );
  }

  roundScores(roundId: string): Promise<LeaderboardRow[]> {
    return this.many(toLeaderboardRow, this.scoresSql('a.round_id = ?', ''), [roundId]);
  }

  leaderboard(channelKey: string, since: number, limit: number): Promise<LeaderboardRow[]> {
    return this.many(
      toLeaderboardRow,
      this.scoresSql(`r.channel_key IN ${GROUP_OF} AND a.answered_at >= ?`, 'LIMIT ?'),
      [channelKey, channelKey, since, limit],
    );
  }

  async quizStats(
    channelKey: string,
    userId: string,
  ): Promise<{ answered: number; correct: number; points: number }> {
    // Summed per channel and user id first, so the workspace check runs on a few rows, not on every answer.
    const rows = await this.personalRows(
      (mine) => `SELECT r.channel_key AS channel_key, a.user_id AS user_id, COUNT(*) AS answered,
         SUM(CASE WHEN a.correct THEN 1 ELSE 0 END) AS correct, SUM(a.points) AS points
       FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
       WHERE ${mine('r.channel_key', 'a.user_id')}
       GROUP BY r.channel_key, a.user_id`,
      channelKey,
      userId,
    );
    const total = { answered: 0, correct: 0, points: 0 };
    for (const row of rows) {
      total.answered += num(row.answered, 'answered');
      total.correct += num(row.correct, 'correct');
      total.points += num(row.points, 'points');
    }
    return total;
  }

  recentQuizResults(userId: string, prefix: string, limit: number): Promise<QuizResult[]> {
    return this.many(
      toQuizResult,
      `SELECT r.id AS round_id, r.channel_key, r.topic, MAX(a.answered_at) AS at, COUNT(*) AS answered,
         COALESCE(SUM(CASE WHEN a.correct THEN 1 ELSE 0 END), 0) AS correct, COALESCE(SUM(a.points), 0) AS points
       FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
       WHERE a.user_id = ? AND substr(r.channel_key, 1, ?) = ?
       GROUP BY r.id, r.channel_key, r.topic
       ORDER BY at DESC, r.id${this.db.bytewise} LIMIT ?`,
      [userId, prefix.length, prefix, limit],
    );
  }

  async saveReviewCard(card: ReviewCard): Promise<void> {
    await this.db.run(
      `INSERT INTO review_cards (user_key, question_id, question_json, card, due_at, reviewed_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_key, question_id) DO UPDATE
       SET question_json = excluded.question_json, card = excluded.card, due_at = excluded.due_at,
         reviewed_at = COALESCE(excluded.reviewed_at, review_cards.reviewed_at)`,
      [
        card.userKey,
        card.questionId,
        JSON.stringify(card.question),
        card.card,
        card.dueAt,
        card.reviewedAt ?? null,
      ],
    );
  }

  // The member's cards and their linked keys' cards, read in one statement each (see LINKED_KEYS).
  reviewCard(userKey: string, questionId: string): Promise<ReviewCard | null> {
    return this.one(
      toReviewCard,
      `WITH keys AS ${LINKED_KEYS}
       SELECT * FROM review_cards WHERE user_key IN (SELECT member_key FROM keys) AND question_id = ?
       ORDER BY COALESCE(reviewed_at, 0) DESC, due_at DESC, user_key DESC LIMIT 1`,
      [userKey, userKey, questionId],
    );
  }

  dueReviews(userKey: string, now: number, limit: number): Promise<ReviewCard[]> {
    return this.many(
      toReviewCard,
      `WITH keys AS ${LINKED_KEYS}
       SELECT c.* FROM review_cards c
       WHERE c.user_key IN (SELECT member_key FROM keys) AND c.due_at <= ? AND ${CURRENT_CARD}
       ORDER BY c.due_at, c.question_id${this.db.bytewise}, c.user_key${this.db.bytewise} LIMIT ?`,
      [userKey, userKey, now, limit],
    );
  }

  async countDueReviews(userKey: string, now: number): Promise<number> {
    const row = await this.db.get(
      `WITH keys AS ${LINKED_KEYS}
       SELECT COUNT(*) AS due FROM review_cards c
       WHERE c.user_key IN (SELECT member_key FROM keys) AND c.due_at <= ? AND ${CURRENT_CARD}`,
      [userKey, userKey, now],
    );
    return num(row?.due, 'count');
  }

  async questionRecords(channelKey: string): Promise<QuestionRecord[]> {
    const rows = await this.db.all(
      `SELECT question_id, question_version, COUNT(*) AS players,
              SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS correct, MIN(answered_at) AS first_at
       FROM question_players WHERE channel_key = ?
       GROUP BY question_id, question_version`,
      [channelKey],
    );
    // Answers from before versions belong to the first version asked since (or stand alone until one is).
    const byQuestion = new Map<
      string,
      { version: string; players: number; correct: number; firstAt: number }[]
    >();
    for (const row of rows) {
      const id = String(row.question_id);
      const list = byQuestion.get(id) ?? [];
      list.push({
        version: String(row.question_version),
        players: num(row.players, 'players'),
        correct: num(row.correct, 'correct'),
        firstAt: num(row.first_at, 'first_at'),
      });
      byQuestion.set(id, list);
    }
    const out: QuestionRecord[] = [];
    for (const [questionId, list] of byQuestion) {
      const legacy = list.find((r) => r.version === UNVERSIONED);
      const versioned = list.filter((r) => r.version !== UNVERSIONED).sort((a, b) => a.firstAt - b.firstAt);
      if (versioned.length === 0 && legacy)
        out.push({ questionId, version: UNVERSIONED, players: legacy.players, correct: legacy.correct });
      versioned.forEach((r, i) => {
        const inherited = i === 0 && legacy ? legacy : { players: 0, correct: 0 };
        out.push({
          questionId,
          version: r.version,
          players: r.players + inherited.players,
          correct: r.correct + inherited.correct,
        });
      });
    }
    return out;
  }

  async questionStanding(channelKey: string, questionId: string, version: string): Promise<QuestionStanding> {
    // At most one row per member and version; the median is taken here rather than in SQL, which SQLite has no
    // function for.
    const rows = await this.db.all(
      `SELECT question_version, user_id, correct, answer_ms, answered_at FROM question_players
       WHERE channel_key = ? AND question_id = ?`,
      [channelKey, questionId],
    );
    // Answers from before versions count for the first version asked since, so a version fixed after that starts
    // clean; a member with a row of both counts once, by their versioned answer.
    const firstAt = new Map<string, number>();
    for (const row of rows) {
      const v = String(row.question_version);
      if (v === UNVERSIONED) continue;
      const at = num(row.answered_at, 'answered_at');
      firstAt.set(v, Math.min(firstAt.get(v) ?? at, at));
    }
    const earliest = [...firstAt.entries()].sort((a, b) => a[1] - b[1])[0]?.[0];
    const inherits = earliest === undefined || earliest === version;
    const byMember = new Map<string, Row>();
    for (const row of rows) {
      const v = String(row.question_version);
      const user = String(row.user_id);
      if (v === version) byMember.set(user, row);
      else if (v === UNVERSIONED && inherits && !byMember.has(user)) byMember.set(user, row);
    }
    const counted = [...byMember.values()];
    const ms = counted.map((row) => num(row.answer_ms, 'answer_ms')).sort((a, b) => a - b);
    const middle = ms.length >> 1;
    const reports = await this.db.all(
      `SELECT user_id, reason, note, reported_at FROM question_reports
       WHERE channel_key = ? AND question_id = ? AND question_version = ? ORDER BY reported_at`,
      [channelKey, questionId, version],
    );
    return {
      players: counted.length,
      correct: counted.filter((row) => row.correct === true || row.correct === 1).length,
      medianMs:
        ms.length === 0
          ? null
          : ms.length % 2 === 1
            ? (ms[middle] ?? 0)
            : Math.round(((ms[middle - 1] ?? 0) + (ms[middle] ?? 0)) / 2),
      reporters: new Set(reports.map((row) => String(row.user_id))).size,
      reports: reports.map(toReportLine),
    };
  }

  async reportQuestion(report: QuestionReport): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO question_reports
           (channel_key, question_id, question_version, user_id, reason, note, round_id, reported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (channel_key, question_id, question_version, user_id)
         DO UPDATE SET reason = excluded.reason, note = excluded.note, round_id = excluded.round_id,
                       reported_at = excluded.reported_at`,
        [
          report.channelKey,
          report.questionId,
          report.version,
          report.userId,
          report.reason,
          report.note,
          report.roundId,
          report.reportedAt,
        ],
      );
      const row = await tx.get(
        `SELECT COUNT(DISTINCT user_id) AS reporters FROM question_reports
         WHERE channel_key = ? AND question_id = ? AND question_version = ?`,
        [report.channelKey, report.questionId, report.version],
      );
      return num(row?.reporters, 'reporters');
    });
  }

  pauseQuestion(pause: Omit<QuestionPause, 'status' | 'resumedBy' | 'resumedAt'>): Promise<boolean> {
    return this.changedOne(
      `INSERT INTO question_pauses (channel_key, question_id, question_version, reason, status, paused_at)
       VALUES (?, ?, ?, ?, 'paused', ?) ON CONFLICT DO NOTHING`,
      [pause.channelKey, pause.questionId, pause.version, pause.reason, pause.pausedAt],
    );
  }

  resumeQuestion(channelKey: string, questionId: string, by: string, now: number): Promise<number> {
    return this.db.run(
      `UPDATE question_pauses SET status = 'resumed', resumed_by = ?, resumed_at = ?
       WHERE channel_key = ? AND question_id = ? AND status = 'paused'`,
      [by, now, channelKey, questionId],
    );
  }

  async questionReportCounts(
    channelKey: string,
  ): Promise<{ questionId: string; version: string; reporters: number }[]> {
    const rows = await this.db.all(
      `SELECT question_id, question_version, COUNT(*) AS reporters FROM question_reports WHERE channel_key = ?
       GROUP BY question_id, question_version ORDER BY COUNT(*) DESC, question_id${this.db.bytewise}`,
      [channelKey],
    );
    return rows.map((row) => ({
      questionId: String(row.question_id),
      version: String(row.question_version),
      reporters: num(row.reporters, 'reporters'),
    }));
  }

  async questionPauses(channelKey: string): Promise<QuestionPause[]> {
    const rows = await this.db.all(
      `SELECT * FROM question_pauses WHERE channel_key = ? ORDER BY paused_at DESC, question_id${this.db.bytewise}`,
      [channelKey],
    );
    return rows.map(toQuestionPause);
  }

  async paceFacts(channelKey: string, activeSince: number, now: number): Promise<PaceFacts> {
    // Newest first along the primary key; a review day is never more than one in a row unless an admin forced it,
    // so a few rows hold the last two lessons. Whether the channel is in a group comes with them (one round trip): a
    // row of nulls when nothing was posted yet.
    const rows = await this.db.all(
      `SELECT (SELECT group_key FROM channels WHERE channel_key = ?) AS group_key, l.lesson, l.kind
       FROM (SELECT 1 AS one) me LEFT JOIN (
         SELECT lesson, kind, fire_at FROM ledger WHERE channel_key = ? AND status = 'posted'
         ORDER BY fire_at DESC LIMIT 8) l ON 1 = 1
       ORDER BY l.fire_at DESC`,
      [channelKey, channelKey],
    );
    const recent = rows.filter((row) => row.lesson !== null && row.lesson !== undefined);
    const lastLessons: number[] = [];
    for (const row of recent) {
      const lesson = num(row.lesson, 'lesson');
      if (row.kind !== 'review' && !lastLessons.includes(lesson) && lastLessons.length < 2)
        lastLessons.push(lesson);
    }
    const [newer = -1, older = -1] = lastLessons;
    const counts =
      typeof rows[0]?.group_key === 'string'
        ? await this.groupPaceCounts(channelKey, activeSince, now, newer, older)
        : await this.channelPaceCounts(channelKey, activeSince, now, newer, older);
    return {
      lastLessons,
      lastWasReview: recent[0]?.kind === 'review',
      active: num(counts?.active, 'active'),
      done: num(counts?.done, 'done'),
    };
  }

  /**
   * PaceFacts' counts for a channel on its own: one workspace, where a person has one key, so members are user ids and
   * a pause or a catch-up is the member's in this channel. The plain query, by the completions' indexes.
   */
  private channelPaceCounts(
    channelKey: string,
    activeSince: number,
    now: number,
    newer: number,
    older: number,
  ): Promise<Row | undefined> {
    return this.db.get(
      `WITH active AS (
         SELECT DISTINCT c.user_id FROM completions c
         WHERE c.channel_key = ? AND c.completed_at >= ?
           AND NOT EXISTS (SELECT 1 FROM member_pauses p
                           WHERE p.channel_key = c.channel_key AND p.user_id = c.user_id
                             AND p.from_at <= ? AND p.until_at > ?)
           AND NOT EXISTS (SELECT 1 FROM member_catchup m
                           WHERE m.channel_key = c.channel_key AND m.user_id = c.user_id))
       SELECT (SELECT COUNT(*) FROM active) AS active,
              (SELECT COUNT(*) FROM completions d
               WHERE d.channel_key = ? AND d.lesson IN (?, ?) AND d.user_id IN (SELECT user_id FROM active)) AS done`,
      [channelKey, activeSince, now, now, channelKey, newer, older],
    );
  }

  /**
   * PaceFacts' counts for a channel of a study group (active members, their Done presses on the last two lessons).
   * Across the group's channels, each person once: a member who pressed Done on Slack and on Discord (linked) is
   * one active member with one press per lesson, and one who is away (a pause, or catching up) on either side is
   * away for the group.
   */
  private groupPaceCounts(
    channelKey: string,
    activeSince: number,
    now: number,
    newer: number,
    older: number,
  ): Promise<Row | undefined> {
    const person = (alias: string) => this.personOf(`${alias}.channel_key`, `${alias}.user_id`);
    return this.db.get(
      `WITH away AS (
         SELECT ${person('p')} AS person FROM member_pauses p
         WHERE p.channel_key IN ${GROUP_OF} AND p.from_at <= ? AND p.until_at > ?
         UNION SELECT ${person('m')} FROM member_catchup m WHERE m.channel_key IN ${GROUP_OF}),
       active AS (
         SELECT DISTINCT ${person('c')} AS person FROM completions c
         WHERE c.channel_key IN ${GROUP_OF} AND c.completed_at >= ?),
       counted AS (SELECT person FROM active WHERE person NOT IN (SELECT person FROM away))
       SELECT (SELECT COUNT(*) FROM counted) AS active,
              (SELECT COUNT(*) FROM (SELECT DISTINCT ${person('c')} AS person, c.lesson FROM completions c
                 WHERE c.channel_key IN ${GROUP_OF} AND c.lesson IN (?, ?)) d
               WHERE d.person IN (SELECT person FROM counted)) AS done`,
      [
        ...[channelKey, channelKey, now, now, channelKey, channelKey],
        ...[channelKey, channelKey, activeSince],
        ...[channelKey, channelKey, newer, older],
      ],
    );
  }

  async pauseMember(pause: MemberPause, userKey: string): Promise<void> {
    // The person's cards, on every linked side, are what dueReviews reads: all of them move.
    const { memberKeys } = await this.identityOf(userKey);
    return this.db.transaction(async (tx) => {
      // Review cards belong to the member (in their workspace, and their linked keys), pauses to a channel: the cards
      // move only by the part of this pause no pause of theirs already covers, so a longer or second pause, or the same
      // holiday set on the other platform too, never moves them twice.
      const mineSql = memberKeys.map(() => '(user_id = ? AND substr(channel_key, 1, ?) = ?)').join(' OR ');
      const mineParams = memberKeys.flatMap((key) => [
        userIdOfKey(key),
        spaceOfKey(key).length,
        spaceOfKey(key),
      ]);
      const covered = await tx.get(
        `SELECT MAX(until_at) AS until_at FROM member_pauses
         WHERE (${mineSql}) AND from_at <= ? AND until_at > ?`,
        [...mineParams, pause.fromAt, pause.fromAt],
      );
      const coveredUntil = Math.max(nullableNum(covered?.until_at, 'until_at') ?? pause.fromAt, pause.fromAt);
      await tx.run(
        'UPDATE member_pauses SET until_at = ? WHERE channel_key = ? AND user_id = ? AND from_at <= ? AND until_at > ?',
        [pause.fromAt, pause.channelKey, pause.userId, pause.fromAt, pause.fromAt],
      );
      await tx.run(
        `INSERT INTO member_pauses (channel_key, user_id, from_at, until_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel_key, user_id, from_at) DO UPDATE SET until_at = excluded.until_at`,
        [pause.channelKey, pause.userId, pause.fromAt, pause.untilAt],
      );
      // Nothing falls due while the member is away: their whole review timeline moves by the pause.
      const shift = pause.untilAt - coveredUntil;
      if (shift > 0)
        await tx.run(
          `UPDATE review_cards SET due_at = due_at + ? WHERE user_key IN (${memberKeys.map(() => '?').join(', ')})`,
          [shift, ...memberKeys],
        );
    });
  }

  endMemberPause(
    channelKey: string,
    userId: string,
    _userKey: string,
    now: number,
  ): Promise<MemberPause | null> {
    // Review cards keep the time they were moved by: a member back early finds their reviews a little later, never
    // sooner than they would have come without the pause.
    return this.db.transaction(async (tx) => {
      const row = await tx.get(
        `UPDATE member_pauses SET until_at = ? WHERE channel_key = ? AND user_id = ? AND from_at <= ? AND until_at > ?
         RETURNING channel_key, user_id, from_at, until_at`,
        [now, channelKey, userId, now, now],
      );
      return row ? toMemberPause(row) : null;
    });
  }

  async memberPauses(channelKey: string, userId: string): Promise<MemberPause[]> {
    const rows = await this.db.all(
      'SELECT * FROM member_pauses WHERE channel_key = ? AND user_id = ? ORDER BY from_at',
      [channelKey, userId],
    );
    return rows.map(toMemberPause);
  }

  async setCatchUp(catchUp: CatchUp): Promise<void> {
    await this.db.run(
      `INSERT INTO member_catchup (channel_key, user_id, per_day, started_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (channel_key, user_id) DO UPDATE SET per_day = excluded.per_day`,
      [catchUp.channelKey, catchUp.userId, catchUp.perDay, catchUp.startedAt],
    );
  }

  async endCatchUp(channelKey: string, userId: string): Promise<boolean> {
    return (
      (await this.db.run('DELETE FROM member_catchup WHERE channel_key = ? AND user_id = ?', [
        channelKey,
        userId,
      ])) > 0
    );
  }

  async catchUps(channelKey: string, userId?: string): Promise<{ catchUp: CatchUp; done: number[] }[]> {
    const one =
      userId === undefined ? { sql: '', params: [] } : { sql: ' AND m.user_id = ?', params: [userId] };
    const members = await this.db.all(
      `SELECT m.channel_key, m.user_id, m.per_day, m.started_at FROM member_catchup m WHERE m.channel_key = ?${one.sql}
       ORDER BY m.user_id${this.db.bytewise}`,
      [channelKey, ...one.params],
    );
    if (members.length === 0) return [];
    const group = await this.db.get('SELECT group_key FROM channels WHERE channel_key = ?', [channelKey]);
    if (typeof group?.group_key === 'string') {
      // In a study group a member's Done marks are the person's, on every side (a lesson done on Discord is not
      // planned again on Slack): each catching-up member's read gathers them. A group has few late members at once.
      const out: { catchUp: CatchUp; done: number[] }[] = [];
      for (const row of members)
        out.push({ catchUp: toCatchUp(row), done: await this.completions(channelKey, String(row.user_id)) });
      return out;
    }
    // A channel on its own: one read of every catching-up member's Done marks, by the completions' primary key.
    const rows = await this.db.all(
      `SELECT c.user_id, c.lesson FROM completions c
       JOIN member_catchup m ON m.channel_key = c.channel_key AND m.user_id = c.user_id
       WHERE c.channel_key = ?${one.sql}`,
      [channelKey, ...one.params],
    );
    const done = new Map<string, number[]>();
    for (const row of rows) {
      const user = String(row.user_id);
      const list = done.get(user) ?? [];
      list.push(num(row.lesson, 'lesson'));
      done.set(user, list);
    }
    return members.map((row) => ({
      catchUp: toCatchUp(row),
      done: (done.get(String(row.user_id)) ?? []).sort((a, b) => a - b),
    }));
  }

  planCatchUpDay(
    channelKey: string,
    day: string,
    plans: readonly { userId: string; lessons: readonly number[] }[],
    now: number,
  ): Promise<Map<string, number[]>> {
    return this.db.transaction(async (tx) => {
      // A member's day is planned once: whoever claims it first (the slot, or the member asking) writes its lessons.
      // On PostgreSQL a second claimer waits on the first one's row until it commits, then claims nothing.
      const claimed = new Set<string>();
      for (let i = 0; i < plans.length; i += 500) {
        const chunk = plans.slice(i, i + 500);
        const won = await tx.all(
          `INSERT INTO catchup_days (channel_key, user_id, day, planned_at)
           VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING RETURNING user_id`,
          chunk.flatMap((p) => [channelKey, p.userId, day, now]),
        );
        for (const row of won) claimed.add(String(row.user_id));
      }
      const rows = plans
        .filter((p) => claimed.has(p.userId))
        .flatMap((p) => p.lessons.map((lesson) => [channelKey, p.userId, day, lesson, now]));
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        await tx.run(
          `INSERT INTO catchup_lessons (channel_key, user_id, day, lesson, planned_at)
           VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
          chunk.flat() as SqlValue[],
        );
      }
      const out = new Map<string, number[]>();
      const today = await tx.all(
        'SELECT user_id, lesson FROM catchup_lessons WHERE channel_key = ? AND day = ? ORDER BY lesson',
        [channelKey, day],
      );
      for (const row of today) {
        const user = String(row.user_id);
        out.set(user, [...(out.get(user) ?? []), num(row.lesson, 'lesson')]);
      }
      return out;
    });
  }

  issueJoinCode(
    code: { hash: string; channelKey: string; issuedBy: string; issuedAt: number; expiresAt: number },
    maxPerHour: number,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const groupKey = await groupKeyOf(tx, code.channelKey);
      const recent = await tx.get(
        'SELECT COUNT(*) AS issued FROM join_codes WHERE group_key = ? AND issued_at > ?',
        [groupKey, code.issuedAt - 3_600_000],
      );
      if (num(recent?.issued, 'issued') >= maxPerHour) return false;
      await tx.run(
        'INSERT INTO join_codes (code_hash, group_key, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        [code.hash, groupKey, code.issuedBy, code.issuedAt, code.expiresAt],
      );
      await logGroupEvent(tx, groupKey, code.issuedAt, code.issuedBy, 'code', code.channelKey, null);
      return true;
    });
  }

  joinGroup(
    hash: string,
    channelKey: string,
    actor: string,
    now: number,
    maxFailures: number,
  ): Promise<{ outcome: JoinOutcome; groupKey: string | null }> {
    return this.db.transaction(async (tx) => {
      const refuse = async (outcome: JoinOutcome, groupKey: string | null) => {
        // Refusals are logged under the channel that tried: what the throttle counts, and what an admin can audit.
        await logGroupEvent(tx, groupKey ?? channelKey, now, actor, 'refused', channelKey, outcome);
        return { outcome, groupKey };
      };
      const failures = await tx.get(
        "SELECT COUNT(*) AS n FROM group_events WHERE channel_key = ? AND action = 'refused' AND at > ?",
        [channelKey, now - 600_000],
      );
      if (num(failures?.n, 'n') >= maxFailures) return { outcome: 'throttled' as const, groupKey: null };
      const code = await tx.get('SELECT group_key, expires_at, used_at FROM join_codes WHERE code_hash = ?', [
        hash,
      ]);
      if (!code) return refuse('unknown', null);
      const groupKey = String(code.group_key);
      if (code.used_at !== null && code.used_at !== undefined) return refuse('used', groupKey);
      if (num(code.expires_at, 'expires_at') <= now) return refuse('expired', groupKey);
      const joiner = await tx.get('SELECT group_key FROM channels WHERE channel_key = ?', [channelKey]);
      if (channelKey === groupKey || joiner?.group_key === groupKey) return refuse('same', groupKey);
      // A channel that leads a group of its own (others joined it) leaves that group first; a member never does.
      const followers = await tx.get(
        'SELECT COUNT(*) AS n FROM channels WHERE group_key = ? AND channel_key <> ?',
        [channelKey, channelKey],
      );
      if (typeof joiner?.group_key === 'string' || num(followers?.n, 'n') > 0)
        return refuse('grouped', groupKey);
      // Used once: of two channels handing the same code in at once, the second finds it used.
      const used = await tx.run(
        'UPDATE join_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL',
        [now, actor, hash],
      );
      if (used !== 1) return refuse('used', groupKey);
      const lead = await tx.get('SELECT * FROM channels WHERE channel_key = ?', [groupKey]);
      if (!lead) return refuse('unknown', groupKey);
      await tx.run('UPDATE channels SET group_key = ? WHERE channel_key = ?', [groupKey, groupKey]);
      const shared = groupColumns(toChannel(lead));
      await tx.run(
        `INSERT INTO channels (channel_key, ${shared.map((c) => c.column).join(', ')}, group_key, updated_at)
         VALUES (?, ${shared.map(() => '?').join(', ')}, ?, ?)
         ON CONFLICT (channel_key) DO UPDATE SET ${shared.map((c) => `${c.column} = excluded.${c.column}`).join(', ')},
           group_key = excluded.group_key, updated_at = excluded.updated_at`,
        [channelKey, ...shared.map((c) => c.value), groupKey, now],
      );
      await logGroupEvent(tx, groupKey, now, actor, 'joined', channelKey, null);
      return { outcome: 'joined' as const, groupKey };
    });
  }

  leaveGroup(channelKey: string, actor: string, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get('SELECT group_key FROM channels WHERE channel_key = ?', [channelKey]);
      if (typeof row?.group_key !== 'string') return false;
      const groupKey = row.group_key;
      await tx.run('UPDATE channels SET group_key = NULL WHERE channel_key = ?', [channelKey]);
      // A lead leaving hands the group to the channels still in it under the same key; a group of one is none.
      const left = await tx.all('SELECT channel_key FROM channels WHERE group_key = ?', [groupKey]);
      if (left.length === 1)
        await tx.run('UPDATE channels SET group_key = NULL WHERE group_key = ?', [groupKey]);
      await logGroupEvent(tx, groupKey, now, actor, 'left', channelKey, null);
      return true;
    });
  }

  async groupChannels(channelKey: string): Promise<string[]> {
    const rows = await this.db.all(
      `SELECT channel_key FROM channels WHERE group_key =
         (SELECT g.group_key FROM channels g WHERE g.channel_key = ? AND g.group_key IS NOT NULL)
       ORDER BY channel_key${this.db.bytewise}`,
      [channelKey],
    );
    return [channelKey, ...rows.map((r) => String(r.channel_key)).filter((k) => k !== channelKey)];
  }

  issueLinkCode(
    code: { hash: string; memberKey: string; channelKey: string; issuedAt: number; expiresAt: number },
    maxPerHour: number,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const recent = await tx.get(
        'SELECT COUNT(*) AS issued FROM link_codes WHERE member_key = ? AND issued_at > ?',
        [code.memberKey, code.issuedAt - 3_600_000],
      );
      if (num(recent?.issued, 'issued') >= maxPerHour) return false;
      await tx.run(
        `INSERT INTO link_codes (code_hash, member_key, channel_key, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
        [code.hash, code.memberKey, code.channelKey, code.issuedAt, code.expiresAt],
      );
      await logGroupEvent(
        tx,
        await groupKeyOf(tx, code.channelKey),
        code.issuedAt,
        code.memberKey,
        'link-code',
        code.channelKey,
        null,
      );
      return true;
    });
  }

  async linkMember(
    hash: string,
    memberKey: string,
    channelKey: string,
    now: number,
    maxFailures: number,
  ): Promise<LinkOutcome> {
    try {
      return await this.db.transaction(async (tx) => {
        const failures = await tx.get(
          "SELECT COUNT(*) AS n FROM group_events WHERE actor = ? AND action = 'link-refused' AND at > ?",
          [memberKey, now - 600_000],
        );
        if (num(failures?.n, 'n') >= maxFailures) return 'throttled';
        const code = await tx.get(
          'SELECT member_key, channel_key, expires_at, used_at FROM link_codes WHERE code_hash = ?',
          [hash],
        );
        if (!code) throw new LinkRefused('unknown');
        if (code.used_at !== null && code.used_at !== undefined) throw new LinkRefused('used');
        if (num(code.expires_at, 'expires_at') <= now) throw new LinkRefused('expired');
        const issuer = String(code.member_key);
        if (issuer === memberKey) throw new LinkRefused('same');
        // Only across channels an admin of each put in one group: a code cannot reach into a workspace or guild whose
        // admins never agreed to share the group with the code's.
        const groupKey = await groupKeyOf(tx, channelKey);
        if ((await groupKeyOf(tx, String(code.channel_key))) !== groupKey) throw new LinkRefused('elsewhere');
        const mine = await tx.get('SELECT person_key FROM identities WHERE member_key = ?', [memberKey]);
        const theirs = await tx.get('SELECT person_key FROM identities WHERE member_key = ?', [issuer]);
        if (mine) throw new LinkRefused(mine.person_key === theirs?.person_key ? 'same' : 'taken');
        // The writes decide, not the reads above: on PostgreSQL a concurrent link may have changed what they saw. The
        // issuer's row is written, or touched when it exists (which locks it: an unlink of the issuer at the same moment
        // waits for this link, or went first and this makes a fresh person), and its person comes back at once. The
        // member's row then goes in under the unique indexes: one row per member, one key per workspace or guild in a
        // person. A row that does not go in refuses the link and rolls every write of it back.
        const person = await tx.get(
          `INSERT INTO identities (member_key, person_key, space, linked_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (member_key) DO UPDATE SET linked_at = identities.linked_at
           RETURNING person_key`,
          [issuer, `person:${randomUUID()}`, spaceOfKey(issuer), now],
        );
        if (typeof person?.person_key !== 'string') throw new LinkRefused('unknown');
        const personKey = person.person_key;
        const clash = await tx.get('SELECT member_key FROM identities WHERE person_key = ? AND space = ?', [
          personKey,
          spaceOfKey(memberKey),
        ]);
        if (clash) throw new LinkRefused('space');
        const inserted = await tx.run(
          'INSERT INTO identities (member_key, person_key, space, linked_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [memberKey, personKey, spaceOfKey(memberKey), now],
        );
        if (inserted !== 1) throw new LinkRefused('taken');
        const used = await tx.run(
          'UPDATE link_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL',
          [now, memberKey, hash],
        );
        if (used !== 1) throw new LinkRefused('used');
        await logGroupEvent(tx, groupKey, now, memberKey, 'linked', channelKey, issuer);
        return 'linked' as const;
      });
    } catch (error) {
      if (!(error instanceof LinkRefused)) throw error;
      // Logged on its own once the attempt's writes are rolled back: counted per member, wherever they try (what the
      // throttle reads), and kept in the group's trail for an admin.
      await this.db.transaction(async (tx) =>
        logGroupEvent(
          tx,
          await groupKeyOf(tx, channelKey),
          now,
          memberKey,
          'link-refused',
          channelKey,
          error.outcome,
        ),
      );
      return error.outcome;
    }
  }

  unlinkMember(memberKey: string, channelKey: string, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get('SELECT person_key FROM identities WHERE member_key = ?', [memberKey]);
      if (typeof row?.person_key !== 'string') return false;
      await tx.run('DELETE FROM identities WHERE member_key = ?', [memberKey]);
      const left = await tx.all('SELECT member_key FROM identities WHERE person_key = ?', [row.person_key]);
      if (left.length === 1) await tx.run('DELETE FROM identities WHERE person_key = ?', [row.person_key]);
      await logGroupEvent(tx, await groupKeyOf(tx, channelKey), now, memberKey, 'unlinked', channelKey, null);
      return true;
    });
  }

  async groupEvents(groupKey: string): Promise<GroupEvent[]> {
    const rows = await this.db.all('SELECT * FROM group_events WHERE group_key = ? ORDER BY at, action', [
      groupKey,
    ]);
    return rows.map((row) => ({
      groupKey: String(row.group_key),
      at: num(row.at, 'at'),
      actor: String(row.actor),
      action: String(row.action) as GroupEvent['action'],
      channelKey: String(row.channel_key),
      detail: typeof row.detail === 'string' ? row.detail : null,
    }));
  }

  groupFire(
    groupKey: string,
    fire: { fireAt: number; lesson: number; kind: 'lesson' | 'review'; note: string | null },
  ): Promise<{ lesson: number; kind: 'lesson' | 'review'; note: string | null }> {
    return this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO group_fires (group_key, fire_at, lesson, kind, note) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (group_key, fire_at) DO NOTHING`,
        [groupKey, fire.fireAt, fire.lesson, fire.kind, fire.note],
      );
      const row = await tx.get(
        'SELECT lesson, kind, note FROM group_fires WHERE group_key = ? AND fire_at = ?',
        [groupKey, fire.fireAt],
      );
      return {
        lesson: num(row?.lesson, 'lesson'),
        kind: row?.kind === 'review' ? 'review' : 'lesson',
        note: typeof row?.note === 'string' ? row.note : null,
      };
    });
  }

  /** The first row of `sql` as `to` makes it, or null when there is none. */
  private async one<T>(to: (row: Row) => T, sql: string, params: readonly SqlValue[]): Promise<T | null> {
    const row = await this.db.get(sql, params);
    return row ? to(row) : null;
  }

  /** Every row of `sql` as `to` makes it. */
  private async many<T>(to: (row: Row) => T, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.db.all(sql, params)).map(to);
  }

  /** True when `sql` changed exactly one row: this caller won the insert or the compare-and-set. */
  private async changedOne(sql: string, params: readonly SqlValue[]): Promise<boolean> {
    return (await this.db.run(sql, params)) === 1;
  }

  /**
   * SQL for who a row's member is: the person key of a linked member, else the member key (the channel's workspace and
   * the user id), from the channel and user id columns given.
   */
  private personOf(channel: string, user: string): string {
    const member = `${this.db.spaceOf(channel)} || ${user}`;
    return `COALESCE((SELECT i.person_key FROM identities i WHERE i.member_key = ${member}), ${member})`;
  }

  /**
   * Points per person: answers are keyed by member (the round's workspace and the user id), and linked members' keys
   * fold into their person's, so a person who played on Slack and Discord is one line with one total. Ordered by
   * points, then right answers, then the person so that ties have a stable order, bytewise on both engines whatever
   * the database's locale. The display name is the one the person used most recently in the answers counted.
   */
  private scoresSql(where: string, limit: string): string {
    const bytewise = this.db.bytewise;
    return `WITH scoped AS (
      SELECT ${this.db.spaceOf('r.channel_key')} || a.user_id AS member_key, a.user_id, a.display_name, a.points,
        a.correct, a.answered_at, a.round_id, a.idx
      FROM quiz_answers a JOIN quiz_rounds r ON r.id = a.round_id
      WHERE ${where}
    ), personal AS (
      SELECT COALESCE(i.person_key, s.member_key) AS person, s.user_id, s.display_name, s.points, s.correct,
        ROW_NUMBER() OVER (PARTITION BY COALESCE(i.person_key, s.member_key)
          ORDER BY s.answered_at DESC, s.round_id${bytewise} DESC, s.idx DESC) AS recency
      FROM scoped s LEFT JOIN identities i ON i.member_key = s.member_key
    )
    SELECT person AS member_key, MAX(CASE WHEN recency = 1 THEN user_id END) AS user_id,
      MAX(CASE WHEN recency = 1 THEN display_name END) AS display_name, SUM(points) AS total_points,
      SUM(CASE WHEN correct THEN 1 ELSE 0 END) AS correct_count, COUNT(*) AS answered_count
    FROM personal GROUP BY person
    ORDER BY total_points DESC, correct_count DESC, person${bytewise} ${limit}`;
  }
}

async function assertLedgerRow(db: SqlPort, channelKey: string, fireAt: number): Promise<void> {
  if (
    !(await db.get('SELECT 1 AS found FROM ledger WHERE channel_key = ? AND fire_at = ?', [
      channelKey,
      fireAt,
    ]))
  )
    throw new Error(`no ledger row for ${channelKey} at ${fireAt}`);
}

/**
 * `AND (substr(channel_key, 1, 6) = 'slack:' OR ...)` for the platforms a process runs; nothing when it runs every
 * one. A plain prefix comparison, so no LIKE wildcard in a platform's name needs escaping on either engine.
 */
function platformFilter(platforms: readonly string[] | undefined): { sql: string; params: SqlValue[] } {
  if (!platforms) return { sql: '', params: [] };
  if (platforms.length === 0) return { sql: ' AND FALSE', params: [] };
  return {
    sql: ` AND (${platforms.map(() => 'substr(channel_key, 1, ?) = ?').join(' OR ')})`,
    params: platforms.flatMap((p) => [`${p}:`.length, `${p}:`]),
  };
}

/** A member_catchup row as the CatchUp it holds. */
function toCatchUp(row: Row): CatchUp {
  return {
    channelKey: String(row.channel_key),
    userId: String(row.user_id),
    perDay: num(row.per_day, 'per_day'),
    startedAt: num(row.started_at, 'started_at'),
  };
}

/** Why a link was refused, thrown inside its transaction so that the refusal rolls back whatever it had written. */
class LinkRefused extends Error {
  constructor(readonly outcome: Exclude<LinkOutcome, 'linked' | 'throttled'>) {
    super(`link refused: ${outcome}`);
  }
}

/** The key a channel's group is filed under: its group's, or its own when it is on its own. */
async function groupKeyOf(tx: SqlPort, channelKey: string): Promise<string> {
  const row = await tx.get('SELECT group_key FROM channels WHERE channel_key = ?', [channelKey]);
  return typeof row?.group_key === 'string' ? row.group_key : channelKey;
}

/** One line of a group's audit trail, written in the transaction of what it records. */
async function logGroupEvent(
  tx: SqlPort,
  groupKey: string,
  at: number,
  actor: string,
  action: GroupEvent['action'],
  channelKey: string,
  detail: string | null,
): Promise<void> {
  await tx.run(
    'INSERT INTO group_events (group_key, at, actor, action, channel_key, detail) VALUES (?, ?, ?, ?, ?, ?)',
    [groupKey, at, actor, action, channelKey, detail],
  );
}
