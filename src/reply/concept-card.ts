import { lessonOpen } from '../actions/lesson-open.ts';
import type { Catalog, Concept, Lesson } from '../catalog/model.ts';
import { type Lang, t } from '../i18n/messages.ts';
import type { Block, Reply } from './model.ts';

// Buttons beyond the first few lessons crowd the card; the rest are still listed in the text.
const MAX_LESSON_BUTTONS = 3;

/** The lessons a concept names, in the order it names them (its main lesson first). */
export function conceptLessons(catalog: Catalog, concept: Concept): Lesson[] {
  return concept.lessons
    .map((id) => catalog.roadmap.lessons.find((l) => l.id === id))
    .filter((l): l is Lesson => l !== undefined);
}

/** A glossary concept: the explanation, where the roadmap teaches it (with buttons to open it), and its tools. */
export function conceptCard(catalog: Catalog, concept: Concept, lang: Lang): Reply {
  const other: Lang = lang === 'ko' ? 'en' : 'ko';
  const lessons = conceptLessons(catalog, concept);
  const tools = concept.tools.map((id) => catalog.toolById.get(id)?.name ?? id);
  const blocks: Block[] = [
    { type: 'heading', text: `📖 ${concept.name[lang]}` },
    { type: 'text', text: concept.explanation[lang] },
    {
      type: 'fields',
      fields: [
        { label: t(lang, 'concept.otherName'), value: concept.name[other] },
        ...(tools.length > 0 ? [{ label: t(lang, 'concept.tools'), value: tools.join(', ') }] : []),
      ],
    },
  ];
  if (lessons.length > 0) {
    const lines = lessons.map(
      (l) => `• ${t(lang, 'concept.lessonLine', { number: l.number, title: l.title[lang] })}`,
    );
    blocks.push({ type: 'text', text: `**${t(lang, 'concept.learnIn')}**\n${lines.join('\n')}` });
    blocks.push({
      type: 'choices',
      choices: lessons
        .slice(0, MAX_LESSON_BUTTONS)
        .map((l) =>
          lessonOpen.button(`📚 ${t(lang, 'concept.openLesson', { number: l.number })}`, l.number, lang),
        ),
    });
  }
  return { visibility: 'channel', blocks };
}

/** The "Concepts" line under free-text search results: glossary entries the words also describe. */
export function conceptsLine(catalog: Catalog, ids: readonly string[], lang: Lang): Block | null {
  const names = ids.flatMap((id) => {
    const concept = catalog.conceptById.get(id);
    return concept ? [concept.name[lang]] : [];
  });
  return names.length > 0
    ? { type: 'context', text: `📖 ${t(lang, 'concept.related')}: ${names.join(', ')}` }
    : null;
}
