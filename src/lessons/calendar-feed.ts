import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as IcalGenerator from 'ical-generator';
import { type Catalog, lessonByNumber } from '../catalog/model.ts';
import { channelLink } from '../channel-key.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { type ChannelSettings, isPostedLesson, type LedgerEntry } from '../store/store.ts';
import { comingLessons } from './coming-lessons.ts';

// Required on the first feed, not with the server: most processes never serve one, and each start pays for what it
// loads (issue 15).
let ical: typeof IcalGenerator | undefined;
const require = createRequire(import.meta.url);

/** How long a lesson's event lasts in a calendar: the time to read it and press Done, not a class. */
const EVENT_MINUTES = 30;
/** The coming lessons a feed lists (a daily rule: about three months ahead). */
const COMING_LIMIT = 90;
/** Posted lessons a feed keeps, so a calendar still shows what the group has studied lately. */
const FEED_POSTED_LIMIT = 30;
// SEQUENCE is a signed 32-bit integer (RFC 5545 §3.3.8): seconds since 2025 fit until the 2090s.
const SEQUENCE_EPOCH = Date.UTC(2025, 0, 1);

export interface CalendarFeedInput {
  channelKey: string;
  /** The channel's settings, or null for one never configured (an empty calendar). */
  channel: ChannelSettings | null;
  catalog: Catalog;
  lang: Lang;
  /** The channel's ledger, newest first (store.ledger): its posted lessons stay in the feed. */
  ledger: readonly LedgerEntry[];
}

/**
 * When the channel's plan last changed: a settings change (schedule, pause, holidays) or a ledger decision (a post,
 * a missed or holiday fire, each of which moves the coming lessons). Every event of the feed carries it as
 * LAST-MODIFIED and DTSTAMP, and as SEQUENCE, which so only grows as RFC 5545 asks of an updated event; unchanged
 * input gives byte-identical output, which the HTTP layer's ETag relies on.
 */
export function feedRevision(channel: ChannelSettings | null, ledger: readonly LedgerEntry[]): number {
  let revision = channel?.updatedAt ?? 0;
  for (const entry of ledger) revision = Math.max(revision, entry.postedAt ?? entry.claimedAt ?? 0);
  return revision;
}

/** A UID that names one lesson of one channel for good: a schedule change moves its event, never duplicates it. */
function eventUid(channelKey: string, lesson: number): string {
  const channel = createHash('sha256').update(channelKey).digest('hex').slice(0, 20);
  return `lesson-${lesson}.${channel}@orch`;
}

/**
 * A channel's lessons as an iCalendar feed (RFC 5545): those posted lately (at the time they were posted) and those
 * coming (at the fire that will post them, public holidays skipped as the scheduler skips them). Times are written in
 * UTC, which needs no VTIMEZONE and which every calendar shows in its reader's own zone; the channel's zone is named
 * in each description, where the group reads its schedule.
 */
export function calendarFeed(input: CalendarFeedInput): string {
  const { channelKey, channel, catalog, lang } = input;
  const revision = feedRevision(channel, input.ledger);
  const sequence = Math.max(0, Math.floor((revision - SEQUENCE_EPOCH) / 1000));
  const total = catalog.roadmap.lessons.length;
  const link = channelLink(channelKey);
  ical ??= require('ical-generator') as typeof IcalGenerator;
  const { ICalCalendar, ICalEventStatus } = ical;
  const calendar = new ICalCalendar({
    prodId: { company: 'orch', product: 'lessons', language: lang.toUpperCase() },
    name: t(lang, 'calendar.name'),
    description: t(lang, 'calendar.about', { zone: channel?.timeZone ?? 'UTC' }),
    // Subscribing clients poll the feed; every six hours keeps a schedule change visible the same day.
    ttl: 6 * 60 * 60,
  });
  // Lesson number -> start: the latest posts (the ledger is newest first), then the coming fires.
  const starts = new Map<number, number>();
  for (const entry of input.ledger) {
    if (starts.size >= FEED_POSTED_LIMIT) break;
    if (isPostedLesson(entry) && !starts.has(entry.lesson))
      starts.set(entry.lesson, entry.postedAt ?? entry.fireAt);
  }
  const coming = channel ? comingLessons(channel, total, { limit: COMING_LIMIT }) : [];
  for (const slot of coming) if (slot.kind === 'lesson') starts.set(slot.lesson, slot.fireAt);

  for (const [number, start] of [...starts].sort((a, b) => a[0] - b[0])) {
    const lesson = lessonByNumber(catalog, number);
    if (!lesson) continue;
    const track =
      catalog.roadmap.tracks.find((tr) => tr.id === lesson.trackId)?.title[lang] ?? lesson.trackId;
    const description = [
      lesson.goal[lang],
      '',
      `${t(lang, 'lesson.track')}: ${track}`,
      `${t(lang, 'lesson.stage')}: ${t(lang, `stage.${lesson.stage}`)}`,
      ...(lesson.links.length > 0 ? ['', ...lesson.links.map((l) => `${l.title}: ${l.url}`)] : []),
      ...(link ? ['', `${t(lang, 'calendar.channel')}: ${link}`] : []),
    ].join('\n');
    calendar.createEvent({
      id: eventUid(channelKey, number),
      sequence,
      stamp: new Date(revision),
      lastModified: new Date(revision),
      start: new Date(start),
      end: new Date(start + EVENT_MINUTES * 60_000),
      summary: t(lang, 'calendar.event', { number, title: lesson.title[lang] }),
      description,
      categories: [{ name: track }],
      ...(link ? { url: link } : {}),
      status: ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
