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
  /** Quiz rounds and scheduled lessons run in a thread under their first message (the default), or in the channel. */
  threads: boolean;
  /** The questions of a round started without numbers; null: the bot's default. */
  quizCount: number | null;
  /** The seconds per question of a round started without numbers; null: the bot's default. */
  quizSeconds: number | null;
  /** The number of the next lesson to post (1-based). */
  position: number;
  /** When the next scheduled fire is due (ms since epoch), or null when there is no active schedule. */
  nextFireAt: number | null;
  /**
   * The weekly digest: `off`, or its weekday and local time as `<0-6> HH:MM` (0 Sunday); null is the default, on
   * Mondays at 09:00 once the channel has a schedule.
   */
  digest: string | null;
  /**
   * The group pace: `off`, or the share (whole percent) of active members who must have pressed Done on the last two
   * lessons for the next slot to be a new lesson rather than a review day; null is the default (on, 50).
   */
  pace: string | null;
  /** What the next slot is, once, whatever the rule says: set by an admin, cleared by the fire that used it. */
  paceOverride: 'lesson' | 'review' | null;
  /** The study group the channel belongs to (the key of the channel that started it), or null on its own. */
  groupKey: string | null;
  updatedAt: number;
}

/**
 * The settings every channel of a study group shares: what and when the group studies. A change to one of them in one
 * channel is made in every channel of its group (see updateChannel).
 */
export const GROUP_FIELDS = [
  'scheduleText',
  'cron',
  'timeZone',
  'paused',
  'holidayCountry',
  'position',
  'nextFireAt',
  'pace',
  'paceOverride',
] as const satisfies readonly (keyof ChannelSettings)[];

/** What happened to a join code handed in: the channel joined, or why not (nothing changed then). */
/**
 * How handing in a link code went: `linked`, or why nothing changed (`elsewhere`: the code's channel is not in this
 * channel's study group; `space`: the person already has a key in this workspace or guild; `taken`: this member is
 * linked to another person and unlinks first).
 */
export type LinkOutcome =
  | 'linked'
  | 'unknown'
  | 'expired'
  | 'used'
  | 'same'
  | 'elsewhere'
  | 'space'
  | 'taken'
  | 'throttled';

export type JoinOutcome = 'joined' | 'unknown' | 'expired' | 'used' | 'same' | 'grouped' | 'throttled';

/** One line of a group's audit trail. */
export interface GroupEvent {
  groupKey: string;
  at: number;
  /** The member key (`platform:space:user`) of who did it. */
  actor: string;
  /** Join codes and channels joining or leaving; link codes and members linking or unlinking (`link-…`). */
  action: 'code' | 'joined' | 'refused' | 'left' | 'link-code' | 'linked' | 'link-refused' | 'unlinked';
  channelKey: string;
  detail: string | null;
}

/** One week's digest of a channel in the digest ledger. */
export interface DigestEntry {
  channelKey: string;
  /** The start (local Monday 00:00) of the week the digest was posted in; it reports the week before. */
  weekStart: number;
  status: 'claimed' | 'posted' | 'failed' | 'abandoned';
  claimedBy: string;
  claimedAt: number;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  postedAt: number | null;
}

/** How one quiz question went over a period: its stored JSON (id and text), answers and right answers. */
export interface QuestionResult {
  questionJson: string;
  answered: number;
  correct: number;
}

/** What happened to one scheduled fire of one channel. */
export type LedgerStatus = 'claimed' | 'posted' | 'missed' | 'holiday' | 'failed' | 'abandoned';

/**
 * The posting ledger: one row per (channel, fire time), decided before anything is posted. A review day stands in
 * front of its lesson: `lesson` is the lesson it holds back (the position does not move when it is posted), and
 * `note` says why it was decided (JSON, see lessons/group-pace.ts).
 */
