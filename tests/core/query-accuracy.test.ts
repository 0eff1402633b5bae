import { describe, expect, it } from 'vitest';
import { QueryEngine } from '../../src/index.ts';
import { isCorrect, QUERIES } from '../helpers/accuracy.ts';
import { realCatalog } from '../helpers/catalog.ts';

const engine = new QueryEngine(await realCatalog());

describe('query accuracy on our own test set', () => {
  it('has at least 120 queries of every kind, a quarter of them Korean', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(120);
    const kinds = new Set(QUERIES.map((q) => q.kind));
    for (const kind of [
      'exact',
      'typo',
      'korean',
      'alias',
      'description',
      'category',
      'compare',
      'nonsense',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(QUERIES.filter((q) => /[\uac00-\ud7a3\u3131-\u318e]/.test(q.q)).length).toBeGreaterThanOrEqual(30);
  });

  it('gets at least 95% top-1 right', () => {
    const wrong = QUERIES.filter((e) => !isCorrect(e, engine.answer(e.q))).map((e) => {
      const r = engine.answer(e.q);
      return `${e.q} -> ${r.intent} ${r.toolIds.slice(0, 3).join(',')} ${r.categoryId ?? ''}`;
    });
    const accuracy = 1 - wrong.length / QUERIES.length;
    expect({ accuracy: accuracy >= 0.95, wrong }).toMatchObject({ accuracy: true });
  });

  it('never answers nonsense with a confident tool', () => {
    const confident = QUERIES.filter((e) => e.kind === 'nonsense')
      .map((e) => ({ q: e.q, r: engine.answer(e.q) }))
      .filter(({ r }) => r.intent !== 'not_found');
    expect(confident.map(({ q, r }) => `${q} -> ${r.intent} ${r.toolIds.join(',')}`)).toEqual([]);
  });
});
