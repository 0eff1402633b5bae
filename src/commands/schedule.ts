import { UserError } from '../errors.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { countryName } from '../i18n/phrases.ts';
import { isSupportedCountry } from '../lessons/holidays.ts';
import {
  nextFireAfter,
  parseScheduleRule,
  scheduleRuleText,
  TOO_FREQUENT,
} from '../lessons/schedule-rule.ts';
import type { Reply } from '../reply/model.ts';
import type { Command, CommandContext } from './command.ts';
import { requireAdmin } from './require-admin.ts';

/** A fire time as the channel reads it: local date and time with the zone's name. */
export function formatInZone(ms: number | null, timeZone: string, lang: Lang): string {
  if (ms === null) return t(lang, 'schedule.never');
  const text = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  return `${text} (${timeZone})`;
}

const say = (text: string, visibility: Reply['visibility'] = 'channel'): Reply[] => [
  { visibility, blocks: [{ type: 'text', text }] },
];

function show(ctx: CommandContext): Reply[] {
  const c = ctx.channel;
  if (!c?.cron || !c.timeZone) return say(t(ctx.lang, 'schedule.none'), 'private');
  return say(
    t(ctx.lang, 'schedule.show', {
      rule: scheduleRuleText(c.scheduleText ?? c.cron, ctx.lang),
      paused: c.paused ? t(ctx.lang, 'schedule.pausedNote') : '',
      next: c.paused ? t(ctx.lang, 'schedule.never') : formatInZone(c.nextFireAt, c.timeZone, ctx.lang),
      holidays: c.holidayCountry ? countryName(c.holidayCountry, ctx.lang) : t(ctx.lang, 'schedule.off.none'),
    }),
    'private',
  );
}

/** `/orch schedule <rule> [zone]`, `show`, `pause`, `resume`, `off`, `skip-holidays <country|off>`. */
export const schedule: Command = {
  name: 'schedule',
  aliases: ['일정'],
  description: { en: 'When this channel gets its daily lesson', ko: '이 채널에 레슨이 올라오는 일정' },
  options: [
    {
      name: 'rule',
      description: {
        en: 'e.g. weekdays 09:00 Asia/Seoul, or show',
        ko: '예: 평일 09:00 Asia/Seoul 또는 show',
      },
      required: false,
    },
  ],
  async run(ctx, rest) {
    const words = rest.split(' ').filter((w) => w.length > 0);
    const sub = words[0]?.toLowerCase();
    if (sub === undefined || sub === 'show' || sub === '보기') return show(ctx);
    await requireAdmin(ctx, 'what.schedule', 'schedule');
    const now = ctx.clock.now().getTime();
    const c = ctx.channel;
    const update = (patch: Parameters<typeof ctx.store.updateChannel>[1]) =>
      ctx.store.updateChannel(ctx.channelKey, patch, now);

    if (sub === 'pause' || sub === '정지') {
      if (!c?.cron) throw new UserError('schedule.none');
      await update({ paused: true });
      return say(t(ctx.lang, 'schedule.paused'));
    }
    if (sub === 'resume' || sub === '재개') {
      if (!c?.cron || !c.timeZone) throw new UserError('schedule.none');
      // Fires that fell inside the pause are not caught up: the group chose not to study then.
      const next = nextFireAfter(c.cron, c.timeZone, now);
      await update({ paused: false, nextFireAt: next });
      return say(t(ctx.lang, 'schedule.resumed', { next: formatInZone(next, c.timeZone, ctx.lang) }));
    }
    if (sub === 'off' || sub === '끄기') {
      await update({ cron: null, scheduleText: null, nextFireAt: null, paused: false });
      return say(t(ctx.lang, 'schedule.off'));
    }
    if (sub === 'skip-holidays' || sub === '공휴일') {
      const country = words[1]?.toUpperCase();
      if (words.length !== 2 || country === undefined) throw new UserError('schedule.usage');
      if (country === 'OFF') {
        await update({ holidayCountry: null });
        return say(t(ctx.lang, 'schedule.holidaysOff'));
      }
      if (!isSupportedCountry(country))
        throw new UserError('schedule.badCountry', { detail: country.slice(0, 10) });
      await update({ holidayCountry: country });
      return say(t(ctx.lang, 'schedule.holidaysOn', { country: countryName(country, ctx.lang) }));
    }

    const parsed = parseScheduleRule(rest, c?.timeZone ?? ctx.defaultTimeZone);
    if (!parsed.ok) {
      if (parsed.error.detail === TOO_FREQUENT) throw new UserError('schedule.tooFrequent');
      const detail = parsed.error.detail.slice(0, 60);
      throw new UserError(parsed.error.code === 'badZone' ? 'schedule.badZone' : 'schedule.bad', { detail });
    }
    const { cron, timeZone, text } = parsed.rule;
    const next = nextFireAfter(cron, timeZone, now);
    const saved = await update({ cron, timeZone, scheduleText: text, paused: false, nextFireAt: next });
    return say(
      t(ctx.lang, 'schedule.set', {
        rule: scheduleRuleText(text, ctx.lang),
        lesson: Math.min(saved.position, ctx.catalog.roadmap.lessons.length),
        next: formatInZone(next, timeZone, ctx.lang),
      }),
    );
  },
};
