import { lessonOpen } from '../actions/lesson-open.ts';
import { lessonQuiz } from '../actions/lesson-quiz.ts';
import { type Catalog, lessonByNumber } from '../catalog/model.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Block, Reply } from '../reply/model.ts';
import type { ChannelSettings, PaceFacts } from '../store/store.ts';

/** Who counts as an active member: pressed Done in the channel within this window (and is not on a pause). */
export const ACTIVE_WINDOW_MS = 28 * 24 * 3_600_000;
/** The share of Done presses on the last two lessons below which the next slot is a review day, unless set. */
export const DEFAULT_PACE_PERCENT = 50;
/**
 * Fewer active members than this and the group's pace is not judged: one member's week off is not the group falling
 * behind, and a channel where nobody presses Done (a channel that reads the lessons as a feed) is never slowed down.
 */
export const MIN_ACTIVE = 2;

/** A channel's pace rule, read from its stored text: on with a threshold (0–1), or off. */
export function paceRule(channel: Pick<ChannelSettings, 'pace'> | null): { on: boolean; threshold: number } {
  const text = channel?.pace ?? null;
  if (text === 'off') return { on: false, threshold: DEFAULT_PACE_PERCENT / 100 };
  const percent = text === null ? Number.NaN : Number(text);
  return {
    on: true,
    threshold:
      Number.isInteger(percent) && percent >= 1 && percent <= 100
        ? percent / 100
        : DEFAULT_PACE_PERCENT / 100,
  };
}

/** Why a slot became a review day, as the ledger keeps it (JSON) and the post explains it. */
export interface ReviewNote {
  /** The lessons the day reviews, oldest first. */
  lessons: number[];
  /**
   * `rule`: the group fell under the threshold; `override`: an admin asked for this one; `unknown`: a note this code
   * cannot read (a newer build wrote it), posted without reasons.
   */
  cause: 'rule' | 'override' | 'unknown';
  active: number;
  done: number;
  /** The threshold, as a whole percent. */
  percent: number;
}

/** What the next slot of a channel is: a new lesson, or a review day and why; and whether it used the override. */
export interface PaceDecision {
  kind: 'lesson' | 'review';
  note: ReviewNote | null;
  consumesOverride: boolean;
}

/**
 * Decides a due slot. An admin's one-off override wins (and is used up); otherwise, with the rule on, at least
 * MIN_ACTIVE active members and two lessons posted, the slot is a review day when the active members' Done presses on
 * the last two lessons are under the threshold's share of what they could be. Never two review days in a row by the
 * rule, so a group that has stopped pressing Done still moves on.
 */
export function decidePace(
  channel: Pick<ChannelSettings, 'pace' | 'paceOverride'>,
  facts: PaceFacts,
): PaceDecision {
  const rule = paceRule(channel);
  const percent = Math.round(rule.threshold * 100);
  const lessons = [...facts.lastLessons].reverse();
  const base = { active: facts.active, done: facts.done, percent, lessons };
  if (channel.paceOverride === 'lesson') return { kind: 'lesson', note: null, consumesOverride: true };
  if (channel.paceOverride === 'review' && lessons.length > 0)
    return { kind: 'review', note: { ...base, cause: 'override' }, consumesOverride: true };
  const lesson: PaceDecision = {
    kind: 'lesson',
    note: null,
    consumesOverride: channel.paceOverride !== null,
  };
  if (!rule.on || facts.lastWasReview || lessons.length < 2 || facts.active < MIN_ACTIVE) return lesson;
  const share = facts.done / (facts.active * lessons.length);
  return share < rule.threshold
    ? { kind: 'review', note: { ...base, cause: 'rule' }, consumesOverride: false }
    : lesson;
}

/** A review note as stored in the ledger, or null for a row that has none (or one this code cannot read). */
export function readReviewNote(text: string | null): ReviewNote | null {
  if (!text) return null;
  try {
    const note = JSON.parse(text) as Partial<ReviewNote>;
    if (!Array.isArray(note.lessons) || !note.lessons.every(Number.isInteger)) return null;
    return {
      lessons: note.lessons,
      cause: note.cause === 'override' ? 'override' : note.cause === 'rule' ? 'rule' : 'unknown',
      active: Number(note.active) || 0,
      done: Number(note.done) || 0,
      percent: Number(note.percent) || DEFAULT_PACE_PERCENT,
    };
  } catch {
    return null;
  }
}

/**
 * A review day as posted in place of a lesson: why (the group's Done presses against the threshold, or an admin's
 * choice), the lessons to go over with their buttons, and which lesson comes at the next slot.
 */
export function reviewDayReply(catalog: Catalog, heldLesson: number, note: ReviewNote, lang: Lang): Reply {
  const reviewed = note.lessons.map((n) => lessonByNumber(catalog, n)).filter((l) => l !== undefined);
  const possible = note.active * note.lessons.length;
  const why =
    note.cause === 'unknown'
      ? null
      : note.cause === 'override'
        ? t(lang, 'pace.reviewWhyOverride')
        : t(lang, 'pace.reviewWhy', {
            done: note.done,
            possible,
            share: possible === 0 ? 0 : Math.round((note.done / possible) * 100),
            percent: note.percent,
            active: note.active,
          });
  const next = lessonByNumber(catalog, heldLesson);
  const blocks: Block[] = [
    { type: 'context', text: `🔁 ${t(lang, 'pace.reviewDay')}` },
    { type: 'heading', text: t(lang, 'pace.reviewHeading') },
  ];
  if (why) blocks.push({ type: 'text', text: why });
  if (reviewed.length > 0)
    blocks.push(
      {
        type: 'text',
        text: reviewed
          .map((l) => `• ${t(lang, 'thread.lessonName', { number: l.number, title: l.title[lang] })}`)
          .join('\n'),
      },
      {
        type: 'choices',
        choices: reviewed.flatMap((l) => [
          lessonOpen.button(t(lang, 'pace.open', { number: l.number }), l.number, lang),
          lessonQuiz.button(`❓ ${t(lang, 'pace.quiz', { number: l.number })}`, l.number, lang),
        ]),
      },
    );
  if (next)
    blocks.push({
      type: 'context',
      text: t(lang, 'pace.nextLesson', { number: next.number, title: next.title[lang] }),
    });
  return { visibility: 'channel', blocks };
}
