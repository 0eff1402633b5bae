import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { QueryResult } from '../../src/index.ts';
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

export const QUERIES: Expectation[] = parse(readFileSync(join(ROOT, 'tests/fixtures/queries.yaml'), 'utf8'));

/** True when the engine's top answer is the expected one. */
export function isCorrect(
  e: Expectation,
  r: Pick<QueryResult, 'intent' | 'toolIds' | 'categoryId' | 'conceptId'>,
): boolean {
  if (r.intent !== e.intent) return false;
  if (e.intent === 'concept') return r.conceptId === e.concept;
  if (e.intent === 'compare') return [...r.toolIds].sort().join() === [...(e.tools ?? [])].sort().join();
  if (e.intent === 'category') return r.categoryId === e.category;
  if (e.intent === 'not_found') return r.toolIds.length === 0;
  return r.toolIds[0] === e.tool;
}
