import { splitLang } from './choice-lang.ts';
import type { CommandContext } from './commands/command.ts';
import { startRound } from './commands/quiz.ts';
import { formatDateTime } from './i18n/dates.ts';
import { t } from './i18n/messages.ts';
import { LESSON_DONE_ACTION, lessonByNumber, lessonReply } from './lessons/lesson-replies.ts';
import { memberProgress } from './lessons/member-progress.ts';
import { optionLetter, QUIZ_ANSWER_ACTION, QUIZ_LESSON_ACTION } from './quiz/quiz-replies.ts';
import { saveReview, userKeyOf } from './quiz/review.ts';
import { REVIEW_ANSWER_ACTION, reviewQuestionReply } from './quiz/review-replies.ts';
import { LESSON_OPEN_ACTION } from './reply/concept-card.ts';
import type { Reply } from './reply/model.ts';

const privateText = (text: string): Reply => ({ visibility: 'private', blocks: [{ type: 'text', text }] });

// A lesson's "quiz me on this" round: short, so it fits right after reading the lesson.
const LESSON_QUIZ_COUNT = 3;
const LESSON_QUIZ_SECONDS = 30;

async function lessonDone(ctx: CommandContext, value: string): Promise<Reply[]> {
  const number = Number(value);
  if (!Number.isInteger(number) || !lessonByNumber(ctx.catalog, number))
    return [privateText(t(ctx.lang, 'error.unknownChoice'))];
  const userId = ctx.incoming.who.userId;
  const fresh = await ctx.store.recordCompletion({
    channelKey: ctx.channelKey,
    userId,
    lesson: number,
    completedAt: ctx.clock.now().getTime(),
  });
  if (!fresh) return [privateText(t(ctx.lang, 'done.already', { number }))];
  const { done, streak } = await memberProgress(ctx.store, ctx.channelKey, userId);
  const total = ctx.catalog.roadmap.lessons.length;
  return [
    privateText(t(ctx.lang, 'done.recorded', { number, streak: streak.current, done: done.length, total })),
  ];
}

/** A concept card's "open lesson N": the lesson for the member who pressed, without posting it to everyone again. */
function lessonOpen(ctx: CommandContext, value: string): Reply[] {
  const lesson = lessonByNumber(ctx.catalog, Number(value));
  if (!lesson || !Number.isInteger(Number(value))) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
  return [{ ...lessonReply(ctx.catalog, lesson, ctx.lang), visibility: 'private' }];
}

async function lessonQuiz(ctx: CommandContext, value: string): Promise<Reply[]> {
  const topic = ctx.bank.lessonTopic(Number(value));
  if (!topic) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
  return startRound(ctx, topic, LESSON_QUIZ_COUNT, LESSON_QUIZ_SECONDS);
}

async function reviewAnswer(ctx: CommandContext, value: string): Promise<Reply[]> {
  const split = value.lastIndexOf(':');
  const questionId = value.slice(0, split);
  const option = Number(value.slice(split + 1));
  const userKey = userKeyOf(ctx.channelKey, ctx.incoming.who.userId);
  const card = await ctx.store.reviewCard(userKey, questionId);
  if (!card || !Number.isInteger(option)) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
  const now = ctx.clock.now().getTime();
  // A stale button (the card was reviewed since) would otherwise reschedule it twice.
  if (card.dueAt > now) return [privateText(t(ctx.lang, 'quiz.closed'))];
  const right = option === card.question.answer;
  const saved = await saveReview(ctx.store, userKey, card.question, card, right, now);
  const when = formatDateTime(saved.dueAt, ctx.channel?.timeZone ?? ctx.defaultTimeZone, ctx.lang);
  const feedback = right
    ? t(ctx.lang, 'review.right', { when })
    : t(ctx.lang, 'review.wrong', {
        option: optionLetter(card.question.answer),
        explanation: card.question.explanation[ctx.lang],
        when,
      });
  const next = await ctx.store.dueReviews(userKey, now, 1);
  const remaining = await ctx.store.countDueReviews(userKey, now);
  return [privateText(feedback), ...(next[0] ? [reviewQuestionReply(next[0], remaining, ctx.lang)] : [])];
}

/** The buttons the bot makes, for naming a press in metrics (anything else is counted as "unknown"). */
export const CHOICE_ACTIONS: ReadonlySet<string> = new Set([
  LESSON_DONE_ACTION,
  LESSON_OPEN_ACTION,
  QUIZ_LESSON_ACTION,
  QUIZ_ANSWER_ACTION,
  REVIEW_ANSWER_ACTION,
]);

/**
 * Routes a button press to what it belongs to; an unknown or stale button gets a polite private note. The context's
 * language is already the one the button's value carries (see `withLang`), which is stripped here.
 */
export async function handleChoice(ctx: CommandContext, actionId: string, pressed: string): Promise<Reply[]> {
  const { value } = splitLang(pressed);
  switch (actionId) {
    case LESSON_DONE_ACTION:
      return lessonDone(ctx, value);
    case LESSON_OPEN_ACTION:
      return lessonOpen(ctx, value);
    case QUIZ_LESSON_ACTION:
      return lessonQuiz(ctx, value);
    case QUIZ_ANSWER_ACTION: {
      const { who } = ctx.incoming;
      return [
        await ctx.quiz.answer({
          channelKey: ctx.channelKey,
          userId: who.userId,
          displayName: who.displayName,
          value,
          lang: ctx.lang,
          receivedAt: ctx.incoming.receivedAt.getTime(),
          ...(ctx.incoming.delivered ? { delivered: ctx.incoming.delivered } : {}),
        }),
      ];
    }
    case REVIEW_ANSWER_ACTION:
      return reviewAnswer(ctx, value);
    default:
      return [privateText(t(ctx.lang, 'error.unknownChoice'))];
  }
}
