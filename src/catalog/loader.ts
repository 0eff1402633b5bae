import { basename, join } from 'node:path';
import { assembleCatalog, type CatalogLoad, type LoadOptions } from './assemble.ts';
import { type CatalogFolder, fileKey, yamlFilesIn } from './catalog-files.ts';
import { ConceptFileShape, Concept as ConceptSchema } from './concept-schema.ts';
import { checkLessonConcepts } from './lesson-concepts.ts';
import { checkLessonCoverage } from './lesson-coverage.ts';
import type { Category, Concept, CuratedCatalog, CuratedTool, Lesson, QuestionSource } from './model.ts';
import { normalizeKey } from './name-key.ts';
import { pacer } from './pacing.ts';
import { QuizFileShape, QuizQuestion, type QuizQuestionInput } from './quiz-schema.ts';
import { RoadmapFile } from './roadmap-schema.ts';
import { CategoryFile, ToolFile } from './schema.ts';
import { type CatalogProblem, capProblems, readYaml, validate, type YamlSource } from './yaml-source.ts';

export type { CatalogLoad, LoadOptions } from './assemble.ts';

/** The curated catalog read from its YAML files, or the problems found in them. */
export type CuratedLoad =
  | { ok: true; curated: CuratedCatalog }
  | { ok: false; problems: CatalogProblem[]; omitted: number };

/** Where a tool's fields sit in its file: the lines the cross-checks below may report. */
type ToolLines = Pick<YamlSource, 'file' | 'lineOf'>;

interface Located<T> {
  value: T;
  source: ToolLines;
}

/**
 * The lines of the fields the cross-checks look at, so each parsed document can be collected as soon as its file is
 * checked rather than all 10,000 of them living on until the last file is read.
 */
function toolLines(source: YamlSource, tool: CuratedTool): ToolLines {
  const lines = new Map<string, number>();
  const keep = (...path: (string | number)[]): void => {
    lines.set(path.join('.'), source.lineOf(path));
  };
  for (const field of ['id', 'name', 'category']) keep(field);
  for (let i = 0; i < tool.related.length; i++) keep('related', i);
  for (let i = 0; i < tool.aliases.length; i++) keep('aliases', i);
  return { file: source.file, lineOf: (path) => lines.get(path.join('.')) ?? 1 };
}

/**
 * Loads catalog/ (categories.yaml, tools/*.yaml, roadmap.yaml, quizzes/*.yaml, concepts/*.yaml), validates each file and the references between them,
 * and reports every problem at once rather than stopping at the first. Always from the YAML files: the compiled
 * snapshot is src/catalog/compiled-catalog.ts's business.
 */
export async function loadCatalog(dir: string, options: LoadOptions = {}): Promise<CatalogLoad> {
  const read = await readCuratedCatalog(dir);
  return read.ok ? { ok: true, catalog: assembleCatalog(read.curated, options) } : read;
}

/**
 * The curated catalog from the YAML files of `dir`, checked. `texts` (when given) gets the text of every file read,
 * by its key (tools/istio.yaml), so the compiled snapshot is keyed by exactly what was parsed.
 */
