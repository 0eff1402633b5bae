/** The SQL dialects a migration can target. */
export type Dialect = 'sqlite' | 'postgres';

/** One versioned schema change; `sql` is shared by both dialects unless it has to differ. */
export interface Migration {
  version: number;
  name: string;
  sql: string | Readonly<Record<Dialect, string>>;
}

/** Thrown when the database and the code disagree about the schema history. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/** Creates the bookkeeping table; the same text works in both dialects. */
export const SCHEMA_MIGRATIONS_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/** Migration 9's tables, the same text on both engines. */
const QUESTION_HEALTH_TABLES = `
CREATE INDEX quiz_questions_question_id ON quiz_questions (question_id);
CREATE TABLE question_players (
  channel_key TEXT NOT NULL,
  question_id TEXT NOT NULL,
  question_version TEXT NOT NULL,
  user_id TEXT NOT NULL,
  correct BOOLEAN NOT NULL,
  answer_ms BIGINT NOT NULL,
  answered_at BIGINT NOT NULL,
  PRIMARY KEY (channel_key, question_id, question_version, user_id)
);
CREATE TABLE question_reports (
  channel_key TEXT NOT NULL,
  question_id TEXT NOT NULL,
  question_version TEXT NOT NULL,
  user_id TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('wrong', 'ambiguous', 'outdated', 'typo')),
  note TEXT,
  round_id TEXT NOT NULL,
  reported_at BIGINT NOT NULL,
  PRIMARY KEY (channel_key, question_id, question_version, user_id)
);
CREATE TABLE question_pauses (
  channel_key TEXT NOT NULL,
  question_id TEXT NOT NULL,
  question_version TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('reports', 'hard', 'easy')),
  status TEXT NOT NULL CHECK (status IN ('paused', 'resumed')),
  paused_at BIGINT NOT NULL,
  resumed_by TEXT,
  resumed_at BIGINT,
  PRIMARY KEY (channel_key, question_id, question_version)
);
INSERT INTO question_players (channel_key, question_id, question_version, user_id, correct, answer_ms, answered_at)
SELECT r.channel_key, q.question_id, '', a.user_id, a.correct, a.answered_at - COALESCE(q.posted_at, a.answered_at),
       a.answered_at
FROM quiz_answers a
JOIN quiz_questions q ON q.round_id = a.round_id AND q.idx = a.idx
JOIN quiz_rounds r ON r.id = a.round_id
WHERE q.question_id IS NOT NULL
ORDER BY a.answered_at
ON CONFLICT DO NOTHING;
`;

