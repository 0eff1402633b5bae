import { progressReply } from '../lessons/lesson-replies.ts';
import { memberProgress } from '../lessons/member-progress.ts';
import { userKeyOf } from '../quiz/review.ts';
import type { Command } from './command.ts';

/** `/orch progress`: the caller's lessons done and streaks in this channel, privately. */
export const progress: Command = {
  name: 'progress',
  aliases: ['진도', '내진도', '진행'],
  description: { en: 'Your lessons done and your streak', ko: '내가 완료한 레슨과 연속 학습' },
  options: [],
  async run(ctx) {
    const userId = ctx.incoming.who.userId;
    const { done, streak } = await memberProgress(ctx.store, ctx.channelKey, userId);
    const stats = await ctx.store.quizStats(ctx.channelKey, userId);
    const reviewsDue = await ctx.store.countDueReviews(
      userKeyOf(ctx.channelKey, userId),
      ctx.clock.now().getTime(),
    );
    return [progressReply(ctx.catalog, done, streak, ctx.lang, { ...stats, reviewsDue })];
  },
};
