import { quizTopicPicker } from '../actions/quiz-pick.ts';
import { isAdminUser } from '../incoming.ts';
import type { QuizTopic } from '../quiz/bank.ts';
import { DEFAULT_COUNT, DEFAULT_SECONDS, quizDefaults, todaysLesson } from '../quiz/round-defaults.ts';
import { startRound } from '../quiz/start-round.ts';
import type { Command, CommandAnswer, CommandContext } from './command.ts';
import { UsageError } from './usage-error.ts';

// Where the settings form and the pickers read them; kept here too, beside the command they size.
export { quizDefaults };

/** The ranges a round accepts; the help text and the usage errors say the same. */
export const QUIZ_COUNT = { min: 1, max: 20 } as const;
export const QUIZ_SECONDS = { min: 10, max: 120 } as const;

/**
 * Splits "[topic words] [count] [seconds]" into its parts, refusing numbers out of range by name; what is left out
 * comes from `defaults` (the channel's).
 */
export function parseQuizArgs(
  rest: string,
  defaults: { count: number; seconds: number } = { count: DEFAULT_COUNT, seconds: DEFAULT_SECONDS },
): { topic: string; count: number; seconds: number } {
  const words = rest.split(' ').filter((w) => w.length > 0);
  const numbers: string[] = [];
  while (words.length > 0 && /^\d+$/.test(words[words.length - 1] as string) && numbers.length < 2) {
    numbers.unshift(words.pop() as string);
  }
  const [countText, secondsText] = numbers;
  const count = countText === undefined ? defaults.count : Number(countText);
  const seconds = secondsText === undefined ? defaults.seconds : Number(secondsText);
  if (count < QUIZ_COUNT.min || count > QUIZ_COUNT.max)
    throw new UsageError('usage.quizCount', { value: (countText ?? '').slice(0, 10), ...QUIZ_COUNT });
  if (seconds < QUIZ_SECONDS.min || seconds > QUIZ_SECONDS.max)
    throw new UsageError('usage.quizSeconds', { value: (secondsText ?? '').slice(0, 10), ...QUIZ_SECONDS });
  return { topic: words.join(' '), count, seconds };
}

/**
 * A channel's quiz defaults as typed or entered in the settings form: "questions seconds" (`5 30`), checked against
 * the same ranges as `/orch quiz` with the same messages.
 */
export function readQuizDefaults(input: string): { count: number; seconds: number } {
  const words = input
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length !== 2 || !words.every((w) => /^\d{1,6}$/.test(w)))
    throw new UsageError('settingsForm.badQuiz', { value: input.trim().slice(0, 20), ...QUIZ_COUNT_SECONDS });
  const [count, seconds] = words.map(Number) as [number, number];
  // The ranges of `/orch quiz`, so a default is always a round that command would start.
  if (
    count < QUIZ_COUNT.min ||
    count > QUIZ_COUNT.max ||
    seconds < QUIZ_SECONDS.min ||
    seconds > QUIZ_SECONDS.max
  )
    throw new UsageError('settingsForm.badQuiz', { value: input.trim().slice(0, 20), ...QUIZ_COUNT_SECONDS });
  return { count, seconds };
}

const QUIZ_COUNT_SECONDS = {
  countMin: QUIZ_COUNT.min,
  countMax: QUIZ_COUNT.max,
  secondsMin: QUIZ_SECONDS.min,
  secondsMax: QUIZ_SECONDS.max,
};

/** Starts a round for the caller, with the round's facts for scripts. */
async function beginRound(
  ctx: CommandContext,
  topic: QuizTopic,
  count: number,
  seconds: number,
): Promise<CommandAnswer> {
  const { round, replies } = await startRound(ctx, topic, count, seconds);
  return {
    replies,
    data: {
      action: 'start',
      roundId: round.id,
      topic: round.topic,
      topicKind: topic.kind,
      questions: round.questionCount,
      seconds: round.secondsPerQuestion,
    },
  };
}

