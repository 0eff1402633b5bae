import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { importLandscape, loadCatalog } from '../../src/index.ts';
import { hasHangul } from '../../src/query/hangul.ts';
import { type Catalog, MAX_INPUT_LENGTH, QueryEngine, type QueryResult } from '../../src/testing.ts';
import {
  CATALOG_DIR,
  FIXTURE_LANDSCAPE_FILE,
  LANDSCAPE_FILE,
  realCatalog,
  SHARED_DATA_NOTE,
  skipWithoutSharedData,
} from '../helpers/catalog.ts';
import {
  anyText,
  COMMAND_WORDS,
  fuzzParams,
  fuzzTimeout,
  KOREAN_WORDS,
  logSlowest,
  SCHEDULE_WORDS,
  timed,
} from '../helpers/fuzz.ts';

const curated = await realCatalog();

// Curated tools over a CNCF landscape: our fixture (every importer quirk, in any clone) or the full public file (the
// production shape: thousands of names and descriptions).
async function withLandscape(file: string): Promise<Catalog> {
  const imported = importLandscape(readFileSync(file, 'utf8'), file);
  if ('problems' in imported) throw new Error(`${file} must import`);
  const result = await loadCatalog(CATALOG_DIR, { landscape: imported.items });
  if (!result.ok) throw new Error('the real catalog must load');
  return result.catalog;
}

function namesOf(catalog: Catalog): string[] {
  const out: string[] = [];
  for (const tool of catalog.tools) {
    out.push(tool.id, tool.name);
    if (tool.source === 'curated')
      out.push(...tool.aliases, ...tool.tags.en.slice(0, 2), ...tool.tags.ko.slice(0, 2));
  }
  for (const c of catalog.categories) out.push(c.id, c.name.en, c.name.ko, ...c.aliases);
  return out;
}

const fixture = await withLandscape(FIXTURE_LANDSCAPE_FILE);
// The fixture's names carry the landscape's odd Unicode (fullwidth letters, NO-BREAK SPACE, a name of punctuation).
const WORDS = [...namesOf(fixture), ...KOREAN_WORDS, ...COMMAND_WORDS, ...SCHEDULE_WORDS.slice(0, 20)];
const query = anyText(WORDS, MAX_INPUT_LENGTH);
// Inputs that were once slow: one character NFKC expands into a four-word phrase, repeated to the input limit, ran
// the typo matcher once per word (0.4 s); a sentence of a hundred made-up words took 30 to 50 ms.
const SLOW_ONCE: [string][] = [
  ['ﷺ'.repeat(MAX_INPUT_LENGTH)],
  ['﷽'.repeat(MAX_INPUT_LENGTH)],
  [
    Array.from({ length: 100 }, (_, i) => `q${(i * 7919).toString(36)}x`)
      .join(' ')
      .slice(0, MAX_INPUT_LENGTH),
  ],
  ['/orch '.repeat(MAX_INPUT_LENGTH / 6)],
  ['좀 '.repeat(MAX_INPUT_LENGTH / 2)],
];
const INTENTS = new Set(['tool', 'concept', 'category', 'compare', 'search', 'advice', 'help', 'not_found']);

function expectValidResult(catalog: Catalog, raw: string, r: QueryResult): void {
  expect(INTENTS.has(r.intent)).toBe(true);
  expect(typeof r.normalized).toBe('string');
  expect(r.korean).toBe(hasHangul(raw));
  for (const id of r.toolIds) expect(catalog.toolById.has(id), `unknown tool id ${id}`).toBe(true);
  expect(new Set(r.toolIds).size).toBe(r.toolIds.length);
  for (const id of r.suggestions)
    expect(catalog.toolById.has(id) || catalog.categoryById.has(id), `unknown suggestion ${id}`).toBe(true);
  if (r.categoryId !== null) expect(catalog.categoryById.has(r.categoryId)).toBe(true);
  switch (r.intent) {
    case 'tool':
      expect(r.toolIds).toHaveLength(1);
      break;
    case 'compare':
      // One tool is compared only with a named project the catalog lacks.
      expect(r.toolIds.length + (r.missing?.length ?? 0)).toBeGreaterThanOrEqual(2);
      break;
    case 'advice':
      expect(r.toolIds.length).toBeGreaterThan(0);
      break;
    case 'category':
      expect(r.categoryId).not.toBeNull();
      break;
    case 'concept':
      expect(catalog.conceptById.has(r.conceptId ?? ''), `unknown concept ${r.conceptId}`).toBe(true);
      expect(r.toolIds).toEqual([]);
      break;
    case 'search':
      expect(r.toolIds.length).toBeGreaterThan(0);
      break;
    default:
      expect(r.toolIds).toEqual([]);
  }
}

