import { describe, expect, it } from 'vitest';
import { QueryEngine } from '../../src/testing.ts';
import { HELDOUT, QUERIES } from '../helpers/accuracy.ts';
import { realCatalog } from '../helpers/catalog.ts';

const engine = new QueryEngine(await realCatalog());

describe('the query engine on the issue examples', () => {
  it.each([
    ['istio', 'istio'],
    ['이스티오', 'istio'],
    ['isito', 'istio'],
    ['이스티오가 뭐야', 'istio'],
    ['이스티오란?', 'istio'],
    ['쿠버네티스 알려줘', 'kubernetes'],
    ['what is istio?', 'istio'],
    ['tell me about envoy', 'envoy'],
    ['ㅇㅅㅌㅇ', 'istio'],
    ['이스티', 'istio'],
    ['이스ㅌ', 'istio'],
    ['k8s', 'kubernetes'],
    ['ambassador', 'emissary-ingress'],
  ])('answers %j with the %s card', (query, id) => {
    expect(engine.answer(query)).toMatchObject({ intent: 'tool', toolIds: [id] });
  });

  it.each([
    ['istio vs linkerd', ['istio', 'linkerd']],
    ['이스티오 링커디 비교', ['istio', 'linkerd']],
    ['compare envoy and contour', ['envoy', 'contour']],
  ])('compares %j', (query, ids) => {
    const result = engine.answer(query);
    expect(result.intent).toBe('compare');
    expect([...result.toolIds].sort()).toEqual([...ids].sort());
  });

  it.each([
    ['service mesh', 'service-mesh'],
    ['서비스 메시', 'service-mesh'],
  ])('lists the category for %j', (query, id) => {
    const result = engine.answer(query);
    expect(result).toMatchObject({ intent: 'category', categoryId: id });
    expect(result.toolIds).toEqual(expect.arrayContaining(['istio', 'linkerd']));
  });

  it.each([
    ['distributed key value store', 'etcd'],
    ['서버리스 워크로드', 'knative'],
  ])('ranks %j first to %s', (query, id) => {
    expect(engine.answer(query)).toMatchObject({ intent: 'search' });
    expect(engine.answer(query).toolIds[0]).toBe(id);
  });

  it.each(['pizza recipe', 'asdfghjkl', '김치찌개 레시피'])('says not found for nonsense %j', (query) => {
    expect(engine.answer(query)).toMatchObject({ intent: 'not_found', toolIds: [] });
  });

  it('suggests the closest names for a near miss', () => {
    const result = engine.answer('istioo mesh thing');
    expect(result.intent === 'not_found' ? result.suggestions : result.toolIds).toContain('istio');
  });

  it('answers help for an empty question', () => {
    expect(engine.answer('   ').intent).toBe('help');
    expect(engine.answer('도움말').intent).toBe('help');
  });

  it('marks Hangul queries so the answer can be Korean', () => {
    expect(engine.answer('이스티오').korean).toBe(true);
    expect(engine.answer('istio').korean).toBe(false);
  });
});

describe('the parts the engine builds on first use', () => {
  // The text indexes, the typo tries and the concepts' search words are built for the first question that needs
  // them, or by warmUp() once the server is ready (src/query/engine.ts): a start does not wait for them.
  it('answers an exact name without building them', async () => {
    const cold = new QueryEngine(await realCatalog());
    expect(cold.answer('istio')).toMatchObject({ intent: 'tool', toolIds: ['istio'] });
    const inside = cold as unknown as { textBuilt?: unknown; names: { tries?: unknown } };
    expect(inside.textBuilt).toBeUndefined();
    expect(inside.names.tries).toBeUndefined();
    await cold.warmUp(async () => undefined);
    expect(inside.textBuilt).toBeDefined();
    expect(inside.names.tries).toBeDefined();
  });

  it('answers every query of the accuracy sets the same built on first use as warmed up beforehand', async () => {
    const catalog = await realCatalog();
    const warmed = new QueryEngine(catalog);
    await warmed.warmUp(async () => undefined);
    const lazy = new QueryEngine(catalog);
    const texts = [...QUERIES, ...HELDOUT].map((q) => q.q);
    expect(texts.length).toBeGreaterThan(400);
    for (const text of texts) expect(lazy.answer(text), text).toEqual(warmed.answer(text));
  });
});
