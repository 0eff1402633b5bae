import type { Lang } from '../i18n/messages.ts';

/** A channel's study settings; one row per `platform:space:channel` key. */
export interface ChannelSettings {
  channelKey: string;
  /** null: not set, the bot decides per message (Hangul, locale, default). */
  lang: Lang | null;
  /** The rule as the admin typed it ("weekdays 09:00"), for display. */
  scheduleText: string | null;
  /** The 5-field cron expression the rule became, evaluated in `timeZone`. */
  cron: string | null;
  timeZone: string | null;
  paused: boolean;
  /** ISO 3166 country whose public holidays are skipped, or null. */
  holidayCountry: string | null;
  /** The number of the next lesson to post (1-based). */
  position: number;
  /** When the next scheduled fire is due (ms since epoch), or null when there is no active schedule. */
  nextFireAt: number | null;
  updatedAt: number;
}

/** What happened to one scheduled fire of one channel. */
export type LedgerStatus = 'claimed' | 'posted' | 'missed' | 'holiday' | 'failed' | 'abandoned';

/** The posting ledger: one row per (channel, fire time), decided before anything is posted. */
export interface LedgerEntry {
  channelKey: string;
  fireAt: number;
  lesson: number;
  status: LedgerStatus;
  claimedBy: string | null;
  claimedAt: number | null;
  attempts: number;
  retryAt: number | null;
  lastError: string | null;
  messageId: string | null;
  postedAt: number | null;
}

/** One decision about a due channel, written in one transaction before any post. */
export interface FirePlan {
  channelKey: string;
  /** The fire to post now, or null when every due fire is missed or a holiday. */
  post: { fireAt: number; lesson: number } | null;
  /** Due fires that will not be posted: outside the grace window, superseded by a later one, or holidays. */
  skipped: { fireAt: number; lesson: number; status: 'missed' | 'holiday' }[];
  /** The channel's next fire after this decision. */
  nextFireAt: number | null;
  /** The value of nextFireAt this plan was computed from; the plan is refused if another process moved it. */
  expectedNextFireAt: number;
  claimedBy: string;
  now: number;
}

/** A user's completion of one lesson in one channel. */
export interface Completion {
  channelKey: string;
  userId: string;
  lesson: number;
  completedAt: number;
}

/**
 * The persistence contract, implemented by SQLite (embedded default) and PostgreSQL (DATABASE_URL).
 * Times are milliseconds since the epoch. Every method is atomic on its own.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending versioned migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** A cheap round trip, for readiness checks. */
  ping(): Promise<void>;

  getChannel(channelKey: string): Promise<ChannelSettings | null>;
  /** Creates the channel with defaults if needed, applies the patch, and returns the result. */
  updateChannel(
    channelKey: string,
    patch: Partial<Omit<ChannelSettings, 'channelKey' | 'updatedAt'>>,
    now: number,
  ): Promise<ChannelSettings>;
  /** Channels with an active schedule whose next fire is at or before `now`, oldest first. */
  dueChannels(now: number, limit: number): Promise<ChannelSettings[]>;

  /**
   * Records a fire plan: the claim for the fire to post, the skipped fires, and the channel's next fire, together.
   * Returns false (and writes nothing) if the channel's nextFireAt is no longer `expectedNextFireAt`, which means
   * another process already handled these fires.
   */
  applyFirePlan(plan: FirePlan): Promise<boolean>;
  /** applyFirePlan for many channels at once, in one transaction; one result per plan, in order. */
  applyFirePlans(plans: readonly FirePlan[]): Promise<boolean[]>;
  /** Claims to (re)post: rows still `claimed` whose claim is older than `staleBefore` or held by `claimedBy`, and `failed` rows due for retry. */
  pendingPosts(now: number, staleBefore: number, claimedBy: string): Promise<LedgerEntry[]>;
  /** Takes over a pending row for `claimedBy`; false if another process took it first. */
  takeClaim(
    channelKey: string,
    fireAt: number,
    claimedBy: string,
    now: number,
    staleBefore: number,
  ): Promise<boolean>;
  /** Marks a row posted and advances the channel's position past its lesson, in one transaction. */
  markPosted(channelKey: string, fireAt: number, messageId: string, now: number): Promise<void>;
  /** Records a failed attempt; `retryAt` null means give up (status `abandoned`). The position does not move. */
  markFailed(
    channelKey: string,
    fireAt: number,
    error: string,
    retryAt: number | null,
    now: number,
  ): Promise<void>;
  /** The ledger of a channel, newest first. */
  ledger(channelKey: string, limit: number): Promise<LedgerEntry[]>;

  /**
   * node-cron's run coordination: true for exactly one caller per run key (a task name and its scheduled minute),
   * so that with several processes each tick runs once. Rows older than `pruneBefore` are deleted on the way.
   */
  claimRun(runKey: string, claimedBy: string, now: number, pruneBefore: number): Promise<boolean>;

  /** Records that a user finished a lesson; false if it was already recorded. */
  recordCompletion(completion: Completion): Promise<boolean>;
  /** Lesson numbers a user finished in a channel, ascending. */
  completions(channelKey: string, userId: string): Promise<number[]>;
}
