import { lessonDone } from '../actions/lesson-done.ts';
import { lessonOpen } from '../actions/lesson-open.ts';
import { lessonByNumber } from '../catalog/model.ts';
import { t } from '../i18n/messages.ts';
import { type CatchUpDay, groupRate, lessonsBehind, MAX_PER_DAY, planCatchUps } from '../lessons/catch-up.ts';
import { LEDGER_DEPTH, postedOrder } from '../lessons/member-progress.ts';
import { type Block, privateText, type Reply } from '../reply/model.ts';
import type { Command, CommandAnswer, CommandContext } from './command.ts';
import { UsageError } from './usage-error.ts';

const END = ['off', 'end', 'stop', '끝', '끄기', '그만'];

/** A daily number as typed: `2`, `2/day`, `2 a day`, `하루 2개`, `2개`; null for anything else or out of range. */
export function readPerDay(text: string): number | null {
  const bare = text
    .toLowerCase()
    .replace(/하루에?|per day|a day|\/\s*d(ay)?|개/g, ' ')
    .trim();
  if (!/^\d{1,2}$/.test(bare)) return null;
  const n = Number(bare);
  return n >= 1 && n <= MAX_PER_DAY ? n : null;
}

function zoneOf(ctx: CommandContext): string {
  return ctx.channel?.timeZone ?? ctx.defaultTimeZone;
}

/** Today's lessons of a member catching up, each with Open and Done, and how far they still are from the group. */
function todayReply(
  ctx: CommandContext,
  plan: CatchUpDay,
  member: { perDay: number; done: ReadonlySet<number> },
  now: number,
): CommandAnswer {
  const userId = ctx.incoming.who.userId;
  const { perDay, done } = member;
  if (plan.reached.includes(userId))
    return {
      replies: [privateText(t(ctx.lang, 'catchup.reached'))],
      data: { action: 'reached', today: [], behind: 0 },
    };
  const today = plan.lessons.get(userId) ?? [];
  const behind = plan.behind.get(userId) ?? 0;
  const blocks: Block[] = [{ type: 'heading', text: t(ctx.lang, 'catchup.heading') }];
  const lines = today.map((n) => {
    const lesson = lessonByNumber(ctx.catalog, n);
    const name = t(ctx.lang, 'thread.lessonName', { number: n, title: lesson?.title[ctx.lang] ?? '' });
    return `${done.has(n) ? '✅' : '▫️'} ${name}`;
  });
  blocks.push({ type: 'text', text: lines.join('\n') });
  const open = today.filter((n) => !done.has(n));
  if (open.length > 0)
    blocks.push({
      type: 'choices',
      choices: open.flatMap((n) => [
        lessonOpen.button(t(ctx.lang, 'pace.open', { number: n }), n, ctx.lang),
        lessonDone.button(`✅ ${t(ctx.lang, 'catchup.done', { number: n })}`, n, ctx.lang, 'primary'),
      ]),
    });
  else blocks.push({ type: 'text', text: t(ctx.lang, 'catchup.todayDone') });
  // A paused schedule or a finished roadmap brings the group no new lessons: every day closes the gap.
  const still = !ctx.channel?.paused && (ctx.channel?.position ?? 1) <= ctx.catalog.roadmap.lessons.length;
  const rate = still ? groupRate(ctx.channel?.cron ?? null, zoneOf(ctx), now) : 0;
  const gain = perDay - rate;
  const footer = [t(ctx.lang, 'catchup.behind', { count: behind, perDay })];
  footer.push(
    gain > 0
      ? t(ctx.lang, 'catchup.eta', { days: Math.ceil(behind / gain) })
      : t(ctx.lang, 'catchup.noEta', { rate: rate.toFixed(1), perDay }),
  );
  blocks.push({ type: 'context', text: footer.join(' ') });
  const reply: Reply = { visibility: 'private', blocks };
  return { replies: [reply], data: { action: 'today', today, behind, perDay } };
}

/**
 * `/orch catchup 2/day` (따라잡기 하루 2개): a member who joined late (or fell behind) gets the lessons the group
 * already had, privately, at most that many a day, until they reach the group; then it ends by itself. The day's
 * lessons are planned at the channel's slot (or when the member first asks that day) and stay the same all day.
 */
export const catchup: Command = {
  name: 'catchup',
  aliases: ['따라잡기'],
  description: { en: 'Catch up with the group at your own pace', ko: '내 속도로 그룹 따라잡기' },
  help: {
    group: 'study',
    example: { en: '/orch catchup 2/day', ko: '/orch 따라잡기 하루 2개' },
    syntax: [
      {
        usage: { en: '/orch catchup 2/day', ko: '/orch 따라잡기 하루 2개' },
        what: {
          en: `the lessons you missed, privately, at most that many a day (1 to ${MAX_PER_DAY}) until you reach the group`,
          ko: `놓친 레슨을 하루에 정한 개수(1~${MAX_PER_DAY}개)만큼 나만 볼 수 있게 보내 줘요. 그룹을 따라잡으면 자동으로 끝나요`,
        },
      },
      {
        usage: { en: '/orch catchup | off', ko: '/orch 따라잡기 | 끝' },
        what: {
          en: "today's catch-up lessons, or stop catching up",
          ko: '오늘의 따라잡기 레슨을 보거나 따라잡기를 끝내요',
        },
      },
    ],
  },
  options: [{ name: 'pace', description: { en: '2/day or off', ko: '하루 2개 또는 끝' }, required: false }],
  async run(ctx, rest) {
    const input = rest.trim();
    const userId = ctx.incoming.who.userId;
    const now = ctx.clock.now().getTime();
    // One plan of the channel's day answers the member: whether they are catching up, at what number, and what today holds.
    const today = async () => {
      const plan = await planCatchUps(ctx.store, ctx.channelKey, zoneOf(ctx), now);
      const member = plan.members.get(userId);
      return member ? todayReply(ctx, plan, member, now) : null;
    };
    if (END.includes(input.toLowerCase())) {
      const ended = await ctx.store.endCatchUp(ctx.channelKey, userId);
      return {
        replies: [privateText(t(ctx.lang, ended ? 'catchup.ended' : 'catchup.notOn'))],
        data: { action: 'end', ended },
      };
    }
    if (input === '') {
      const mine = await today();
      if (mine) return mine;
      const posted = postedOrder(await ctx.store.ledger(ctx.channelKey, LEDGER_DEPTH));
      const behind = lessonsBehind(posted, new Set(await ctx.store.completions(ctx.channelKey, userId)));
      const text =
        behind === 0 ? t(ctx.lang, 'catchup.notBehind') : t(ctx.lang, 'catchup.offer', { count: behind });
      return { replies: [privateText(text)], data: { action: 'show', behind } };
    }
    const perDay = readPerDay(input);
    if (perDay === null)
      throw new UsageError('usage.catchup', { value: input.slice(0, 20), max: MAX_PER_DAY });
    // A member already catching up keeps the day they started (the store changes only the number).
    await ctx.store.setCatchUp({ channelKey: ctx.channelKey, userId, perDay, startedAt: now });
    const started = await today();
    if (!started) throw new Error(`catch-up of ${userId} in ${ctx.channelKey} was not kept`);
    return started;
  },
};
