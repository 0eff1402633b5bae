import { describe, expect, it } from 'vitest';
import { SEARCH_THRESHOLD } from '../../src/query/engine.ts';
import { normalizeQuery } from '../../src/query/normalize.ts';
import { QueryEngine } from '../../src/testing.ts';
import { QUERIES } from '../helpers/accuracy.ts';
import { realCatalog } from '../helpers/catalog.ts';

const engine = new QueryEngine(await realCatalog());

/** The best free-text strength of a query, as the engine's not-found threshold sees it. */
function topStrength(q: string): number {
  return engine.scoreText(normalizeQuery(q).text)[0]?.coverage ?? 0;
}

function at(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

// The threshold was chosen from these two distributions (tuning set only; the held-out set is not looked at here).
describe('the free-text not-found threshold, measured on the accuracy set', () => {
  const positives = QUERIES.filter((e) => e.kind === 'description' || (e.kind === 'advice' && e.tool))
    .map((e) => topStrength(e.q))
    .sort((a, b) => a - b);
  const nonsense = QUERIES.filter((e) => e.kind === 'nonsense')
    .map((e) => topStrength(e.q))
    .sort((a, b) => a - b);
  const absent = QUERIES.filter((e) => e.kind === 'absent')
    .map((e) => topStrength(e.q))
    .sort((a, b) => a - b);

  it('lies above every nonsense question and below 95% of the descriptions', () => {
    console.info(
      `free-text strength: descriptions n=${positives.length} min ${at(positives, 0).toFixed(3)} p5 ${at(positives, 0.05).toFixed(3)} median ${at(positives, 0.5).toFixed(3)}; ` +
        `nonsense n=${nonsense.length} max ${at(nonsense, 1).toFixed(3)}; absent names n=${absent.length} p50 ${at(absent, 0.5).toFixed(3)} max ${at(absent, 1).toFixed(3)}; threshold ${SEARCH_THRESHOLD}`,
    );
    expect(positives.length).toBeGreaterThanOrEqual(100);
    expect(nonsense.length).toBeGreaterThanOrEqual(30);
    expect(at(nonsense, 1)).toBeLessThan(SEARCH_THRESHOLD);
    expect(at(positives, 0.05)).toBeGreaterThan(SEARCH_THRESHOLD);
  });

  it('answers a one-word name found only in a description (prometheus in CoreDNS’s text) with nothing', () => {
    expect(topStrength('prometheus')).toBeGreaterThanOrEqual(SEARCH_THRESHOLD);
    expect(engine.search('prometheus')).toMatchObject({ intent: 'not_found', toolIds: [] });
  });
});
