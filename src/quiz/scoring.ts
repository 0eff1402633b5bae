/** Points for a right answer. */
export const BASE_POINTS = 100;
/** The most a right answer can add for speed: all of it for an instant answer, none at the deadline. */
export const SPEED_BONUS = 50;

/** Points for an answer given `answeredAt` to a question open from `postedAt` to `deadlineAt`. */
export function pointsFor(
  correct: boolean,
  answeredAt: number,
  postedAt: number,
  deadlineAt: number,
): number {
  if (!correct) return 0;
  const window = Math.max(1, deadlineAt - postedAt);
  const left = Math.min(1, Math.max(0, (deadlineAt - answeredAt) / window));
  return BASE_POINTS + Math.round(SPEED_BONUS * left);
}
