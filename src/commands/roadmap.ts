import { UserError } from '../errors.ts';
import { t } from '../i18n/messages.ts';
import { lessonByNumber, roadmapReply } from '../lessons/lesson-replies.ts';
import type { Command } from './command.ts';
import { requireAdmin } from './require-admin.ts';

/** `/orch roadmap`: tracks, the channel's place and a progress bar; `roadmap set <n>` moves the place (admins). */
export const roadmap: Command = {
  name: 'roadmap',
  aliases: ['로드맵'],
  description: { en: 'The study roadmap and where this channel is', ko: '스터디 로드맵과 이 채널의 진도' },
  options: [],
  async run(ctx, rest) {
    const [sub, arg, ...extra] = rest.split(' ').filter((w) => w.length > 0);
    if (sub === undefined) return [roadmapReply(ctx.catalog, ctx.channel?.position ?? 1, ctx.lang)];
    if (sub !== 'set' || arg === undefined || extra.length > 0) throw new UserError('roadmap.usage');
    await requireAdmin(ctx, 'what.position', 'roadmap');
    const total = ctx.catalog.roadmap.lessons.length;
    const number = Number(arg);
    const lesson = Number.isInteger(number) ? lessonByNumber(ctx.catalog, number) : undefined;
    if (!lesson) throw new UserError('lesson.outOfRange', { value: arg.slice(0, 20), total });
    await ctx.store.updateChannel(ctx.channelKey, { position: number }, ctx.clock.now().getTime());
    return [
      {
        visibility: 'channel',
        blocks: [
          { type: 'text', text: t(ctx.lang, 'roadmap.setDone', { number, title: lesson.title[ctx.lang] }) },
        ],
      },
    ];
  },
};
