import { lessonByNumber } from '../catalog/model.ts';
import { UserError } from '../errors.ts';
import { lessonReply } from '../lessons/lesson-replies.ts';
import { zonedParts } from '../lessons/time-zone.ts';
import { isPostedLesson } from '../store/store.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './usage-error.ts';

/** The lesson "today" means: the one posted today in the channel's zone, else the next one due. */
async function currentLesson(ctx: CommandContext): Promise<number> {
  const position = ctx.channel?.position ?? 1;
  const zone = ctx.channel?.timeZone ?? ctx.defaultTimeZone;
  const last = (await ctx.store.ledger(ctx.channelKey, 20)).find(isPostedLesson);
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
  help: {
    group: 'study',
    example: { en: '/orch lesson 3', ko: '/orch 레슨 3' },
    syntax: [
      {
        usage: { en: '/orch lesson', ko: '/orch 레슨' },
        what: {
          en: "today's lesson (the one posted today, else the next one due)",
          ko: '오늘의 레슨 (오늘 올라온 레슨, 없으면 다음에 올라올 레슨)',
        },
      },
      {
        usage: { en: '/orch lesson next', ko: '/orch 레슨 다음' },
        what: { en: 'the next lesson this channel gets', ko: '이 채널이 다음에 받을 레슨' },
      },
      {
        usage: { en: '/orch lesson <number>', ko: '/orch 레슨 <번호>' },
        what: { en: 'any lesson of the roadmap', ko: '로드맵의 아무 레슨이나' },
      },
      {
        usage: { en: '/orch lesson <number> answer', ko: '/orch 레슨 <번호> 정답' },
        what: { en: "the lesson with its check question's answer", ko: '확인 문제의 정답까지 함께' },
      },
    ],
  },
  options: [
    {
      name: 'which',
      description: { en: 'next, or a lesson number', ko: '다음 또는 레슨 번호' },
      required: false,
      autocomplete: 'lesson',
    },
  ],
  async run(ctx, rest) {
    const words = rest.split(' ').filter((w) => w.length > 0);
    const last = words[words.length - 1]?.toLowerCase();
    const answer = last === 'answer' || last === '정답';
    if (answer) words.pop();
    if (words.length > 1) throw new UsageError('usage.lessonWords', { value: words.join(' ').slice(0, 40) });
    const total = ctx.catalog.roadmap.lessons.length;
    const which = words[0]?.toLowerCase();
    const next = which === 'next' || which === '다음';
    let number: number;
    if (which === undefined) number = await currentLesson(ctx);
    else if (next) number = ctx.channel?.position ?? 1;
    else if (/^\d+$/.test(which)) number = Number(which);
    else throw new UsageError('usage.lessonWhich', { value: which.slice(0, 20), total });
    const found = lessonByNumber(ctx.catalog, number);
    if (!found) {
      if (next) throw new UserError('lesson.finished', { total });
      throw new UsageError('lesson.outOfRange', { value: which ?? String(number), total });
    }
    return {
      replies: [lessonReply(ctx.catalog, found, ctx.lang, { answer })],
      data: {
        number: found.number,
        id: found.id,
        total,
        track: found.trackId,
        stage: found.stage,
        answer,
      },
    };
  },
};
