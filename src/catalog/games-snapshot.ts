// The question-set snapshot as a file: what `orch catalog import-games` writes (src/quiz/games-import.ts makes its
// questions) and what start-up reads back beside the landscape snapshot (src/catalog/sources.ts).
import type { RoundQuestion } from '../store/store.ts';

/** The file written by `orch catalog import-games` and read at start-up: an extra question set. */
export interface GamesSnapshot {
  format: 'orch-games/1';
  source: string;
  importedAt: string;
  questions: RoundQuestion[];
}

/** Reads a snapshot back; a hand-edited or truncated file is refused with a reason. */
export function parseGamesSnapshot(
  json: string,
  label: string,
): { questions: RoundQuestion[] } | { problem: string } {
  let data: Partial<GamesSnapshot>;
  try {
    data = JSON.parse(json) as Partial<GamesSnapshot>;
  } catch (error) {
    return { problem: `${label}: not valid JSON (${(error as Error).message})` };
  }
  if (data.format !== 'orch-games/1' || !Array.isArray(data.questions)) {
    return { problem: `${label}: not an orch question set; re-run "orch catalog import-games"` };
  }
  const bad = data.questions.findIndex(
    (q) =>
      typeof q?.questionId !== 'string' ||
      !Array.isArray(q.options) ||
      !(q.answer >= 0 && q.answer < q.options.length),
  );
  if (bad >= 0) return { problem: `${label}: question ${bad + 1} is malformed` };
  return { questions: data.questions };
}
