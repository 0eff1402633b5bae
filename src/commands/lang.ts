import { UserError } from '../errors.ts';
import { isLang, t } from '../i18n/messages.ts';
import type { Command } from './command.ts';
import { requireAdmin } from './require-admin.ts';

/** `/orch lang ko|en|auto`: the channel's answer language (admins); `/orch lang` shows it. */
export const lang: Command = {
  name: 'lang',
  aliases: ['language', '언어'],
  description: { en: "Set this channel's language", ko: '이 채널의 언어 설정' },
  options: [
    { name: 'language', description: { en: 'ko, en or auto', ko: 'ko, en 또는 auto' }, required: false },
  ],
  async run(ctx, rest) {
    const value = rest.trim().toLowerCase();
    if (value === '' || value === 'show') {
      const current = ctx.channel?.lang ?? null;
      return [
        {
          visibility: 'private',
          blocks: [
            {
              type: 'text',
              text: t(ctx.lang, 'lang.show', {
                lang: t(ctx.lang, current === null ? 'lang.automatic' : `langName.${current}`),
              }),
            },
          ],
        },
      ];
    }
    if (value !== 'auto' && !isLang(value))
      throw new UserError('error.badLang', { value: value.slice(0, 20) });
    await requireAdmin(ctx, 'what.lang', 'lang');
    const next = value === 'auto' ? null : value;
    await ctx.store.updateChannel(ctx.channelKey, { lang: next }, ctx.clock.now().getTime());
    const text = next === null ? t(ctx.lang, 'lang.auto') : t(next, 'lang.set');
    return [{ visibility: 'channel', blocks: [{ type: 'text', text }] }];
  },
};
