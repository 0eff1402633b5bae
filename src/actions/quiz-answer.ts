import { defineAction, naturalIn } from './action.ts';

/** Which option of which question of a round a button picks. */
export interface QuizAnswerPayload {
  roundId: string;
  /** The question's place in the round, from 0. */
  index: number;
  /** The option, from 0. */
  option: number;
}

// A round id is a UUID; ids are matched loosely (any run without a colon or space) so no id a store ever held is
// refused here; the round is looked up anyway, and an unknown one is "no longer active".
const VALUE = /^([^:\s]+):(\d+):(\d+)$/;

/**
 * A quiz question's answer button: records the first press of each member, judged against the question's deadline.
 * Its value is `roundId:index:option`.
 */
export const quizAnswer = defineAction<QuizAnswerPayload>({
  id: 'quiz.answer',
  keptBeforeAck: true,
  encode: ({ roundId, index, option }) => `${roundId}:${index}:${option}`,
  decode(value) {
    const [, roundId, indexText, optionText] = VALUE.exec(value) ?? [];
    const index = naturalIn(indexText, 3);
    const option = naturalIn(optionText, 2);
    return roundId && index !== null && option !== null ? { roundId, index, option } : null;
  },
  async run(ctx, { roundId, index, option }) {
    const { who } = ctx.incoming;
    return [
      await ctx.quiz.answer({
        channelKey: ctx.channelKey,
        userId: who.userId,
        displayName: who.displayName,
        roundId,
        index,
        option,
        lang: ctx.lang,
        receivedAt: ctx.incoming.receivedAt.getTime(),
        ...(ctx.incoming.delivered ? { delivered: ctx.incoming.delivered } : {}),
      }),
    ];
  },
});
