import { lessonByNumber } from '../catalog/model.ts';
import { reachableChannelKey } from '../channel-key.ts';
import { t } from '../i18n/messages.ts';
import { memberProgress } from '../lessons/member-progress.ts';
import { privateText } from '../reply/model.ts';
import { defineAction, naturalIn, PLATFORM_ID } from './action.ts';

/** A lesson of one channel, as the personal view's Done button names it. */
export interface ChannelLesson {
  space: string;
  channel: string;
  lesson: number;
}

const VALUE = new RegExp(`^(${PLATFORM_ID})/(${PLATFORM_ID})/(\\d{1,6})$`);

/** How the personal view's lesson buttons (Done, Open) write a channel's lesson: `space/channel/lesson`. */
export const channelLessonValue = {
  encode: ({ space, channel, lesson }: ChannelLesson): string => `${space}/${channel}/${lesson}`,
  decode(value: string): ChannelLesson | null {
    const [, space, channel, number] = VALUE.exec(value) ?? [];
    const lesson = naturalIn(number, 6);
    return space && channel && lesson !== null ? { space, channel, lesson } : null;
  },
};

/**
 * The personal view's Done: records a lesson as done by whoever pressed it, in the channel the button names (the
 * view lists several channels, and is pressed outside them). Its value is `space/channel/lesson`.
 */
export const homeLessonDone = defineAction<ChannelLesson>({
  id: 'home.done',
  personal: true,
  ...channelLessonValue,
  async run(ctx, { space, channel, lesson }) {
    const channelKey = reachableChannelKey(ctx.incoming.where, space, channel);
    if (!channelKey || !lessonByNumber(ctx.catalog, lesson))
      return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    const userId = ctx.incoming.who.userId;
    const fresh = await ctx.store.recordCompletion({
      channelKey,
      userId,
      lesson,
      completedAt: ctx.clock.now().getTime(),
    });
    if (!fresh) return [privateText(t(ctx.lang, 'done.already', { number: lesson }))];
    const { done, streak } = await memberProgress(ctx.store, channelKey, userId);
    const total = ctx.catalog.roadmap.lessons.length;
    return [
      privateText(
        t(ctx.lang, 'done.recorded', { number: lesson, streak: streak.current, done: done.length, total }),
      ),
    ];
  },
});