export interface LedgerEntry {
  channelKey: string;
  fireAt: number;
  lesson: number;
  kind: 'lesson' | 'review';
  note: string | null;
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
  /** The fire to post now (a lesson unless `kind` says review), or null when every due fire is missed or a holiday. */
  post: { fireAt: number; lesson: number; kind?: 'lesson' | 'review'; note?: string | null } | null;
  /**
   * The channel's one-off pace override this plan used (as it was read), cleared with it; an override an admin set
   * since is kept for the next slot.
   */
  consumesOverride?: 'lesson' | 'review';
  /** Due fires that will not be posted: outside the grace window, superseded by a later one, or holidays. */
  skipped: { fireAt: number; lesson: number; status: 'missed' | 'holiday' }[];
  /** The channel's next fire after this decision. */
  nextFireAt: number | null;
  /** The value of nextFireAt this plan was computed from; the plan is refused if another process moved it. */
  expectedNextFireAt: number;
  claimedBy: string;
  now: number;
}

/** True for a lesson the channel posted (not a review day, not a fire still pending or skipped). */
export function isPostedLesson(entry: Pick<LedgerEntry, 'status' | 'kind'>): boolean {
  return entry.status === 'posted' && entry.kind === 'lesson';
}

/** What the group-pace rule reads of a channel when a fire is due (see lessons/group-pace.ts). */
export interface PaceFacts {
  /** The last two lessons posted, newest first (fewer when fewer were posted). */
  lastLessons: number[];
  /** Whether the newest posted fire was a review day. */
  lastWasReview: boolean;
  /**
   * Members who pressed Done in the channel since the window's start, are not on a pause now and are not catching up
   * (a late member's daily Done presses are on the group's old lessons, not its last two).
   */
  active: number;
  /** Done presses of those members on `lastLessons`. */
  done: number;
}

/** A member's pause in a channel: from when, until when (an ended pause keeps its real end). */
export interface MemberPause {
  channelKey: string;
  userId: string;
  fromAt: number;
  untilAt: number;
}

/** A member catching up with the group at their own number of lessons a day. */
export interface CatchUp {
  channelKey: string;
  userId: string;
  perDay: number;
  startedAt: number;
}

/** A user's completion of one lesson in one channel. */
export interface Completion {
  channelKey: string;
  userId: string;
  lesson: number;
  completedAt: number;
}

/**
 * How often a store deletes expired delivery claims. A claim is written for every platform event, so pruning runs
 * beside a claim at most this often rather than with each one; an expired claim of the key being claimed is
 * replaced by the claim itself.
 */
export const DELIVERY_PRUNE_MS = 60_000;

/**
 * The persistence contract, implemented by SQLite (embedded default) and PostgreSQL (DATABASE_URL).
 * Times are milliseconds since the epoch. Every method is atomic on its own.
 */
