import { userKeyOf } from '../channel-key.ts';
import { progressReply } from '../lessons/lesson-replies.ts';
import { memberProgress } from '../lessons/member-progress.ts';
import type { Command } from './command.ts';

/** `/orch progress`: the caller's lessons done and streaks in this channel, privately. */
export const progress: Command = {
  name: 'progress',
  aliases: ['진도', '내진도', '진행'],
  description: { en: 'Your lessons done and your streak', ko: '내가 완료한 레슨과 연속 학습' },
  help: {
    group: 'study',
    example: { en: '/orch progress', ko: '/orch 진도' },
    syntax: [
      {
        usage: { en: '/orch progress', ko: '/orch 진도' },
        what: {
          en: 'your lessons done, your streak, your quiz points and reviews due; only you see it',
          ko: '내가 완료한 레슨, 연속 학습, 퀴즈 점수, 복습할 문제를 나만 보이게 보여 줘요',
        },
      },
    ],
  },
  options: [],
  async run(ctx) {
    const userId = ctx.incoming.who.userId;
    const { done, streak } = await memberProgress(ctx.store, ctx.channelKey, userId);
    const stats = await ctx.store.quizStats(ctx.channelKey, userId);
    const reviewsDue = await ctx.store.countDueReviews(
      userKeyOf(ctx.channelKey, userId),
      ctx.clock.now().getTime(),
    );
    return {
      replies: [progressReply(ctx.catalog, done, streak, ctx.lang, { ...stats, reviewsDue })],
      data: {
        done: [...done].sort((a, b) => a - b),
        total: ctx.catalog.roadmap.lessons.length,
        streak: streak.current,
        bestStreak: streak.best,
        quiz: stats,
        reviewsDue,
      },
    };
  },
};
