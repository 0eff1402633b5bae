import { withLang } from '../choice-lang.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Reply } from '../reply/model.ts';
import type { ReviewCard } from '../store/store.ts';
import { optionLetter } from './quiz-replies.ts';

/** The action id of a review answer button; its value is `questionId:option`, with the language (`withLang`). */
export const REVIEW_ANSWER_ACTION = 'review.answer';

/** A due review question with its buttons, or "nothing due". Always private. */
export function reviewQuestionReply(card: ReviewCard | null, total: number, lang: Lang): Reply {
  if (!card) return { visibility: 'private', blocks: [{ type: 'text', text: t(lang, 'review.none') }] };
  const q = card.question;
  return {
    visibility: 'private',
    blocks: [
      { type: 'heading', text: t(lang, 'review.heading', { number: 1, total }) },
      { type: 'text', text: `**${q.question[lang]}**` },
      { type: 'text', text: q.options.map((o, i) => `${optionLetter(i)}. ${o[lang]}`).join('\n') },
      {
        type: 'choices',
        choices: q.options.map((o, i) => ({
          actionId: REVIEW_ANSWER_ACTION,
          value: withLang(`${card.questionId}:${i}`, lang),
          label: `${optionLetter(i)}. ${o[lang].length > 60 ? `${o[lang].slice(0, 57)}…` : o[lang]}`,
        })),
      },
    ],
  };
}
