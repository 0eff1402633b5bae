import { it } from 'vitest';
import { QueryEngine } from '../src/index.ts';
import { HELDOUT, isCorrect, QUERIES } from './helpers/accuracy.ts';
import { realCatalog } from './helpers/catalog.ts';
it('prints', async () => {
  const engine = new QueryEngine(await realCatalog());
  for (const [name, set] of [['main', QUERIES], ['heldout', HELDOUT]] as const) {
    const wrong = set.filter((e) => !isCorrect(e, engine.answer(e.q)));
    console.log(name, set.length, ((1 - wrong.length / set.length) * 100).toFixed(1));
    for (const e of wrong) { const r = engine.answer(e.q); console.log('  ', e.kind, JSON.stringify(e.q), 'want', e.intent, e.tool ?? e.concept ?? e.category ?? e.tools, '| got', r.intent, r.toolIds.slice(0,3).join(','), r.categoryId ?? '', r.conceptId ?? ''); }
  }
});
