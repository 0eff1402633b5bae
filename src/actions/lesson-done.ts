import { lessonByNumber } from '../catalog/model.ts';
import { t } from '../i18n/messages.ts';
import { memberProgress } from '../lessons/member-progress.ts';
import { privateText, textReply } from '../reply/model.ts';
import { neutralizeMentions } from '../reply/safe-text.ts';
import { type ActionContext, defineAction, NUMBER_VALUE } from './action.ts';

/**
 * In a channel with threads, a first "Done" on a posted lesson also says so in the lesson's thread, where its
 * discussion is: the channel stays calm, and the group sees who finished. Once per member, lesson and message (the
 * post's key); a platform that refuses it costs the member nothing, their private receipt says it was recorded.
 */
async function receiptInThread(ctx: ActionContext, number: number): Promise<void> {
  const { incoming, poster } = ctx;
  const anchorId = incoming.kind === 'choice' ? incoming.messageId : undefined;
  const lesson = lessonByNumber(ctx.catalog, number);
  if (!anchorId || !lesson || !poster?.startThread || !(ctx.channel?.threads ?? true)) return;
  const lang = ctx.channel?.lang ?? ctx.lang;
  try {
    const opened = await poster.startThread(
      ctx.channelKey,
      anchorId,
      t(lang, 'thread.lessonName', { number, title: lesson.title[lang] }),
    );
    if (!opened) return;
    const name = neutralizeMentions(incoming.who.displayName);
    await poster.post(
      ctx.channelKey,
      { ...textReply(t(lang, 'thread.doneReceipt', { name, number })), thread: { anchorId } },
      `done:${ctx.channelKey}:${anchorId}:${incoming.who.userId}:${number}`,
    );
  } catch {
    // Nothing to undo: the completion is stored, and the thread is a courtesy to the group.
  }
}

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
    await receiptInThread(ctx, number);
    const { done, streak } = await memberProgress(ctx.store, ctx.channelKey, userId);
    const total = ctx.catalog.roadmap.lessons.length;
    return [
      privateText(t(ctx.lang, 'done.recorded', { number, streak: streak.current, done: done.length, total })),
    ];
  },
});