export interface Store extends QuizStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending versioned migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** A cheap round trip, for readiness checks. */
  ping(): Promise<void>;

  getChannel(channelKey: string): Promise<ChannelSettings | null>;
  /**
   * Creates the channel with defaults if needed, applies the patch, and returns the result. The fields every channel
   * of a study group shares (GROUP_FIELDS) are set in the group's other channels too, in the same transaction.
   */
  updateChannel(
    channelKey: string,
    patch: Partial<Omit<ChannelSettings, 'channelKey' | 'updatedAt' | 'groupKey'>>,
    now: number,
  ): Promise<ChannelSettings>;
  /** Channels with an active schedule whose next fire is at or before `now`, oldest first. */
  dueChannels(now: number, limit: number, platforms?: readonly string[]): Promise<ChannelSettings[]>;

  /**
   * Records fire plans, each in one go: the claim for the fire to post, the skipped fires, and the channel's next
   * fire, together; many channels in one transaction. One result per plan, in order: false (and nothing written for
   * that plan) if the channel's nextFireAt is no longer `expectedNextFireAt`, which means another process already
   * handled these fires.
   */
  applyFirePlans(plans: readonly FirePlan[]): Promise<boolean[]>;
  /** Claims to (re)post: rows still `claimed` whose claim is older than `staleBefore` or held by `claimedBy`, and `failed` rows due for retry. */
  pendingPosts(
    now: number,
    staleBefore: number,
    claimedBy: string,
    platforms?: readonly string[],
  ): Promise<LedgerEntry[]>;
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
   * The secret in the address of a channel's shared pages (its calendar feed, its web page): the stored one, or
   * `candidate` stored now when the channel has none. Concurrent callers all get the one that was stored first.
   */
  channelPageToken(channelKey: string, candidate: string, now: number): Promise<string>;
  /** Replaces the channel's page token with `token` (a new one): the old address stops working at once. */
  rotateChannelPageToken(channelKey: string, token: string, now: number): Promise<void>;
  /** The channel whose page token is `token`, or null for a token never issued or since rotated. */
  channelOfPageToken(token: string): Promise<string | null>;

  /**
   * Channels that may be due a weekly digest (a schedule, the digest not off), with the week of the last one claimed,
   * at most `limit` of them after `afterKey` in key order (a pass pages through every channel).
   */
  digestChannels(
    afterKey: string,
    limit: number,
    platforms?: readonly string[],
  ): Promise<{ channel: ChannelSettings; digestWeek: number | null }[]>;
  /**
   * Claims the digest of `weekStart` for `claimedBy`: true for exactly one caller per channel and week, however many
   * processes try at once (the channel's digest week only moves forward), with the ledger row written beside it.
   */
  claimDigest(channelKey: string, weekStart: number, claimedBy: string, now: number): Promise<boolean>;
  /**
   * Takes over digests a process claimed and never finished (claimed before `staleBefore`) or that failed and may be
   * retried: each returned row is now claimed by `claimedBy`, which no other caller got.
   */
  reclaimDigests(
    claimedBy: string,
    staleBefore: number,
    now: number,
    maxAttempts: number,
  ): Promise<DigestEntry[]>;
  markDigestPosted(channelKey: string, weekStart: number, messageId: string, now: number): Promise<void>;
  markDigestFailed(channelKey: string, weekStart: number, error: string, giveUp: boolean): Promise<void>;
  /** A channel's digests, newest first. */
  digests(channelKey: string, limit: number): Promise<DigestEntry[]>;
  /** The channel's quiz scores over [since, until), across its study group's channels. */
  leaderboardBetween(
    channelKey: string,
    since: number,
    until: number,
    limit: number,
  ): Promise<LeaderboardRow[]>;
  /** How each question asked in the channel (or its study group's channels) over [since, until) went. */
  questionResults(channelKey: string, since: number, until: number): Promise<QuestionResult[]>;
  /**
   * Who pressed Done on these lessons in the channel or its study group's channels, by lesson: each one once, as a
   * person key (see LeaderboardRow.memberKey), so a linked member who pressed on both sides counts once.
   */
  lessonCompleters(channelKey: string, lessons: readonly number[]): Promise<Map<number, string[]>>;
  /**
   * Review cards due before `until` of these members or persons (`platform:space:user` keys or person keys), one per
   * person and question (the current card, see dueReviews).
   */
  countDueReviewsOf(userKeys: readonly string[], until: number): Promise<number>;

  /**
   * node-cron's run coordination: true for exactly one caller per run key (a task name and its scheduled minute),
   * so that with several processes each tick runs once. Rows older than `pruneBefore` are deleted on the way.
   */
  claimRun(runKey: string, claimedBy: string, now: number, pruneBefore: number): Promise<boolean>;

  /**
   * Claims one delivery of a platform event (a Slack event id, a Socket Mode envelope, a Discord interaction id):
   * true for exactly one caller until `expiresAt`, across processes, so a redelivered event is acknowledged but not
   * run again. Claims that expired before `now` are deleted on the way and may be claimed anew.
   */
  claimDelivery(deliveryKey: string, now: number, expiresAt: number): Promise<boolean>;

  /**
   * What the group-pace rule needs of a channel at `now`: its last posted lessons and the newest fire's kind, and the
   * members who pressed Done since `activeSince` (less those paused at `now`) with their Done presses on those lessons.
   */
  paceFacts(channelKey: string, activeSince: number, now: number): Promise<PaceFacts>;
  /**
   * Starts a member's pause (ending one in progress in the channel first) and moves their review cards' due times
   * later by the part of it no pause of theirs in the workspace already covers, so nothing falls due while they are
   * away; one transaction.
   */
  pauseMember(pause: MemberPause, userKey: string): Promise<void>;
  /**
   * Ends a member's pause in progress at `now`; the pause as it ended, or null when none was in progress. Review
   * cards keep the time they were moved by: back early, a member finds their reviews a little later, never sooner
   * than they would have come without the pause.
   */
  endMemberPause(
    channelKey: string,
    userId: string,
    userKey: string,
    now: number,
  ): Promise<MemberPause | null>;
  /** A member's pauses in a channel, oldest first. */
  memberPauses(channelKey: string, userId: string): Promise<MemberPause[]>;

  /** Starts (or changes the daily number of) a member's catch-up. */
  setCatchUp(catchUp: CatchUp): Promise<void>;
  /** Ends a member's catch-up; false when there was none. */
  endCatchUp(channelKey: string, userId: string): Promise<boolean>;
  /**
   * The channel's members catching up (or just `userId`, when given), with what each has done: what planning a day for
   * all of them reads.
   */
  catchUps(channelKey: string, userId?: string): Promise<{ catchUp: CatchUp; done: number[] }[]>;
  /**
   * Keeps the lessons planned for members on a local day (`YYYY-MM-DD` in the channel's zone) for each member whose
   * day holds none yet (a day is planned once, by whoever plans it first), and returns every member's lessons of that
   * day afterwards.
   */
  planCatchUpDay(
    channelKey: string,
    day: string,
    plans: readonly { userId: string; lessons: readonly number[] }[],
    now: number,
  ): Promise<Map<string, number[]>>;

  /**
   * Keeps a join code (its hash) for the group of `channelKey`, valid until `expiresAt`; false (nothing kept) when the
   * group already has `maxPerHour` codes issued in the hour before `issuedAt`. Logged in the group's trail.
   */
  issueJoinCode(
    code: { hash: string; channelKey: string; issuedBy: string; issuedAt: number; expiresAt: number },
    maxPerHour: number,
  ): Promise<boolean>;
  /**
   * Joins `channelKey` to the group of the code whose hash is given, in one transaction: the code is used once (of
   * two channels handing it in at once, one joins), the channel takes the group's shared settings, and the trail logs
   * it. A channel with `maxFailures` refused attempts in the last 10 minutes is refused without a look at the code.
   * Anything but `joined` changes nothing except the refusal's line in the trail.
   */
  joinGroup(
    hash: string,
    channelKey: string,
    actor: string,
    now: number,
    maxFailures: number,
  ): Promise<{ outcome: JoinOutcome; groupKey: string | null }>;
  /** Takes a channel out of its group (it keeps its settings and everything done in it); false when in none. */
  leaveGroup(channelKey: string, actor: string, now: number): Promise<boolean>;
  /** The channels of a channel's group, the channel itself first; just the channel when it is on its own. */
  groupChannels(channelKey: string): Promise<string[]>;
  /** A group's audit trail, oldest first. */
  groupEvents(groupKey: string): Promise<GroupEvent[]>;
  /**
   * What a group posts at a fire: the first channel to plan it records its lesson (or review day), and every channel
   * of the group gets that same decision back.
   */
  groupFire(
    groupKey: string,
    fire: { fireAt: number; lesson: number; kind: 'lesson' | 'review'; note: string | null },
  ): Promise<{ lesson: number; kind: 'lesson' | 'review'; note: string | null }>;

  /** Records that a user finished a lesson; false if it was already recorded. */
  recordCompletion(completion: Completion): Promise<boolean>;
  /**
   * Lesson numbers a user finished, ascending: in the channel and the other channels of its study group, under the
   * member's own key and every key linked to it (a Done on Discord counts on the Slack side).
   */
  completions(channelKey: string, userId: string): Promise<number[]>;
  /**
   * The channels whose key starts with `prefix` (`slack:T1:` for one workspace, `discord:` for every guild) where
   * the member finished a lesson or answered a quiz question: the channels they study in, most recently active
   * first, at most `limit`. A member's own personal view reads it.
   */
  studyChannels(userId: string, prefix: string, limit: number): Promise<StudyChannel[]>;
}

