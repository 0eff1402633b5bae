import { createHash } from 'node:crypto';
import { lessonByNumber } from '../catalog/model.ts';
import { formatChannelKey } from '../channel-key.ts';
import { UserError } from '../errors.ts';
import { formatDateTime } from '../i18n/dates.ts';
import { isLang, type Lang, type MessageKey, t } from '../i18n/messages.ts';
import { countryName } from '../i18n/phrases.ts';
import { type Incoming, isAdminUser } from '../incoming.ts';
import { nextFireAfter } from '../lessons/cron-fires.ts';
import { isPublicHoliday } from '../lessons/holidays.ts';
import { scheduleRuleText } from '../lessons/schedule-rule.ts';
import type { Block, Form, FormField, Reply } from '../reply/model.ts';
import type { ChannelSettings } from '../store/store.ts';
import type { CommandAnswer, CommandContext } from './command.ts';
import { readLangValue } from './lang.ts';
import { QUIZ_COUNT, QUIZ_SECONDS, quizDefaults, readQuizDefaults } from './quiz.ts';
import { readHolidayCountry, readScheduleRule, readTimeZone } from './schedule.ts';
import { UsageError } from './usage-error.ts';

/** The id the settings form carries through the platform and comes back with. */
export const SETTINGS_FORM_ID = 'settings';

/** The form's fields, in order of importance: a platform that holds fewer fields (Discord: 5) drops the last. */
export const SETTINGS_FIELDS = ['rule', 'zone', 'holidays', 'lang', 'quiz', 'threads'] as const;
export type SettingsFieldId = (typeof SETTINGS_FIELDS)[number];

/** How many coming posts the form previews. */
export const PREVIEW_POSTS = 5;
// A rule whose fires all fall on holidays (a daily rule in a long holiday) still previews in bounded time.
const PREVIEW_MAX_FIRES = 400;

/** Zones offered in the form's list; any other zone the channel already has is added to it. */
const ZONES = [
  'Asia/Seoul',
  'Asia/Tokyo',
  'Asia/Shanghai',
  'Asia/Singapore',
  'Asia/Kolkata',
  'Australia/Sydney',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'UTC',
] as const;

/** What the form shows and what a submission is compared against: the settings a person can change in it. */
interface Shown {
  rule: string;
  zone: string;
  holidays: string;
  lang: string;
  quiz: string;
  threads: string;
}

function shownOf(c: ChannelSettings | null, defaultTimeZone: string): Shown {
  const quiz = quizDefaults(c);
  return {
    rule: c?.cron ? (c.scheduleText ?? c.cron) : '',
    zone: c?.timeZone ?? defaultTimeZone,
    holidays: c?.holidayCountry ?? '',
    lang: c?.lang ?? 'auto',
    quiz: `${quiz.count} ${quiz.seconds}`,
    threads: (c?.threads ?? true) ? 'on' : 'off',
  };
}

/**
 * A short fingerprint of the settings a form showed. A submission whose fingerprint no longer matches was made on a
 * form opened before the settings changed (another admin, or the same form submitted twice); it changes nothing.
 * Fire times and the roadmap place are left out: the scheduler moves them, and they are not in the form.
 */
function fingerprint(shown: Shown, paused: boolean): string {
  return createHash('sha256')
    .update(JSON.stringify([shown, paused]))
    .digest('base64url')
    .slice(0, 16);
}

/** A channel a form changes when it is not the one it was opened in (a personal view's settings button). */
export interface FormTarget {
  space: string;
  channel: string;
}

// Platform ids are letters and digits (Slack C…, Discord snowflakes): none holds the state's separators.
const TARGET = /^([A-Za-z0-9]{1,40})\/([A-Za-z0-9]{1,40})$/;

/**
 * The form's state: the language it was shown in, the fingerprint of what it showed and, for a form opened outside
 * the channel it changes (Slack's Home tab, a Discord DM), that channel as `space/channel`. The state travels
 * through the platform untouched (Slack private_metadata, a Discord custom id), so every adapter carries the
 * target back without knowing of it; the submission is checked again before it applies (see formTarget).
 */
