import { createHash } from 'node:crypto';
import type { RoundQuestion } from './store.ts';

/**
 * A question's version: a short hash of what players see and are judged on (the text, the options, the answer and
 * the explanation, in both languages). A fix in the catalog is a new version, so its record (answers, reports, a
 * pause) starts clean; the id alone would carry the old wording's record over to the fixed one.
 */
export function questionVersion(
  q: Pick<RoundQuestion, 'question' | 'options' | 'answer' | 'explanation'>,
): string {
  return createHash('sha256')
    .update(JSON.stringify([q.question, q.options, q.answer, q.explanation]))
    .digest('hex')
    .slice(0, 16);
}

/** The version rows written before versions existed carry: they count for whichever version is current. */
export const UNVERSIONED = '';
