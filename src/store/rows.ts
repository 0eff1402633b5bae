import { isLang } from '../i18n/messages.ts';
import type {
  ChannelSettings,
  DigestEntry,
  FirePlan,
  LeaderboardRow,
  LedgerEntry,
  LedgerStatus,
  MemberPause,
  QuestionPause,
  QuestionStanding,
  QuizAnswer,
  QuizResult,
  QuizRound,
  QuizRoundQuestion,
  ReportReason,
  ReviewCard,
  RoundQuestion,
  StudyChannel,
} from './store.ts';
import { GROUP_FIELDS, REPORT_REASONS } from './store.ts';

/** The fields `updateChannel` may change. */
export type ChannelPatch = Partial<Omit<ChannelSettings, 'channelKey' | 'updatedAt' | 'groupKey'>>;

/** A value either driver can bind; the SQLite dialect encodes booleans as 0/1. */
export type SqlValue = string | number | boolean | null;

/** A result row as a driver returns it: BIGINT and COUNT may be strings (pg), BOOLEAN 0/1 (SQLite). */
export type Row = Record<string, unknown>;

// The column names come from this fixed table, never from the patch, so building SQL from them is safe.
const CHANNEL_COLUMNS = {
  lang: 'lang',
  scheduleText: 'schedule_text',
  cron: 'cron',
  timeZone: 'time_zone',
  paused: 'paused',
  holidayCountry: 'holiday_country',
  threads: 'threads',
  quizCount: 'quiz_count',
  quizSeconds: 'quiz_seconds',
  position: 'position',
  nextFireAt: 'next_fire_at',
  digest: 'digest',
  pace: 'pace',
  paceOverride: 'pace_override',
} as const satisfies Record<keyof ChannelPatch, string>;

const PATCH_FIELDS = Object.keys(CHANNEL_COLUMNS) as (keyof ChannelPatch)[];

/** The fields a patch sets, as column/value pairs in a fixed order. */
export function patchColumns(patch: ChannelPatch): { column: string; value: SqlValue }[] {
  return PATCH_FIELDS.filter((field) => patch[field] !== undefined).map((field) => ({
    column: CHANNEL_COLUMNS[field],
    value: patch[field] as SqlValue,
  }));
}

/** The columns of the fields every channel of a study group shares (GROUP_FIELDS) that `patch` sets. */
export function groupColumns(patch: ChannelPatch): { column: string; value: SqlValue }[] {
  return patchColumns(Object.fromEntries(GROUP_FIELDS.map((f) => [f, patch[f]])));
}

/** A channels row as ChannelSettings; BIGINT may arrive as a string (pg) and BOOLEAN as 0/1 (SQLite). */
export function toChannel(row: Record<string, unknown>): ChannelSettings {
  return {
    channelKey: text(row.channel_key, 'channel_key'),
    lang: isLang(row.lang) ? row.lang : null,
    scheduleText: nullableText(row.schedule_text),
    cron: nullableText(row.cron),
    timeZone: nullableText(row.time_zone),
    paused: row.paused === true || row.paused === 1,
    holidayCountry: nullableText(row.holiday_country),
    // Absent (a row read before the migration ran) means the default: threads.
    threads: row.threads === undefined || row.threads === null || row.threads === true || row.threads === 1,
    quizCount: nullableNum(row.quiz_count, 'quiz_count'),
    quizSeconds: nullableNum(row.quiz_seconds, 'quiz_seconds'),
    position: num(row.position, 'position'),
    nextFireAt: nullableNum(row.next_fire_at, 'next_fire_at'),
    digest: nullableText(row.digest),
    pace: nullableText(row.pace),
    paceOverride: row.pace_override === 'lesson' || row.pace_override === 'review' ? row.pace_override : null,
    groupKey: nullableText(row.group_key),
    updatedAt: num(row.updated_at, 'updated_at'),
  };
}

const DIGEST_STATUSES: readonly DigestEntry['status'][] = ['claimed', 'posted', 'failed', 'abandoned'];

/** A digests row as a DigestEntry. */
export function toDigestEntry(row: Record<string, unknown>): DigestEntry {
  const status = DIGEST_STATUSES.find((s) => s === row.status);
  if (!status) throw new Error(`digests row has an unknown status: ${String(row.status)}`);
  return {
    channelKey: text(row.channel_key, 'channel_key'),
    weekStart: num(row.week_start, 'week_start'),
    status,
    claimedBy: text(row.claimed_by, 'claimed_by'),
    claimedAt: num(row.claimed_at, 'claimed_at'),
    attempts: num(row.attempts, 'attempts'),
    lastError: nullableText(row.last_error),
    messageId: nullableText(row.message_id),
    postedAt: nullableNum(row.posted_at, 'posted_at'),
  };
}

