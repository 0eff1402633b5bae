import type { Catalog } from '../catalog/model.ts';
import { channelKeyPrefix, memberKeyIn, parseChannelKey, userKeyOf } from '../channel-key.ts';
import { DIRECT_SPACE, type Where } from '../incoming.ts';
import { lessonsBehind } from '../lessons/catch-up.ts';
import { LEDGER_DEPTH, postedOrder, streakOrder } from '../lessons/member-progress.ts';
import { type StreakSummary, streaks } from '../lessons/streaks.ts';
import { calendarPeriod } from '../lessons/time-zone.ts';
import type { QuizResult, Store } from '../store/store.ts';

/** How many study channels the view shows: each takes a few blocks, and Slack's Home holds at most 100. */
export const VIEW_CHANNELS = 6;
/** How many recent quiz rounds the view lists. */
export const VIEW_RESULTS = 5;
/** How deep a channel's weekly board is read to find the member's rank; below it they are shown as unranked. */
const RANK_DEPTH = 500;

/** One channel the member studies in, as their personal view shows it. */
export interface ChannelStudy {
  channelKey: string;
  /** The platform's id of the space and channel, for the buttons that act on this channel. */
  space: string;
  channel: string;
  /** The earliest lesson posted in the channel (in roadmap order without a schedule) the member has not done. */
  nextLesson: number | null;
  done: number;
  total: number;
  streak: StreakSummary;
  /** The member's place on the channel's board this calendar week, or null with no points this week. */
  weeklyRank: { rank: number; points: number } | null;
  /** Against the group: lessons the channel posted that the member has not done. */
  behind: number;
  /** The member's pause in progress here ends then, or null. */
  pausedUntil: number | null;
  /** How many lessons a day the member is catching up at here, or null when they are not. */
  catchUpPerDay: number | null;
}

/** The member's study across their channels: what `/orch me` and Slack's App Home show. */
export interface PersonalView {
  channels: ChannelStudy[];
  /** True when the member studies in more channels than VIEW_CHANNELS; the least recent are left out. */
  moreChannels: boolean;
  /** Due review questions per space (reviews follow a member across the channels of one space). */
  reviews: { space: string; due: number }[];
  recentQuizzes: QuizResult[];
}

/**
 * Reads the member's personal view. Inside a space it covers that space's channels; from a direct message
 * (DIRECT_SPACE) every space of the platform, since the member's study lives in their guilds.
 */
export async function personalView(
  deps: { store: Store; catalog: Catalog; defaultTimeZone: string },
  where: Where,
  userId: string,
  now: number,
): Promise<PersonalView> {
  const { store, catalog } = deps;
  const prefix = channelKeyPrefix(where.platform, where.space === DIRECT_SPACE ? null : where.space);
  const studied = await store.studyChannels(userId, prefix, VIEW_CHANNELS + 1);
  const shown = studied.slice(0, VIEW_CHANNELS);
  const total = catalog.roadmap.lessons.length;
  const channels: ChannelStudy[] = [];
  const spaces: string[] = where.space === DIRECT_SPACE ? [] : [where.space];
  for (const { channelKey } of shown) {
    const key = parseChannelKey(channelKey);
    if (!key) continue;
    if (!spaces.includes(key.space)) spaces.push(key.space);
    const [done, settings, ledger, pauses, catchUps] = await Promise.all([
      store.completions(channelKey, userId),
      store.getChannel(channelKey),
      store.ledger(channelKey, LEDGER_DEPTH),
      store.memberPauses(channelKey, userId),
      store.catchUps(channelKey, userId),
    ]);
    const doneSet = new Set(done);
    const order = postedOrder(ledger);
    // The streak skips what was posted while the member was away; what is next for them does not.
    const streak = streaks(streakOrder(postedOrder(ledger, pauses, doneSet), done), doneSet);
    const candidates = order.length > 0 ? order : catalog.roadmap.lessons.map((l) => l.number);
    const nextLesson = candidates.find((n) => !doneSet.has(n)) ?? null;
    const { start } = calendarPeriod(now, settings?.timeZone ?? deps.defaultTimeZone, 'week');
    const [board, { personKey }] = await Promise.all([
      store.leaderboard(channelKey, start, RANK_DEPTH),
      store.identityOf(userKeyOf(channelKey, userId)),
    ]);
    const at = board.findIndex((row) => row.memberKey === personKey);
    const row = board[at];
    channels.push({
      channelKey,
      space: key.space,
      channel: key.channel,
      nextLesson,
      done: done.length,
      total,
      streak,
      weeklyRank: row && row.points > 0 ? { rank: at + 1, points: row.points } : null,
      behind: lessonsBehind(order, doneSet),
      pausedUntil: pauses.find((p) => p.fromAt <= now && now < p.untilAt)?.untilAt ?? null,
      catchUpPerDay: catchUps[0]?.catchUp.perDay ?? null,
    });
  }
  const reviews: PersonalView['reviews'] = [];
  for (const space of spaces) {
    const due = await store.countDueReviews(memberKeyIn(where.platform, space, userId), now);
    reviews.push({ space, due });
  }
  const recentQuizzes = await store.recentQuizResults(userId, prefix, VIEW_RESULTS);
  return { channels, moreChannels: studied.length > shown.length, reviews, recentQuizzes };
}
