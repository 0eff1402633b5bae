import { t } from '../i18n/messages.ts';
import { scoreboardReply } from '../quiz/quiz-replies.ts';
import type { Command } from './command.ts';
import { UsageError } from './usage-error.ts';

const WEEK_MS = 7 * 86_400_000;

/** `/orch leaderboard [week|all]`: the channel's quiz points, this week by default. */
export const leaderboard: Command = {
  name: 'leaderboard',
  aliases: ['리더보드', '순위', 'scores'],
  description: { en: "This channel's quiz leaderboard", ko: '이 채널의 퀴즈 순위' },
  help: {
    group: 'quiz',
    example: { en: '/orch leaderboard all', ko: '/orch 순위 전체' },
    syntax: [
      {
        usage: { en: '/orch leaderboard [week | all]', ko: '/orch 순위 [주간 | 전체]' },
        what: {
          en: "the channel's top ten by quiz points, this week (the default) or of all time",
          ko: '이 채널의 퀴즈 점수 상위 10명을 이번 주(기본값) 또는 전체 기간으로 보여 줘요',
        },
      },
    ],
  },
  options: [{ name: 'period', description: { en: 'week or all', ko: 'week 또는 all' }, required: false }],
  async run(ctx, rest) {
    const period = rest.trim().toLowerCase() || 'week';
    const all = period === 'all' || period === '전체';
    if (!all && period !== 'week' && period !== '주간')
      throw new UsageError('usage.leaderboardPeriod', { value: period.slice(0, 20) });
    const since = all ? 0 : ctx.clock.now().getTime() - WEEK_MS;
    const rows = await ctx.store.leaderboard(ctx.channelKey, since, 10);
    return {
      replies: [scoreboardReply(t(ctx.lang, all ? 'leaderboard.all' : 'leaderboard.week'), rows, ctx.lang)],
      data: {
        period: all ? 'all' : 'week',
        since: new Date(since).toISOString(),
        rows: rows.map((r, i) => ({ rank: i + 1, ...r })),
      },
    };
  },
};