/** `/orch quiz [topic] [count] [seconds]`, `/orch quiz today`, `/orch quiz stop`. */
export const quiz: Command = {
  name: 'quiz',
  aliases: ['퀴즈'],
  description: { en: 'Start a quiz round in this channel', ko: '이 채널에서 퀴즈 라운드 시작' },
  help: {
    group: 'quiz',
    example: { en: '/orch quiz istio 3 20', ko: '/orch 퀴즈 이스티오 3 20' },
    syntax: [
      {
        usage: { en: '/orch quiz [topic] [count] [seconds]', ko: '/orch 퀴즈 [주제] [문제 수] [초]' },
        what: {
          en: `a round in this channel: the topic is a tool, a category, a roadmap track, a lesson id, a concept (its lesson), \`concepts\`, \`cncf\` or \`all\` (left out: a menu of topics to pick from); ${QUIZ_COUNT.min}–${QUIZ_COUNT.max} questions (${DEFAULT_COUNT}), ${QUIZ_SECONDS.min}–${QUIZ_SECONDS.max} seconds each (${DEFAULT_SECONDS}); answer with the buttons, the first press counts`,
          ko: `이 채널에서 라운드를 열어요. 주제는 도구, 카테고리, 로드맵 트랙, 레슨 아이디, 개념(그 개념을 배우는 레슨), \`개념\`, \`cncf\`, \`전체\` 중 하나예요(빼면 주제를 고르는 메뉴가 나와요). 문제 수 ${QUIZ_COUNT.min}~${QUIZ_COUNT.max}(기본 ${DEFAULT_COUNT}), 문제당 ${QUIZ_SECONDS.min}~${QUIZ_SECONDS.max}초(기본 ${DEFAULT_SECONDS}). 버튼으로 답하고, 처음 누른 답만 인정돼요`,
        },
      },
      {
        usage: { en: '/orch quiz today', ko: '/orch 퀴즈 오늘' },
        what: {
          en: "a round on the channel's latest lesson",
          ko: '이 채널의 가장 최근 레슨으로 라운드를 열어요',
        },
      },
      {
        usage: { en: '/orch quiz stop', ko: '/orch 퀴즈 중지' },
        what: {
          en: 'end the round and show the scores so far',
          ko: '라운드를 끝내고 지금까지 점수를 보여 줘요',
        },
      },
    ],
    admin: {
      en: 'one round per channel at a time; `stop`: the member who started it or a channel admin',
      ko: '채널마다 한 번에 한 라운드만 열 수 있어요. `중지`는 시작한 사람이나 채널 관리자만 할 수 있어요',
    },
  },
  options: [
    {
      name: 'topic',
      description: {
        en: 'A tool, category, roadmap track, lesson or "today"; left out, a menu of topics',
        ko: '도구, 카테고리, 로드맵 트랙, 레슨 또는 오늘. 빼면 주제 메뉴가 나와요',
      },
      required: false,
      autocomplete: 'quizTopic',
    },
  ],
  async run(ctx, rest) {
    const word = rest.trim().toLowerCase();
    if (word === 'stop' || word === '중지' || word === '그만') {
      const { who } = ctx.incoming;
      const running = await ctx.store.runningRound(ctx.channelKey);
      const board = await ctx.quiz.stop(
        ctx.channelKey,
        who.userId,
        () => isAdminUser(who),
        ctx.lang,
        who.displayName,
      );
      const scores = running ? await ctx.store.roundScores(running.id) : [];
      return {
        replies: [board],
        data: {
          action: 'stop',
          roundId: running?.id ?? null,
          scores: scores.map((s, i) => ({ rank: i + 1, ...s })),
        },
      };
    }
    // Nothing typed: a menu of topics rather than a round on everything (`/orch quiz all` starts that).
    if (word === '') return { replies: [quizTopicPicker(ctx)], data: { action: 'pick' } };
    const { topic: text, count, seconds } = parseQuizArgs(rest, quizDefaults(ctx.channel));
    let topic: QuizTopic | null;
    if (text === 'today' || text === '오늘')
      topic = ctx.bank.lessonTopic(await todaysLesson(ctx.store, ctx.channelKey, ctx.channel));
    else topic = ctx.bank.resolveTopic(text, ctx.engine);
    if (!topic) throw new UsageError('quiz.unknownTopic', { topic: text.slice(0, 40) });
    return beginRound(ctx, topic, count, seconds);
  },
};
