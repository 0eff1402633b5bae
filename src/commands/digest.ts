import { gatherDigest } from '../digest/digest-data.ts';
import { digestReply } from '../digest/digest-reply.ts';
import { type DigestRule, digestRuleOf, formatDigestRule } from '../digest/digest-service.ts';
import { UserError } from '../errors.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { isAdminUser } from '../incoming.ts';
import { privateText } from '../reply/model.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './usage-error.ts';

// A weekday as typed: English names and their short forms, Korean with or without 요일. 0 is Sunday.
const WEEKDAYS: readonly (readonly string[])[] = [
  ['sun', 'sunday', '일', '일요일'],
  ['mon', 'monday', '월', '월요일'],
  ['tue', 'tuesday', '화', '화요일'],
  ['wed', 'wednesday', '수', '수요일'],
  ['thu', 'thursday', '목', '목요일'],
  ['fri', 'friday', '금', '금요일'],
  ['sat', 'saturday', '토', '토요일'],
];

/** `<day> <HH:MM>` as a rule, or null when it is not one. */
export function readDigestRule(input: string): DigestRule | null {
  const match = /^(\S+)\s+(\d{1,2}):(\d{2})$/.exec(input.trim().toLowerCase());
  if (!match) return null;
  const weekday = WEEKDAYS.findIndex((names) => names.includes(match[1] as string));
  const hour = Number(match[2]);
  const minute = Number(match[3]);
  if (weekday < 0 || hour > 23 || minute > 59) return null;
  return { weekday, hour, minute };
}

/** A rule as the channel reads it: "월요일 09:00", "Monday 09:00". */
export function digestRuleText(rule: DigestRule, lang: Lang): string {
  const day = t(lang, `weekday.${rule.weekday}` as 'weekday.0');
  return `${day} ${String(rule.hour).padStart(2, '0')}:${String(rule.minute).padStart(2, '0')}`;
}

async function requireDigestAdmin(ctx: CommandContext): Promise<void> {
  if (!(await isAdminUser(ctx.incoming.who))) throw new UserError('digest.adminOnly');
}

/**
 * `/orch digest`: last week's digest of this channel, privately, now; `/orch digest off|on|<day> <HH:MM>` (admins)
 * turns the weekly post off or on or moves it.
 */
export const digest: Command = {
  name: 'digest',
  aliases: ['weekly', '요약', '주간요약'],
  description: { en: "This channel's weekly digest", ko: '이 채널의 주간 요약' },
  help: {
    group: 'study',
    example: { en: '/orch digest', ko: '/orch 요약' },
    syntax: [
      {
        usage: { en: '/orch digest', ko: '/orch 요약' },
        what: {
          en: "last week's digest, just for you: roadmap, lessons, quiz leaderboard, reviews and this week's lessons",
          ko: '지난주 요약을 나에게만 보여 줘요. 로드맵, 레슨, 퀴즈 순위, 복습, 이번 주 레슨이 들어 있어요',
        },
      },
      {
        usage: { en: '/orch digest mon 09:00 | off | on', ko: '/orch 요약 월 09:00 | 끄기 | 켜기' },
        what: {
          en: 'when the weekly digest is posted (in the channel zone; Monday 09:00 unless changed), or stop and restart it',
          ko: '주간 요약을 올릴 요일과 시간(채널 시간대 기준, 기본은 월요일 09:00)을 정하거나, 끄거나 다시 켜요',
        },
      },
    ],
    admin: {
      en: 'changing the weekly digest: channel admins only',
      ko: '주간 요약 설정은 채널 관리자만 바꿀 수 있어요',
    },
  },
  options: [
    {
      name: 'when',
      description: { en: 'mon 09:00, off or on', ko: '월 09:00, 끄기 또는 켜기' },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const input = rest.trim();
    const word = input.toLowerCase();
    const now = ctx.clock.now().getTime();
    if (word === '') {
      if (!ctx.channel?.cron) {
        return {
          replies: [privateText(t(ctx.lang, 'digest.noSchedule'))],
          data: { action: 'show', empty: true },
        };
      }
      const data = await gatherDigest(ctx.store, ctx.catalog, ctx.channel, now, ctx.lang);
      const reply = digestReply(data);
      const current = digestRuleOf(ctx.channel);
      reply.blocks.push({
        type: 'context',
        text: current
          ? t(ctx.lang, 'digest.when', { rule: digestRuleText(current, ctx.lang) })
          : t(ctx.lang, 'digest.whenOff'),
      });
      return {
        replies: [{ ...reply, visibility: 'private' }],
        data: { action: 'show', week: data.week.start },
      };
    }
    let stored: string | null;
    if (['off', '끄기', '끔'].includes(word)) stored = 'off';
    else if (['on', '켜기', '켬'].includes(word)) stored = null;
    else {
      const rule = readDigestRule(input);
      if (!rule) throw new UsageError('usage.digest', { value: input.slice(0, 20) });
      stored = formatDigestRule(rule);
    }
    await requireDigestAdmin(ctx);
    // `on` keeps a day and time already set; after `off` it is the default again.
    const keep =
      stored === null && ctx.channel?.digest && ctx.channel.digest !== 'off' ? ctx.channel.digest : stored;
    const updated = await ctx.store.updateChannel(ctx.channelKey, { digest: keep }, now);
    const rule = digestRuleOf(updated);
    const text = rule
      ? t(ctx.lang, 'digest.set', { rule: digestRuleText(rule, ctx.lang) })
      : t(ctx.lang, 'digest.turnedOff');
    return { replies: [privateText(text)], data: { action: rule ? 'on' : 'off', digest: updated.digest } };
  },
};
