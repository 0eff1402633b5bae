import type { Catalog } from '../catalog/model.ts';
import { yaml } from '../catalog/yaml-lib.ts';
import { type CatalogProblem, parseYaml } from '../catalog/yaml-source.ts';
import { withParticle } from '../i18n/particles.ts';
import { normalizeKey } from '../query/normalize.ts';
import type { RoundQuestion } from '../store/store.ts';
import { seededRandom, shuffle } from './random.ts';

/** The quiz topic word that selects imported question sets. */
export const IMPORTED_TOPIC = 'cncf';

/**
 * Reads the CNCF landscape games format (`quiz.questions[]`, each a `title` and `options[]` of `{ item, correct }`)
 * into round questions. A question without exactly one correct option, with repeated options or fewer than two is
 * skipped and reported with its line. The set's own text is English; the bot shows it as it is in both languages,
 * and links the answer to a catalog tool when the right option names one.
 */
export function importGames(
  text: string,
  label: string,
  catalog: Catalog,
): { questions: RoundQuestion[]; problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  const source = parseYaml(text, label, problems);
  if (!source) return { questions: [], problems };
  const { isMap, isSeq } = yaml();
  const quiz = isMap(source.doc.contents) ? source.doc.contents.get('quiz', true) : undefined;
  const list = isMap(quiz) ? quiz.get('questions', true) : undefined;
  if (!isSeq(list))
    return {
      questions: [],
      problems: [{ file: label, line: 1, message: 'expected "quiz: questions:" with a list of questions' }],
    };
  const toolByName = new Map(
    catalog.tools.filter((x) => x.source === 'curated').map((x) => [normalizeKey(x.name), x.id]),
  );
  const questions: RoundQuestion[] = [];
  list.items.forEach((node, i) => {
    const line = source.lineOf(['quiz', 'questions', i]);
    const value = isMap(node) ? (node.toJSON() as { title?: unknown; options?: unknown }) : {};
    const title = typeof value.title === 'string' ? value.title.trim() : '';
    const options = Array.isArray(value.options)
      ? value.options.map((o: { item?: unknown; correct?: unknown }) => ({
          item: typeof o?.item === 'string' ? o.item.trim() : '',
          correct: o?.correct === true,
        }))
      : [];
    const correct = options.filter((o) => o.correct);
    const items = options.map((o) => o.item);
    const problem =
      title === ''
        ? 'question without a title'
        : options.length < 2
          ? 'a question needs at least two options'
          : items.some((x) => x === '')
            ? 'an option without an item'
            : new Set(items.map((x) => x.toLowerCase())).size !== items.length
              ? 'options repeat'
              : correct.length !== 1
                ? `needs exactly one correct option, has ${correct.length}`
                : null;
    if (problem) {
      problems.push({ file: label, line, message: `question ${i + 1}: ${problem}` });
      return;
    }
    // The source lists the right option first every time; shuffle it (the same way on every import).
    const right = (options.find((o) => o.correct) as { item: string }).item;
    const shuffled = shuffle(items, seededRandom(i + 1));
    questions.push({
      questionId: `${IMPORTED_TOPIC}-${i + 1}`,
      question: { en: title, ko: title },
      options: shuffled.map((x) => ({ en: x, ko: x })),
      answer: shuffled.indexOf(right),
      explanation: { en: `The answer is ${right}.`, ko: `정답은 ${withParticle(right, '이에요')}.` },
      toolId: toolByName.get(normalizeKey(right)) ?? null,
    });
  });
  return { questions, problems };
}
