import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importLandscape, loadCatalog } from '../../src/index.ts';
import { editDistance } from '../../src/query/edit-distance.ts';
import { KNOWN_PROJECTS } from '../../src/query/landscape-ko-aliases.ts';
import { NameIndex } from '../../src/query/name-index.ts';
import { NameTrie } from '../../src/query/name-trie.ts';
import { QUERIES } from '../helpers/accuracy.ts';
import { CATALOG_DIR, LANDSCAPE_FILE, SHARED_DATA_NOTE, skipWithoutSharedData } from '../helpers/catalog.ts';
import { fuzzParams } from '../helpers/fuzz.ts';
import { scaledLandscape } from '../helpers/scaled-landscape.ts';

/** Every stored string's value and distance within `max` of `probe`, as the trie reports them, sorted. */
function trieHits(trie: NameTrie, probe: string, max: number): string[] {
  const out: string[] = [];
  trie.within(probe, max, (value, distance) => out.push(`${value}:${distance}`));
  return out.sort();
}

/** The same by comparing the probe with every string. */
function scanHits(strings: string[], probe: string, max: number): string[] {
  const out: string[] = [];
  for (const [i, s] of strings.entries()) {
    const distance = editDistance(probe, s, max);
    if (distance <= max) out.push(`${i}:${distance}`);
  }
  return out.sort();
}

// A small alphabet, so random strings are often a few edits apart; jamo, so keystroke forms are covered.
const LETTER = fc.constantFrom('a', 'b', 'c', 'd', 'ㅇ', 'ㅣ', ' ');
const WORD = fc.array(LETTER, { maxLength: 12 }).map((letters) => letters.join(''));

describe('NameTrie', () => {
  it('finds exactly the names within the allowed edits, at the edit distance, each once', () => {
    fc.assert(
      fc.property(
        fc.array(WORD, { minLength: 1, maxLength: 40 }),
        WORD,
        fc.integer({ min: 0, max: 4 }),
        (strings, probe, max) => {
          const trie = new NameTrie(
            strings,
            strings.map((_, i) => i),
          );
          expect(trieHits(trie, probe, max)).toEqual(scanHits(strings, probe, max));
        },
      ),
      fuzzParams(400),
    );
  });

  it('counts a transposition as one edit, across the middle of the probe too', () => {
    const trie = new NameTrie(['istio', 'kubernetes', 'etcd'], [0, 1, 2]);
    expect(trieHits(trie, 'isito', 1)).toEqual(['0:1']);
    // "kubenretes": the swapped pair straddles the probe's middle, where the search splits its edits.
    expect(trieHits(trie, 'kubenretes', 1)).toEqual(['1:1']);
    expect(trieHits(trie, 'ectd', 1)).toEqual(['2:1']);
    expect(trieHits(trie, 'ectd', 0)).toEqual([]);
  });

  it('keeps every value of a name that several entries share', () => {
    const trie = new NameTrie(['flux', 'flux', 'flex'], [4, 7, 9]);
    expect(trieHits(trie, 'flux', 1)).toEqual(['4:0', '7:0', '9:1']);
  });
});

describe.skipIf(skipWithoutSharedData('typo lookups at eight times the landscape'))(
  `typo lookups at eight times the landscape${SHARED_DATA_NOTE}`,
  () => {
    async function names(scale: number): Promise<NameIndex> {
      const imported = importLandscape(readFileSync(LANDSCAPE_FILE, 'utf8'), LANDSCAPE_FILE);
      if ('problems' in imported) throw new Error('the landscape must import');
      const result = await loadCatalog(CATALOG_DIR, { landscape: scaledLandscape(imported.items, scale) });
      if (!result.ok) throw new Error('the real catalog must load');
      return new NameIndex(result.catalog, new Map(KNOWN_PROJECTS.map((p) => [p.name, [...p.ko, ...p.en]])));
    }

    it('visits a share of the names that does not grow with them (issue 15)', async () => {
      const typos = QUERIES.filter((e) => e.kind === 'typo').map((e) => e.q);
      const visits = async (scale: number): Promise<number> => {
        const index = await names(scale);
        NameTrie.visits = 0;
        for (const q of typos) {
          index.fuzzy(q);
          index.fuzzy(q, 1);
        }
        return NameTrie.visits;
      };
      const once = await visits(1);
      const eight = await visits(8);
      // Eight times the names; the walk grows only with the names that share a typo's first or last letters: 2.5
      // times the nodes when this was written (131,628 -> 333,616 over the 36 typos, each with and without slack).
      expect(eight / once).toBeLessThan(4);
    }, 60_000);
  },
);