export async function readCuratedCatalog(dir: string, texts?: Map<string, string>): Promise<CuratedLoad> {
  const problems: CatalogProblem[] = [];
  const pause = pacer();
  const read: ReadFile = (...parts) => {
    const key = fileKey(...parts);
    return readYaml(join(dir, ...parts), join(dir, ...parts), problems, texts && ((t) => texts.set(key, t)));
  };

  const categorySource = await read('categories.yaml');
  const categoryFile = categorySource ? validate(categorySource, CategoryFile, problems) : null;

  const tools: Located<CuratedTool>[] = [];
  const invalidToolIds = new Set<string>();
  let toolFiles: string[] = [];
  try {
    toolFiles = await yamlFilesIn(dir, 'tools');
  } catch {
    problems.push({
      file: join(dir, 'tools'),
      line: 0,
      message: 'folder not found: every tool is one YAML file in tools/',
    });
  }
  for (const file of toolFiles) {
    await pause();
    const source = await read('tools', file);
    const value = source ? validate(source, ToolFile, problems) : null;
    if (source && value) {
      const tool: CuratedTool = { ...value, source: 'curated' };
      tools.push({ value: tool, source: toolLines(source, tool) });
    }
    // An invalid file still names its tool, so references to it do not pile up as further, misleading problems.
    const rawId = source?.doc.get('id');
    if (!value) invalidToolIds.add(typeof rawId === 'string' ? rawId : file.replace(/\.ya?ml$/, ''));
  }

  const roadmapSource = await read('roadmap.yaml');
  const roadmapFile = roadmapSource ? validate(roadmapSource, RoadmapFile, problems) : null;

  const categories: Category[] = (categoryFile?.categories ?? []).map((c) => ({ ...c, source: 'curated' }));
  const categoryIds = new Set(categories.map((c) => c.id));
  const toolIds = new Set<string>();
  const knownTool = (id: string): boolean => toolIds.has(id) || invalidToolIds.has(id);

  checkCategories(categorySource, categories, problems);
  for (const { value: tool, source } of tools) {
    await pause();
    const stem = basename(source.file).replace(/\.ya?ml$/, '');
    if (tool.id !== stem) {
      problems.push({
        file: source.file,
        line: source.lineOf(['id']),
        message: `id "${tool.id}" should match the file name "${stem}"`,
      });
    }
    if (toolIds.has(tool.id)) {
      problems.push({
        file: source.file,
        line: source.lineOf(['id']),
        message: `duplicate tool id "${tool.id}"`,
      });
    }
    toolIds.add(tool.id);
    if (categorySource && categoryFile && !categoryIds.has(tool.category)) {
      problems.push({
        file: source.file,
        line: source.lineOf(['category']),
        message: `unknown category "${tool.category}" (known: ${[...categoryIds].join(', ')})`,
      });
    }
  }
  for (const { value: tool, source } of tools) {
    await pause();
    tool.related.forEach((id, i) => {
      if (id === tool.id)
        problems.push({
          file: source.file,
          line: source.lineOf(['related', i]),
          message: `a tool cannot be related to itself`,
        });
      else if (!knownTool(id))
        problems.push({
          file: source.file,
          line: source.lineOf(['related', i]),
          message: `related tool "${id}" does not exist`,
        });
    });
  }
  checkNames(categorySource, categories, tools, problems);

  const lessons: Lesson[] = [];
  if (roadmapSource && roadmapFile) {
    const seen = new Map<string, string>();
    const trackIds = new Set<string>();
    roadmapFile.tracks.forEach((track, t) => {
      if (trackIds.has(track.id))
        problems.push({
          file: roadmapSource.file,
          line: roadmapSource.lineOf(['tracks', t, 'id']),
          message: `duplicate track id "${track.id}"`,
        });
      trackIds.add(track.id);
      track.lessons.forEach((lesson, l) => {
        const path = ['tracks', t, 'lessons', l];
        if (seen.has(lesson.id))
          problems.push({
            file: roadmapSource.file,
            line: roadmapSource.lineOf([...path, 'id']),
            message: `duplicate lesson id "${lesson.id}" (also in track "${seen.get(lesson.id)}")`,
          });
        seen.set(lesson.id, track.id);
        lesson.tools.forEach((id, i) => {
          if (!knownTool(id))
            problems.push({
              file: roadmapSource.file,
              line: roadmapSource.lineOf([...path, 'tools', i]),
              message: `lesson "${lesson.id}" names unknown tool "${id}"`,
            });
        });
        lessons.push({ ...lesson, number: lessons.length + 1, trackId: track.id });
      });
    });
  }

  const lessonIds = new Set(lessons.map((l) => l.id));
  const { questions, sources: questionSources } = await loadQuestions(dir, read, problems, pause, {
    tool: knownTool,
    lesson: (id) => lessonIds.has(id),
    category: (id) => categoryIds.has(id),
  });
  checkLessonCoverage(roadmapSource, roadmapFile, questions, problems);
  const concepts = await loadConcepts(dir, read, problems, {
    tool: knownTool,
    lesson: (id) => lessons.some((l) => l.id === id),
  });
  checkConceptNames(tools, concepts, problems);
  checkLessonConcepts(
    roadmapSource,
    roadmapFile,
    concepts.map((c) => c.value),
    problems,
  );

  if (problems.length > 0) return { ok: false, ...capProblems(problems) };
  return {
    ok: true,
    curated: {
      categories,
      tools: tools.map((t) => t.value),
      roadmap: { tracks: roadmapFile?.tracks ?? [], lessons, resources: roadmapFile?.resources ?? [] },
      questions,
      questionSources,
      concepts: concepts.map((c) => c.value),
    },
  };
}

