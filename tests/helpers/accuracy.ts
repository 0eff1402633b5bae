import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { QueryResult } from '../../src/testing.ts';
import { ROOT } from './catalog.ts';

/** One line of the accuracy set in tests/fixtures/queries.yaml. */
export interface Expectation {
  q: string;
  intent: QueryResult['intent'];
  tool?: string;
  tools?: string[];
  category?: string;
  /** The glossary concept a `concept` answer must explain. */
  concept?: string;
  kind: string;
}

const load = (file: string): Expectation[] => parse(readFileSync(join(ROOT, 'tests/fixtures', file), 'utf8'));

/** The set the engine is tuned on. */
export const QUERIES: Expectation[] = load('queries.yaml');

/** The held-out set: written before the engine was run on it and never tuned on; reported beside QUERIES. */
export const HELDOUT: Expectation[] = load('queries-heldout.yaml');

/** True when the engine's top answer is the expected one. */
export function isCorrect(
  e: Expectation,
  r: Pick<QueryResult, 'intent' | 'toolIds' | 'categoryId' | 'conceptId'>,
): boolean {
  // A description asked as a question ("which dns server does kubernetes use") may be answered as advice naming
  // the one tool it describes: the member reads the same tool, with when to pick it.
  if (e.intent === 'search' && r.intent === 'advice' && r.categoryId === null) return r.toolIds[0] === e.tool;
  // A description that also names its tool ("what runs knative functions…") may open that tool's card.
  if (e.intent === 'search' && r.intent === 'tool') return r.toolIds[0] === e.tool;
  if (r.intent !== e.intent) return false;
  if (e.intent === 'concept') return r.conceptId === e.concept;
  if (e.intent === 'compare') return [...r.toolIds].sort().join() === [...(e.tools ?? [])].sort().join();
  if (e.intent === 'category') return r.categoryId === e.category;
  // Advice names a category's tools or the one tool a role names.
  if (e.intent === 'advice') return e.category ? r.categoryId === e.category : r.toolIds[0] === e.tool;
  if (e.intent === 'not_found') return r.toolIds.length === 0;
  return r.toolIds[0] === e.tool;
}
