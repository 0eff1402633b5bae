import { type Card, createEmptyCard, fsrs, type Grade, Rating, TypeConvert } from 'ts-fsrs';
import { userKeyOf } from '../channel-key.ts';
import type { QuizAnswer, QuizRound, ReviewCard, RoundQuestion, Store } from '../store/store.ts';

const scheduler = fsrs();

/** The card after one review with the given outcome, as stored JSON, and when it is due next. */
export function nextCard(
  previous: string | null,
  right: boolean,
  now: number,
): { card: string; dueAt: number } {
  const card: Card = previous ? TypeConvert.card(JSON.parse(previous)) : createEmptyCard(new Date(now));
  const grade: Grade = right ? Rating.Good : Rating.Again;
  const next = scheduler.next(card, new Date(now), grade).card;
  return { card: JSON.stringify(next), dueAt: next.due.getTime() };
}

/**
 * After a reveal: a missed question becomes (or stays) a review card for the member; a right answer to a
 * question that already has a card counts as a successful review. Questions answered right the first time
 * never become cards: review is for what a member got wrong.
 */
export async function recordReviews(
  store: Store,
  round: QuizRound,
  question: RoundQuestion,
  answers: readonly QuizAnswer[],
  now: number,
): Promise<void> {
  for (const answer of answers) {
    const userKey = userKeyOf(round.channelKey, answer.userId);
    const existing = await store.reviewCard(userKey, question.questionId);
    if (answer.correct && !existing) continue;
    await saveReview(store, userKey, question, existing, answer.correct, now);
  }
}

/** Applies one review outcome to a member's card and stores it. */
export async function saveReview(
  store: Store,
  userKey: string,
  question: RoundQuestion,
  existing: ReviewCard | null,
  right: boolean,
  now: number,
): Promise<ReviewCard> {
  const { card, dueAt } = nextCard(existing?.card ?? null, right, now);
  // A linked member's current card may be under the key of their other side: the review updates that card.
  const saved: ReviewCard = {
    userKey: existing?.userKey ?? userKey,
    questionId: question.questionId,
    question,
    card,
    dueAt,
    reviewedAt: now,
  };
  await store.saveReviewCard(saved);
  return saved;
}