/** Reads and parses one catalog file by its path inside the folder; a problem (with the line) when it cannot. */
type ReadFile = (...parts: string[]) => Promise<YamlSource | null>;

/** A folder's YAML files, or none when the folder is missing (quizzes/ and concepts/ are optional). */
async function optionalFiles(dir: string, folder: CatalogFolder): Promise<string[]> {
  try {
    return await yamlFilesIn(dir, folder);
  } catch {
    return [];
  }
}

/** Question files in quizzes/ (optional folder): each valid, ids unique, options distinct, references known. */
async function loadQuestions(
  dir: string,
  read: ReadFile,
  problems: CatalogProblem[],
  pause: () => Promise<void>,
  known: Record<'tool' | 'lesson' | 'category', (id: string) => boolean>,
): Promise<{ questions: QuizQuestionInput[]; sources: QuestionSource[] }> {
  const files = await optionalFiles(dir, 'quizzes');
  const out: QuizQuestionInput[] = [];
  const sources: QuestionSource[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    await pause();
    const source = await read('quizzes', file);
    const shape = source ? validate(source, QuizFileShape, problems) : null;
    if (!source || !shape) continue;
    // Each question is validated on its own, so one bad question does not hide the problems of the others.
    for (let i = 0; i < shape.questions.length; i++) {
      const q = validate(source, QuizQuestion, problems, ['questions', i]);
      if (!q) continue;
      const at = (...path: PropertyKey[]) => source.lineOf(['questions', i, ...path]);
      const earlier = ids.get(q.id);
      if (earlier)
        problems.push({
          file: source.file,
          line: at('id'),
          message: `duplicate question id "${q.id}" (also in ${earlier})`,
        });
      ids.set(q.id, file);
      for (const kind of ['tool', 'lesson', 'category'] as const) {
        const ref = q[kind];
        if (ref !== undefined && !known[kind](ref))
          problems.push({
            file: source.file,
            line: at(kind),
            message: `question "${q.id}" names unknown ${kind} "${ref}"`,
          });
      }
      for (const lang of ['en', 'ko'] as const) {
        const seen = new Set<string>();
        q.options.forEach((o, j) => {
          const text = o[lang].trim().toLowerCase();
          if (seen.has(text))
            problems.push({
              file: source.file,
              line: at('options', j),
              message: `question "${q.id}" repeats the option "${o[lang]}"`,
            });
          seen.add(text);
        });
      }
      out.push(q);
      // Where an admin fixes the question: its file inside the catalog folder and the line of its id.
      sources.push({ id: q.id, file: fileKey('quizzes', file), line: at('id') });
    }
  }
  return { questions: out, sources };
}

interface LocatedConcept {
  value: Concept;
  source: YamlSource;
  /** Its index in the file's `concepts` list, for line numbers. */
  index: number;
}

/**
 * Concept files in concepts/: each concept validated on its own (one bad entry does not hide the others), ids unique
 * across files, tools and lessons known. A missing folder is no error here: the lesson-link check then names every
 * lesson, which says what to write.
 */
async function loadConcepts(
  dir: string,
  read: ReadFile,
  problems: CatalogProblem[],
  known: Record<'tool' | 'lesson', (id: string) => boolean>,
): Promise<LocatedConcept[]> {
  const files = await optionalFiles(dir, 'concepts');
  const out: LocatedConcept[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    const source = await read('concepts', file);
    const shape = source ? validate(source, ConceptFileShape, problems) : null;
    if (!source || !shape) continue;
    for (let i = 0; i < shape.concepts.length; i++) {
      const concept = validate(source, ConceptSchema, problems, ['concepts', i]);
      if (!concept) continue;
      const at = (...path: PropertyKey[]) => source.lineOf(['concepts', i, ...path]);
      const earlier = ids.get(concept.id);
      if (earlier)
        problems.push({
          file: source.file,
          line: at('id'),
          message: `duplicate concept id "${concept.id}" (also in ${earlier})`,
        });
      ids.set(concept.id, file);
      concept.tools.forEach((id, j) => {
        if (!known.tool(id))
          problems.push({
            file: source.file,
            line: at('tools', j),
            message: `concept "${concept.id}" names unknown tool "${id}"`,
          });
      });
      concept.lessons.forEach((id, j) => {
        if (!known.lesson(id))
          problems.push({
            file: source.file,
            line: at('lessons', j),
            message: `concept "${concept.id}" names unknown lesson "${id}"`,
          });
      });
      out.push({ value: concept, source, index: i });
    }
  }
  return out;
}