function engineProperties(name: string, load: () => Promise<Catalog>, runs: number, skip = false): void {
  describe.skipIf(skip)(`the query engine on ${name}${skip ? SHARED_DATA_NOTE : ''}`, () => {
    // Loaded lazily, so a skipped suite never reads its missing file.
    let loaded: Promise<{ catalog: Catalog; engine: QueryEngine }> | undefined;
    const ready = () =>
      (loaded ??= load().then((catalog) => ({ catalog, engine: new QueryEngine(catalog) })));

    it(
      'answers any text with a valid, repeatable result, each call well under the slowness bound',
      async () => {
        const { catalog, engine } = await ready();
        fc.assert(
          fc.property(query, (raw) => {
            const first = timed(`answer(${JSON.stringify(raw)})`, () => engine.answer(raw));
            expectValidResult(catalog, raw, first);
            expect(engine.answer(raw)).toEqual(first);
          }),
          fuzzParams(runs, SLOW_ONCE),
        );
      },
      fuzzTimeout(20_000),
    );

    it(
      'searches any text without throwing, within the bound',
      async () => {
        const { catalog, engine } = await ready();
        fc.assert(
          fc.property(query, (raw) => {
            const r = timed(`search(${JSON.stringify(raw)})`, () => engine.search(raw));
            expect(['search', 'not_found']).toContain(r.intent);
            expectValidResult(catalog, raw, r);
          }),
          fuzzParams(runs / 2, SLOW_ONCE),
        );
      },
      fuzzTimeout(20_000),
    );

    it(
      'completes any prefix with at most `limit` distinct known tools, within the bound',
      async () => {
        const { catalog, engine } = await ready();
        fc.assert(
          fc.property(query, fc.integer({ min: 0, max: 30 }), (raw, limit) => {
            const options = timed(`complete(${JSON.stringify(raw)})`, () => engine.complete(raw, limit));
            expect(options.length).toBeLessThanOrEqual(limit);
            expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
            for (const o of options) {
              expect(catalog.toolById.has(o.value)).toBe(true);
              expect(o.name.length).toBeGreaterThan(0);
            }
          }),
          fuzzParams(
            runs / 2,
            SLOW_ONCE.map(([raw]): [string, number] => [raw, 25]),
          ),
        );
      },
      fuzzTimeout(20_000),
    );

    it('completes every prefix of names typed key by key (autocomplete sees each keystroke)', async () => {
      const { engine } = await ready();
      fc.assert(
        fc.property(fc.constantFrom(...WORDS), (word) => {
          const units = [...word];
          for (let i = 0; i <= units.length; i++) {
            const prefix = units.slice(0, i).join('');
            timed(`complete(${JSON.stringify(prefix)})`, () => engine.complete(prefix));
            timed(`answer(${JSON.stringify(prefix)})`, () => engine.answer(prefix));
          }
        }),
        fuzzParams(runs / 4),
      );
    });
  });
}

afterAll(() => logSlowest('query engine'));

engineProperties('the curated catalog', async () => curated, 800);
engineProperties('the curated catalog with our CNCF landscape fixture', async () => fixture, 300);
const FULL = 'the curated catalog with the full CNCF landscape (../shared/data/cncf-landscape.yml)';
engineProperties(
  FULL,
  () => withLandscape(LANDSCAPE_FILE),
  300,
  skipWithoutSharedData(`the query engine on ${FULL}`),
);
