import { UserError } from '../errors.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { countryCodeFromKorean, countryName } from '../i18n/phrases.ts';
import { nextFireAfter } from '../lessons/cron-fires.ts';
import { isSupportedCountry } from '../lessons/holidays.ts';
import { parseScheduleRule, scheduleRuleText, TOO_FREQUENT } from '../lessons/schedule-rule.ts';
import { canonicalTimeZone } from '../lessons/time-zone.ts';
import { type Reply, textReply } from '../reply/model.ts';
import type { ChannelSettings } from '../store/store.ts';
import type { Command, CommandAnswer, CommandContext, CommandData } from './command.ts';
import { requireAdmin } from './require-admin.ts';
import { UsageError } from './usage-error.ts';

/** A fire time as the channel reads it: local date and time with the zone's name. */
export function formatInZone(ms: number | null, timeZone: string, lang: Lang): string {
  if (ms === null) return t(lang, 'schedule.never');
  const text = formatDateTime(ms, timeZone, lang, { year: true });
  return `${text} (${timeZone})`;
}

const say = (text: string, visibility: Reply['visibility'] = 'channel'): Reply[] => [
  textReply(text, visibility),
];

/** The schedule as a script reads it: the rule, its cron form and zone, and the next fire as an ISO time. */
function scheduleData(c: ChannelSettings | null, action: string): CommandData {
  return {
    action,
    rule: c?.cron ? (c.scheduleText ?? c.cron) : null,
    cron: c?.cron ?? null,
    timeZone: c?.cron ? c.timeZone : null,
    paused: c?.paused ?? false,
    nextFireAt: c?.cron && !c.paused && c.nextFireAt !== null ? new Date(c.nextFireAt).toISOString() : null,
    holidayCountry: c?.holidayCountry ?? null,
    nextLesson: c?.position ?? 1,
  };
}

/** What `/orch schedule show` says of a channel's schedule. */
function scheduleText(c: ChannelSettings | null, lang: Lang): string {
  if (!c?.cron || !c.timeZone) return t(lang, 'schedule.none');
  return t(lang, 'schedule.show', {
    rule: scheduleRuleText(c.scheduleText ?? c.cron, lang),
    paused: c.paused ? t(lang, 'schedule.pausedNote') : '',
    next: c.paused ? t(lang, 'schedule.never') : formatInZone(c.nextFireAt, c.timeZone, lang),
    holidays: c.holidayCountry ? countryName(c.holidayCountry, lang) : t(lang, 'schedule.off.none'),
  });
}

/**
 * A channel's settings as text: its schedule as `/orch schedule show` tells it and its language as `/orch lang`
 * does. The personal view's settings button answers with it until the settings form exists.
 */
