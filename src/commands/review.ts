import { reviewQuestionReply } from '../actions/review-answer.ts';
import { userKeyOf } from '../channel-key.ts';
import type { Command } from './command.ts';

/** `/orch review`: the caller's missed questions that are due, one at a time, privately. */
export const review: Command = {
  name: 'review',
  aliases: ['복습'],
  description: { en: 'Review the quiz questions you missed', ko: '퀴즈에서 틀린 문제 복습' },
  help: {
    group: 'quiz',
    example: { en: '/orch review', ko: '/orch 복습' },
    syntax: [
      {
        usage: { en: '/orch review', ko: '/orch 복습' },
        what: {
          en: 'your missed quiz questions, one at a time when each is due (spaced repetition); only you see them',
          ko: '퀴즈에서 틀린 문제를 때가 되면 하나씩 다시 풀어요 (간격 반복). 나에게만 보여요',
        },
      },
    ],
  },
  options: [],
  async run(ctx) {
    const userKey = userKeyOf(ctx.channelKey, ctx.incoming.who.userId);
    const now = ctx.clock.now().getTime();
    const due = await ctx.store.dueReviews(userKey, now, 1);
    const total = await ctx.store.countDueReviews(userKey, now);
    const card = due[0] ?? null;
    return {
      replies: [reviewQuestionReply(card, total, ctx.lang)],
      data: {
        due: total,
        question: card
          ? {
              id: card.questionId,
              question: card.question.question[ctx.lang],
              options: card.question.options.map((o) => o[ctx.lang]),
            }
          : null,
      },
    };
  },
};
