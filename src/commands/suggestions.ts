import type { Catalog } from '../catalog/model.ts';
import { type Lang, t } from '../i18n/messages.ts';
import { countryName } from '../i18n/phrases.ts';
import { supportedCountryCodes } from '../lessons/holidays.ts';
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

const HOLIDAY_WORDS = ['skip-holidays', '공휴일'];
/** What an empty schedule option offers: one example of each form, in words the command reads in each language. */
const SCHEDULE_EXAMPLES: Record<Lang, string[]> = {
  en: [
    'show',
    'weekdays 09:00 Asia/Seoul',
    'mon,wed,fri 19:30',
    'skip-holidays KR',
    'pause',
    'resume',
    'off',
  ],
  ko: ['보기', '평일 09:00 Asia/Seoul', '공휴일 KR', '정지', '재개', '끄기'],
};
let zones: string[] | undefined;
/** Every IANA time zone the runtime knows, and UTC. */
function timeZones(): string[] {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return zones;
}

/**
 * The schedule option: examples while it is empty; countries (by code or by name in either language) after
 * `skip-holidays`; and the time zone a rule ends with, completed from its region or city ("…09:00 se" →
 * "…09:00 Asia/Seoul"). Each value is the whole option, as the command reads it.
 */
function scheduleRule(typed: string, lang: Lang): Suggestion[] {
  const words = typed
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const [first] = words;
  if (first === undefined) return SCHEDULE_EXAMPLES[lang].map((value) => ({ name: value, value }));
  if (HOLIDAY_WORDS.includes(first.toLowerCase()))
    return ranked(words.slice(1).join(' '), [
      {
        keys: ['off', '끄기'],
        suggestion: { name: `${first} ${lang === 'ko' ? '끄기' : 'off'}`, value: `${first} off` },
      },
      ...supportedCountryCodes().map((code) => ({
        keys: [code, countryName(code, 'en'), countryName(code, 'ko')],
        suggestion: { name: cut(`${first} ${code} · ${countryName(code, lang)}`), value: `${first} ${code}` },
      })),
    ]);
  const last = words[words.length - 1] as string;
  // A zone ends a rule of at least one other word; a time or a day is not the start of a zone name.
  if (words.length < 2 || !/^[A-Za-z][A-Za-z_/+-]*$/.test(last)) return [];
  const head = words.slice(0, -1).join(' ');
  return ranked(
    last,
    timeZones().map((zone) => ({
      keys: [zone, zone.split('/').at(-1) ?? zone],
      suggestion: { name: cut(`${head} ${zone}`), value: cut(`${head} ${zone}`) },
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
    case 'scheduleRule':
      return scheduleRule(text, lang);
    default:
      return [];
  }
}
