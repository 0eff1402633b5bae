import { userKeyOf } from '../channel-key.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { optionLabel, optionLetter } from '../quiz/quiz-replies.ts';
import { saveReview } from '../quiz/review.ts';
import { privateText, type Reply } from '../reply/model.ts';
import type { ReviewCard } from '../store/store.ts';
import { defineAction, naturalIn } from './action.ts';

/** Which option a member picked for one of their review questions. */
export interface ReviewAnswerPayload {
  questionId: string;
  /** The option, from 0. */
  option: number;
}

// The question id is everything before the last colon, as it was read before this file existed.
const VALUE = /^(\S+):(\d+)$/;

/**
 * A review question's answer button: judges the answer, schedules the question's next review and asks the next one
 * that is due. Its value is `questionId:option`.
 */
export const reviewAnswer = defineAction<ReviewAnswerPayload>({
  id: 'review.answer',
  encode: ({ questionId, option }) => `${questionId}:${option}`,
  decode(value) {
    const [, questionId, optionText] = VALUE.exec(value) ?? [];
    const option = naturalIn(optionText, 2);
    return questionId && option !== null ? { questionId, option } : null;
  },
  async run(ctx, { questionId, option }) {
    const userKey = userKeyOf(ctx.channelKey, ctx.incoming.who.userId);
    const card = await ctx.store.reviewCard(userKey, questionId);
    // An option the question does not have was never on a button: a forged press changes nothing.
    if (!card || option >= card.question.options.length)
      return [privateText(t(ctx.lang, 'error.unknownChoice'))];
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
  },
});

/**
 * A due review question with its buttons, or "nothing due". Always private. It lives beside its action: a press
 * asks the next question with it, as `/orch review` asks the first.
 */
export function reviewQuestionReply(card: ReviewCard | null, total: number, lang: Lang): Reply {
  if (!card) return privateText(t(lang, 'review.none'));
  const q = card.question;
  return {
    visibility: 'private',
    blocks: [
      { type: 'heading', text: t(lang, 'review.heading', { number: 1, total }) },
      { type: 'text', text: `**${q.question[lang]}**` },
      { type: 'text', text: q.options.map((o, i) => `${optionLetter(i)}. ${o[lang]}`).join('\n') },
      {
        type: 'choices',
        choices: q.options.map((o, i) =>
          reviewAnswer.button(optionLabel(o[lang], i), { questionId: card.questionId, option: i }, lang),
        ),
      },
    ],
  };
}
