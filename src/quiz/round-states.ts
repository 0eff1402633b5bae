import type { QuizRound, QuizRoundQuestion } from '../store/store.ts';

/** Where a quiz round stands. Only the store holds it, so any process can read it and carry the round on. */
export type RoundState = 'asking' | 'open' | 'revealed' | 'finalBoard' | 'finished' | 'stopped';

/**
 * Each state of a round, the states it may go to next, and what moves it on. QuizService (src/quiz/rounds.ts) takes
 * a running round one step from the state `roundState` reads; a stop, or an abandonment after steps kept failing,
 * ends a running round from any state. Tests walk rounds through this table and fail on a move it does not list.
 */
export const ROUND_STATES: {
  readonly [S in RoundState]: { readonly next: readonly RoundState[]; readonly movedBy: string };
} = {
  asking: {
    next: ['open', 'stopped'],
    movedBy: 'posting the current question (the intro first, before question 1) and arming its deadline',
  },
  open: {
    next: ['revealed', 'stopped'],
    movedBy: 'the deadline, or the press of the last earlier player still to answer (an early reveal)',
  },
  revealed: {
    next: ['asking', 'finalBoard', 'stopped'],
    movedBy: 'posting the reveal and moving the round on to the next question, or past the last one',
  },
  finalBoard: { next: ['finished', 'stopped'], movedBy: 'posting the final scores' },
  finished: { next: [], movedBy: 'nothing: the round is over' },
  stopped: { next: [], movedBy: 'nothing: the round is over' },
};

/**
 * The state of `round` from the store's facts: its status, its current index and that question's times (null past
 * the last question). A question the store does not have reads as not posted yet.
 */
export function roundState(
  round: Pick<QuizRound, 'status' | 'current' | 'questionCount'>,
  question: Pick<QuizRoundQuestion, 'postedAt' | 'revealedAt'> | null,
): RoundState {
  if (round.status !== 'running') return round.status;
  if (round.current >= round.questionCount) return 'finalBoard';
  if (question?.postedAt == null) return 'asking';
  return question.revealedAt === null ? 'open' : 'revealed';
}