function formState(lang: Lang, print: string, target?: FormTarget): string {
  return target ? `${lang}.${print}.${target.space}/${target.channel}` : `${lang}.${print}`;
}

function readState(state: string): { lang: Lang | null; print: string; target: FormTarget | null | 'bad' } {
  const [lang, print = '', target, ...extra] = state.split('.');
  let named: FormTarget | null | 'bad' = null;
  if (target !== undefined || extra.length > 0) {
    const [, space, channel] = TARGET.exec(target ?? '') ?? [];
    named = space && channel && extra.length === 0 ? { space, channel } : 'bad';
  }
  return { lang: isLang(lang) ? lang : null, print, target: named };
}

/** The language a submitted form answers in: the one it was shown in. */
export function formLang(incoming: Incoming): Lang | null {
  return incoming.kind === 'submit' ? readState(incoming.state).lang : null;
}

/**
 * The channel a submitted form names, null when it changes the channel it was opened in, `bad` for a state this
 * core never made (refused without change). The caller still checks the channel is reachable from where the
 * submission came (reachableChannelKey) and the submitter is an admin (submitSettings).
 */
export function formTarget(incoming: Incoming): FormTarget | null | 'bad' {
  return incoming.kind === 'submit' ? readState(incoming.state).target : null;
}

/** The next posts of a channel with these settings: when (in its zone) and which lesson, holidays skipped. */
export function nextPosts(
  c: ChannelSettings | null,
  ctx: Pick<CommandContext, 'catalog' | 'clock'>,
  count = PREVIEW_POSTS,
): { at: number; lesson: number; title: { ko: string; en: string } }[] {
  if (!c?.cron || !c.timeZone || c.paused) return [];
  const total = ctx.catalog.roadmap.lessons.length;
  const posts: { at: number; lesson: number; title: { ko: string; en: string } }[] = [];
  let after = ctx.clock.now().getTime();
  let lesson = c.position;
  for (let i = 0; i < PREVIEW_MAX_FIRES && posts.length < count && lesson <= total; i++) {
    const at = nextFireAfter(c.cron, c.timeZone, after);
    if (at === null) break;
    after = at;
    if (c.holidayCountry !== null && isPublicHoliday(c.holidayCountry, at, c.timeZone)) continue;
    const found = lessonByNumber(ctx.catalog, lesson);
    if (!found) break;
    posts.push({ at, lesson, title: found.title });
    lesson++;
  }
  return posts;
}

/** The preview as blocks: a heading line and one line per post, in the channel's zone and the reader's language. */
function previewBlocks(c: ChannelSettings | null, ctx: CommandContext): Block[] {
  const { lang } = ctx;
  const posts = nextPosts(c, ctx);
  const heading: Block = {
    type: 'text',
    text: `**${t(lang, 'settingsForm.previewHeading', { count: PREVIEW_POSTS })}**`,
  };
  if (posts.length === 0) {
    const why: MessageKey = !c?.cron
      ? 'settingsForm.previewNoSchedule'
      : c.paused
        ? 'settingsForm.previewPaused'
        : 'settingsForm.previewNone';
    return [heading, { type: 'context', text: t(lang, why) }];
  }
  const zone = c?.timeZone ?? ctx.defaultTimeZone;
  const lines = posts.map((p) =>
    t(lang, 'settingsForm.previewLine', {
      when: formatDateTime(p.at, zone, lang),
      number: p.lesson,
      title: p.title[lang],
    }),
  );
  return [heading, { type: 'text', text: lines.join('\n') }, { type: 'context', text: zone }];
}

const ON_OFF = (lang: Lang) => [
  { value: 'on', label: t(lang, 'settings.on') },
  { value: 'off', label: t(lang, 'settings.off') },
];

