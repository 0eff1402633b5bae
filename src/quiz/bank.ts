import type { Catalog } from '../catalog/model.ts';
import type { QuizQuestionInput } from '../catalog/quiz-schema.ts';
import type { QueryEngine } from '../query/engine.ts';
import { normalizeKey } from '../query/normalize.ts';
import type { RoundQuestion } from '../store/store.ts';
import { IMPORTED_TOPIC } from './games-import.ts';
import { generateQuestions } from './generate.ts';
import type { QuestionPreference } from './question-health.ts';
import { seededRandom, shuffle, weightedShuffle } from './random.ts';

/** What a round is about, resolved from what the member typed. */
export type QuizTopic =
  | { kind: 'all' }
  | { kind: 'imported' }
  | { kind: 'concepts' }
  | { kind: 'tool'; id: string; name: string }
  | { kind: 'category'; id: string; name: { en: string; ko: string } }
  | { kind: 'track'; id: string; name: { en: string; ko: string } }
  | { kind: 'lesson'; id: string; number: number; name: { en: string; ko: string } };

/** Where a question of the bank comes from: catalog/quizzes, generated from the catalog, or an imported set. */
export type QuestionOrigin = 'curated' | 'generated' | 'imported';

/** Words that ask for a round on the glossary's concepts: which concept does this explanation describe. */
export const CONCEPTS_TOPIC_WORDS: readonly string[] = ['concepts', 'concept', 'glossary', '개념', '용어'];
const CONCEPT_QUESTION = 'gen-concept-';

/** A curated question as a round freezes it. */
export function fromCurated(q: QuizQuestionInput): RoundQuestion {
  return {
    questionId: q.id,
    question: q.question,
    options: q.options,
    answer: q.answer,
    explanation: q.explanation,
    toolId: q.tool ?? null,
  };
}

/** Curated and generated questions, and the rules for picking a round's questions by topic. */
export class QuestionBank {
  private generatedQuestions: RoundQuestion[] | undefined;

  private questionIndex: Map<string, { question: RoundQuestion; origin: QuestionOrigin }> | undefined;

  constructor(private readonly catalog: Catalog) {}

  /** A question of the bank by id, and where it comes from (for the admins' list of held-out questions). */
  byId(id: string): { question: RoundQuestion; origin: QuestionOrigin } | undefined {
    if (!this.questionIndex) {
      const index = new Map<string, { question: RoundQuestion; origin: QuestionOrigin }>();
      for (const q of this.generated) index.set(q.questionId, { question: q, origin: 'generated' });
      for (const q of this.catalog.importedQuestions)
        index.set(q.questionId, { question: q, origin: 'imported' });
      for (const q of this.catalog.questions)
        index.set(q.id, { question: fromCurated(q), origin: 'curated' });
      this.questionIndex = index;
    }
    return this.questionIndex.get(id);
  }

  /**
   * Generated once with a fixed seed (the same catalog always yields the same questions), on the first round that
   * needs them: for 10,000 tools that is a third of a second, which a catalog reload would otherwise spend in one
   * step beside live traffic, and a quiz start is answered after its ack anyway.
   */
  private get generated(): RoundQuestion[] {
    this.generatedQuestions ??= generateQuestions(this.catalog, seededRandom(7));
    return this.generatedQuestions;
  }

  /** Resolves a topic word: a roadmap track or lesson id, a category, a tool (typos and Korean welcome). */
  resolveTopic(text: string, engine: QueryEngine): QuizTopic | null {
    const key = normalizeKey(text);
    if (key === '' || key === 'all' || key === '전체') return { kind: 'all' };
    if (key === IMPORTED_TOPIC && this.catalog.importedQuestions.length > 0) return { kind: 'imported' };
    if (CONCEPTS_TOPIC_WORDS.includes(key) && this.catalog.concepts.length > 0) return { kind: 'concepts' };
    const { roadmap } = this.catalog;
    const track = roadmap.tracks.find((tr) =>
      [tr.id, tr.title.en, tr.title.ko].some((n) => normalizeKey(n) === key),
    );
    if (track) return { kind: 'track', id: track.id, name: track.title };
    const lesson = roadmap.lessons.find((l) => normalizeKey(l.id) === key);
    if (lesson) return { kind: 'lesson', id: lesson.id, number: lesson.number, name: lesson.title };
    const answer = engine.answer(text);
    // A concept is quizzed where the roadmap teaches it: "quiz 사이드카" is a round on its first lesson.
    const taught = answer.conceptId ? this.catalog.conceptById.get(answer.conceptId)?.lessons[0] : undefined;
    const where = taught ? roadmap.lessons.find((l) => l.id === taught) : undefined;
    if (where) return { kind: 'lesson', id: where.id, number: where.number, name: where.title };
    if (answer.intent === 'category' && answer.categoryId) {
      const category = this.catalog.categoryById.get(answer.categoryId);
      if (category) return { kind: 'category', id: category.id, name: category.name };
    }
    const tool =
      answer.intent === 'tool' && answer.toolIds[0]
        ? this.catalog.toolById.get(answer.toolIds[0])
        : undefined;
    if (tool?.source === 'curated') return { kind: 'tool', id: tool.id, name: tool.name };
    return null;
  }