// Append only: an applied migration is never edited, a change is a new version.
// BOOLEAN and BIGINT keep the text portable: SQLite stores FALSE as 0 and
// BIGINT as an 8-byte INTEGER, which holds every millisecond timestamp exactly.
/** Every migration the code knows, in ascending version order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'channels, ledger, completions',
    sql: `
CREATE TABLE channels (
  channel_key TEXT PRIMARY KEY,
  lang TEXT,
  schedule_text TEXT,
  cron TEXT,
  time_zone TEXT,
  paused BOOLEAN NOT NULL DEFAULT FALSE,
  holiday_country TEXT,
  position INTEGER NOT NULL DEFAULT 1,
  next_fire_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX channels_next_fire_at ON channels (next_fire_at);

CREATE TABLE ledger (
  channel_key TEXT NOT NULL REFERENCES channels (channel_key) ON DELETE CASCADE,
  fire_at BIGINT NOT NULL,
  lesson INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'missed', 'holiday', 'failed', 'abandoned')),
  claimed_by TEXT,
  claimed_at BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0,
  retry_at BIGINT,
  last_error TEXT,
  message_id TEXT,
  posted_at BIGINT,
  PRIMARY KEY (channel_key, fire_at)
);
CREATE INDEX ledger_status_fire_at ON ledger (status, fire_at);

CREATE TABLE completions (
  channel_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  lesson INTEGER NOT NULL,
  completed_at BIGINT NOT NULL,
  PRIMARY KEY (channel_key, user_id, lesson)
);
`,
  },
  {
    version: 2,
    name: 'cron_runs for the node-cron run coordinator',
    sql: `
CREATE TABLE cron_runs (
  run_key TEXT PRIMARY KEY,
  claimed_by TEXT NOT NULL,
  claimed_at BIGINT NOT NULL
);
CREATE INDEX cron_runs_claimed_at ON cron_runs (claimed_at);
`,
  },
  {
    version: 3,
    name: 'quiz rounds, questions, answers and review cards',
    // The partial unique index is what keeps one running round per channel when two processes start one at
    // the same moment; the answers' primary key is what makes "only the first answer counts" exact. Questions
    // are stored as JSON so a running round never changes when the catalog is edited.
    sql: `
CREATE TABLE quiz_rounds (
  id TEXT PRIMARY KEY,
  channel_key TEXT NOT NULL,
  started_by TEXT NOT NULL,
  topic TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('ko', 'en')),
  seconds_per_question INTEGER NOT NULL,
  question_count INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'stopped')),
  current_index INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE UNIQUE INDEX quiz_rounds_one_running ON quiz_rounds (channel_key) WHERE status = 'running';
CREATE INDEX quiz_rounds_channel_created_at ON quiz_rounds (channel_key, created_at);

CREATE TABLE quiz_questions (
  round_id TEXT NOT NULL REFERENCES quiz_rounds (id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  question_json TEXT NOT NULL,
  posted_at BIGINT,
  deadline_at BIGINT,
  revealed_at BIGINT,
  message_id TEXT,
  PRIMARY KEY (round_id, idx)
);

CREATE TABLE quiz_answers (
  round_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  option_index INTEGER NOT NULL,
  answered_at BIGINT NOT NULL,
  correct BOOLEAN NOT NULL,
  points INTEGER NOT NULL,
  PRIMARY KEY (round_id, idx, user_id),
  FOREIGN KEY (round_id, idx) REFERENCES quiz_questions (round_id, idx) ON DELETE CASCADE
);
CREATE INDEX quiz_answers_round_answered_at ON quiz_answers (round_id, answered_at);
CREATE INDEX quiz_answers_user_round ON quiz_answers (user_id, round_id);

CREATE TABLE review_cards (
  user_key TEXT NOT NULL,
  question_id TEXT NOT NULL,
  question_json TEXT NOT NULL,
  card TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  PRIMARY KEY (user_key, question_id)
);
CREATE INDEX review_cards_user_due_at ON review_cards (user_key, due_at);
`,
  },
  {
    version: 4,
    name: 'delivery claims and the readiness probe',
    // Platforms deliver the same event more than once (Slack retries, Socket Mode redelivery after a dropped socket,
    // Discord's RESUME replays); one row per delivery identity lets exactly one process, once, run it. Rows expire:
    // a platform redelivers for minutes, not days. The probe row is what readiness writes, so a read-only or
    // vanished database reports not ready instead of failing every real write.
    sql: `
CREATE TABLE deliveries (
  delivery_key TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX deliveries_expires_at ON deliveries (expires_at);

CREATE TABLE health_probe (
  id INTEGER PRIMARY KEY,
  probed_at BIGINT NOT NULL,
  probed_by TEXT NOT NULL
);
`,
  },
  {
    version: 5,
    name: 'threads: the channel setting and a round thread anchor',
    // A channel runs its quiz rounds and lesson discussions in threads unless an admin turned that off, so existing
    // channels get threads too. A round keeps the message its thread hangs under: the steps after the first (and
    // another process carrying the round on) post into that thread without posting the announcement again.
    sql: `
ALTER TABLE channels ADD COLUMN threads BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE quiz_rounds ADD COLUMN thread_anchor TEXT;
`,
  },
  {
    version: 6,
    name: 'quiz defaults: the questions and seconds of a round started without numbers',
    // Null means the bot's own defaults, so existing channels keep the rounds they had.
    sql: `
ALTER TABLE channels ADD COLUMN quiz_count INTEGER;
ALTER TABLE channels ADD COLUMN quiz_seconds INTEGER;
`,
  },
  {
    version: 7,
    name: "channel pages: the secret in the address of a channel's calendar feed and web page",
    // Its own table rather than a column of channels: most channels never share a page, and the unique index on the
    // token is what a request looks up. A rotated token is overwritten, so the old address stops working at once.
    sql: `
CREATE TABLE channel_pages (
  channel_key TEXT PRIMARY KEY,
  token TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
`,
  },
  {
    version: 8,
    name: 'weekly digests: when each channel gets one, and a ledger of the weeks claimed and posted',
    // channels.digest_week is the claim: the conditional update that moves it forward succeeds for one process per
    // week, so two replicas at the boundary post one digest; the digests row is what a retry after a crash finishes.
    sql: `
ALTER TABLE channels ADD COLUMN digest TEXT;
ALTER TABLE channels ADD COLUMN digest_week BIGINT;
CREATE TABLE digests (
  channel_key TEXT NOT NULL,
  week_start BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'failed', 'abandoned')),
  claimed_by TEXT NOT NULL,
  claimed_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  message_id TEXT,
  posted_at BIGINT,
  PRIMARY KEY (channel_key, week_start)
);
CREATE INDEX digests_status_claimed_at ON digests (status, claimed_at);
`,
  },
  {
    version: 9,
    name: 'question health: each question asked carries its id and version; first answers, reports and pauses per channel',
    // A question's version is a hash of what players saw (text, options, answer, explanation), so a fix in the YAML
    // is a new version with a clean record, and a pause names the version it was about. Rows asked before this
    // migration get their id from the frozen JSON and no version: they count for whatever version is current.
    // question_players keeps each member's first answer to a question in a channel, written with the reveal, so the
    // share answered right counts players, not repeat answers, and a median time is a read of at most one row per
    // member. The answers given before this migration fill it as they would have: each member's first, unversioned.
    sql: {
      sqlite: `
ALTER TABLE quiz_questions ADD COLUMN question_id TEXT;
ALTER TABLE quiz_questions ADD COLUMN question_version TEXT;
UPDATE quiz_questions SET question_id = json_extract(question_json, '$.questionId');
${QUESTION_HEALTH_TABLES}`,
      postgres: `
ALTER TABLE quiz_questions ADD COLUMN question_id TEXT;
ALTER TABLE quiz_questions ADD COLUMN question_version TEXT;
UPDATE quiz_questions SET question_id = question_json::json->>'questionId';
${QUESTION_HEALTH_TABLES}`,
    },
  },
  {
    version: 10,
    name: "pacing: review days in the ledger, a channel's pace rule and one-off override, members' pauses",
    // A ledger row is a lesson or a review day; a review day keeps the lesson it stands in front of (the position does
    // not move) and its note says why, as the scheduler decided it. member_pauses keeps every pause, ended ones too:
    // a streak reads which posted lessons fell inside one.
    sql: `
ALTER TABLE ledger ADD COLUMN kind TEXT NOT NULL DEFAULT 'lesson' CHECK (kind IN ('lesson', 'review'));
ALTER TABLE ledger ADD COLUMN note TEXT;
ALTER TABLE channels ADD COLUMN pace TEXT;
ALTER TABLE channels ADD COLUMN pace_override TEXT;
CREATE TABLE member_pauses (
  channel_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  from_at BIGINT NOT NULL,
  until_at BIGINT NOT NULL,
  PRIMARY KEY (channel_key, user_id, from_at)
);
CREATE INDEX completions_channel_completed_at ON completions (channel_key, completed_at);
`,
  },
  {
    version: 11,
    name: "catch-up: a late member's own pace through the lessons the group already had, and each day's lessons",
    // The day's lessons are planned once (at the channel's slot, or when the member first asks that day) and kept,
    // so asking again the same day gives the same lessons and never more than the member's daily number. The
    // catchup_days row is the claim: of two planners at once (a replica's slot and the member), the one whose row
    // went in writes the lessons; the other waits on the row's key and then reads them.
    sql: `
CREATE TABLE member_catchup (
  channel_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  per_day INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  PRIMARY KEY (channel_key, user_id)
);
CREATE TABLE catchup_days (
  channel_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  planned_at BIGINT NOT NULL,
  PRIMARY KEY (channel_key, user_id, day)
);
CREATE TABLE catchup_lessons (
  channel_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  lesson INTEGER NOT NULL,
  planned_at BIGINT NOT NULL,
  PRIMARY KEY (channel_key, user_id, day, lesson)
);
`,
  },
  {
    version: 12,
    name: 'study groups: channels of one group across platforms, join codes, their audit trail and the fires they share',
    // A channel's group_key names its group (the key of the channel that started it); null is a channel on its own, so
    // every existing channel keeps its data and meaning. Join codes are stored hashed, used once, short-lived. Each
    // fire of a group is decided once in group_fires (its lesson, or a review day), so every channel of the group posts
    // the same thing even when each platform runs in its own process and one posts before the other plans.
    sql: `
ALTER TABLE channels ADD COLUMN group_key TEXT;
CREATE INDEX channels_group_key ON channels (group_key);
CREATE TABLE join_codes (
  code_hash TEXT PRIMARY KEY,
  group_key TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by TEXT
);
CREATE INDEX join_codes_group_issued_at ON join_codes (group_key, issued_at);
CREATE TABLE group_events (
  group_key TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  channel_key TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX group_events_group_at ON group_events (group_key, at);
CREATE INDEX group_events_channel_at ON group_events (channel_key, at);
CREATE TABLE group_fires (
  group_key TEXT NOT NULL,
  fire_at BIGINT NOT NULL,
  lesson INTEGER NOT NULL,
  kind TEXT NOT NULL,
  note TEXT,
  PRIMARY KEY (group_key, fire_at)
);
`,
  },
  {
    version: 13,
    name: 'linked members: one person across platforms, and the one-time codes that link them',
    // Nothing earned moves: every Done mark, answer and review card stays under the member key (platform:space:user)
    // it was earned with, and reads gather a person's keys through identities. So linking is one row per member and
    // unlinking deletes rows, splitting nothing. person_key is an opaque id, never a member key, so a member who
    // unlinks and starts a person of their own cannot collide with the one they left. One key per workspace or guild
    // in a person is a unique index, not a check a concurrent link could slip past. Codes are hashed, used once.
    // reviewed_at is when a card was last reviewed: of a person's two cards for one question (one per side), the
    // newest review is the one that counts (null for cards from before: they fall back to the later due time).
    sql: `
CREATE TABLE identities (
  member_key TEXT PRIMARY KEY,
  person_key TEXT NOT NULL,
  space TEXT NOT NULL,
  linked_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX identities_person_space ON identities (person_key, space);
ALTER TABLE review_cards ADD COLUMN reviewed_at BIGINT;
CREATE TABLE link_codes (
  code_hash TEXT PRIMARY KEY,
  member_key TEXT NOT NULL,
  channel_key TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by TEXT
);
CREATE INDEX link_codes_member_issued_at ON link_codes (member_key, issued_at);
CREATE INDEX group_events_actor_at ON group_events (actor, at);
`,
  },
];

/** The text of a migration for one dialect. */
export function migrationSql(migration: Migration, dialect: Dialect): string {
  return typeof migration.sql === 'string' ? migration.sql : migration.sql[dialect];
}

