import { userKeyOf } from '../quiz/review.ts';
import { reviewQuestionReply } from '../quiz/review-replies.ts';
import type { Command } from './command.ts';

/** `/orch review`: the caller's missed questions that are due, one at a time, privately. */
export const review: Command = {
  name: 'review',
  aliases: ['복습'],
  description: { en: 'Review the quiz questions you missed', ko: '퀴즈에서 틀린 문제 복습' },
  options: [],
  async run(ctx) {
    const userKey = userKeyOf(ctx.channelKey, ctx.incoming.who.userId);
    const now = ctx.clock.now().getTime();
    const due = await ctx.store.dueReviews(userKey, now, 1);
    const total = await ctx.store.countDueReviews(userKey, now);
    return [reviewQuestionReply(due[0] ?? null, total, ctx.lang)];
  },
};