/** A channel a member studies in, and when they last finished a lesson or answered a quiz question there. */
export interface StudyChannel {
  channelKey: string;
  lastActiveAt: number;
}

/** A member's result in one quiz round. */
export interface QuizResult {
  roundId: string;
  channelKey: string;
  topic: string;
  /** When the member last answered in the round. */
  at: number;
  answered: number;
  correct: number;
  points: number;
}

/** A question as frozen into a round when it starts, so later catalog edits never change a running round. */
export interface RoundQuestion {
  questionId: string;
  question: { en: string; ko: string };
  options: { en: string; ko: string }[];
  answer: number;
  explanation: { en: string; ko: string };
  toolId: string | null;
}

/** A quiz round in a channel. At most one is `running` per channel. */
export interface QuizRound {
  id: string;
  channelKey: string;
  startedBy: string;
  topic: string;
  lang: 'ko' | 'en';
  secondsPerQuestion: number;
  questionCount: number;
  status: 'running' | 'finished' | 'stopped';
  /** Index of the question being asked (0-based). */
  current: number;
  createdAt: number;
  finishedAt: number | null;
  /**
   * The channel message the round's thread hangs under (its announcement, or the lesson it quizzes on); null or
   * absent while it runs in the channel itself.
   */
  threadAnchor?: string | null;
}

