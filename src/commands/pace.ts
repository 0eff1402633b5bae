import { t } from '../i18n/messages.ts';
import { paceRule } from '../lessons/group-pace.ts';
import { privateText } from '../reply/model.ts';
import type { ChannelSettings } from '../store/store.ts';
import type { Command, CommandContext } from './command.ts';
import { requireAdmin } from './require-admin.ts';
import { UsageError } from './usage-error.ts';

const SHOW = ['show', '보기'];
const ON = ['on', '켜기', '켬'];
const OFF = ['off', '끄기', '끔'];
const NEXT = ['next', '다음'];
const LESSON = ['lesson', '레슨'];
const REVIEW = ['review', '복습'];

/** What the channel's pace rule and a pending override say, in a sentence or two. */
function paceText(ctx: CommandContext, channel: ChannelSettings | null): string {
  const rule = paceRule(channel);
  const lines = [
    rule.on
      ? t(ctx.lang, 'pace.status', { percent: Math.round(rule.threshold * 100) })
      : t(ctx.lang, 'pace.statusOff'),
  ];
  if (channel?.paceOverride) lines.push(t(ctx.lang, `pace.next.${channel.paceOverride}`));
  return lines.join('\n');
}

/**
 * `/orch pace`: the group pace of the channel. With the rule on (the default, at 50%), a slot whose last two lessons
 * few active members pressed Done on becomes a review day instead of a new lesson. Admins turn it off or on, set the
 * share (`/orch pace 40%`), or decide the next slot once (`/orch pace next lesson|review`).
 */
export const pace: Command = {
  name: 'pace',
  aliases: ['진도조절'],
  description: {
    en: 'The group pace: review days when the group falls behind',
    ko: '진도 조절: 그룹이 뒤처지면 새 레슨 대신 복습하는 날을 넣어요',
  },
  help: {
    group: 'settings',
    example: { en: '/orch pace', ko: '/orch 진도조절' },
    syntax: [
      {
        usage: { en: '/orch pace', ko: '/orch 진도조절' },
        what: {
          en: 'whether the next slot may become a review day, and at what share of Done presses',
          ko: '다음 게시가 복습하는 날이 될 수 있는지, 완료 비율 기준은 얼마인지 보여 줘요',
        },
      },
      {
        usage: { en: '/orch pace on | off | 40%', ko: '/orch 진도조절 켜기 | 끄기 | 40%' },
        what: {
          en: 'turn review days on or off, or set the share of Done presses on the last two lessons under which one comes',
          ko: '복습하는 날을 켜거나 끄고, 최근 두 레슨의 완료 비율이 몇 % 미만일 때 복습하는 날로 할지 정해요',
        },
      },
      {
        usage: { en: '/orch pace next lesson | next review', ko: '/orch 진도조절 다음 레슨 | 다음 복습' },
        what: {
          en: 'decide the next slot once, whatever the rule says',
          ko: '다음 게시 한 번만 규칙과 상관없이 정해요',
        },
      },
    ],
    admin: {
      en: 'changing the pace: channel admins only',
      ko: '진도 조절 설정은 채널 관리자만 바꿀 수 있어요',
    },
  },
  options: [
    {
      name: 'rule',
      description: { en: 'on, off, 40% or next lesson', ko: '켜기, 끄기, 40%, 다음 레슨' },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const input = rest.trim();
    const words = input.toLowerCase().split(/\s+/).filter(Boolean);
    const now = ctx.clock.now().getTime();
    if (words.length === 0 || (words.length === 1 && SHOW.includes(words[0] ?? '')))
      return {
        replies: [privateText(paceText(ctx, ctx.channel))],
        data: { action: 'show', pace: ctx.channel?.pace ?? null },
      };
    const [first = '', second = ''] = words;
    let patch: Partial<Pick<ChannelSettings, 'pace' | 'paceOverride'>>;
    const percent = /^(\d{1,3})\s*%?$/.exec(first);
    if (words.length === 1 && ON.includes(first))
      patch = { pace: ctx.channel?.pace === 'off' ? null : (ctx.channel?.pace ?? null) };
    else if (words.length === 1 && OFF.includes(first)) patch = { pace: 'off' };
    else if (words.length === 1 && percent && Number(percent[1]) >= 1 && Number(percent[1]) <= 100)
      patch = { pace: String(Number(percent[1])) };
    else if (
      words.length === 2 &&
      NEXT.includes(first) &&
      (LESSON.includes(second) || REVIEW.includes(second))
    )
      patch = { paceOverride: LESSON.includes(second) ? 'lesson' : 'review' };
    else throw new UsageError('usage.pace', { value: input.slice(0, 20) });
    await requireAdmin(ctx, 'what.pace', 'pace');
    const updated = await ctx.store.updateChannel(ctx.channelKey, patch, now);
    return {
      replies: [privateText(paceText(ctx, updated))],
      data: { action: 'set', pace: updated.pace, paceOverride: updated.paceOverride },
    };
  },
};
