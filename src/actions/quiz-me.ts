import type { CommandContext } from '../commands/command.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { optionLabel, optionLetter } from '../quiz/quiz-replies.ts';
import { privateText, type Reply } from '../reply/model.ts';
import type { RoundQuestion } from '../store/store.ts';
import { defineAction } from './action.ts';

/** A private round's place: the tools it is on, the question asked, the option pressed, the right answers so far. */
export interface QuizMePayload {
  tools: string[];
  index: number;
  option: number;
  right: number;
}

/** How many questions a private round asks. */
export const QUIZ_ME_COUNT = 3;
/** The most tools one round names: its buttons carry them (Discord's custom id holds 100 characters). */
export const QUIZ_ME_TOOLS = 3;
const TOOL_ID = '[a-z0-9][a-z0-9._-]{0,24}';
const VALUE = new RegExp(`^(${TOOL_ID}(?:,${TOOL_ID}){0,${QUIZ_ME_TOOLS - 1}})/(\\d)/(\\d)/(\\d)$`);

/**
 * The questions of a private round on these tools, the same for every press: each tool's curated questions, then its
 * generated ones, taken in turn across the tools. The round keeps no state: each button carries its place.
 */
export function quizMeQuestions(
  ctx: Pick<CommandContext, 'bank' | 'catalog'>,
  tools: readonly string[],
): RoundQuestion[] {
  const lists = tools.flatMap((id) => {
    const tool = ctx.catalog.toolById.get(id);
    if (tool?.source !== 'curated') return [];
    const { curated, generated } = ctx.bank.questionsFor({ kind: 'tool', id, name: tool.name });
    return [[...curated, ...generated]];
  });
  const out: RoundQuestion[] = [];
  for (let i = 0; out.length < QUIZ_ME_COUNT && lists.some((list) => i < list.length); i++)
    for (const list of lists) {
      const q = list[i];
      if (q && out.length < QUIZ_ME_COUNT && !out.some((o) => o.questionId === q.questionId)) out.push(q);
    }
  return out;
}

/** One question of a private round, with its answer buttons. */
export function quizMeQuestionReply(
  questions: readonly RoundQuestion[],
  place: Omit<QuizMePayload, 'option'>,
  lang: Lang,
  heading?: string,
): Reply {
  const q = questions[place.index] as RoundQuestion;
  return {
    visibility: 'private',
    blocks: [
      ...(heading ? [{ type: 'heading' as const, text: heading }] : []),
      {
        type: 'text',
        text: `${t(lang, 'quizMe.progress', { number: place.index + 1, total: questions.length })}\n**${q.question[lang]}**`,
      },
      { type: 'text', text: q.options.map((o, i) => `${optionLetter(i)}. ${o[lang]}`).join('\n') },
      {
        type: 'choices',
        choices: q.options.map((o, i) =>
          quizMe.button(optionLabel(o[lang], i), { ...place, option: i }, lang),
        ),
      },
    ],
  };
}

/**
 * An answer in a private round ("Quiz me on this" on a message): says whether it was right, then asks the next
 * question or gives the score. Only the member sees it; nothing is stored (the channel's rounds and scores, and the
 * member's review cards, are not touched). Its value is `tool,tool/index/option/right`.
 */
export const quizMe = defineAction<QuizMePayload>({
  id: 'quiz.me',
  personal: true,
  encode: ({ tools, index, option, right }) => `${tools.join(',')}/${index}/${option}/${right}`,
  decode(value) {
    const [, tools, index, option, right] = VALUE.exec(value) ?? [];
    if (!tools || index === undefined || option === undefined || right === undefined) return null;
    return { tools: tools.split(','), index: Number(index), option: Number(option), right: Number(right) };
  },
  run(ctx, { tools, index, option, right }) {
    const questions = quizMeQuestions(ctx, tools);
    const q = questions[index];
    // A place or option the round does not have was never on a button (or the catalog changed since).
    if (!q || option >= q.options.length || right > index)
      return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    const correct = option === q.answer;
    const score = right + (correct ? 1 : 0);
    const feedback = correct
      ? t(ctx.lang, 'quizMe.right')
      : t(ctx.lang, 'quizMe.wrong', { option: optionLetter(q.answer), explanation: q.explanation[ctx.lang] });
    const next = index + 1;
    if (next < questions.length)
      return [
        privateText(feedback),
        quizMeQuestionReply(questions, { tools, index: next, right: score }, ctx.lang),
      ];
    return [
      privateText(feedback),
      privateText(t(ctx.lang, 'quizMe.done', { correct: score, total: questions.length })),
    ];
  },
});
