import { UserError } from '../errors.ts';
import { t } from '../i18n/messages.ts';
import { isAdminUser } from '../incoming.ts';
import type { QuizTopic } from '../quiz/bank.ts';
import type { Reply } from '../reply/model.ts';
import type { Command, CommandContext } from './command.ts';

const DEFAULT_COUNT = 5;
const DEFAULT_SECONDS = 30;

/** The lesson "today" means for a quiz: the channel's latest posted lesson, else the one before its next. */
async function todaysLesson(ctx: CommandContext): Promise<number> {
  const posted = (await ctx.store.ledger(ctx.channelKey, 20)).find((e) => e.status === 'posted');
  if (posted) return posted.lesson;
  return Math.max(1, (ctx.channel?.position ?? 1) - 1);
}

/** Splits "[topic words] [count] [seconds]" into its parts, refusing numbers out of range. */
export function parseQuizArgs(rest: string): { topic: string; count: number; seconds: number } {
  const words = rest.split(' ').filter((w) => w.length > 0);
  const numbers: number[] = [];
  while (words.length > 0 && /^\d+$/.test(words[words.length - 1] as string) && numbers.length < 2) {
    numbers.unshift(Number(words.pop()));
  }
  const [count = DEFAULT_COUNT, seconds = DEFAULT_SECONDS] = numbers;
  if (count < 1 || count > 20 || seconds < 10 || seconds > 120) throw new UserError('quiz.usage');
  return { topic: words.join(' '), count, seconds };
}

/** Starts a round for the caller and acknowledges privately; the round itself is posted to the channel. */
export async function startRound(
  ctx: CommandContext,
  topic: QuizTopic,
  count: number,
  seconds: number,
): Promise<Reply[]> {
  await ctx.quiz.start({
    channelKey: ctx.channelKey,
    userId: ctx.incoming.who.userId,
    lang: ctx.lang,
    topic,
    count,
    seconds,
  });
  return [{ visibility: 'private', blocks: [{ type: 'text', text: t(ctx.lang, 'quiz.started') }] }];
}

/** `/orch quiz [topic] [count] [seconds]`, `/orch quiz today`, `/orch quiz stop`. */
export const quiz: Command = {
  name: 'quiz',
  aliases: ['퀴즈'],
  description: { en: 'Start a quiz round in this channel', ko: '이 채널에서 퀴즈 라운드 시작' },
  options: [
    {
      name: 'topic',
      description: {
        en: 'A tool, category, roadmap track or "today"',
        ko: '도구, 카테고리, 로드맵 트랙 또는 today',
      },
      required: false,
      autocomplete: 'tool',
    },
  ],
  async run(ctx, rest) {
    const word = rest.trim().toLowerCase();
    if (word === 'stop' || word === '중지' || word === '그만') {
      const { who } = ctx.incoming;
      return [
        await ctx.quiz.stop(ctx.channelKey, who.userId, () => isAdminUser(who), ctx.lang, who.displayName),
      ];
    }
    const { topic: text, count, seconds } = parseQuizArgs(rest);
    let topic: QuizTopic | null;
    if (text === 'today' || text === '오늘') topic = ctx.bank.lessonTopic(await todaysLesson(ctx));
    else topic = ctx.bank.resolveTopic(text, ctx.engine);
    if (!topic) throw new UserError('quiz.unknownTopic', { topic: text.slice(0, 40) });
    return startRound(ctx, topic, count, seconds);
  },
};
