import { isLang } from '../i18n/messages.ts';
import type { ChannelSettings, FirePlan, LedgerEntry, LedgerStatus } from './store.ts';

/** The fields `updateChannel` may change. */
export type ChannelPatch = Partial<Omit<ChannelSettings, 'channelKey' | 'updatedAt'>>;

/** A value either driver can bind; each store encodes booleans its own way. */
export type SqlValue = string | number | boolean | null;

// The column names come from this fixed table, never from the patch, so building SQL from them is safe.
const CHANNEL_COLUMNS = {
  lang: 'lang',
  scheduleText: 'schedule_text',
  cron: 'cron',
  timeZone: 'time_zone',
  paused: 'paused',
  holidayCountry: 'holiday_country',
  position: 'position',
  nextFireAt: 'next_fire_at',
} as const satisfies Record<keyof ChannelPatch, string>;

const PATCH_FIELDS = Object.keys(CHANNEL_COLUMNS) as (keyof ChannelPatch)[];

/** The fields a patch sets, as column/value pairs in a fixed order. */
export function patchColumns(patch: ChannelPatch): { column: string; value: SqlValue }[] {
  return PATCH_FIELDS.filter((field) => patch[field] !== undefined).map((field) => ({
    column: CHANNEL_COLUMNS[field],
    value: patch[field] as SqlValue,
  }));
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
    position: num(row.position, 'position'),
    nextFireAt: nullableNum(row.next_fire_at, 'next_fire_at'),
    updatedAt: num(row.updated_at, 'updated_at'),
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

function nullableNum(value: unknown, column: string): number | null {
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
export type NewLedgerRow = [string, number, number, LedgerStatus, string | null, number | null];

/** The ledger rows a fire plan writes: its skipped fires, then the claim for the fire it posts. */
export function ledgerRowsOf(plan: FirePlan): NewLedgerRow[] {
  const rows: NewLedgerRow[] = plan.skipped.map((s) => [
    plan.channelKey,
    s.fireAt,
    s.lesson,
    s.status,
    null,
    null,
  ]);
  if (plan.post)
    rows.push([plan.channelKey, plan.post.fireAt, plan.post.lesson, 'claimed', plan.claimedBy, plan.now]);
  return rows;
}
