import { t } from '../i18n/messages.ts';
import { privateText, textReply } from '../reply/model.ts';
import type { Command } from './command.ts';
import { requireAdmin } from './require-admin.ts';
import { UsageError } from './usage-error.ts';

const ON = new Set(['on', '켜기']);
const OFF = new Set(['off', '끄기']);

/**
 * `/orch settings threads on|off` (`/orch 설정 스레드 켜기|끄기`): whether quiz rounds and scheduled lessons run in a
 * thread under their first message (the default, so a study channel is not flooded) or in the channel. Admins only;
 * `/orch settings` shows it.
 */
export const settings: Command = {
  name: 'settings',
  aliases: ['설정'],
  description: { en: "This channel's settings: threads", ko: '이 채널의 설정: 스레드' },
  help: {
    group: 'settings',
    example: { en: '/orch settings threads off', ko: '/orch 설정 스레드 끄기' },
    syntax: [
      {
        usage: { en: '/orch settings', ko: '/orch 설정' },
        what: { en: "this channel's settings", ko: '이 채널의 설정을 보여 줘요' },
      },
      {
        usage: { en: '/orch settings threads on | off', ko: '/orch 설정 스레드 켜기 | 끄기' },
        what: {
          en: 'run quiz rounds and scheduled lessons in a thread under their first message (on, the default), or in the channel',
          ko: '퀴즈 라운드와 일정에 따른 레슨을 첫 메시지 아래 스레드에서 진행하거나(켜기, 기본값) 채널에 바로 올려요(끄기)',
        },
      },
    ],
    admin: {
      en: 'changing a setting: channel admins only',
      ko: '설정 변경은 채널 관리자만 할 수 있어요',
    },
  },
  options: [
    { name: 'setting', description: { en: 'threads', ko: '스레드' }, required: false },
    { name: 'value', description: { en: 'on or off', ko: '켜기 또는 끄기' }, required: false },
  ],
  async run(ctx, rest) {
    const words = rest.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const [what, value, ...extra] = words;
    if (what === undefined || what === 'show' || what === '보기') {
      const on = ctx.channel?.threads ?? true;
      return {
        replies: [
          privateText(
            t(ctx.lang, 'settings.show', { state: t(ctx.lang, on ? 'settings.on' : 'settings.off') }),
          ),
        ],
        data: { action: 'show', threads: on },
      };
    }
    const known = (what === 'threads' || what === '스레드') && extra.length === 0;
    if (!known || value === undefined || (!ON.has(value) && !OFF.has(value)))
      throw new UsageError('usage.settingsValue', { value: words.join(' ').slice(0, 30) });
    await requireAdmin(ctx, 'what.threads', 'settings');
    const threads = ON.has(value);
    await ctx.store.updateChannel(ctx.channelKey, { threads }, ctx.clock.now().getTime());
    return {
      replies: [textReply(t(ctx.lang, threads ? 'settings.threadsOn' : 'settings.threadsOff'))],
      data: { action: 'set', threads },
    };
  },
};
