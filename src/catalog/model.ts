import type { RoundQuestion } from '../store/store.ts';
import type { ConceptInput } from './concept-schema.ts';
import type { QuizQuestionInput } from './quiz-schema.ts';
import type { LessonInput, RoadmapInput, StageName, TrackInput } from './roadmap-schema.ts';
import type { CategoryInput, LocalText, MaturityLevel, ToolInput } from './schema.ts';

/** A curated tool from catalog/tools, written in both languages. */
export interface CuratedTool extends ToolInput {
  source: 'curated';
}

/** An item imported from the CNCF landscape: facts and links, with the landscape's own English description if it had one. */
export interface LandscapeTool {
  source: 'landscape';
  id: string;
  name: string;
  category: string;
  maturity: MaturityLevel;
  homepage?: string;
  repository?: string;
  landscapeCategory: string;
  landscapeSubcategory: string;
  description?: string;
}

/** Anything the bot can answer a tool card about. */
export type Tool = CuratedTool | LandscapeTool;

/** A category: one of the curated eight or a landscape subcategory. */
export interface Category extends CategoryInput {
  source: 'curated' | 'landscape';
}

/** A lesson with its place in the roadmap (1-based across all tracks). */
export interface Lesson extends LessonInput {
  number: number;
  trackId: string;
}

/** The ordered roadmap: tracks, lessons in posting order, resources. */
export interface Roadmap {
  tracks: TrackInput[];
  lessons: Lesson[];
  resources: RoadmapInput['resources'];
}

/** A glossary entry from catalog/concepts. */
export type Concept = ConceptInput;

/**
 * The curated catalog as its YAML files define it, checked, before imported snapshots (landscape, question sets) are
 * merged in: what the compiled snapshot holds.
 */
export interface CuratedCatalog {
  categories: Category[];
  tools: CuratedTool[];
  roadmap: Roadmap;
  questions: QuizQuestionInput[];
  /** Where each curated question is written, for the admins' list of paused questions. */
  questionSources: QuestionSource[];
  concepts: Concept[];
}

/** A curated question's place: its file inside the catalog folder (quizzes/kubernetes.yaml) and the line of its id. */
export interface QuestionSource {
  id: string;
  file: string;
  line: number;
}

/** The loaded, validated catalog. */
export interface Catalog {
  tools: Tool[];
  categories: Category[];
  roadmap: Roadmap;
  toolById: ReadonlyMap<string, Tool>;
  categoryById: ReadonlyMap<string, Category>;
  /** Curated quiz questions from catalog/quizzes. */
  questions: readonly QuizQuestionInput[];
  /** Question sets a group imported (CNCF landscape games), kept outside catalog/. */
  importedQuestions: readonly RoundQuestion[];
  /** The glossary, in file order. */
  concepts: readonly Concept[];
  conceptById: ReadonlyMap<string, Concept>;
  /** Where each curated question is written, by question id. */
  questionSources: ReadonlyMap<string, QuestionSource>;
}

export type { LocalText, MaturityLevel, StageName };

/** Builds the lookup maps once so every consumer shares them. */
export function buildCatalog(
  tools: Tool[],
  categories: Category[],
  roadmap: Roadmap,
  questions: readonly QuizQuestionInput[] = [],
  importedQuestions: readonly RoundQuestion[] = [],
  concepts: readonly Concept[] = [],
  questionSources: readonly QuestionSource[] = [],
): Catalog {
  return {
    tools,
    categories,
    roadmap,
    questions,
    importedQuestions,
    concepts,
    conceptById: new Map(concepts.map((c) => [c.id, c])),
    questionSources: new Map(questionSources.map((q) => [q.id, q])),
    toolById: new Map(tools.map((t) => [t.id, t])),
    categoryById: new Map(categories.map((c) => [c.id, c])),
  };
}

/** The lesson with this number (counted from 1, in roadmap order), or undefined. */
export function lessonByNumber(catalog: Catalog, number: number): Lesson | undefined {
  return catalog.roadmap.lessons[number - 1];
}