/** One question of a round, with its life cycle on the platform. */
export interface QuizRoundQuestion {
  roundId: string;
  index: number;
  question: RoundQuestion;
  postedAt: number | null;
  deadlineAt: number | null;
  revealedAt: number | null;
  messageId: string | null;
}

/** A member's answer to one question: only the first per member and question is ever stored. */
export interface QuizAnswer {
  roundId: string;
  index: number;
  userId: string;
  displayName: string;
  option: number;
  answeredAt: number;
  correct: boolean;
  points: number;
}

/** What the store did with one answer: kept it, or refused it as the member's second or as too late. */
export type AnswerWriteResult = 'recorded' | 'duplicate' | 'closed';

/** One line of a leaderboard. */
export interface LeaderboardRow {
  /** The platform user id of the person's latest answer (what a mention on that platform needs). */
  userId: string;
  /**
   * Who the line is: the person key of linked members (their answers on every side add up into one line), else the
   * member key `platform:space:user` of the answers.
   */
  memberKey: string;
  displayName: string;
  points: number;
  correct: number;
  answered: number;
}

/** A missed question scheduled for review by spaced repetition; `card` is the scheduler's own state (JSON). */
export interface ReviewCard {
  userKey: string;
  questionId: string;
  question: RoundQuestion;
  card: string;
  dueAt: number;
  /** When the member last reviewed it (absent on cards from before it was kept). */
  reviewedAt?: number;
}

