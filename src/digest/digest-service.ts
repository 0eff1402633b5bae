import type { Catalog } from '../catalog/model.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { calendarPeriod, civilDate, civilDay, zonedParts, zonedToInstant } from '../lessons/time-zone.ts';
import type { Clock, Logger, Poster } from '../ports.ts';
import type { Reply } from '../reply/model.ts';
import type { ChannelSettings, Store } from '../store/store.ts';
import { renderDigestCard } from './digest-card.ts';
import { type DigestData, gatherDigest } from './digest-data.ts';
import { digestReply } from './digest-reply.ts';

/** When a channel's digest goes out: a weekday (0 Sunday … 6 Saturday) and a local time. */
export interface DigestRule {
  weekday: number;
  hour: number;
  minute: number;
}

/** Mondays at 09:00, in the channel's zone: the start of a study week. */
export const DEFAULT_DIGEST_RULE: DigestRule = { weekday: 1, hour: 9, minute: 0 };

/** The stored form of a rule: `<weekday> HH:MM`. */
export function formatDigestRule(rule: DigestRule): string {
  return `${rule.weekday} ${String(rule.hour).padStart(2, '0')}:${String(rule.minute).padStart(2, '0')}`;
}

/** A channel's rule: null when its digest is off; the default when it never set one (or the stored text is bad). */
export function digestRuleOf(channel: Pick<ChannelSettings, 'digest'>): DigestRule | null {
  if (channel.digest === 'off') return null;
  const match = /^([0-6]) (\d{2}):(\d{2})$/.exec(channel.digest ?? '');
  if (!match) return DEFAULT_DIGEST_RULE;
  return { weekday: Number(match[1]), hour: Number(match[2]), minute: Number(match[3]) };
}

/**
 * The instant of the rule's day and time inside the calendar week (Monday first) that holds `now`, in `timeZone`,
 * with that week: a digest is due once now has passed it.
 */
export function digestDueAt(
  rule: DigestRule,
  now: number,
  timeZone: string,
): { dueAt: number; week: { start: number; end: number } } {
  const week = calendarPeriod(now, timeZone, 'week');
  const monday = zonedParts(week.start, timeZone);
  const day = civilDay(monday.year, monday.month, monday.day) + ((rule.weekday + 6) % 7);
  return {
    dueAt: zonedToInstant({ ...civilDate(day), hour: rule.hour, minute: rule.minute }, timeZone),
    week,
  };
}

/** The idempotency key of one channel's digest of one week: a retry posts the same message at most once. */
export function digestPostKey(channelKey: string, weekStart: number): string {
  return `digest:${channelKey}:${weekStart}`;
}

export interface DigestServiceOptions {
  store: Store;
  catalog: () => Catalog;
  poster: Poster;
  clock: Clock;
  logger: Logger;
  instanceId: string;
  defaultLang: Lang;
  platforms?: readonly string[];
  /** How late a digest may still go out after its time (a restart across the boundary): a day by default. */
  graceMs?: number;
  /** A claim older than this is presumed dead and may be taken over. */
  leaseMs?: number;
  /** Draws the card; a test hands in one that fails or counts. */
  renderCard?: (data: DigestData) => Uint8Array;
  /** A hook between the steps of one digest; one that throws simulates a crash there. */
  onStep?: (step: 'claimed' | 'posted', channelKey: string, weekStart: number) => void;
}

/** What one pass did. */
export interface DigestPassReport {
  claimed: number;
  posted: number;
  failed: number;
}

const PAGE = 500;
const CONCURRENCY = 8;
const MAX_ATTEMPTS = 5;

/**
 * Posts each channel's weekly digest once: a pass claims every channel whose digest time has come this week (the
 * claim succeeds for one process per channel and week), then posts each claimed digest with its card under a key of
 * its own. A crash between claim and mark leaves the claim to a later pass, which posts with the same key: the
 * platform's duplicate check (Slack's metadata search, Discord's nonce) turns a second attempt into the first.
 */
export class DigestService {
  private readonly graceMs: number;
  private readonly leaseMs: number;

  constructor(private readonly options: DigestServiceOptions) {
    this.graceMs = options.graceMs ?? 24 * 60 * 60 * 1000;
    this.leaseMs = options.leaseMs ?? 120_000;
  }

