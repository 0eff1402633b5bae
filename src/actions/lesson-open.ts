import { lessonByNumber } from '../catalog/model.ts';
import { t } from '../i18n/messages.ts';
import { lessonReply } from '../lessons/lesson-replies.ts';
import { privateText } from '../reply/model.ts';
import { defineAction, NUMBER_VALUE } from './action.ts';

/**
 * A concept card's "open lesson N": the lesson for the member who pressed, without posting it to everyone again.
 * Its value is the lesson number.
 */
export const lessonOpen = defineAction<number>({
  id: 'lesson.open',
  personal: true,
  ...NUMBER_VALUE,
  run(ctx, number) {
    const lesson = lessonByNumber(ctx.catalog, number);
    if (!lesson) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    return [{ ...lessonReply(ctx.catalog, lesson, ctx.lang), visibility: 'private' }];
  },
});
