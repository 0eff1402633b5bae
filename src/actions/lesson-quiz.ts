import { t } from '../i18n/messages.ts';
import { startRound } from '../quiz/start-round.ts';
import { privateText } from '../reply/model.ts';
import { defineAction, NUMBER_VALUE } from './action.ts';

// A lesson's "quiz me on this" round: short, so it fits right after reading the lesson.
const LESSON_QUIZ_COUNT = 3;
const LESSON_QUIZ_SECONDS = 30;

/**
 * "Quiz me on this" under a lesson: a short round on that lesson's questions, in the lesson's thread where the channel
 * uses threads. Its value is the lesson number.
 */
export const lessonQuiz = defineAction<number>({
  id: 'quiz.lesson',
  ...NUMBER_VALUE,
  async run(ctx, number) {
    const topic = ctx.bank.lessonTopic(number);
    if (!topic) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    const pressed = ctx.incoming.kind === 'choice' ? ctx.incoming.messageId : undefined;
    return (await startRound(ctx, topic, LESSON_QUIZ_COUNT, LESSON_QUIZ_SECONDS, pressed)).replies;
  },
});