  /** The digest a channel would get now, as its text (the on-demand `/orch digest`). */
  async preview(channel: ChannelSettings, lang: Lang): Promise<Reply> {
    const now = this.options.clock.now().getTime();
    return digestReply(await gatherDigest(this.options.store, this.options.catalog(), channel, now, lang));
  }

  /** One pass at `now`: claims the digests due, then posts what this process holds (its claims and stale ones). */
  async pass(now: number): Promise<DigestPassReport> {
    const { store, instanceId } = this.options;
    const report: DigestPassReport = { claimed: 0, posted: 0, failed: 0 };
    const work: { channel: ChannelSettings; weekStart: number; attempts: number }[] = [];
    for (let after = '', round = 0; round < 10_000; round++) {
      const page = await store.digestChannels(after, PAGE, this.options.platforms);
      for (const { channel, digestWeek } of page) {
        const rule = digestRuleOf(channel);
        if (!rule || !channel.timeZone) continue;
        const { dueAt, week } = digestDueAt(rule, now, channel.timeZone);
        if (now < dueAt || now - dueAt > this.graceMs || (digestWeek ?? -1) >= week.start) continue;
        if (!(await store.claimDigest(channel.channelKey, week.start, instanceId, now))) continue;
        report.claimed++;
        this.options.onStep?.('claimed', channel.channelKey, week.start);
        work.push({ channel, weekStart: week.start, attempts: 0 });
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.channel.channelKey ?? after;
    }
    for (const entry of await store.reclaimDigests(instanceId, now - this.leaseMs, now, MAX_ATTEMPTS)) {
      const channel = await store.getChannel(entry.channelKey);
      if (channel) work.push({ channel, weekStart: entry.weekStart, attempts: entry.attempts });
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let item = work[next++]; item; item = work[next++]) {
        if (await this.post(item.channel, item.weekStart, item.attempts, now)) report.posted++;
        else report.failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
    return report;
  }

  private async post(
    channel: ChannelSettings,
    weekStart: number,
    attempts: number,
    now: number,
  ): Promise<boolean> {
    const { store, poster, logger } = this.options;
    const key = channel.channelKey;
    const lang = channel.lang ?? this.options.defaultLang;
    let posted: { messageId: string };
    try {
      // The digest as of its own week, whenever it is posted: a retry on Tuesday still reports the week before Monday.
      const inWeek = Math.min(Math.max(now, weekStart), weekStart + 6 * 24 * 60 * 60 * 1000);
      const data = await gatherDigest(store, this.options.catalog(), channel, inWeek, lang);
      const reply = digestReply(data, this.card(data, weekStart));
      posted = await poster.post(key, reply, digestPostKey(key, weekStart));
    } catch (error) {
      const giveUp = attempts + 1 >= MAX_ATTEMPTS;
      await store.markDigestFailed(key, weekStart, String((error as Error)?.message ?? error), giveUp);
      logger.warn(
        { channel: key, weekStart, attempt: attempts + 1, giveUp, err: error },
        'digest post failed',
      );
      return false;
    }
    // Outside the try: a crash here must leave the claim for a retry with the same key.
    this.options.onStep?.('posted', key, weekStart);
    await store.markDigestPosted(key, weekStart, posted.messageId, now);
    logger.info({ channel: key, weekStart }, 'digest posted');
    return true;
  }

  /** The card, or none when drawing it failed: the text digest stands on its own. */
  private card(data: DigestData, weekStart: number) {
    try {
      const png = (this.options.renderCard ?? renderDigestCard)(data);
      // The week's Monday as the channel reads it (in Seoul, Monday 00:00 is Sunday 15:00 UTC).
      const { year, month, day: date } = zonedParts(weekStart, data.timeZone);
      const day = `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
      return { png, filename: `orch-digest-${day}.png`, alt: digestAlt(data) };
    } catch (error) {
      this.options.logger.warn(
        { channel: data.channelKey, err: error },
        'digest card failed; posting the text',
      );
      return undefined;
    }
  }
}

/** The card's alt text: what it shows, briefly, within Slack's 1,000 characters. */
function digestAlt(data: DigestData): string {
  const lead = t(data.lang, 'digest.alt');
  const tracks = data.tracks.map((tr) => `${tr.title} ${tr.posted}/${tr.total}`).join(', ');
  const board = data.leaderboard.map((row, i) => `${i + 1}. ${row.name} ${row.points}`).join(', ');
  return `${lead} ${tracks}${board ? `; ${board}` : ''}`.slice(0, 1000);
}
