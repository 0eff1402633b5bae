import { UserError } from '../errors.ts';
import { t } from '../i18n/messages.ts';
import { scoreboardReply } from '../quiz/quiz-replies.ts';
import type { Command } from './command.ts';

const WEEK_MS = 7 * 86_400_000;

/** `/orch leaderboard [week|all]`: the channel's quiz points, this week by default. */
export const leaderboard: Command = {
  name: 'leaderboard',
  aliases: ['순위', 'scores'],
  description: { en: "This channel's quiz leaderboard", ko: '이 채널의 퀴즈 순위' },
  options: [{ name: 'period', description: { en: 'week or all', ko: 'week 또는 all' }, required: false }],
  async run(ctx, rest) {
    const period = rest.trim().toLowerCase() || 'week';
    const all = period === 'all' || period === '전체';
    if (!all && period !== 'week' && period !== '주간') throw new UserError('leaderboard.usage');
    const since = all ? 0 : ctx.clock.now().getTime() - WEEK_MS;
    const rows = await ctx.store.leaderboard(ctx.channelKey, since, 10);
    return [scoreboardReply(t(ctx.lang, all ? 'leaderboard.all' : 'leaderboard.week'), rows, ctx.lang)];
  },
};
