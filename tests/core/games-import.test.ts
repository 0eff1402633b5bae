import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGames } from '../../src/index.ts';
import { LANDSCAPE_FILE, realCatalog } from '../helpers/catalog.ts';

const catalog = await realCatalog();
const GAMES = join(LANDSCAPE_FILE, '..', 'cncf-games.yml');

describe('the CNCF landscape games importer', () => {
  it('reads every question of the real file with exactly one right answer among distinct options', () => {
    const { questions, problems } = importGames(readFileSync(GAMES, 'utf8'), 'cncf-games.yml', catalog);
    expect(problems).toEqual([]);
    expect(questions).toHaveLength(26);
    for (const q of questions) {
      expect(q.answer).toBeGreaterThanOrEqual(0);
      expect(q.answer).toBeLessThan(q.options.length);
      expect(new Set(q.options.map((o) => o.en)).size).toBe(q.options.length);
    }
    // The source always lists the right option first; imported questions must not give that away.
    expect(new Set(questions.map((q) => q.answer)).size).toBeGreaterThan(1);
    const kubernetes = questions.find((q) => q.question.en.includes('container orchestration engine'));
    expect(kubernetes?.options[kubernetes.answer]?.en).toBe('Kubernetes');
    expect(kubernetes?.toolId).toBe('kubernetes');
  });

  it('skips and reports, with the line, questions with no or two right options and repeated options', () => {
    const text = [
      'quiz:',
      '  questions:',
      '    - title: "Fine"',
      '      options: [{ item: A, correct: true }, { item: B }]',
      '    - title: "Two right"',
      '      options: [{ item: A, correct: true }, { item: B, correct: true }]',
      '    - title: "None right"',
      '      options: [{ item: A }, { item: B }]',
      '    - title: "Repeats"',
      '      options: [{ item: A, correct: true }, { item: a }]',
    ].join('\n');
    const { questions, problems } = importGames(text, 'set.yml', catalog);
    expect(questions).toHaveLength(1);
    expect(problems).toEqual([
      { file: 'set.yml', line: 5, message: 'question 2: needs exactly one correct option, has 2' },
      { file: 'set.yml', line: 7, message: 'question 3: needs exactly one correct option, has 0' },
      { file: 'set.yml', line: 9, message: 'question 4: options repeat' },
    ]);
  });

  it('refuses a file that is not a games file', () => {
    expect(importGames('landscape: []\n', 'landscape.yml', catalog).problems[0]?.message).toBe(
      'expected "quiz: questions:" with a list of questions',
    );
  });
});