/** Why a member reported a quiz question. */
export const REPORT_REASONS = ['wrong', 'ambiguous', 'outdated', 'typo'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** A member's report of a question they were asked in a round. */
export interface QuestionReport {
  channelKey: string;
  questionId: string;
  /** The version asked (see question-version.ts). */
  version: string;
  userId: string;
  reason: ReportReason;
  note: string | null;
  roundId: string;
  reportedAt: number;
}

/** How one version of a question went in a channel: how many members answered it, and how many of them right first. */
export interface QuestionRecord {
  questionId: string;
  version: string;
  players: number;
  correct: number;
}

/** Everything a channel knows about one question: its record, the median answer time and the reports. */
export interface QuestionStanding {
  players: number;
  correct: number;
  /** The median time from the question's post to a member's first answer, or null with no answers. */
  medianMs: number | null;
  /** How many different members reported this version. */
  reporters: number;
  reports: { reason: ReportReason; note: string | null; reportedAt: number }[];
}

/** Why a question stopped being asked in a channel: two members' reports, or a share right too low or too high. */
export type QuestionPauseReason = 'reports' | 'hard' | 'easy';

/** A question paused in a channel (or paused once and resumed by an admin, which keeps it from pausing again). */
export interface QuestionPause {
  channelKey: string;
  questionId: string;
  version: string;
  reason: QuestionPauseReason;
  status: 'paused' | 'resumed';
  pausedAt: number;
  resumedBy: string | null;
  resumedAt: number | null;
}

/** The quiz part of the store contract. */
export interface QuizStore {
  /** Creates a running round with its questions; false (nothing written) if the channel already has a running round. */
  createRound(round: QuizRound, questions: RoundQuestion[]): Promise<boolean>;
  getRound(roundId: string): Promise<QuizRound | null>;
  /**
   * Records the message a round's thread hangs under; only the first call sets it (a retried announcement finds the
   * same message, so a second call names the same anchor anyway). Returns the anchor the round has now.
   */
  setRoundThread(roundId: string, anchorId: string): Promise<string | null>;
  runningRound(channelKey: string): Promise<QuizRound | null>;
  /** Every running round, for resuming after a restart. */
  runningRounds(): Promise<QuizRound[]>;
  /** The most recent round started in a channel (any status), for rate limiting. */
  lastRoundStart(channelKey: string): Promise<number | null>;
  roundQuestion(roundId: string, index: number): Promise<QuizRoundQuestion | null>;
  /** Records that a question was posted; only the first call sets the times and message id. */
  markQuestionPosted(
    roundId: string,
    index: number,
    messageId: string,
    postedAt: number,
    deadlineAt: number,
  ): Promise<void>;
  /**
   * Stores each member's answer if it is their first to this question and it arrived while the question was open:
   * `answeredAt` (the arrival) after posting, before the deadline, before the reveal and before the round ended, so
   * a click processed late still counts when it arrived in time. One transaction for the batch (group commit for a
   * burst of clicks), one outcome per answer in order; of two answers by one member in the batch, the earlier in the
   * list counts. Atomic under concurrency: exactly one of several first answers wins, and none that arrived after a
   * reveal or stop that committed.
   */
  recordAnswers(answers: readonly QuizAnswer[]): Promise<AnswerWriteResult[]>;
  answers(roundId: string, index: number): Promise<QuizAnswer[]>;
  /** Users who answered any question of the round before `index`. */
  participantsBefore(roundId: string, index: number): Promise<string[]>;
  /** Closes a question for answers; true only for the one caller that closed it. */
  revealQuestion(roundId: string, index: number, now: number): Promise<boolean>;
  /**
   * Moves a running round forward to `index`; true only for the one caller that moved it (never backwards), so
   * when several processes finish the same question, exactly one goes on to record reviews and ask the next.
   */
  advanceRound(roundId: string, index: number): Promise<boolean>;
  /** Ends a running round; false if it was not running. */
  finishRound(roundId: string, status: 'finished' | 'stopped', now: number): Promise<boolean>;
  /** Points per member in a round, best first. */
  roundScores(roundId: string): Promise<LeaderboardRow[]>;
  /** Points per member in the rounds of a channel and its study group answered since `since`, best first. */
  leaderboard(channelKey: string, since: number, limit: number): Promise<LeaderboardRow[]>;
  /** A member's quiz totals in a channel and its study group, their linked keys' answers included. */
  quizStats(
    channelKey: string,
    userId: string,
  ): Promise<{ answered: number; correct: number; points: number }>;
  /** The member's results in the latest rounds they answered in, in channels whose key starts with `prefix`. */
  recentQuizResults(userId: string, prefix: string, limit: number): Promise<QuizResult[]>;
  /** Stores a card under its own userKey (the key a card read back carries, so a review updates that row). */
  saveReviewCard(card: ReviewCard): Promise<void>;
  /**
   * The member's current card for a question. A member linked to others may hold one per key (each side missed it
   * before they linked): the current one is the card reviewed last, as it holds what the member knows now.
   */
  reviewCard(userKey: string, questionId: string): Promise<ReviewCard | null>;
  /** The member's current cards (linked keys' too) due at or before `now`, most overdue first. */
  dueReviews(userKey: string, now: number, limit: number): Promise<ReviewCard[]>;
  countDueReviews(userKey: string, now: number): Promise<number>;

  /**
   * Every member key of the person `memberKey` is linked to, itself first, and the person's key; an unlinked member is
   * a person of one, keyed by its own member key.
   */
  identityOf(memberKey: string): Promise<{ personKey: string; memberKeys: string[] }>;
  /**
   * Keeps a link code (its hash) a member issued in a channel; false (nothing kept) when the member already issued
   * `maxPerHour` in the hour before `issuedAt`. Logged in the trail of the channel's group.
   */
  issueLinkCode(
    code: { hash: string; memberKey: string; channelKey: string; issuedAt: number; expiresAt: number },
    maxPerHour: number,
  ): Promise<boolean>;
  /**
   * Links `memberKey` (handing the code in, in `channelKey`) to the person of the member who issued the code, in one
   * transaction: the code is used once, only between channels of one study group and members of different
   * workspaces or guilds, and the trail logs it. A member with `maxFailures` refused attempts in the last 10 minutes
   * is refused without a look at the code. Anything but `linked` changes nothing except the refusal's line.
   */
  linkMember(
    hash: string,
    memberKey: string,
    channelKey: string,
    now: number,
    maxFailures: number,
  ): Promise<LinkOutcome>;
  /**
   * Takes a member out of its person: everything earned stays under the key it was earned with, so each side keeps
   * its own. A person left with one key is none. False when the member was not linked.
   */
  unlinkMember(memberKey: string, channelKey: string, now: number): Promise<boolean>;

  /**
   * Every question's record in a channel, per version: players and first answers right. Closing a question
   * (revealQuestion) adds each member's first answer to it, in the same transaction, so a record counts each member
   * once however often the question is asked. Answers from before versions existed count for the first version
   * asked since (approximately: a member with answers of both may count twice here, never in questionStanding).
   */
  questionRecords(channelKey: string): Promise<QuestionRecord[]>;
  /**
   * One question's record, median time and reports in a channel: each member once, answers from before versions
   * counting for the first version asked since (so a version fixed later starts clean).
   */
  questionStanding(channelKey: string, questionId: string, version: string): Promise<QuestionStanding>;
  /**
   * Keeps a member's report (a second report of the same version by the same member replaces their first) and
   * returns how many different members reported this version in the channel.
   */
  reportQuestion(report: QuestionReport): Promise<number>;
  /**
   * Pauses a version of a question in a channel; false when it already has a row (paused, or resumed by an admin,
   * which an automatic rule does not overrule).
   */
  pauseQuestion(pause: Omit<QuestionPause, 'status' | 'resumedBy' | 'resumedAt'>): Promise<boolean>;
  /** Resumes every paused version of a question in a channel; how many were paused. */
  resumeQuestion(channelKey: string, questionId: string, by: string, now: number): Promise<number>;
  /** The questions members reported in the channel, per version, with how many members did; most reported first. */
  questionReportCounts(
    channelKey: string,
  ): Promise<{ questionId: string; version: string; reporters: number }[]>;
  /** The channel's paused and resumed questions, most recently paused first. */
  questionPauses(channelKey: string): Promise<QuestionPause[]>;
}
