import { lessonByNumber } from '../catalog/model.ts';
import { t } from '../i18n/messages.ts';
import { memberProgress } from '../lessons/member-progress.ts';
import { privateText } from '../reply/model.ts';
import { defineAction, NUMBER_VALUE } from './action.ts';

/** A lesson's "done" button: records the lesson as done by whoever pressed it. Its value is the lesson number. */
export const lessonDone = defineAction<number>({
  id: 'lesson.done',
  ...NUMBER_VALUE,
  async run(ctx, number) {
    if (!lessonByNumber(ctx.catalog, number)) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    const userId = ctx.incoming.who.userId;
    const fresh = await ctx.store.recordCompletion({
      channelKey: ctx.channelKey,
      userId,
      lesson: number,
      completedAt: ctx.clock.now().getTime(),
    });
    if (!fresh) return [privateText(t(ctx.lang, 'done.already', { number }))];
    const { done, streak } = await memberProgress(ctx.store, ctx.channelKey, userId);
    const total = ctx.catalog.roadmap.lessons.length;
    return [
      privateText(t(ctx.lang, 'done.recorded', { number, streak: streak.current, done: done.length, total })),
    ];
  },
});
