import { reachableChannelKey, userKeyOf } from '../channel-key.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { DIRECT_SPACE } from '../incoming.ts';
import { optionLabel, optionLetter } from '../quiz/quiz-replies.ts';
import { saveReview } from '../quiz/review.ts';
import { privateText, type Reply } from '../reply/model.ts';
import type { ReviewCard } from '../store/store.ts';
import { type ActionContext, defineAction, naturalIn } from './action.ts';

/** Which option a member picked for one of their review questions. */
export interface ReviewAnswerPayload {
  questionId: string;
  /** The option, from 0. */
  option: number;
  /**
   * The space whose review cards these are, when the question was asked outside it (a review started from a
   * direct message or a personal page); absent, the press's own space.
   */
  space?: string;
}

// The question id is everything before the last colon, as it was read before this file existed; a space, when the
// button names one, follows after a slash (team and guild ids are letters and digits).
const VALUE = /^(\S+):(\d+)(?:\/([A-Za-z0-9]+))?$/;

/**
 * A review question's answer button: judges the answer, schedules the question's next review and asks the next one
 * that is due. Its value is `questionId:option`.
 */
export const reviewAnswer = defineAction<ReviewAnswerPayload>({
  id: 'review.answer',
  personal: true,
  encode: ({ questionId, option, space }) => `${questionId}:${option}${space ? `/${space}` : ''}`,
  decode(value) {
    const [, questionId, optionText, space] = VALUE.exec(value) ?? [];
    const option = naturalIn(optionText, 2);
    if (!questionId || option === null) return null;
    return space ? { questionId, option, space } : { questionId, option };
  },
  async run(ctx, { questionId, option, space }) {
    const userKey = reviewerKey(ctx, space);
    if (!userKey) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
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
    return [
      privateText(feedback),
      ...(next[0] ? [reviewQuestionReply(next[0], remaining, ctx.lang, space)] : []),
    ];
  },
});

/**
 * The member's review key: in the press's own space, or in `space` a button names when a press may reach it (see
 * reachableChannelKey); null for a space it may not.
 */
export function reviewerKey(ctx: ActionContext, space: string | undefined): string | null {
  const { where, who } = ctx.incoming;
  if (space === undefined) return where.space === DIRECT_SPACE ? null : userKeyOf(ctx.channelKey, who.userId);
  const reachable = reachableChannelKey(where, space, REVIEW_CHANNEL);
  return reachable ? userKeyOf(reachable, who.userId) : null;
}

/** Stands in for the channel of a review key: review cards belong to a space, not to a channel. */
const REVIEW_CHANNEL = 'review';

/**
 * A due review question with its buttons, or "nothing due". Always private. It lives beside its action: a press
 * asks the next question with it, as `/orch review` asks the first.
 */
export function reviewQuestionReply(
  card: ReviewCard | null,
  total: number,
  lang: Lang,
  space?: string,
): Reply {
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
          reviewAnswer.button(
            optionLabel(o[lang], i),
            { questionId: card.questionId, option: i, ...(space ? { space } : {}) },
            lang,
          ),
        ),
      },
    ],
  };
}
