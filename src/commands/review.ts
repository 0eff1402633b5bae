import { reviewQuestionReply } from '../actions/review-answer.ts';
import { channelKeyPrefix, memberKeyIn, parseChannelKey, userKeyOf } from '../channel-key.ts';
import { DIRECT_SPACE } from '../incoming.ts';
import type { Command } from './command.ts';

/** `/orch review`: the caller's missed questions that are due, one at a time, privately. */
export const review: Command = {
  name: 'review',
  aliases: ['복습'],
  personal: true,
  description: { en: 'Review the quiz questions you missed', ko: '퀴즈에서 틀린 문제 복습' },
  help: {
    group: 'quiz',
    example: { en: '/orch review', ko: '/orch 복습' },
    syntax: [
      {
        usage: { en: '/orch review', ko: '/orch 복습' },
        what: {
          en: 'your missed quiz questions, one at a time when each is due (spaced repetition); only you see them',
          ko: '퀴즈에서 틀린 문제를 때가 되면 하나씩 다시 풀어요 (간격 반복). 나에게만 보여요',
        },
      },
    ],
  },
  options: [],
  async run(ctx) {
    const { who, where } = ctx.incoming;
    const now = ctx.clock.now().getTime();
    // Cards belong to a space; a direct message has none, so it reviews the first space of the member's study that
    // has questions due, and the buttons name that space.
    let space: string | undefined;
    let userKey = userKeyOf(ctx.channelKey, who.userId);
    if (where.space === DIRECT_SPACE) {
      const studied = await ctx.store.studyChannels(who.userId, channelKeyPrefix(where.platform, null), 50);
      const spaces = [...new Set(studied.map((s) => parseChannelKey(s.channelKey)?.space ?? ''))];
      for (const candidate of spaces.filter((s) => s !== '')) {
        const key = memberKeyIn(where.platform, candidate, who.userId);
        if ((await ctx.store.countDueReviews(key, now)) > 0) {
          space = candidate;
          userKey = key;
          break;
        }
      }
    }
    const due = await ctx.store.dueReviews(userKey, now, 1);
    const total = await ctx.store.countDueReviews(userKey, now);
    const card = due[0] ?? null;
    return {
      replies: [reviewQuestionReply(card, total, ctx.lang, space)],
      data: {
        due: total,
        question: card
          ? {
              id: card.questionId,
              question: card.question.question[ctx.lang],
              options: card.question.options.map((o) => o[ctx.lang]),
            }
          : null,
      },
    };
  },
};
