import { helpReply } from '../../src/commands/help.ts';
import { COMMANDS } from '../../src/commands/index.ts';
import type { Lang } from '../../src/i18n/messages.ts';
import type { Reply } from '../../src/index.ts';
import { lessonReply, roadmapReply } from '../../src/lessons/lesson-replies.ts';
import { QuestionBank } from '../../src/quiz/bank.ts';
import { questionReply, revealReply } from '../../src/quiz/quiz-replies.ts';
import { categoryList, categoryOverview, comparison, toolCard } from '../../src/reply/catalog-replies.ts';
import { conceptCard } from '../../src/reply/concept-card.ts';
import type { QuizAnswer } from '../../src/store/store.ts';
import type { Catalog } from '../../src/testing.ts';

const LANGS: readonly Lang[] = ['ko', 'en'];

/** Every lesson of the catalog as posted and with its answer, in both languages. */
export function* lessonReplies(catalog: Catalog): Generator<[string, Reply]> {
  for (const lang of LANGS)
    for (const lesson of catalog.roadmap.lessons) {
      yield [`lesson ${lesson.number} ${lang}`, lessonReply(catalog, lesson, lang)];
      yield [`lesson ${lesson.number} answer ${lang}`, lessonReply(catalog, lesson, lang, { answer: true })];
    }
}

/** Every quiz question of the catalog (curated and generated), asked and revealed, in both languages. */
export function* quizReplies(catalog: Catalog): Generator<[string, Reply]> {
  const { curated, generated } = new QuestionBank(catalog).questionsFor({ kind: 'all' });
  for (const lang of LANGS)
    for (const q of [...curated, ...generated]) {
      yield [`question ${q.questionId} ${lang}`, questionReply('r1', 0, 5, q, 30, lang)];
      const answers: QuizAnswer[] = q.options.map((_, i) => ({
        roundId: 'r1',
        index: 0,
        userId: `U${i}`,
        displayName: `member ${i}`,
        option: i,
        answeredAt: 1_000 + i,
        correct: i === q.answer,
        points: i === q.answer ? 10 : 0,
      }));
      const tool = q.toolId ? (catalog.toolById.get(q.toolId)?.name ?? null) : null;
      yield [`reveal ${q.questionId} ${lang}`, revealReply('r1', 0, 5, q, answers, 0, lang, undefined, tool)];
    }
}

/**
 * Every reply the catalog can produce: each tool card, each concept card, each category list, the comparison of all curated tools,
 * the category overview, the roadmap, every lesson, every quiz question and reveal, and help, in both languages.
 */
export function* everyReply(catalog: Catalog): Generator<[string, Reply]> {
  const curated = catalog.tools.filter((x) => x.source === 'curated');
  for (const lang of LANGS) {
    for (const tool of catalog.tools) yield [`tool ${tool.id} ${lang}`, toolCard(catalog, tool, lang)];
    for (const concept of catalog.concepts)
      yield [`concept ${concept.id} ${lang}`, conceptCard(catalog, concept, lang)];
    for (const category of catalog.categories) {
      const ids = catalog.tools.filter((x) => x.category === category.id).map((x) => x.id);
      yield [`category ${category.id} ${lang}`, categoryList(catalog, category.id, ids, lang)];
    }
    yield [
      `compare all curated ${lang}`,
      comparison(
        catalog,
        curated.map((x) => x.id),
        lang,
      ),
    ];
    yield [`categories ${lang}`, categoryOverview(catalog, lang)];
    yield [`roadmap ${lang}`, roadmapReply(catalog, 1, lang)];
    yield [`help ${lang}`, helpReply(COMMANDS, lang)];
  }
  yield* lessonReplies(catalog);
  yield* quizReplies(catalog);
}
