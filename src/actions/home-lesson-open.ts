import { lessonByNumber } from '../catalog/model.ts';
import { reachableChannelKey } from '../channel-key.ts';
import { t } from '../i18n/messages.ts';
import { lessonReply } from '../lessons/lesson-replies.ts';
import { privateText } from '../reply/model.ts';
import { defineAction } from './action.ts';
import { type ChannelLesson, channelLessonValue } from './home-lesson-done.ts';

/**
 * The personal view's Open: the member's next lesson of one channel, privately, wherever the view is (a Home tab,
 * a DM). Its Done names that channel, so pressing it away from the channel still records it there. Its value is
 * `space/channel/lesson`.
 */
export const homeLessonOpen = defineAction<ChannelLesson>({
  id: 'home.open',
  personal: true,
  ...channelLessonValue,
  run(ctx, { space, channel, lesson }) {
    const found = lessonByNumber(ctx.catalog, lesson);
    if (!found || !reachableChannelKey(ctx.incoming.where, space, channel))
      return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    return [
      { ...lessonReply(ctx.catalog, found, ctx.lang, { doneIn: { space, channel } }), visibility: 'private' },
    ];
  },
});
