import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importGames } from '../../src/index.ts';
import {
  FIXTURE_GAMES_FILE,
  GAMES_FILE,
  realCatalog,
  SHARED_DATA_NOTE,
  skipWithoutSharedData,
} from '../helpers/catalog.ts';

const catalog = await realCatalog();
type RoundQuestion = ReturnType<typeof importGames>['questions'][number];

/** Every imported question has one right answer among distinct options, not always in the same place. */
function expectPlayable(questions: RoundQuestion[]): void {
  for (const q of questions) {
    expect(q.answer).toBeGreaterThanOrEqual(0);
    expect(q.answer).toBeLessThan(q.options.length);
    expect(new Set(q.options.map((o) => o.en)).size).toBe(q.options.length);
  }
  // The source always lists the right option first; imported questions must not give that away.
  expect(new Set(questions.map((q) => q.answer)).size).toBeGreaterThan(1);
}

describe('the CNCF landscape games importer on our fixture (tests/fixtures/cncf/games.yml)', () => {
  const { questions, problems } = importGames(readFileSync(FIXTURE_GAMES_FILE, 'utf8'), 'games.yml', catalog);

  it('reads every well-formed question, with the right option shuffled out of first place', () => {
    expect(questions.map((q) => q.questionId)).toEqual(Array.from({ length: 12 }, (_, i) => `cncf-${i + 1}`));
    expectPlayable(questions);
    const first = questions[0];
    expect(first?.options[first.answer]?.en).toBe('Kubernetes');
    expect(first?.explanation).toEqual({ en: 'The answer is Kubernetes.', ko: '정답은 Kubernetes예요.' });
  });

  it('links an answer to the curated tool it names, and no other', () => {
    expect(questions.map((q) => q.toolId)).toEqual([
      'kubernetes',
      null, // Helm is not curated
      null,
      'etcd',
      'grpc',
      'linkerd',
      'envoy',
      'coredns',
      'crossplane',
      'karmada',
      null,
      null,
    ]);
  });

  it('trims titles and options, and counts only a boolean "correct: true"', () => {
    const padded = questions[4];
    expect(padded?.question.en).toBe(
      'Which project is a remote procedure call framework with code generated from a schema?',
    );
    expect(padded?.options[padded.answer]?.en).toBe('gRPC');
    const stringly = questions[10];
    expect(stringly?.options[stringly.answer]?.en).toBe('Jaeger');
    expect(questions[6]?.options).toHaveLength(2);
  });

  it('skips and reports, with the line, every question it cannot ask', () => {
    expect(problems).toEqual([
      { file: 'games.yml', line: 120, message: 'question 13: needs exactly one correct option, has 2' },
      { file: 'games.yml', line: 129, message: 'question 14: needs exactly one correct option, has 0' },
      { file: 'games.yml', line: 135, message: 'question 15: options repeat' },
      { file: 'games.yml', line: 142, message: 'question 16: a question needs at least two options' },
      { file: 'games.yml', line: 148, message: 'question 17: an option without an item' },
      { file: 'games.yml', line: 156, message: 'question 18: question without a title' },
      { file: 'games.yml', line: 162, message: 'question 19: a question needs at least two options' },
      { file: 'games.yml', line: 165, message: 'question 20: question without a title' },
    ]);
  });

  it('imports the same questions in the same order every time', () => {
    const again = importGames(readFileSync(FIXTURE_GAMES_FILE, 'utf8'), 'games.yml', catalog);
    expect(again.questions).toEqual(questions);
  });
});

describe('the CNCF landscape games importer on small inputs', () => {
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

const FULL = 'the CNCF landscape games importer on the full public file (../shared/data/cncf-games.yml)';
describe.skipIf(skipWithoutSharedData(FULL))(`${FULL}${SHARED_DATA_NOTE}`, () => {
  it('reads every question with exactly one right answer among distinct options', () => {
    const { questions, problems } = importGames(readFileSync(GAMES_FILE, 'utf8'), 'cncf-games.yml', catalog);
    expect(problems).toEqual([]);
    expect(questions).toHaveLength(26);
    expectPlayable(questions);
    const kubernetes = questions.find((q) => q.question.en.includes('container orchestration engine'));
    expect(kubernetes?.options[kubernetes.answer]?.en).toBe('Kubernetes');
    expect(kubernetes?.toolId).toBe('kubernetes');
  });
});
