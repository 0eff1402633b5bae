import { personalView } from '../home/personal-view.ts';
import { personalViewReply } from '../home/personal-view-reply.ts';
import { isAdminUser } from '../incoming.ts';
import type { Command } from './command.ts';

/**
 * `/orch me` (내 공부): the member's personal view across the channels they study in, privately. Slack also shows it
 * as the App Home, which opening answers through this command.
 */
export const me: Command = {
  name: 'me',
  aliases: ['내공부'],
  personal: true,
  description: {
    en: 'My study: next lessons, streaks, reviews and ranks',
    ko: '내 공부: 다음 레슨, 연속 학습, 복습, 순위',
  },
  help: {
    group: 'study',
    example: { en: '/orch me', ko: '/orch 내공부' },
    syntax: [
      {
        usage: { en: '/orch me', ko: '/orch 내공부' },
        what: {
          en: 'your next lesson in each channel you study in (with Open and Done), your streaks, your rank this week, your reviews due (with Start) and recent quizzes; only you see it',
          ko: '공부하는 채널마다 다음 레슨(열기, 완료 버튼), 연속 학습, 이번 주 순위, 복습할 문제(복습 시작 버튼), 최근 퀴즈를 나만 보이게 보여 줘요',
        },
      },
    ],
  },
  options: [],
  async run(ctx) {
    const now = ctx.clock.now().getTime();
    const { who, where } = ctx.incoming;
    const view = await personalView(ctx, where, who.userId, now);
    // Asking costs Slack a users.info call (cached); only a view with channels has settings buttons to show.
    const isAdmin = view.channels.length > 0 && (await isAdminUser(who));
    const reply = personalViewReply(ctx.catalog, view, {
      lang: ctx.lang,
      timeZone: ctx.channel?.timeZone ?? ctx.defaultTimeZone,
      now,
      isAdmin,
    });
    return {
      replies: [reply],
      data: {
        channels: view.channels.map((c) => ({
          channel: c.channelKey,
          nextLesson: c.nextLesson,
          done: c.done,
          total: c.total,
          streak: c.streak.current,
          bestStreak: c.streak.best,
          weeklyRank: c.weeklyRank,
        })),
        reviews: view.reviews,
        recentQuizzes: view.recentQuizzes.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      },
    };
  },
};