  /** The topic of one lesson, for "quiz me on this" and `quiz today`. */
  lessonTopic(number: number): QuizTopic | null {
    const lesson = this.catalog.roadmap.lessons[number - 1];
    return lesson ? { kind: 'lesson', id: lesson.id, number: lesson.number, name: lesson.title } : null;
  }

  /** Every question on a topic: curated ones first in relevance, then generated ones about the same tools. */
  questionsFor(topic: QuizTopic): { curated: RoundQuestion[]; generated: RoundQuestion[] } {
    const { questions, roadmap } = this.catalog;
    let tools: Set<string>;
    let match: (q: QuizQuestionInput) => boolean;
    switch (topic.kind) {
      case 'all':
        return { curated: questions.map(fromCurated), generated: this.generated };
      case 'imported':
        return { curated: [...this.catalog.importedQuestions], generated: [] };
      case 'concepts':
        return {
          curated: [],
          generated: this.generated.filter((q) => q.questionId.startsWith(CONCEPT_QUESTION)),
        };
      case 'lesson': {
        const { tiers, generated } = this.lessonQuestions(topic.id);
        return { curated: tiers.flat(), generated };
      }
      case 'tool':
        tools = new Set([topic.id]);
        match = (q) => q.tool === topic.id;
        break;
      case 'category':
        tools = new Set(this.catalog.tools.filter((x) => x.category === topic.id).map((x) => x.id));
        match = (q) => q.category === topic.id || (q.tool !== undefined && tools.has(q.tool));
        break;
      case 'track': {
        const inTrack = roadmap.lessons.filter((l) => l.trackId === topic.id);
        const lessons = new Set(inTrack.map((l) => l.id));
        tools = new Set(inTrack.flatMap((l) => l.tools));
        match = (q) => q.lesson !== undefined && lessons.has(q.lesson);
        break;
      }
    }
    return {
      curated: questions.filter(match).map(fromCurated),
      generated: this.generatedAbout(tools),
    };
  }

  /**
   * A lesson's curated questions in the order a lesson round asks them: its own, then the rest of its track, then
   * others about the tools it teaches; and generated questions about those tools for when all three run out.
   */
  private lessonQuestions(lessonId: string): { tiers: RoundQuestion[][]; generated: RoundQuestion[] } {
    const { questions, roadmap } = this.catalog;
    const lesson = roadmap.lessons.find((l) => l.id === lessonId);
    const track = new Set(roadmap.lessons.filter((l) => l.trackId === lesson?.trackId).map((l) => l.id));
    const tools = new Set(lesson?.tools ?? []);
    const own = questions.filter((q) => q.lesson === lessonId);
    const sameTrack = questions.filter(
      (q) => q.lesson !== lessonId && q.lesson !== undefined && track.has(q.lesson),
    );
    const sameTools = questions.filter(
      (q) => !own.includes(q) && !sameTrack.includes(q) && q.tool !== undefined && tools.has(q.tool),
    );
    return {
      tiers: [own, sameTrack, sameTools].map((tier) => tier.map(fromCurated)),
      generated: this.generatedAbout(tools),
    };
  }

  private generatedAbout(tools: ReadonlySet<string>): RoundQuestion[] {
    return this.generated.filter((q) => q.toolId !== null && tools.has(q.toolId));
  }

  /**
   * Picks a round without repeats. A lesson round ("quiz me on this") asks the lesson's own questions first, then
   * its track's, in that order; any other round is mostly curated questions, about a third generated ones for
   * variety, in random order.
   */
  pick(
    topic: QuizTopic,
    count: number,
    random: () => number,
    /**
     * The channel's record: paused questions are left out, and the others are drawn by weight (those the group
     * answers right about 60–80% of the time first), so no question is ruled out by its share alone.
     */
    preference?: QuestionPreference,
  ): RoundQuestion[] {
    const asked = (qs: readonly RoundQuestion[]) =>
      preference ? qs.filter((q) => !preference.paused(q)) : qs;
    const order = (qs: readonly RoundQuestion[]) =>
      preference ? weightedShuffle(asked(qs), preference.weight, random) : shuffle(qs, random);
    if (topic.kind === 'lesson') {
      const { tiers, generated } = this.lessonQuestions(topic.id);
      return [...tiers, generated].flatMap(order).slice(0, count);
    }
    const all = this.questionsFor(topic);
    const curated = asked(all.curated);
    const generated = asked(all.generated);
    const generatedCount = Math.min(
      generated.length,
      Math.max(Math.floor(count / 3), count - curated.length),
    );
    const curatedCount = Math.min(curated.length, count - generatedCount);
    const picked = [
      ...order(curated).slice(0, curatedCount),
      ...order(generated).slice(0, count - curatedCount),
    ];
    return shuffle(picked, random);
  }
}
