import { QUIZ_ME_TOOLS, quizMeQuestionReply, quizMeQuestions } from '../actions/quiz-me.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { mentionsIn } from '../query/mentions.ts';
import type { Block, Reply } from '../reply/model.ts';
import type { CommandContext } from './command.ts';

/** A shortcut a member runs on a posted message; platforms list it by `name` (Discord: at most 32 characters). */
export interface MessageShortcut {
  /** Carried by the platform's registration (a Slack callback id, a Discord command name maps to it); never changes. */
  id: string;
  name: { en: string; ko: string };
  run(ctx: CommandContext, text: string): Reply[] | Promise<Reply[]>;
}

/** The most tools and concepts one explanation lists: a long message is answered with the first ones it names. */
const EXPLAIN_LIMIT = 12;

/** The first sentence of an explanation, for a one-line summary. */
function firstSentence(text: string): string {
  const end = text.search(/[.!?。](\s|$)|요\.\s/);
  return end < 0 ? text : text.slice(0, end + 1).trim();
}

/**
 * "Explain tools in this message": every catalog tool and glossary concept the message names, each with its one-line
 * summary, as a private list in the reader's language; a message that names none is told so.
 */
function explain(ctx: CommandContext, text: string): Reply[] {
  const { lang, catalog, engine } = ctx;
  const { tools, concepts } = mentionsIn(engine, text, EXPLAIN_LIMIT);
  if (tools.length === 0 && concepts.length === 0)
    return [{ visibility: 'private', blocks: [{ type: 'text', text: t(lang, 'explain.none') }] }];
  const lines: string[] = [];
  for (const id of tools) {
    const tool = catalog.toolById.get(id);
    if (!tool) continue;
    // A landscape project has an English description only; its category says what it is in either language.
    const what =
      tool.source === 'curated'
        ? tool.summary[lang]
        : (catalog.categoryById.get(tool.category)?.name[lang] ?? '');
    lines.push(`**${tool.name}**: ${what}`);
  }
  for (const id of concepts) {
    const concept = catalog.conceptById.get(id);
    if (concept) lines.push(`📖 **${concept.name[lang]}**: ${firstSentence(concept.explanation[lang])}`);
  }
  const blocks: Block[] = [
    { type: 'heading', text: t(lang, 'explain.heading') },
    { type: 'text', text: lines.join('\n') },
    { type: 'context', text: t(lang, 'explain.more') },
  ];
  return [{ visibility: 'private', blocks }];
}

/**
 * "Quiz me on this": a private round of a few questions on the catalog tools the message names, only for the member
 * who asked; it stores nothing and leaves the channel's round alone.
 */
function quizMeOn(ctx: CommandContext, text: string): Reply[] {
  const { lang, catalog } = ctx;
  const named = mentionsIn(ctx.engine, text).tools.filter(
    (id) => catalog.toolById.get(id)?.source === 'curated',
  );
  const tools = named.slice(0, QUIZ_ME_TOOLS);
  const questions = quizMeQuestions(ctx, tools);
  if (questions.length === 0)
    return [{ visibility: 'private', blocks: [{ type: 'text', text: t(lang, 'quizMe.none') }] }];
  const names = tools.map((id) => catalog.toolById.get(id)?.name ?? id).join(', ');
  return [
    quizMeQuestionReply(
      questions,
      { tools, index: 0, right: 0 },
      lang,
      t(lang, 'quizMe.heading', { tools: names }),
    ),
  ];
}

/** Every message shortcut, in the order platforms list them. */
export const MESSAGE_SHORTCUTS: readonly MessageShortcut[] = [
  {
    id: 'explain',
    name: { en: 'Explain tools in this message', ko: '이 메시지의 도구 설명' },
    run: explain,
  },
  {
    id: 'quiz',
    name: { en: 'Quiz me on this', ko: '이 메시지로 퀴즈' },
    run: quizMeOn,
  },
];

/** The shortcut with this id, if the core has one. */
export function findShortcut(id: string): MessageShortcut | undefined {
  return MESSAGE_SHORTCUTS.find((s) => s.id === id);
}

/** A shortcut's name as a platform lists it in `lang`. */
export function shortcutName(shortcut: MessageShortcut, lang: Lang): string {
  return shortcut.name[lang];
}