/**
 * The migrations still to apply, in order, given the versions already in `schema_migrations`.
 * Throws when the database holds a version the code does not know: running old code on a newer
 * schema could corrupt data the newer code relies on, so it must stop rather than guess.
 */
export function pendingMigrations(
  appliedVersions: readonly number[],
  known: readonly Migration[] = MIGRATIONS,
): Migration[] {
  assertOrdered(known);
  const knownVersions = new Set(known.map((m) => m.version));
  const newest = known.at(-1)?.version ?? 0;
  const unknown = appliedVersions.filter((v) => !knownVersions.has(v)).sort((a, b) => a - b);
  const newer = unknown.filter((v) => v > newest);
  if (newer.length > 0) {
    throw new MigrationError(
      `the database schema is newer than this code: it has migration ${newer.join(', ')} but the newest this ` +
        `version knows is ${newest}; upgrade orch before using this database`,
    );
  }
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migration ${unknown.join(', ')}, which this code does not know; ` +
        'it was migrated by a different build of orch',
    );
  }
  const applied = new Set(appliedVersions);
  return known.filter((m) => !applied.has(m.version));
}

function assertOrdered(known: readonly Migration[]): void {
  let previous = 0;
  for (const m of known) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new MigrationError(`migration versions must be ascending positive integers; got ${m.version}`);
    }
    previous = m.version;
  }
}
