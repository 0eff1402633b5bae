import type { Catalog } from '../catalog/model.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { QueryEngine } from '../query/engine.ts';
import { normalizeKey } from '../query/normalize.ts';
import { CONCEPTS_TOPIC_WORDS } from '../quiz/bank.ts';
import { IMPORTED_TOPIC } from '../quiz/games-import.ts';
import type { CommandOption } from './command.ts';

/** One suggestion while a member types an option: what the list shows, and what is sent when it is picked. */
export interface Suggestion {
  name: string;
  value: string;
}

/** What a platform's autocomplete holds (Discord: 25 choices, a name and a value of 1–100 characters each). */
export const SUGGESTION_LIMIT = 25;
const MAX_TEXT = 100;

/** What the suggestions read: the catalog in service and its engine. */
export interface SuggestionSource {
  catalog: Catalog;
  engine: QueryEngine;
}

function cut(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}

/**
 * Candidates ranked against what was typed: those whose words begin with it first, then those holding it anywhere,
 * in their own order; everything (in order) when nothing is typed yet.
 */
function ranked(
  typed: string,
  candidates: readonly { keys: string[]; suggestion: Suggestion }[],
): Suggestion[] {
  const key = normalizeKey(typed);
  if (key === '') return candidates.slice(0, SUGGESTION_LIMIT).map((c) => c.suggestion);
  const starts: Suggestion[] = [];
  const holds: Suggestion[] = [];
  for (const c of candidates) {
    const keys = c.keys.map(normalizeKey);
    if (keys.some((k) => k.startsWith(key))) starts.push(c.suggestion);
    else if (keys.some((k) => k.includes(key))) holds.push(c.suggestion);
  }
  return [...starts, ...holds].slice(0, SUGGESTION_LIMIT);
}

/**
 * Quiz topics only, each with a value `/orch quiz` resolves to exactly that topic: the whole catalog, today's lesson,
 * the concepts and an imported set where there is one, then tracks, categories, curated tools and lessons, named
 * in the reader's language (and found by either language's name).
 */
function quizTopics(source: SuggestionSource, typed: string, lang: Lang): Suggestion[] {
  const { catalog } = source;
  const candidates: { keys: string[]; suggestion: Suggestion }[] = [
    { keys: ['all', '전체', 'everything'], suggestion: { name: t(lang, 'quizPick.all'), value: 'all' } },
    {
      keys: ['today', '오늘'],
      suggestion: { name: t(lang, 'quizPick.today'), value: lang === 'ko' ? '오늘' : 'today' },
    },
  ];
  if (catalog.concepts.length > 0)
    candidates.push({
      keys: [...CONCEPTS_TOPIC_WORDS],
      suggestion: { name: t(lang, 'quizPick.concepts'), value: 'concepts' },
    });
  if (catalog.importedQuestions.length > 0)
    candidates.push({
      keys: [IMPORTED_TOPIC, t('en', 'quizPick.imported'), t('ko', 'quizPick.imported')],
      suggestion: { name: t(lang, 'quizPick.imported'), value: IMPORTED_TOPIC },
    });
  for (const track of catalog.roadmap.tracks)
    candidates.push({
      keys: [track.id, track.title.en, track.title.ko],
      suggestion: { name: cut(`${track.title[lang]} · ${t(lang, 'quizPick.groupTracks')}`), value: track.id },
    });
  for (const category of catalog.categories)
    candidates.push({
      keys: [category.id, category.name.en, category.name.ko],
      // The category's own id resolves to it by name in both languages; its English name is what the engine reads.
      suggestion: {
        name: cut(`${category.name[lang]} · ${t(lang, 'quizPick.groupCategories')}`),
        value: cut(category.name.en),
      },
    });
  for (const tool of catalog.tools)
    if (tool.source === 'curated')
      candidates.push({
        keys: [tool.id, tool.name, ...(tool.aliases ?? [])],
        suggestion: { name: cut(`${tool.name} · ${t(lang, 'quizPick.groupTools')}`), value: tool.id },
      });
  for (const lesson of catalog.roadmap.lessons)
    candidates.push({
      keys: [String(lesson.number), lesson.id, lesson.title.en, lesson.title.ko],
      suggestion: {
        name: cut(t(lang, 'quizPick.lesson', { number: lesson.number, title: lesson.title[lang] })),
        value: lesson.id,
      },
    });
  return ranked(typed, candidates);
}

/** Lessons by number or title, in the reader's language; the value is the number `/orch lesson` reads. */
function lessons(source: SuggestionSource, typed: string, lang: Lang): Suggestion[] {
  return ranked(
    typed,
    source.catalog.roadmap.lessons.map((lesson) => ({
      keys: [String(lesson.number), lesson.title.en, lesson.title.ko],
      suggestion: {
        name: cut(t(lang, 'quizPick.lesson', { number: lesson.number, title: lesson.title[lang] })),
        value: String(lesson.number),
      },
    })),
  );
}

/** Tools the engine offers for the text (typos and Hangul welcome), then glossary concepts in what room is left. */
function tools(source: SuggestionSource, typed: string): Suggestion[] {
  const found = source.engine.complete(typed, SUGGESTION_LIMIT);
  return [...found, ...source.engine.concepts.complete(typed, SUGGESTION_LIMIT - found.length)];
}

/** What to offer while a member types `option`, in `lang`; nothing for an option that offers nothing. */
export function suggestionsFor(
  option: Pick<CommandOption, 'autocomplete'>,
  typed: string,
  lang: Lang,
  source: SuggestionSource,
): Suggestion[] {
  // A platform sends what is typed as it is; a long paste must not cost more than a short word.
  const text = typed.slice(0, MAX_TEXT);
  switch (option.autocomplete) {
    case 'tool':
      return tools(source, text);
    case 'quizTopic':
      return quizTopics(source, text, lang);
    case 'lesson':
      return lessons(source, text, lang);
    default:
      return [];
  }
}
