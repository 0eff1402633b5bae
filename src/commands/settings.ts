import { t } from '../i18n/messages.ts';
import { textReply } from '../reply/model.ts';
import type { Command } from './command.ts';
import { readQuizDefaults } from './quiz.ts';
import { requireAdmin } from './require-admin.ts';
import { readOnOffValue, settingsReply } from './settings-form.ts';
import { UsageError } from './usage-error.ts';

/**
 * `/orch settings` (`/orch 설정`): every setting of the channel with the command that changes it and the next posts;
 * for a channel admin, a form to change them where the platform has forms (see settings-form.ts).
 * `/orch settings threads on|off` (`/orch 설정 스레드 켜기|끄기`): whether quiz rounds and scheduled lessons run in a
 * thread under their first message (the default, so a study channel is not flooded) or in the channel.
 * `/orch settings quiz <questions> <seconds>`: what a round started without numbers asks. Changes: admins only.
 */
export const settings: Command = {
  name: 'settings',
  aliases: ['설정'],
  description: { en: "This channel's settings, in a form", ko: '이 채널의 설정을 양식으로 바꿔요' },
  help: {
    group: 'settings',
    example: { en: '/orch settings threads off', ko: '/orch 설정 스레드 끄기' },
    syntax: [
      {
        usage: { en: '/orch settings', ko: '/orch 설정' },
        what: {
          en: "this channel's settings and its next five posts; for a channel admin, a form that changes them (Slack, Discord)",
          ko: '이 채널의 설정과 다음 게시 5개를 보여 줘요. 채널 관리자에게는 설정을 바꾸는 양식을 열어요(슬랙, 디스코드)',
        },
      },
      {
        usage: { en: '/orch settings quiz <questions> <seconds>', ko: '/orch 설정 퀴즈 <문제 수> <초>' },
        what: {
          en: 'what a round started without numbers asks: 1–20 questions, 10–120 seconds each',
          ko: '숫자 없이 시작한 라운드의 문제 수(1~20)와 문제당 시간(10~120초)이에요',
        },
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
    { name: 'setting', description: { en: 'threads or quiz', ko: '스레드 또는 퀴즈' }, required: false },
    {
      name: 'value',
      description: {
        en: 'on or off; for quiz, questions and seconds',
        ko: '켜기 또는 끄기, 퀴즈는 문제 수와 초',
      },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const words = rest.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const [what, ...values] = words;
    const threadsNow = ctx.channel?.threads ?? true;
    if (what === undefined || what === 'show' || what === '보기') {
      const reply = await settingsReply(ctx);
      // `show` is the text alone, also for an admin on a platform with forms.
      return {
        replies: [what === undefined ? reply : { visibility: reply.visibility, blocks: reply.blocks }],
        data: { action: 'show', threads: threadsNow, form: what === undefined && reply.form !== undefined },
      };
    }
    if ((what === 'quiz' || what === '퀴즈') && values.length > 0) {
      const { count, seconds } = readQuizDefaults(values.join(' '));
      await requireAdmin(ctx, 'what.settings', 'settings');
      await ctx.store.updateChannel(
        ctx.channelKey,
        { quizCount: count, quizSeconds: seconds },
        ctx.clock.now().getTime(),
      );
      return {
        replies: [textReply(t(ctx.lang, 'settings.quizSet', { count, seconds }))],
        data: { action: 'set', quizCount: count, quizSeconds: seconds },
      };
    }
    const [value, ...extra] = values;
    const known = (what === 'threads' || what === '스레드') && extra.length === 0;
    if (!known || value === undefined)
      throw new UsageError('usage.settingsValue', { value: words.join(' ').slice(0, 30) });
    const threads = readOnOffValue(value);
    await requireAdmin(ctx, 'what.threads', 'settings');
    await ctx.store.updateChannel(ctx.channelKey, { threads }, ctx.clock.now().getTime());
    return {
      replies: [textReply(t(ctx.lang, threads ? 'settings.threadsOn' : 'settings.threadsOff'))],
      data: { action: 'set', threads },
    };
  },
};
