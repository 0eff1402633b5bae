import { t } from '../i18n/messages.ts';
import { privateText } from '../reply/model.ts';
import { defineAction, PLATFORM_ID } from './action.ts';
import { reviewerKey, reviewQuestionReply } from './review-answer.ts';

const SPACE = new RegExp(`^${PLATFORM_ID}$`);

/**
 * The personal view's "Start review": asks the member's first due review question of one space, privately, as
 * `/orch review` does there. Its value is the space (a team or guild id), so it works from a direct message too.
 */
export const reviewStart = defineAction<string>({
  id: 'review.start',
  personal: true,
  encode: (space) => space,
  decode: (value) => (SPACE.test(value) ? value : null),
  async run(ctx, space) {
    const userKey = reviewerKey(ctx, space);
    if (!userKey) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    const now = ctx.clock.now().getTime();
    const [due, total] = await Promise.all([
      ctx.store.dueReviews(userKey, now, 1),
      ctx.store.countDueReviews(userKey, now),
    ]);
    // Inside its own space a question's buttons need not name it; from elsewhere they must.
    const named = space === ctx.incoming.where.space ? undefined : space;
    return [reviewQuestionReply(due[0] ?? null, total, ctx.lang, named)];
  },
});
