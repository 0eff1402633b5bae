import { lessonByNumber } from '../catalog/model.ts';
import { t } from '../i18n/messages.ts';
import { roadmapReply } from '../lessons/lesson-replies.ts';
import { textReply } from '../reply/model.ts';
import type { Command } from './command.ts';
import { requireAdmin } from './require-admin.ts';
import { UsageError } from './usage-error.ts';

/** `/orch roadmap`: tracks, the channel's place and a progress bar; `roadmap set <n>` moves the place (admins). */
export const roadmap: Command = {
  name: 'roadmap',
  aliases: ['로드맵'],
  description: { en: 'The study roadmap and where this channel is', ko: '스터디 로드맵과 이 채널의 진도' },
  help: {
    group: 'study',
    example: { en: '/orch roadmap', ko: '/orch 로드맵' },
    syntax: [
      {
        usage: { en: '/orch roadmap', ko: '/orch 로드맵' },
        what: {
          en: "the tracks, this channel's place and a progress bar",
          ko: '트랙 목록, 이 채널의 위치, 진행 막대',
        },
      },
      {
        usage: { en: '/orch roadmap set <lesson number>', ko: '/orch 로드맵 설정 <레슨 번호>' },
        what: {
          en: 'make that lesson the next one this channel gets',
          ko: '이 채널이 다음에 받을 레슨을 그 레슨으로 바꿔요',
        },
      },
    ],
    admin: { en: '`set`: channel admins only', ko: '`설정`은 채널 관리자만 할 수 있어요' },
  },
  options: [],
  async run(ctx, rest) {
    const [sub, arg, ...extra] = rest.split(' ').filter((w) => w.length > 0);
    const total = ctx.catalog.roadmap.lessons.length;
    if (sub === undefined) {
      const position = ctx.channel?.position ?? 1;
      const next = lessonByNumber(ctx.catalog, position);
      return {
        replies: [roadmapReply(ctx.catalog, position, ctx.lang)],
        data: {
          position,
          total,
          next: next ? { number: next.number, id: next.id } : null,
          tracks: ctx.catalog.roadmap.tracks.map((track) => {
            const numbers = ctx.catalog.roadmap.lessons
              .filter((l) => l.trackId === track.id)
              .map((l) => l.number);
            return { id: track.id, from: Math.min(...numbers), to: Math.max(...numbers) };
          }),
        },
      };
    }
    const word = sub.toLowerCase();
    if (word !== 'set' && word !== '설정')
      throw new UsageError('usage.roadmapWord', { value: sub.slice(0, 20) });
    if (arg === undefined || extra.length > 0) throw new UsageError('usage.roadmapNumber', { total });
    const number = Number(arg);
    const lesson = Number.isInteger(number) ? lessonByNumber(ctx.catalog, number) : undefined;
    if (!lesson) throw new UsageError('lesson.outOfRange', { value: arg.slice(0, 20), total });
    await requireAdmin(ctx, 'what.position', 'roadmap');
    await ctx.store.updateChannel(ctx.channelKey, { position: number }, ctx.clock.now().getTime());
    return {
      replies: [textReply(t(ctx.lang, 'roadmap.setDone', { number, title: lesson.title[ctx.lang] }))],
      data: { position: number, total, next: { number, id: lesson.id } },
    };
  },
};
