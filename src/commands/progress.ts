import { progressReply } from '../lessons/lesson-replies.ts';
import { memberProgress } from '../lessons/member-progress.ts';
import type { Command } from './command.ts';

/** `/orch progress`: the caller's lessons done and streaks in this channel, privately. */
export const progress: Command = {
  name: 'progress',
  aliases: ['진도', '내진도', '진행'],
  description: { en: 'Your lessons done and your streak', ko: '내가 완료한 레슨과 연속 기록' },
  options: [],
  async run(ctx) {
    const { done, streak } = await memberProgress(ctx.store, ctx.channelKey, ctx.incoming.who.userId);
    return [progressReply(ctx.catalog, done, streak, ctx.lang)];
  },
};
