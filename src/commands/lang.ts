import { isLang, type Lang, t } from '../i18n/messages.ts';
import { privateText, textReply } from '../reply/model.ts';
import type { Command } from './command.ts';
import { requireAdmin } from './require-admin.ts';
import { UsageError } from './usage-error.ts';

/** A channel language as typed or picked: `ko`, `en`, or null for `auto` (shared with the settings form). */
export function readLangValue(input: string): Lang | null {
  const value = input.trim().toLowerCase();
  if (value === 'auto' || value === '자동') return null;
  if (!isLang(value)) throw new UsageError('usage.langValue', { value: value.slice(0, 20) });
  return value;
}

/** `/orch lang ko|en|auto`: the channel's answer language (admins); `/orch lang` shows it. */
export const lang: Command = {
  name: 'lang',
  aliases: ['language', '언어'],
  description: { en: "Set this channel's language", ko: '이 채널의 언어 설정' },
  help: {
    group: 'settings',
    example: { en: '/orch lang en', ko: '/orch 언어 ko' },
    syntax: [
      {
        usage: { en: '/orch lang', ko: '/orch 언어' },
        what: { en: "this channel's answer language", ko: '이 채널의 답변 언어를 보여 줘요' },
      },
      {
        usage: { en: '/orch lang ko | en | auto', ko: '/orch 언어 ko | en | auto' },
        what: {
          en: 'answer in Korean, in English, or by each question (Korean for Hangul); `--lang` on one line still wins',
          ko: '한국어, 영어, 또는 질문마다 자동(한글 질문에는 한국어)으로 답해요. 한 줄에 붙인 `--lang`이 늘 우선해요',
        },
      },
    ],
    admin: {
      en: 'changing the language: channel admins only',
      ko: '언어 변경은 채널 관리자만 할 수 있어요',
    },
  },
  options: [
    {
      name: 'language',
      description: { en: 'ko, en or auto', ko: '한국어, 영어 또는 자동' },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const value = rest.trim().toLowerCase();
    if (value === '' || value === 'show' || value === '보기') {
      const current = ctx.channel?.lang ?? null;
      return {
        replies: [
          privateText(
            t(ctx.lang, 'lang.show', {
              lang: t(ctx.lang, current === null ? 'lang.automatic' : `langName.${current}`),
            }),
          ),
        ],
        data: { action: 'show', channelLang: current },
      };
    }
    const next = readLangValue(value);
    await requireAdmin(ctx, 'what.lang', 'lang');
    await ctx.store.updateChannel(ctx.channelKey, { lang: next }, ctx.clock.now().getTime());
    const text = next === null ? t(ctx.lang, 'lang.auto') : t(next, 'lang.set');
    return {
      replies: [textReply(text)],
      data: { action: 'set', channelLang: next },
    };
  },
};
