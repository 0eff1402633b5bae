import type { CommandContext } from '../commands/command.ts';
import { type Lang, type MessageKey, t } from '../i18n/messages.ts';
import type { QuizTopic } from '../quiz/bank.ts';
import { quizDefaults, todaysLesson } from '../quiz/round-defaults.ts';
import { startRound } from '../quiz/start-round.ts';
import { privateText, type Reply, type SelectOption } from '../reply/model.ts';
import { defineAction } from './action.ts';

/** A topic as the picker's options name it: what the round is about, by catalog id (never by typed text). */
export type TopicPick =
  | { kind: 'all' | 'today' | 'concepts' | 'imported' }
  | { kind: 'track' | 'category' | 'tool'; id: string }
  | { kind: 'lesson'; number: number };

// Catalog ids are lower-case words joined by hyphens; a little more is allowed, nothing that could split a value.
const PLAIN = /^(all|today|concepts|imported)$/;
const BY_ID = /^(track|category|tool):([A-Za-z0-9][A-Za-z0-9._-]{0,79})$/;
const LESSON = /^lesson:([1-9]\d{0,3})$/;

/** The most options a picker offers (Slack's static select holds 100; Discord shows the first 25). */
export const PICKER_OPTIONS = 100;

/** The topic a pick names, or null when the catalog no longer has it (a reload removed it since the menu). */
function topicOf(ctx: CommandContext, pick: TopicPick): QuizTopic | null | 'today' {
  const { catalog } = ctx;
  switch (pick.kind) {
    case 'all':
      return { kind: 'all' };
    case 'today':
      return 'today';
    case 'concepts':
      return catalog.concepts.length > 0 ? { kind: 'concepts' } : null;
    case 'imported':
      return catalog.importedQuestions.length > 0 ? { kind: 'imported' } : null;
    case 'track': {
      const track = catalog.roadmap.tracks.find((tr) => tr.id === pick.id);
      return track ? { kind: 'track', id: track.id, name: track.title } : null;
    }
    case 'category': {
      const category = catalog.categoryById.get(pick.id);
      return category ? { kind: 'category', id: category.id, name: category.name } : null;
    }
    case 'tool': {
      const tool = catalog.toolById.get(pick.id);
      return tool?.source === 'curated' ? { kind: 'tool', id: tool.id, name: tool.name } : null;
    }
    case 'lesson':
      return ctx.bank.lessonTopic(pick.number);
  }
}

/**
 * A topic picked from the menu `/orch quiz` offers when no topic is typed: starts a round on it in the channel, sized
 * by the channel's quiz defaults. Its value is `all`, `today`, `concepts`, `imported`, `track:<id>`,
 * `category:<id>`, `tool:<id>` or `lesson:<number>`.
 */
export const quizPick = defineAction<TopicPick>({
  id: 'quiz.pick',
  encode: (pick) =>
    'id' in pick ? `${pick.kind}:${pick.id}` : pick.kind === 'lesson' ? `lesson:${pick.number}` : pick.kind,
  decode(value) {
    const plain = PLAIN.exec(value)?.[1];
    if (plain) return { kind: plain as 'all' | 'today' | 'concepts' | 'imported' };
    const [, kind, id] = BY_ID.exec(value) ?? [];
    if (kind && id) return { kind: kind as 'track' | 'category' | 'tool', id };
    const number = LESSON.exec(value)?.[1];
    return number ? { kind: 'lesson', number: Number(number) } : null;
  },
  async run(ctx, pick) {
    const found = topicOf(ctx, pick);
    const topic =
      found === 'today'
        ? ctx.bank.lessonTopic(await todaysLesson(ctx.store, ctx.channelKey, ctx.channel))
        : found;
    if (!topic) return [privateText(t(ctx.lang, 'error.unknownChoice'))];
    const { count, seconds } = quizDefaults(ctx.channel);
    return (await startRound(ctx, topic, count, seconds)).replies;
  },
});

/** The picker's options in order of importance: whole-catalog rounds, tracks, categories, tools, then lessons. */
function pickerOptions(ctx: CommandContext, lang: Lang): SelectOption[] {
  const { catalog } = ctx;
  const group = (key: MessageKey) => t(lang, key);
  const option = (label: string, pick: TopicPick, groupKey: MessageKey): SelectOption => ({
    ...quizPick.press(pick, lang),
    label,
    group: group(groupKey),
  });
  const options: SelectOption[] = [
    option(t(lang, 'quizPick.all'), { kind: 'all' }, 'quizPick.groupGeneral'),
    option(t(lang, 'quizPick.today'), { kind: 'today' }, 'quizPick.groupGeneral'),
  ];
  if (catalog.concepts.length > 0)
    options.push(option(t(lang, 'quizPick.concepts'), { kind: 'concepts' }, 'quizPick.groupGeneral'));
  if (catalog.importedQuestions.length > 0)
    options.push(option(t(lang, 'quizPick.imported'), { kind: 'imported' }, 'quizPick.groupGeneral'));
  for (const track of catalog.roadmap.tracks)
    options.push(option(track.title[lang], { kind: 'track', id: track.id }, 'quizPick.groupTracks'));
  for (const category of catalog.categories)
    options.push(
      option(category.name[lang], { kind: 'category', id: category.id }, 'quizPick.groupCategories'),
    );
  for (const tool of catalog.tools)
    if (tool.source === 'curated')
      options.push(option(tool.name, { kind: 'tool', id: tool.id }, 'quizPick.groupTools'));
  for (const lesson of catalog.roadmap.lessons)
    options.push(
      option(
        t(lang, 'quizPick.lesson', { number: lesson.number, title: lesson.title[lang] }),
        { kind: 'lesson', number: lesson.number },
        'quizPick.groupLessons',
      ),
    );
  return options.slice(0, PICKER_OPTIONS);
}

/**
 * What `/orch quiz` with nothing after it answers: a private menu of topics in the reader's language; a pick starts
 * the round as `/orch quiz <topic>` would. The text says how to type a topic, for where menus do not reach.
 */
export function quizTopicPicker(ctx: CommandContext): Reply {
  const { lang } = ctx;
  return {
    visibility: 'private',
    blocks: [
      { type: 'text', text: t(lang, 'quizPick.prompt', quizDefaults(ctx.channel)) },
      { type: 'select', placeholder: t(lang, 'quizPick.placeholder'), options: pickerOptions(ctx, lang) },
    ],
  };
}
