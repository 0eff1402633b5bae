import { type Catalog, lessonByNumber } from '../catalog/model.ts';
import type { Lang } from '../i18n/messages.ts';
import { comingLessons } from '../lessons/coming-lessons.ts';
import { holidayName } from '../lessons/holidays.ts';
import { calendarPeriod } from '../lessons/time-zone.ts';
import { type ChannelSettings, isPostedLesson, type RoundQuestion, type Store } from '../store/store.ts';

/** The leaderboard rows and hardest questions a digest shows. */
const TOP = 5;
const HARDEST = 3;
/** A question answered by fewer is not called hard on one unlucky answer. */
const HARD_MIN_ANSWERS = 2;

/**
 * What one channel's weekly digest says, gathered once and rendered twice (the text, the card): last calendar week
 * in the channel's zone, the roadmap's state, the reviews due this week and next week's plan. Names appear only where
 * the channel already shows them (the quiz leaderboard); Done presses are counts.
 */
export interface DigestData {
  channelKey: string;
  lang: Lang;
  timeZone: string;
  /** The week reported: local Monday 00:00 to the next Monday 00:00. */
  week: { start: number; end: number };
  /** The week the digest is posted in (the ledger's key). */
  postedWeek: { start: number; end: number };
  tracks: { id: string; title: string; posted: number; total: number }[];
  lessonsPosted: { number: number; title: string; postedAt: number; done: number }[];
  leaderboard: { name: string; points: number; correct: number; answered: number }[];
  hardest: { question: string; answered: number; correct: number }[];
  /** The member whose points grew most over the week before, when anyone's did. */
  improved: { name: string; points: number; gain: number } | null;
  reviewsDue: number;
  next: { number: number; title: string; at: number }[];
  holidays: { at: number; name: string }[];
  roadmapDone: boolean;
}

/**
 * Gathers the digest of the calendar week before the one holding `now`, in the channel's zone: a handful of indexed
 * queries on the store, whatever the channel's history (the bench holds it under 50 ms at a year of history).
 */
export async function gatherDigest(
  store: Store,
  catalog: Catalog,
  channel: ChannelSettings,
  now: number,
  lang: Lang,
): Promise<DigestData> {
  const timeZone = channel.timeZone ?? 'UTC';
  const postedWeek = calendarPeriod(now, timeZone, 'week');
  // The Monday before this week's: a week across a DST change is still local midnight to local midnight.
  const week = calendarPeriod(postedWeek.start - 1, timeZone, 'week');
  const previous = calendarPeriod(week.start - 1, timeZone, 'week');
  const key = channel.channelKey;

  const [ledger, board, before, results] = await Promise.all([
    store.ledger(key, 200),
    store.leaderboardBetween(key, week.start, week.end, 500),
    store.leaderboardBetween(key, previous.start, previous.end, 500),
    store.questionResults(key, week.start, week.end),
  ]);
  const inWeek = (e: (typeof ledger)[number]) =>
    isPostedLesson(e) && (e.postedAt ?? e.fireAt) >= week.start && (e.postedAt ?? e.fireAt) < week.end;
  const weekLessons = [...new Set(ledger.filter(inWeek).map((e) => e.lesson))];
  const completers = await store.lessonCompleters(key, weekLessons);
  // The active group: who pressed Done on last week's lessons or played in the last two weeks, on any platform of
  // the group, each person once (the store gives person keys, or member keys for the unlinked).
  const members = new Set([
    ...[...completers.values()].flat(),
    ...board.map((r) => r.memberKey),
    ...before.map((r) => r.memberKey),
  ]);
  const reviewsDue = await store.countDueReviewsOf([...members], postedWeek.end);

  const posted = channel.position - 1;
  const tracks = catalog.roadmap.tracks.map((track) => {
    const lessons = catalog.roadmap.lessons.filter((l) => l.trackId === track.id);
    return {
      id: track.id,
      title: track.title[lang],
      posted: lessons.filter((l) => l.number <= posted).length,
      total: lessons.length,
    };
  });

  const lessonsPosted = ledger
    .filter(inWeek)
    .sort((a, b) => a.fireAt - b.fireAt)
    .flatMap((e) => {
      const lesson = lessonByNumber(catalog, e.lesson);
      const done = completers.get(e.lesson)?.length ?? 0;
      return lesson
        ? [{ number: e.lesson, title: lesson.title[lang], postedAt: e.postedAt ?? e.fireAt, done }]
        : [];
    });

  // The same question asked in two rounds is one question: its results add up by id.
  const byQuestion = new Map<string, { question: string; answered: number; correct: number }>();
  for (const result of results) {
    let parsed: RoundQuestion;
    try {
      parsed = JSON.parse(result.questionJson) as RoundQuestion;
    } catch {
      continue;
    }
    const entry = byQuestion.get(parsed.questionId) ?? {
      question: parsed.question[lang],
      answered: 0,
      correct: 0,
    };
    entry.answered += result.answered;
    entry.correct += result.correct;
    byQuestion.set(parsed.questionId, entry);
  }
  const hardest = [...byQuestion.values()]
    .filter((q) => q.answered >= HARD_MIN_ANSWERS)
    .sort((a, b) => a.correct / a.answered - b.correct / b.answered || b.answered - a.answered)
    .slice(0, HARDEST);

  const earlier = new Map(before.map((row) => [row.memberKey, row.points]));
  let improved: DigestData['improved'] = null;
  for (const row of board) {
    const gain = row.points - (earlier.get(row.memberKey) ?? 0);
    if (gain > 0 && (!improved || gain > improved.gain))
      improved = { name: row.displayName, points: row.points, gain };
  }

  const total = catalog.roadmap.lessons.length;
  const plan = comingLessons(channel, total, { limit: 14, until: postedWeek.end - 1 });
  const country = channel.holidayCountry;
  return {
    channelKey: key,
    lang,
    timeZone,
    week,
    postedWeek,
    tracks,
    lessonsPosted,
    leaderboard: board.slice(0, TOP).map((row) => ({
      name: row.displayName,
      points: row.points,
      correct: row.correct,
      answered: row.answered,
    })),
    hardest,
    improved,
    reviewsDue,
    // This week's lessons: those already posted since Monday (the lesson of the digest's own minute among them),
    // then the plan.
    next: [
      ...ledger
        .filter((e) => isPostedLesson(e) && e.fireAt >= postedWeek.start && e.fireAt < postedWeek.end)
        .map((e) => ({ lesson: e.lesson, at: e.fireAt })),
      ...plan
        .filter((slot) => slot.kind === 'lesson')
        .map((slot) => ({ lesson: slot.lesson, at: slot.fireAt })),
    ]
      .sort((a, b) => a.at - b.at)
      .flatMap(({ lesson: number, at }) => {
        const lesson = lessonByNumber(catalog, number);
        return lesson ? [{ number, title: lesson.title[lang], at }] : [];
      }),
    holidays: plan
      .filter((slot) => slot.kind === 'holiday' && slot.fireAt >= postedWeek.start && country !== null)
      .map((slot) => ({
        at: slot.fireAt,
        name: holidayName(country as string, slot.fireAt, timeZone, lang) ?? '',
      })),
    roadmapDone: posted >= total,
  };
}