function fieldsOf(shown: Shown, lang: Lang): FormField[] {
  const zones: string[] = [...ZONES];
  if (!zones.includes(shown.zone)) zones.unshift(shown.zone);
  const label = (id: SettingsFieldId) => t(lang, `settingsForm.${id}` as MessageKey);
  const hint = (id: SettingsFieldId, vars: Record<string, string | number> = {}) =>
    t(lang, `settingsForm.${id}Hint` as MessageKey, vars);
  return [
    {
      kind: 'text',
      id: 'rule',
      label: label('rule'),
      value: shown.rule,
      hint: hint('rule'),
      placeholder: t(lang, 'settingsForm.rulePlaceholder'),
      maxLength: 100,
    },
    {
      kind: 'select',
      id: 'zone',
      label: label('zone'),
      value: shown.zone,
      hint: hint('zone'),
      options: zones.map((zone) => ({ value: zone, label: zone })),
    },
    {
      kind: 'text',
      id: 'holidays',
      label: label('holidays'),
      value: shown.holidays,
      hint: hint('holidays'),
      placeholder: 'KR',
      maxLength: 20,
    },
    {
      kind: 'select',
      id: 'lang',
      label: label('lang'),
      value: shown.lang,
      hint: hint('lang'),
      options: [
        { value: 'auto', label: t(lang, 'lang.automatic') },
        { value: 'ko', label: t(lang, 'langName.ko') },
        { value: 'en', label: t(lang, 'langName.en') },
      ],
    },
    {
      kind: 'text',
      id: 'quiz',
      label: label('quiz'),
      value: shown.quiz,
      hint: hint('quiz', {
        countMin: QUIZ_COUNT.min,
        countMax: QUIZ_COUNT.max,
        secondsMin: QUIZ_SECONDS.min,
        secondsMax: QUIZ_SECONDS.max,
      }),
      placeholder: '5 30',
      maxLength: 20,
    },
    {
      kind: 'select',
      id: 'threads',
      label: label('threads'),
      value: shown.threads,
      hint: hint('threads'),
      options: ON_OFF(lang),
    },
  ];
}

/** The settings as text: each with its value and the command that changes it, then the next posts. */
function listingBlocks(c: ChannelSettings | null, ctx: CommandContext, admin: boolean): Block[] {
  const { lang } = ctx;
  const shown = shownOf(c, ctx.defaultTimeZone);
  const none = t(lang, 'settingsForm.none');
  const value: Record<SettingsFieldId, string> = {
    rule:
      shown.rule === ''
        ? none
        : `${scheduleRuleText(shown.rule, lang)}${c?.paused ? ` (${t(lang, 'settingsForm.paused')})` : ''}`,
    zone: shown.zone,
    holidays: shown.holidays === '' ? none : countryName(shown.holidays, lang),
    lang: t(lang, shown.lang === 'auto' ? 'lang.automatic' : (`langName.${shown.lang}` as MessageKey)),
    quiz: t(lang, 'settingsForm.quizValue', quizDefaults(c)),
    threads: t(lang, shown.threads === 'on' ? 'settings.on' : 'settings.off'),
  };
  const lines = SETTINGS_FIELDS.map(
    (id) =>
      `**${t(lang, `settingsForm.${id}` as MessageKey)}**: ${value[id]} · ${t(lang, `settingsForm.${id}Command` as MessageKey)}`,
  );
  return [
    { type: 'heading', text: t(lang, 'settingsForm.title') },
    { type: 'text', text: lines.join('\n') },
    ...previewBlocks(c, ctx),
    { type: 'context', text: t(lang, admin ? 'settingsForm.adminNote' : 'settingsForm.readOnly') },
  ];
}

/**
 * The settings of the channel as one private reply: the text listing everyone reads and, for a channel admin, the
 * form that changes them (opened where the platform has forms). What `/orch settings` answers, and what a button
 * that opens the settings (the personal home's) hands back.
 */
export async function settingsReply(ctx: CommandContext, target?: FormTarget): Promise<Reply> {
  const c = ctx.channel;
  const admin = await isAdminUser(ctx.incoming.who);
  const listing = listingBlocks(c, ctx, admin);
  // Opened outside the channel (a personal view lists several): the listing says which channel it is about.
  if (target)
    listing.splice(1, 0, {
      type: 'context',
      text: t(ctx.lang, 'me.channel', { channel: `\`${target.channel}\`` }),
    });
  const reply: Reply = { visibility: 'private', blocks: listing };
  if (!admin) return reply;
  const shown = shownOf(c, ctx.defaultTimeZone);
  const form: Form = {
    id: SETTINGS_FORM_ID,
    state: formState(ctx.lang, fingerprint(shown, c?.paused ?? false), target),
    title: t(ctx.lang, 'settingsForm.title'),
    submitLabel: t(ctx.lang, 'settingsForm.submit'),
    notes: previewBlocks(c, ctx),
    fallbackNote: t(ctx.lang, 'settingsForm.expired'),
    fields: fieldsOf(shown, ctx.lang),
  };
  return { ...reply, form };
}

