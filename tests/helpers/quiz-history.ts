// Quiz history written straight into a store, for tests and benches that need rounds already played (a digest's
// leaderboard and hardest questions, a year of a group's quizzes).
import type { Store } from '../../src/index.ts';
import type { QuizAnswer, RoundQuestion } from '../../src/store/store.ts';

/** A two-option question whose answer is the first option; its text names `id` in both languages. */
export function twoOptionQuestion(id: string): RoundQuestion {
  return {
    questionId: id,
    question: { en: `Which algorithm does ${id} use?`, ko: `${id}의 알고리즘은?` },
    options: [
      { en: 'Raft', ko: 'Raft' },
      { en: 'Paxos', ko: 'Paxos' },
    ],
    answer: 0,
    explanation: { en: 'e', ko: 'e' },
    toolId: null,
  };
}

/**
 * A finished round `id` in `channelKey` that started at `at`: each question posted 30 s after the one before, and
 * answered by `answers(index)` (user, right or not, points for a right one: 100 unless given), in order, a millisecond
 * apart.
 */
export async function playRound(
  store: Store,
  round: { id: string; channelKey: string; at: number; questions: RoundQuestion[] },
  answers: (index: number) => { userId: string; displayName?: string; correct: boolean; points?: number }[],
): Promise<number> {
  const { id, channelKey, at, questions } = round;
  await store.createRound(
    {
      id,
      channelKey,
      startedBy: 'U0',
      topic: 'all',
      lang: 'en',
      secondsPerQuestion: 20,
      questionCount: questions.length,
      status: 'running',
      current: 0,
      createdAt: at,
      finishedAt: null,
    },
    questions,
  );
  let recorded = 0;
  for (let index = 0; index < questions.length; index++) {
    const posted = at + index * 30_000;
    await store.markQuestionPosted(id, index, `${id}-${index}`, posted, posted + 20_000);
    const batch: QuizAnswer[] = answers(index).map((a, i) => ({
      roundId: id,
      index,
      userId: a.userId,
      displayName: a.displayName ?? a.userId,
      option: a.correct ? 0 : 1,
      answeredAt: posted + 1000 + i,
      correct: a.correct,
      points: a.correct ? (a.points ?? 100) : 0,
    }));
    await store.recordAnswers(batch);
    recorded += batch.length;
  }
  await store.finishRound(id, 'finished', at + questions.length * 30_000 + 1000);
  return recorded;
}
