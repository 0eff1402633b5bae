import { quizAnswer } from '../actions/quiz-answer.ts';
import { quizReport } from '../actions/quiz-report.ts';
import { displayNameIn, type Lang, t } from '../i18n/messages.ts';
import type { Block, MessageRef, Reply } from '../reply/model.ts';
import { neutralizeMentions } from '../reply/safe-text.ts';
import type {
  LeaderboardRow,
  QuizAnswer,
  QuizRound,
  QuizRoundQuestion,
  RoundQuestion,
} from '../store/store.ts';

const LETTERS = ['A', 'B', 'C', 'D', 'E'];

/** The letter shown for an option. */
export function optionLetter(index: number): string {
  return LETTERS[index] ?? String(index + 1);
}

/** An answer button's label: the option's letter and its text, cut to fit a button. */
export function optionLabel(text: string, index: number): string {
  return `${optionLetter(index)}. ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
}

/** A question as posted: the text, a deadline, and one button per option. */
export function questionReply(
  roundId: string,
  index: number,
  total: number,
  question: RoundQuestion,
  seconds: number,
  lang: Lang,
): Reply {
  return {
    visibility: 'channel',
    blocks: [
      { type: 'heading', text: t(lang, 'quiz.question', { number: index + 1, total }) },
      { type: 'text', text: `**${question.question[lang]}**` },
      { type: 'text', text: question.options.map((o, i) => `${optionLetter(i)}. ${o[lang]}`).join('\n') },
      {
        type: 'choices',
        choices: question.options.map((o, i) =>
          quizAnswer.button(optionLabel(o[lang], i), { roundId, index, option: i }, lang),
        ),
      },
      { type: 'context', text: t(lang, 'quiz.deadline', { seconds }) },
    ],
  };
}

/** The reveal, replacing the question message: the right option, the spread of answers, who was right and fastest. */
export function revealReply(
  roundId: string,
  index: number,
  total: number,
  question: RoundQuestion,
  answers: readonly QuizAnswer[],
  postedAt: number,
  lang: Lang,
  replaces: MessageRef | undefined,
  toolName: string | null,
): Reply {
  const right = answers.filter((a) => a.correct).sort((a, b) => a.answeredAt - b.answeredAt);
  const counts = question.options.map((o, i) => {
    const n = answers.filter((a) => a.option === i).length;
    const mark = i === question.answer ? '✅' : '▫️';
    return `${mark} ${optionLetter(i)}. ${o[lang]}: ${n}`;
  });
  const fastest = right[0];
  const blocks: Block[] = [
    { type: 'heading', text: t(lang, 'quiz.question', { number: index + 1, total }) },
    { type: 'text', text: `**${question.question[lang]}**` },
    {
      type: 'text',
      text: `**${t(lang, 'quiz.reveal', { option: `${optionLetter(question.answer)}. ${question.options[question.answer]?.[lang] ?? ''}` })}**\n${question.explanation[lang]}`,
    },
    { type: 'fields', fields: [{ label: t(lang, 'quiz.counts'), value: counts.join('\n') }] },
    {
      type: 'fields',
      fields: [
        {
          label: t(lang, 'quiz.right'),
          value:
            right.length > 0
              ? right.map((a) => neutralizeMentions(displayNameIn(a.displayName, lang))).join(', ')
              : t(lang, 'quiz.nobodyRight'),
        },
      ],
    },
  ];
  if (fastest) {
    const seconds = ((fastest.answeredAt - postedAt) / 1000).toFixed(1);
    blocks.push({
      type: 'context',
      text: t(lang, 'quiz.fastest', { name: neutralizeMentions(fastest.displayName), seconds }),
    });
  }
  if (toolName)
    blocks.push({ type: 'context', text: t(lang, 'quiz.learnMore', { tool: toolName.toLowerCase() }) });
  // Anyone who saw the question may say what is wrong with it; the press opens a short form.
  blocks.push({
    type: 'choices',
    choices: [quizReport.button(t(lang, 'report.button'), { roundId, index }, lang)],
  });
  return { visibility: 'channel', blocks, ...(replaces ? { replaces } : {}) };
}

/** Score lines, best first. */
export function scoreLines(rows: readonly LeaderboardRow[], lang: Lang): string {
  if (rows.length === 0) return t(lang, 'quiz.noScores');
  return rows
    .map((r, i) =>
      t(lang, 'quiz.scoreLine', {
        rank: i + 1,
        name: neutralizeMentions(r.displayName),
        points: r.points,
        correct: r.correct,
        answered: r.answered,
      }),
    )
    .join('\n');
}

/** A scoreboard or leaderboard message; `note` (a leaderboard's period and reset) goes under the scores. */
export function scoreboardReply(
  heading: string,
  rows: readonly LeaderboardRow[],
  lang: Lang,
  note?: string,
): Reply {
  const blocks: Block[] = [
    { type: 'heading', text: heading },
    { type: 'text', text: scoreLines(rows, lang) },
  ];
  if (note) blocks.push({ type: 'context', text: note });
  return { visibility: 'channel', blocks };
}

/** How many players the channel summary of a round names; the whole board is in the thread. */
const SUMMARY_SCORES = 3;

/** One question of a finished round with how its answers went, for the summary's "hardest question". */
export interface QuestionOutcome {
  question: QuizRoundQuestion;
  correct: number;
  answered: number;
}

/**
 * What a round in a thread leaves in the channel when it ends: the winner, the top scores and the hardest
 * question (the lowest share of right answers among those anyone answered; the earlier one on a tie).
 */
export function summaryReply(
  round: QuizRound,
  scores: readonly LeaderboardRow[],
  questions: readonly QuestionOutcome[],
): Reply {
  const lang = round.lang;
  const winner = scores[0] && scores[0].points > 0 ? scores[0] : undefined;
  let hardest: QuestionOutcome | undefined;
  for (const q of questions) {
    if (q.answered === 0) continue;
    if (!hardest || q.correct / q.answered < hardest.correct / hardest.answered) hardest = q;
  }
  const fields = [
    { label: t(lang, 'quiz.summaryScores'), value: scoreLines(scores.slice(0, SUMMARY_SCORES), lang) },
  ];
  if (hardest)
    fields.push({
      label: t(lang, 'quiz.summaryHardest'),
      value: t(lang, 'quiz.summaryHardestValue', {
        question: hardest.question.question.question[lang],
        correct: hardest.correct,
        answered: hardest.answered,
      }),
    });
  return {
    visibility: 'channel',
    blocks: [
      { type: 'heading', text: t(lang, 'quiz.summaryHeading', { topic: round.topic }) },
      {
        type: 'text',
        text: winner
          ? t(lang, 'quiz.summaryWinner', {
              name: neutralizeMentions(winner.displayName),
              points: winner.points,
            })
          : t(lang, 'quiz.summaryNoWinner'),
      },
      { type: 'fields', fields },
      { type: 'context', text: t(lang, 'quiz.summaryThread') },
    ],
  };
}