/**
 * A concept's id, names and aliases may not be a tool's or another concept's, so a name always means one card. They
 * may be a category's ("service mesh"): the bare name lists the category, and "what is a service mesh" explains
 * the concept (see src/query/concept-index.ts).
 */
function checkConceptNames(
  tools: Located<CuratedTool>[],
  concepts: LocatedConcept[],
  problems: CatalogProblem[],
): void {
  const owner = new Map<string, string>();
  for (const { value: t } of tools)
    for (const name of [t.id, t.name, ...t.aliases]) owner.set(normalizeKey(name), `tool "${t.id}"`);
  for (const { value: c, source, index } of concepts) {
    const who = `concept "${c.id}"`;
    const own = new Set<string>();
    const names: [string, PropertyKey[], string][] = [
      [c.id, ['id'], 'id'],
      [c.name.en, ['name', 'en'], 'name'],
      [c.name.ko, ['name', 'ko'], 'name'],
      ...c.aliases.map((a, j): [string, PropertyKey[], string] => [a, ['aliases', j], 'alias']),
    ];
    for (const [name, path, what] of names) {
      const line = source.lineOf(['concepts', index, ...path]);
      const key = normalizeKey(name);
      if (key.length === 0) {
        problems.push({
          file: source.file,
          line,
          message: `${what} "${name}" is empty once punctuation is removed`,
        });
        continue;
      }
      if (own.has(key)) {
        if (what === 'alias')
          problems.push({
            file: source.file,
            line,
            message: `alias "${name}" repeats a name or alias of the same ${who}`,
          });
        continue;
      }
      own.add(key);
      const previous = owner.get(key);
      if (previous !== undefined)
        problems.push({
          file: source.file,
          line,
          message: `${what} "${name}" is already used by ${previous}`,
        });
      else owner.set(key, who);
    }
  }
}

function checkCategories(
  source: YamlSource | null,
  categories: Category[],
  problems: CatalogProblem[],
): void {
  if (!source) return;
  const seen = new Set<string>();
  categories.forEach((c, i) => {
    if (seen.has(c.id))
      problems.push({
        file: source.file,
        line: source.lineOf(['categories', i, 'id']),
        message: `duplicate category id "${c.id}"`,
      });
    seen.add(c.id);
  });
}

/** Names, ids and aliases of every tool and category must each point at exactly one thing once normalised. */
function checkNames(
  categorySource: YamlSource | null,
  categories: Category[],
  tools: Located<CuratedTool>[],
  problems: CatalogProblem[],
): void {
  const owner = new Map<string, string>();
  const claim = (key: string, who: string, file: string, line: number, what: string): void => {
    const norm = normalizeKey(key);
    if (norm.length === 0) {
      problems.push({ file, line, message: `${what} "${key}" is empty once punctuation is removed` });
      return;
    }
    const previous = owner.get(norm);
    if (previous !== undefined && previous !== who) {
      problems.push({ file, line, message: `${what} "${key}" is already used by ${previous}` });
    } else if (previous === who && what === 'alias') {
      problems.push({ file, line, message: `alias "${key}" repeats a name or alias of the same ${who}` });
    }
    owner.set(norm, who);
  };
  for (const { value: t, source } of tools) {
    const who = `tool "${t.id}"`;
    claim(t.id, who, source.file, source.lineOf(['id']), 'id');
    if (normalizeKey(t.name) !== normalizeKey(t.id))
      claim(t.name, who, source.file, source.lineOf(['name']), 'name');
    t.aliases.forEach((a, i) => {
      claim(a, who, source.file, source.lineOf(['aliases', i]), 'alias');
    });
  }
  if (!categorySource) return;
  categories.forEach((c, i) => {
    const who = `category "${c.id}"`;
    const names = new Set([normalizeKey(c.id)]);
    claim(c.id, who, categorySource.file, categorySource.lineOf(['categories', i, 'id']), 'id');
    for (const name of [c.name.en, c.name.ko]) {
      if (names.has(normalizeKey(name))) continue;
      names.add(normalizeKey(name));
      claim(name, who, categorySource.file, categorySource.lineOf(['categories', i, 'name']), 'name');
    }
    c.aliases.forEach((a, j) => {
      claim(a, who, categorySource.file, categorySource.lineOf(['categories', i, 'aliases', j]), 'alias');
    });
  });
}