/** A submitted form's answer: replies, or the fields that were wrong (nothing changed then). */
export interface FormAnswer extends CommandAnswer {
  /** Field id → what is wrong with it, in the form's language; present only when nothing was changed. */
  fieldErrors?: Record<string, string>;
}

type Patch = Parameters<CommandContext['store']['updateChannel']>[1];

/** Reads one field with the reader the typed command uses; a refusal becomes that field's message. */
function readField<T>(
  ctx: CommandContext,
  errors: Record<string, string>,
  id: SettingsFieldId,
  read: () => T,
): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    errors[id] = t(ctx.lang, error.key, error.vars);
    return undefined;
  }
}

/**
 * A submitted settings form: every field is read with the same reader as its typed command; one bad field refuses
 * the whole submission with a message on that field, and nothing changes until every field reads. Admins only,
 * checked again here (a form is not a permission).
 */
export async function submitSettings(
  ctx: CommandContext,
  state: string,
  values: Readonly<Record<string, string>>,
): Promise<FormAnswer> {
  const { lang } = ctx;
  if (!(await isAdminUser(ctx.incoming.who)))
    throw new UserError('error.adminOnly', { what: t(lang, 'what.settings'), command: 'settings' });
  const c = ctx.channel;
  const shown = shownOf(c, ctx.defaultTimeZone);
  // A field the platform did not show (Discord holds five) comes back absent and keeps its value.
  const given = (id: SettingsFieldId): string => (values[id] ?? shown[id]).trim();
  const errors: Record<string, string> = {};
  const zone = readField(ctx, errors, 'zone', () => readTimeZone(given('zone')));
  const ruleText = given('rule');
  const rule =
    ruleText === '' || /^(off|끄기)$/i.test(ruleText)
      ? null
      : readField(ctx, errors, 'rule', () =>
          readScheduleRule(ruleText, zone ?? c?.timeZone ?? ctx.defaultTimeZone),
        );
  const holidayText = given('holidays');
  const holidays =
    holidayText === '' ? null : readField(ctx, errors, 'holidays', () => readHolidayCountry(holidayText));
  const channelLang = readField(ctx, errors, 'lang', () => readLangValue(given('lang')));
  const quiz = readField(ctx, errors, 'quiz', () => readQuizDefaults(given('quiz')));
  const threads = readField(ctx, errors, 'threads', () => readOnOffValue(given('threads')));
  if (Object.keys(errors).length > 0) {
    const lines = SETTINGS_FIELDS.filter((id) => errors[id] !== undefined).map(
      (id) => `**${t(lang, `settingsForm.${id}` as MessageKey)}**: ${errors[id]}`,
    );
    return {
      replies: [
        {
          visibility: 'private',
          blocks: [
            { type: 'text', text: t(lang, 'settingsForm.fixFields') },
            { type: 'text', text: lines.join('\n') },
          ],
        },
      ],
      data: { action: 'form', fieldErrors: errors },
      fieldErrors: errors,
    };
  }

  const patch: Patch = {};
  const now = ctx.clock.now().getTime();
  const changed: string[] = [];
  const note = (id: SettingsFieldId, text: string) =>
    changed.push(`${t(lang, `settingsForm.${id}` as MessageKey)}: ${text}`);
  if (rule === null) {
    if (c?.cron) {
      Object.assign(patch, { cron: null, scheduleText: null, nextFireAt: null, paused: false });
      note('rule', t(lang, 'settingsForm.none'));
    }
  } else if (
    rule !== undefined &&
    (rule.cron !== c?.cron || rule.timeZone !== c?.timeZone || rule.text !== c?.scheduleText)
  ) {
    // As with `/orch schedule <rule>`: a new rule starts from the next fire and ends a pause.
    Object.assign(patch, {
      cron: rule.cron,
      timeZone: rule.timeZone,
      scheduleText: rule.text,
      paused: false,
      nextFireAt: nextFireAfter(rule.cron, rule.timeZone, now),
    });
    note('rule', scheduleRuleText(rule.text, lang));
  }
  if (zone !== undefined && patch.timeZone === undefined && zone !== (c?.timeZone ?? ctx.defaultTimeZone)) {
    patch.timeZone = zone;
    // The same rule in another zone fires at other instants.
    if (c?.cron) patch.nextFireAt = nextFireAfter(c.cron, zone, now);
    note('zone', zone);
  } else if (typeof patch.timeZone === 'string' && patch.timeZone !== c?.timeZone)
    note('zone', patch.timeZone);
  if (holidays !== undefined && holidays !== (c?.holidayCountry ?? null)) {
    patch.holidayCountry = holidays;
    note('holidays', holidays === null ? t(lang, 'settingsForm.none') : countryName(holidays, lang));
  }
  if (channelLang !== undefined && channelLang !== (c?.lang ?? null)) {
    patch.lang = channelLang;
    note('lang', t(lang, channelLang === null ? 'lang.automatic' : `langName.${channelLang}`));
  }
  const currentQuiz = quizDefaults(c);
  if (quiz !== undefined && (quiz.count !== currentQuiz.count || quiz.seconds !== currentQuiz.seconds)) {
    Object.assign(patch, { quizCount: quiz.count, quizSeconds: quiz.seconds });
    note('quiz', t(lang, 'settingsForm.quizValue', quiz));
  }
  if (threads !== undefined && threads !== (c?.threads ?? true)) {
    patch.threads = threads;
    note('threads', t(lang, threads ? 'settings.on' : 'settings.off'));
  }

  if (changed.length === 0) {
    // Submitting what is saved (the same form twice, or no edit) changes nothing and says so.
    return {
      replies: [
        {
          visibility: 'private',
          blocks: [{ type: 'text', text: t(lang, 'settingsForm.unchanged') }, ...previewBlocks(c, ctx)],
        },
      ],
      data: { action: 'form', changed: [] },
    };
  }
  // Something would change, on a form opened before the settings last changed: the admin saw other values than
  // the ones saved now (another admin's edit, or this form's own first submission), so nothing is overwritten.
  if (readState(state).print !== fingerprint(shown, c?.paused ?? false))
    throw new UserError('settingsForm.stale');
  const saved = await ctx.store.updateChannel(ctx.channelKey, patch, now);
  const fields = Object.keys(patch);
  const mine: Reply = {
    visibility: 'private',
    blocks: [{ type: 'text', text: t(lang, 'settingsForm.savedPrivate') }, ...previewBlocks(saved, ctx)],
  };
  const announcement: Reply = {
    visibility: 'channel',
    blocks: [{ type: 'text', text: `${t(lang, 'settingsForm.saved')}\n${changed.join('\n')}` }],
  };
  if (ctx.poster && ctx.channelKey !== formatChannelKey(ctx.incoming.where)) {
    // Submitted from outside the channel (a Home tab, a DM): the channel is told where it reads, not the DM. The
    // settings are saved already; a failed post is the channel's loss of a note, not of the change.
    await ctx.poster
      .post(ctx.channelKey, announcement, `settings:${ctx.channelKey}:${now}`)
      .catch(() => undefined);
    return { replies: [mine], data: { action: 'form', changed: fields } };
  }
  return {
    // The admin's own answer first (where a platform answers with one message and follows up, as Discord does, the
    // submitter reads the preview at once), then what the channel reads.
    replies: [mine, announcement],
    data: { action: 'form', changed: fields },
  };
}

/** `on`/`켜기` or `off`/`끄기` (shared with `/orch settings threads`). */
export function readOnOffValue(input: string): boolean {
  const value = input.trim().toLowerCase();
  if (value === 'on' || value === '켜기') return true;
  if (value === 'off' || value === '끄기') return false;
  throw new UsageError('usage.settingsValue', { value: value.slice(0, 30) });
}