const STATUSES: readonly LedgerStatus[] = ['claimed', 'posted', 'missed', 'holiday', 'failed', 'abandoned'];

/** A ledger row as a LedgerEntry. */
export function toLedgerEntry(row: Record<string, unknown>): LedgerEntry {
  const status = STATUSES.find((s) => s === row.status);
  if (!status) throw new Error(`ledger row has an unknown status: ${String(row.status)}`);
  return {
    channelKey: text(row.channel_key, 'channel_key'),
    fireAt: num(row.fire_at, 'fire_at'),
    lesson: num(row.lesson, 'lesson'),
    kind: row.kind === 'review' ? 'review' : 'lesson',
    note: nullableText(row.note),
    status,
    claimedBy: nullableText(row.claimed_by),
    claimedAt: nullableNum(row.claimed_at, 'claimed_at'),
    attempts: num(row.attempts, 'attempts'),
    retryAt: nullableNum(row.retry_at, 'retry_at'),
    lastError: nullableText(row.last_error),
    messageId: nullableText(row.message_id),
    postedAt: nullableNum(row.posted_at, 'posted_at'),
  };
}

/** A numeric column as a number; pg returns BIGINT as a string to avoid silent precision loss, so check it. */
export function num(value: unknown, column: string): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' || typeof value === 'bigint'
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n)) throw new Error(`column ${column} is not a safe integer: ${String(value)}`);
  return n;
}

export function nullableNum(value: unknown, column: string): number | null {
  return value === null || value === undefined ? null : num(value, column);
}

function text(value: unknown, column: string): string {
  if (typeof value !== 'string') throw new Error(`column ${column} is not text: ${String(value)}`);
  return value;
}

function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** A ledger row to insert: channel, fire time, lesson, status, claimed by, claimed at. */
export type NewLedgerRow = [
  string,
  number,
  number,
  LedgerStatus,
  string | null,
  number | null,
  'lesson' | 'review',
  string | null,
];

/** The ledger rows a fire plan writes: its skipped fires, then the claim for the fire it posts. */
export function ledgerRowsOf(plan: FirePlan): NewLedgerRow[] {
  const rows: NewLedgerRow[] = plan.skipped.map((s) => [
    plan.channelKey,
    s.fireAt,
    s.lesson,
    s.status,
    null,
    null,
    'lesson',
    null,
  ]);
  if (plan.post)
    rows.push([
      plan.channelKey,
      plan.post.fireAt,
      plan.post.lesson,
      'claimed',
      plan.claimedBy,
      plan.now,
      plan.post.kind ?? 'lesson',
      plan.post.note ?? null,
    ]);
  return rows;
}

const ROUND_STATUSES: readonly QuizRound['status'][] = ['running', 'finished', 'stopped'];

/** A quiz_rounds row as a QuizRound. */
export function toQuizRound(row: Record<string, unknown>): QuizRound {
  const status = ROUND_STATUSES.find((s) => s === row.status);
  if (!status) throw new Error(`quiz round has an unknown status: ${String(row.status)}`);
  if (!isLang(row.lang)) throw new Error(`quiz round has an unknown language: ${String(row.lang)}`);
  return {
    id: text(row.id, 'id'),
    channelKey: text(row.channel_key, 'channel_key'),
    startedBy: text(row.started_by, 'started_by'),
    topic: text(row.topic, 'topic'),
    lang: row.lang,
    secondsPerQuestion: num(row.seconds_per_question, 'seconds_per_question'),
    questionCount: num(row.question_count, 'question_count'),
    status,
    current: num(row.current_index, 'current_index'),
    createdAt: num(row.created_at, 'created_at'),
    finishedAt: nullableNum(row.finished_at, 'finished_at'),
    threadAnchor: nullableText(row.thread_anchor),
  };
}

/** A quiz_questions row as a QuizRoundQuestion, its frozen question parsed back from JSON. */
export function toQuizRoundQuestion(row: Record<string, unknown>): QuizRoundQuestion {
  return {
    roundId: text(row.round_id, 'round_id'),
    index: num(row.idx, 'idx'),
    question: parseRoundQuestion(text(row.question_json, 'question_json')),
    postedAt: nullableNum(row.posted_at, 'posted_at'),
    deadlineAt: nullableNum(row.deadline_at, 'deadline_at'),
    revealedAt: nullableNum(row.revealed_at, 'revealed_at'),
    messageId: nullableText(row.message_id),
  };
}