export function channelSettingsText(c: ChannelSettings | null, channel: string, lang: Lang): string {
  const language = t(lang, 'lang.show', {
    lang: t(lang, c?.lang ? `langName.${c.lang}` : 'lang.automatic'),
  });
  return [
    `**${t(lang, 'settings.heading', { channel: `\`${channel}\`` })}**`,
    scheduleText(c, lang),
    language,
  ].join('\n');
}

function show(ctx: CommandContext): CommandAnswer {
  const data = scheduleData(ctx.channel, 'show');
  return { replies: say(scheduleText(ctx.channel, ctx.lang), 'private'), data };
}

// The readers below are shared by the typed commands and the settings form, so both refuse the same input with the
// same message; each throws a UsageError and changes nothing.

/** A schedule rule in friendly Korean or English or cron, read in `timeZone` unless it names its own zone. */
export function readScheduleRule(
  input: string,
  timeZone: string,
): { cron: string; timeZone: string; text: string } {
  const parsed = parseScheduleRule(input, timeZone);
  if (!parsed.ok) {
    if (parsed.error.detail === TOO_FREQUENT) throw new UsageError('schedule.tooFrequent');
    const detail = parsed.error.detail.slice(0, 60);
    throw new UsageError(parsed.error.code === 'badZone' ? 'schedule.badZone' : 'schedule.bad', { detail });
  }
  return parsed.rule;
}

/** An IANA time zone, in its canonical spelling (`asia/seoul` gives `Asia/Seoul`). */
export function readTimeZone(input: string): string {
  const zone = canonicalTimeZone(input.trim());
  if (zone === null) throw new UsageError('schedule.badZone', { detail: input.trim().slice(0, 60) });
  return zone;
}

/** The country whose public holidays are skipped (`KR`, a Korean name such as `한국`), or null for `off`/`끄기`. */
export function readHolidayCountry(input: string): string | null {
  const word = input.trim();
  const upper = word.toUpperCase();
  if (upper === 'OFF' || word === '끄기') return null;
  const country = countryCodeFromKorean(word) ?? upper;
  if (!isSupportedCountry(country))
    throw new UsageError('schedule.badCountry', { detail: word.slice(0, 10) });
  return country;
}

/** `/orch schedule <rule> [zone]`, `show`, `pause`, `resume`, `off`, `skip-holidays <country|off>`. */
export const schedule: Command = {
  name: 'schedule',
  aliases: ['일정'],
  description: { en: 'When this channel gets its daily lesson', ko: '이 채널에 레슨이 올라오는 일정' },
  help: {
    group: 'study',
    example: { en: '/orch schedule weekdays 09:00 Asia/Seoul', ko: '/orch 일정 평일 09:00 Asia/Seoul' },
    syntax: [
      {
        usage: { en: '/orch schedule <rule> [time zone]', ko: '/orch 일정 <규칙> [시간대]' },
        what: {
          en: 'post one lesson at these times: `daily 21:30`, `weekdays 09:00`, `mon,wed,fri 08:00`, `평일 09:00`, `월수금 오후 9시`, or cron `30 21 * * 1-5`; the zone is an IANA name such as `Asia/Seoul`',
          ko: '이 시각마다 레슨을 하나씩 올려요: `매일 21:30`, `평일 09:00`, `월수금 오후 9시`, `weekdays 09:00`, 또는 `cron` 식 `30 21 * * 1-5`. 시간대는 `Asia/Seoul` 같은 IANA 이름이에요',
        },
      },
      {
        usage: { en: '/orch schedule show', ko: '/orch 일정 보기' },
        what: { en: 'the rule and the next post', ko: '지금 규칙과 다음 게시 시각' },
      },
      {
        usage: { en: '/orch schedule pause | resume | off', ko: '/orch 일정 정지 | 재개 | 끄기' },
        what: {
          en: 'stop for a while, go on (missed days are not caught up), or remove the schedule (the roadmap place is kept)',
          ko: '잠시 멈추기, 다시 시작하기(멈춘 동안의 레슨은 건너뛰어요), 일정 지우기(로드맵 진도는 남아요)',
        },
      },
      {
        usage: { en: '/orch schedule skip-holidays <KR|US|…|off>', ko: '/orch 일정 공휴일 <KR|US|…|off>' },
        what: {
          en: "skip a country's public holidays, or stop skipping them",
          ko: '그 나라의 공휴일에는 건너뛰거나, 건너뛰기를 그만둬요',
        },
      },
    ],
    admin: {
      en: 'changing the schedule: channel admins only; `show`: everyone',
      ko: '일정 변경은 채널 관리자만 할 수 있어요. `보기`는 누구나 쓸 수 있어요',
    },
  },
  options: [
    {
      name: 'rule',
      description: {
        en: 'e.g. weekdays 09:00 Asia/Seoul, or show',
        ko: '예: 평일 09:00 Asia/Seoul 또는 show',
      },
      required: false,
      autocomplete: 'scheduleRule',
    },
  ],
  async run(ctx, rest) {
    const words = rest.split(' ').filter((w) => w.length > 0);
    const sub = words[0]?.toLowerCase();
    if (sub === undefined || sub === 'show' || sub === '보기') return show(ctx);
    const change = planChange(ctx, rest, words);
    await requireAdmin(ctx, 'what.schedule', 'schedule');
    return change();
  },
};

/**
 * Reads a schedule change and returns the step that makes it: a line that cannot be read is refused before the
 * admin check (so the error says what was wrong), and nothing is written until the step runs.
 */
function planChange(
  ctx: CommandContext,
  rest: string,
  words: readonly string[],
): () => Promise<CommandAnswer> {
  const sub = words[0]?.toLowerCase();
  const now = ctx.clock.now().getTime();
  const c = ctx.channel;
  const update = (patch: Parameters<typeof ctx.store.updateChannel>[1]) =>
    ctx.store.updateChannel(ctx.channelKey, patch, now);
  const answer = (text: string, action: string, saved: ChannelSettings): CommandAnswer => ({
    replies: say(text),
    data: scheduleData(saved, action),
  });

  if (sub === 'pause' || sub === '정지') {
    if (words.length > 1)
      throw new UsageError('usage.scheduleExtra', { value: words.slice(1).join(' ').slice(0, 40) });
    return async () => {
      if (!c?.cron) throw new UserError('schedule.none');
      return answer(t(ctx.lang, 'schedule.paused'), 'pause', await update({ paused: true }));
    };
  }
  if (sub === 'resume' || sub === '재개') {
    if (words.length > 1)
      throw new UsageError('usage.scheduleExtra', { value: words.slice(1).join(' ').slice(0, 40) });
    return async () => {
      const cron = c?.cron;
      const zone = c?.timeZone;
      if (!cron || !zone) throw new UserError('schedule.none');
      // Fires that fell inside the pause are not caught up: the group chose not to study then.
      const next = nextFireAfter(cron, zone, now);
      const saved = await update({ paused: false, nextFireAt: next });
      return answer(
        t(ctx.lang, 'schedule.resumed', { next: formatInZone(next, zone, ctx.lang) }),
        'resume',
        saved,
      );
    };
  }
  if (sub === 'off' || sub === '끄기') {
    if (words.length > 1)
      throw new UsageError('usage.scheduleExtra', { value: words.slice(1).join(' ').slice(0, 40) });
    return async () =>
      answer(
        t(ctx.lang, 'schedule.off'),
        'off',
        await update({ cron: null, scheduleText: null, nextFireAt: null, paused: false }),
      );
  }
  if (sub === 'skip-holidays' || sub === '공휴일') {
    const word = words[1];
    if (words.length !== 2 || word === undefined) throw new UsageError('usage.holidays');
    const country = readHolidayCountry(word);
    if (country === null)
      return async () =>
        answer(t(ctx.lang, 'schedule.holidaysOff'), 'skip-holidays', await update({ holidayCountry: null }));
    return async () =>
      answer(
        t(ctx.lang, 'schedule.holidaysOn', { country: countryName(country, ctx.lang) }),
        'skip-holidays',
        await update({ holidayCountry: country }),
      );
  }

  const { cron, timeZone, text } = readScheduleRule(rest, c?.timeZone ?? ctx.defaultTimeZone);
  return async () => {
    const next = nextFireAfter(cron, timeZone, now);
    const saved = await update({ cron, timeZone, scheduleText: text, paused: false, nextFireAt: next });
    return answer(
      t(ctx.lang, 'schedule.set', {
        rule: scheduleRuleText(text, ctx.lang),
        lesson: Math.min(saved.position, ctx.catalog.roadmap.lessons.length),
        next: formatInZone(next, timeZone, ctx.lang),
      }),
      'set',
      saved,
    );
  };
}
