import { formatDateTime, formatDuration } from '../i18n/dates.ts';
import { t } from '../i18n/messages.ts';
import { type CalendarPeriod, calendarPeriod } from '../lessons/time-zone.ts';
import { scoreboardReply } from '../quiz/quiz-replies.ts';
import type { Command } from './command.ts';
import { UsageError } from './usage-error.ts';

const PERIODS: Readonly<Record<string, CalendarPeriod | 'all'>> = {
  week: 'week',
  주간: 'week',
  이번주: 'week',
  '이번 주': 'week',
  month: 'month',
  월간: 'month',
  이번달: 'month',
  '이번 달': 'month',
  all: 'all',
  전체: 'all',
};

/** `/orch leaderboard [week|month|all]`: the channel's quiz points, this calendar week by default. */
export const leaderboard: Command = {
  name: 'leaderboard',
  aliases: ['순위', 'scores'],
  description: { en: "This channel's quiz leaderboard", ko: '이 채널의 퀴즈 순위' },
  help: {
    group: 'quiz',
    example: { en: '/orch leaderboard all', ko: '/orch 순위 전체' },
    syntax: [
      {
        usage: { en: '/orch leaderboard [week | month | all]', ko: '/orch 순위 [주간 | 월간 | 전체]' },
        what: {
          en: "the channel's top ten by quiz points: this calendar week from Monday 00:00 in the channel's time zone (the default), this month, or all time",
          ko: '이 채널의 퀴즈 점수 상위 10명을 보여 줘요. 이번 주(기본값, 채널 시간대의 월요일 0시부터), 이번 달, 전체 기간 중에서 골라요',
        },
      },
    ],
  },
  options: [
    {
      name: 'period',
      description: { en: 'week, month or all', ko: '주간, 월간 또는 전체' },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const asked = rest.trim().toLowerCase().replace(/\s+/g, ' ') || 'week';
    const period = PERIODS[asked];
    if (period === undefined) throw new UsageError('usage.leaderboardPeriod', { value: asked.slice(0, 20) });
    if (period === 'all') {
      const rows = await ctx.store.leaderboard(ctx.channelKey, 0, 10);
      return {
        replies: [scoreboardReply(t(ctx.lang, 'leaderboard.all'), rows, ctx.lang)],
        data: { period, since: null, rows: rows.map((r, i) => ({ rank: i + 1, ...r })) },
      };
    }
    // The week and month are the channel's calendar ones, so everyone in the channel sees the board reset at their
    // own Monday midnight (or the 1st), whatever the server's zone.
    const zone = ctx.channel?.timeZone ?? ctx.defaultTimeZone;
    const now = ctx.clock.now().getTime();
    const { start, end } = calendarPeriod(now, zone, period);
    const rows = await ctx.store.leaderboard(ctx.channelKey, start, 10);
    const note = t(ctx.lang, 'leaderboard.resets', {
      start: formatDateTime(start, zone, ctx.lang),
      in: formatDuration(end - now, ctx.lang),
      at: formatDateTime(end, zone, ctx.lang),
    });
    const heading = t(ctx.lang, period === 'week' ? 'leaderboard.thisWeek' : 'leaderboard.thisMonth');
    return {
      replies: [scoreboardReply(heading, rows, ctx.lang, note)],
      data: {
        period,
        since: new Date(start).toISOString(),
        resetsAt: new Date(end).toISOString(),
        rows: rows.map((r, i) => ({ rank: i + 1, ...r })),
      },
    };
  },
};
