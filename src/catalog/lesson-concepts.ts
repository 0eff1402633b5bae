import type { ConceptInput } from './concept-schema.ts';
import type { RoadmapInput } from './roadmap-schema.ts';
import type { CatalogProblem, YamlSource } from './yaml-source.ts';

/**
 * Reports every roadmap lesson that no glossary concept names, on its id line: a concept card's "learn it in" button
 * is how a member gets from a word to the lesson, and a lesson nobody can reach that way has a glossary gap.
 */
export function checkLessonConcepts(
  roadmapSource: YamlSource | null,
  roadmap: RoadmapInput | null,
  concepts: readonly ConceptInput[],
  problems: CatalogProblem[],
): void {
  if (!roadmapSource || !roadmap) return;
  const linked = new Set(concepts.flatMap((c) => c.lessons));
  roadmap.tracks.forEach((track, t) => {
    track.lessons.forEach((lesson, l) => {
      if (!linked.has(lesson.id))
        problems.push({
          file: roadmapSource.file,
          line: roadmapSource.lineOf(['tracks', t, 'lessons', l, 'id']),
          message: `lesson "${lesson.id}" is linked by no concept; name it in the lessons of a concept in concepts/`,
        });
    });
  });
}
