import { userKeyOf } from '../channel-key.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { t } from '../i18n/messages.ts';
import { privateText } from '../reply/model.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './usage-error.ts';

const DAY_MS = 24 * 3_600_000;
/** The longest pause: a season away is a pause; longer, a member can simply come back. */
export const MAX_PAUSE_DAYS = 90;
const END = ['off', 'end', 'stop', '끝', '끄기', '그만'];

/** A length as typed: `7d`, `7 days`, `2w`, `7일`, `2주`; days, or null. */
export function readPauseDays(text: string): number | null {
  const match = /^(\d{1,3})\s*(d|day|days|일|w|week|weeks|주)?$/.exec(text.trim().toLowerCase());
  if (!match) return null;
  const n = Number(match[1]);
  const days = ['w', 'week', 'weeks', '주'].includes(match[2] ?? '') ? n * 7 : n;
  return days >= 1 && days <= MAX_PAUSE_DAYS ? days : null;
}

function zone(ctx: CommandContext): string {
  return ctx.channel?.timeZone ?? ctx.defaultTimeZone;
}

/**
 * `/orch pause 7d` (일시정지 7일): a member's own vacation in this channel. Until it ends (by itself, or with
 * `/orch pause off`), lessons posted meanwhile neither break nor add to their streak, their reviews do not fall due,
 * and the group pace does not count them as behind. `/orch pause` shows it.
 */
export const pause: Command = {
  name: 'pause',
  aliases: ['일시정지', '휴가'],
  description: {
    en: 'Pause your own study: your streak and reviews wait',
    ko: '공부 일시정지: 쉬는 동안 연속 학습은 유지되고 복습은 미뤄져요',
  },
  help: {
    group: 'study',
    example: { en: '/orch pause 7d', ko: '/orch 일시정지 7일' },
    syntax: [
      {
        usage: { en: '/orch pause 7d | 2w', ko: '/orch 일시정지 7일 | 2주' },
        what: {
          en: `away for a while (up to ${MAX_PAUSE_DAYS} days): your streak is kept, your reviews wait, and you come back by yourself`,
          ko: `잠시 쉬어요(최대 ${MAX_PAUSE_DAYS}일). 연속 학습은 유지되고 복습은 그만큼 미뤄지며, 기간이 끝나면 자동으로 다시 시작돼요`,
        },
      },
      {
        usage: { en: '/orch pause off', ko: '/orch 일시정지 끝' },
        what: { en: 'come back early', ko: '일찍 돌아와요' },
      },
      {
        // Bare 일시정지 pauses the channel's schedule (an admin's command from before), so the Korean check is 휴가.
        usage: { en: '/orch pause', ko: '/orch 휴가' },
        what: {
          en: 'whether you are paused here, and until when',
          ko: '지금 일시정지 중인지, 언제까지인지 보여 줘요',
        },
      },
    ],
  },
  options: [
    { name: 'length', description: { en: '7d, 2w or off', ko: '7일, 2주 또는 끝' }, required: false },
  ],
  async run(ctx, rest) {
    const input = rest.trim();
    const userId = ctx.incoming.who.userId;
    const now = ctx.clock.now().getTime();
    const current = (await ctx.store.memberPauses(ctx.channelKey, userId)).find(
      (p) => p.fromAt <= now && now < p.untilAt,
    );
    if (input === '') {
      const text = current
        ? t(ctx.lang, 'pause.until', { at: formatDateTime(current.untilAt, zone(ctx), ctx.lang) })
        : t(ctx.lang, 'pause.none');
      return { replies: [privateText(text)], data: { action: 'show', until: current?.untilAt ?? null } };
    }
    if (END.includes(input.toLowerCase())) {
      const ended = await ctx.store.endMemberPause(
        ctx.channelKey,
        userId,
        userKeyOf(ctx.channelKey, userId),
        now,
      );
      return {
        replies: [privateText(t(ctx.lang, ended ? 'pause.ended' : 'pause.none'))],
        data: { action: 'end', ended: ended !== null },
      };
    }
    const days = readPauseDays(input);
    if (days === null)
      throw new UsageError('usage.pause', { value: input.slice(0, 20), max: MAX_PAUSE_DAYS });
    const untilAt = now + days * DAY_MS;
    await ctx.store.pauseMember(
      { channelKey: ctx.channelKey, userId, fromAt: now, untilAt },
      userKeyOf(ctx.channelKey, userId),
    );
    return {
      replies: [
        privateText(
          t(ctx.lang, 'pause.started', { count: days, at: formatDateTime(untilAt, zone(ctx), ctx.lang) }),
        ),
      ],
      data: { action: 'start', days, until: untilAt },
    };
  },
};
