import type { QuizQuestionInput } from './quiz-schema.ts';
import type { RoadmapInput } from './roadmap-schema.ts';
import type { CatalogProblem, YamlSource } from './yaml-source.ts';

/** "Quiz me on this" asks a lesson's own questions first; fewer than this and a round is mostly about other lessons. */
export const MIN_QUESTIONS_PER_LESSON = 3;

/** Reports every roadmap lesson with fewer than MIN_QUESTIONS_PER_LESSON curated questions naming it, on its id line. */
export function checkLessonCoverage(
  roadmapSource: YamlSource | null,
  roadmap: RoadmapInput | null,
  questions: readonly QuizQuestionInput[],
  problems: CatalogProblem[],
): void {
  if (!roadmapSource || !roadmap) return;
  const counts = new Map<string, number>();
  for (const q of questions)
    if (q.lesson !== undefined) counts.set(q.lesson, (counts.get(q.lesson) ?? 0) + 1);
  roadmap.tracks.forEach((track, t) => {
    track.lessons.forEach((lesson, l) => {
      const count = counts.get(lesson.id) ?? 0;
      if (count < MIN_QUESTIONS_PER_LESSON)
        problems.push({
          file: roadmapSource.file,
          line: roadmapSource.lineOf(['tracks', t, 'lessons', l, 'id']),
          message: `lesson "${lesson.id}" has ${count} quiz question${count === 1 ? '' : 's'} of its own; it needs at least ${MIN_QUESTIONS_PER_LESSON}`,
        });
    });
  });
}
