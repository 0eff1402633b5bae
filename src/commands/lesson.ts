import { UserError } from '../errors.ts';
import { lessonByNumber, lessonReply } from '../lessons/lesson-replies.ts';
import { zonedParts } from '../lessons/time-zone.ts';
import type { Command, CommandContext } from './command.ts';

/** The lesson "today" means: the one posted today in the channel's zone, else the next one due. */
async function currentLesson(ctx: CommandContext): Promise<number> {
  const position = ctx.channel?.position ?? 1;
  const zone = ctx.channel?.timeZone ?? ctx.defaultTimeZone;
  const last = (await ctx.store.ledger(ctx.channelKey, 20)).find((e) => e.status === 'posted');
  if (last?.postedAt != null) {
    const day = (ms: number) => {
      const p = zonedParts(ms, zone);
      return `${p.year}-${p.month}-${p.day}`;
    };
    if (day(last.postedAt) === day(ctx.clock.now().getTime())) return last.lesson;
  }
  return Math.min(position, ctx.catalog.roadmap.lessons.length);
}

/** `/orch lesson`, `lesson next`, `lesson <n>`, `lesson <n> answer`. */
export const lesson: Command = {
  name: 'lesson',
  aliases: ['레슨'],
  description: {
    en: "Today's lesson, the next one, or any lesson by number",
    ko: '오늘의 레슨, 다음 레슨, 번호로 레슨 보기',
  },
  options: [
    {
      name: 'which',
      description: { en: 'next, or a lesson number', ko: 'next 또는 레슨 번호' },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const words = rest.split(' ').filter((w) => w.length > 0);
    const answer = words[words.length - 1] === 'answer' || words[words.length - 1] === '정답';
    if (answer) words.pop();
    if (words.length > 1) throw new UserError('lesson.usage');
    const total = ctx.catalog.roadmap.lessons.length;
    const which = words[0];
    let number: number;
    if (which === undefined) number = await currentLesson(ctx);
    else if (which === 'next' || which === '다음') number = ctx.channel?.position ?? 1;
    else if (/^\d+$/.test(which)) number = Number(which);
    else throw new UserError('lesson.usage');
    const found = lessonByNumber(ctx.catalog, number);
    if (!found) {
      if (which === 'next' || which === '다음') throw new UserError('lesson.finished', { total });
      throw new UserError('lesson.outOfRange', { value: which ?? String(number), total });
    }
    return [lessonReply(ctx.catalog, found, ctx.lang, { answer })];
  },
};