/** A quiz_answers row as a QuizAnswer. */
export function toQuizAnswer(row: Record<string, unknown>): QuizAnswer {
  return {
    roundId: text(row.round_id, 'round_id'),
    index: num(row.idx, 'idx'),
    userId: text(row.user_id, 'user_id'),
    displayName: text(row.display_name, 'display_name'),
    option: num(row.option_index, 'option_index'),
    answeredAt: num(row.answered_at, 'answered_at'),
    correct: row.correct === true || row.correct === 1,
    points: num(row.points, 'points'),
  };
}

/** An aggregated score row (member_key, user_id, display_name, total_points, correct_count, answered_count). */
export function toLeaderboardRow(row: Record<string, unknown>): LeaderboardRow {
  return {
    userId: text(row.user_id, 'user_id'),
    memberKey: text(row.member_key, 'member_key'),
    displayName: text(row.display_name, 'display_name'),
    points: num(row.total_points, 'total_points'),
    correct: num(row.correct_count, 'correct_count'),
    answered: num(row.answered_count, 'answered_count'),
  };
}

/** A channel a member studies in (channel_key, last_at). */
export function toStudyChannel(row: Record<string, unknown>): StudyChannel {
  return { channelKey: text(row.channel_key, 'channel_key'), lastActiveAt: num(row.last_at, 'last_at') };
}

/** A member's aggregated answers in one round. */
export function toQuizResult(row: Record<string, unknown>): QuizResult {
  return {
    roundId: text(row.round_id, 'round_id'),
    channelKey: text(row.channel_key, 'channel_key'),
    topic: text(row.topic, 'topic'),
    at: num(row.at, 'at'),
    answered: num(row.answered, 'answered'),
    correct: num(row.correct, 'correct'),
    points: num(row.points, 'points'),
  };
}

/** A review_cards row as a ReviewCard. */
export function toReviewCard(row: Record<string, unknown>): ReviewCard {
  const reviewedAt = nullableNum(row.reviewed_at, 'reviewed_at');
  return {
    userKey: text(row.user_key, 'user_key'),
    questionId: text(row.question_id, 'question_id'),
    question: parseRoundQuestion(text(row.question_json, 'question_json')),
    card: text(row.card, 'card'),
    dueAt: num(row.due_at, 'due_at'),
    ...(reviewedAt === null ? {} : { reviewedAt }),
  };
}

// Only the shape the quiz relies on is checked: a row written by this code always passes, and a row
// damaged by hand fails here with its column named rather than later inside a reply.
function parseRoundQuestion(json: string): RoundQuestion {
  const value: unknown = JSON.parse(json);
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { questionId?: unknown }).questionId !== 'string' ||
    !Array.isArray((value as { options?: unknown }).options) ||
    typeof (value as { answer?: unknown }).answer !== 'number'
  ) {
    throw new Error(`column question_json does not hold a round question: ${json.slice(0, 80)}`);
  }
  return value as RoundQuestion;
}

/** A question_pauses row as a QuestionPause. */
export function toQuestionPause(row: Record<string, unknown>): QuestionPause {
  const reason = text(row.reason, 'reason');
  const status = text(row.status, 'status');
  if (reason !== 'reports' && reason !== 'hard' && reason !== 'easy')
    throw new Error(`column reason is not a pause reason: ${reason}`);
  if (status !== 'paused' && status !== 'resumed')
    throw new Error(`column status is not a pause status: ${status}`);
  return {
    channelKey: text(row.channel_key, 'channel_key'),
    questionId: text(row.question_id, 'question_id'),
    version: text(row.question_version, 'question_version'),
    reason,
    status,
    pausedAt: num(row.paused_at, 'paused_at'),
    resumedBy: nullableText(row.resumed_by),
    resumedAt: nullableNum(row.resumed_at, 'resumed_at'),
  };
}

/** A question_reports row as what a standing lists. */
export function toReportLine(row: Record<string, unknown>): QuestionStanding['reports'][number] {
  const reason = text(row.reason, 'reason');
  if (!(REPORT_REASONS as readonly string[]).includes(reason))
    throw new Error(`column reason is not a report reason: ${reason}`);
  return {
    reason: reason as ReportReason,
    note: nullableText(row.note),
    reportedAt: num(row.reported_at, 'reported_at'),
  };
}

/** A member_pauses row as a MemberPause. */
export function toMemberPause(row: Record<string, unknown>): MemberPause {
  return {
    channelKey: text(row.channel_key, 'channel_key'),
    userId: text(row.user_id, 'user_id'),
    fromAt: num(row.from_at, 'from_at'),
    untilAt: num(row.until_at, 'until_at'),
  };
}
