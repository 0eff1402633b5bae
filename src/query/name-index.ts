import Fuse from 'fuse.js';
import type { Catalog } from '../catalog/model.ts';
import { hasHangul, toInitials, toJamo } from './hangul.ts';
import { NameTrie } from './name-trie.ts';
import { normalizeKey } from './normalize.ts';

/** What a name points at. */
export interface NameTarget {
  kind: 'tool' | 'category';
  id: string;
  curated: boolean;
}

/** One name or alias of one target, in every form the matcher compares. */
export interface NameEntry extends NameTarget {
  /** The display name or id, as opposed to an alias. */
  primary: boolean;
  key: string;
  jamo: string;
  initials: string;
}

/** A fuzzy hit with the edit distance that justified it. */
export interface NameHit {
  entry: NameEntry;
  distance: number;
}

const MAX_SUGGEST_LENGTH = 16;

/** How many edits a name of this length may be off and still count as a confident match. */
function allowedEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  if (length <= 10) return 2;
  return 3;
}

/**
 * Every id, name and alias of the catalog, for exact, prefix, initial-consonant and typo-tolerant lookup.
 * Typos are found by walking tries of the names' keystroke (jamo) forms with the edit distance (NameTrie), so "isito"
 * finds Istio and "asdfghjkl" finds nothing, and a lookup visits the names near the typo rather than every name
 * sharing a bigram or a length with it, which grew with the catalog (issue 15). fuse.js scans every record on each query (0.1 to 0.8 ms over 170 names, measured), so it is kept
 * for ranking "did you mean" suggestions, where nothing else matched and a looser notion of similar helps.
 */
export class NameIndex {
  readonly entries: NameEntry[] = [];
  private readonly exact = new Map<string, NameEntry[]>();
  private readonly curatedEntries: NameEntry[];
  /** Curated names and the names we wrote for landscape items, which a typed beginning may complete. */
  private readonly prefixEntries: NameEntry[];
  /**
   * Every name's key (form k) and, where it differs, its keystroke jamo (form j), in tries that find the names
   * within a few edits of a typo without visiting the rest (see NameTrie), by entry number. Built for the first typo
   * lookup (see triesOf): most lookups are exact names, and the tries were a third of building the index at start.
   */
  private tries: Record<'k' | 'j', NameTrie> | undefined;
  /** fuse.js over the curated names ranks "did you mean" suggestions; built for the first answer that needs one. */
  private suggester: Fuse<NameEntry> | undefined;
  /** The longest name in each form, in code points: a longer query cannot be a typo of any name (set with the tries). */
  private readonly longest = { k: 0, j: 0 };

  /** `extraNames`: names we wrote for landscape items (Korean spellings, short names), by the item's name. */
  constructor(catalog: Catalog, extraNames: ReadonlyMap<string, readonly string[]> = new Map()) {
    for (const tool of catalog.tools) {
      const curated = tool.source === 'curated';
      const names = curated
        ? [tool.id, tool.name, ...tool.aliases]
        : [tool.name, ...(extraNames.get(tool.name) ?? [])];
      for (const [i, name] of names.entries())
        this.add({ kind: 'tool', id: tool.id, curated }, name, i < 2, !curated && i > 0);
    }
    for (const c of catalog.categories) {
      const curated = c.source === 'curated';
      for (const [i, name] of [c.id, c.name.en, c.name.ko, ...c.aliases].entries()) {
        this.add({ kind: 'category', id: c.id, curated }, name, i < 3);
      }
    }
    this.curatedEntries = this.entries.filter((e) => e.curated);
    this.prefixEntries = this.entries.filter((e) => e.curated || this.written.has(e));
  }

  /** The typo tries, built on first use (and by `warm()`). */
  private triesOf(): Record<'k' | 'j', NameTrie> {
    if (this.tries) return this.tries;
    const forms = {
      k: { texts: [] as string[], numbers: [] as number[] },
      j: { texts: [] as string[], numbers: [] as number[] },
    };
    this.entries.forEach((entry, n) => {
      for (const [form, text] of [
        ['k', entry.key],
        ['j', entry.jamo],
      ] as const) {
        if (form === 'j' && text === entry.key) continue;
        forms[form].texts.push(text);
        forms[form].numbers.push(n);
        this.longest[form] = Math.max(this.longest[form], [...text].length);
      }
    });
    this.tries = {
      k: new NameTrie(forms.k.texts, forms.k.numbers),
      j: new NameTrie(forms.j.texts, forms.j.numbers),
    };
    return this.tries;
  }

  /** Builds what is otherwise built on first use, so that the first typo does not wait for it. */
  warm(): void {
    this.triesOf();
  }

  private suggesterOf(): Fuse<NameEntry> {
    // fuse.js's cost is per record and key (about 4 µs each here), so it ranks display names only, one key per
    // script: Korean aliases are already covered by the keystroke edit distance above.
    this.suggester ??= new Fuse(
      this.curatedEntries.filter((e) => e.primary && !hasHangul(e.key)),
      { includeScore: true, threshold: 0.4, keys: ['key'] },
    );
    return this.suggester;
  }

  /** Landscape names that came from our own table rather than the landscape. */
  private readonly written = new Set<NameEntry>();

  private add(target: NameTarget, name: string, primary: boolean, written = false): void {
    const key = normalizeKey(name);
    if (key.length === 0) return;
    const list = this.exact.get(key);
    if (list?.some((e) => e.kind === target.kind && e.id === target.id)) return;
    const entry: NameEntry = { ...target, primary, key, jamo: toJamo(key), initials: toInitials(key) };
    if (list) list.push(entry);
    else this.exact.set(key, [entry]);
    this.entries.push(entry);
    if (written) this.written.add(entry);
  }

  /** True when `word` is exactly some name; used to decide whether a Korean particle may be stripped. */
  has(word: string): boolean {
    return this.exact.has(word);
  }

  /** Exact matches of a normalised key, curated first. */
  lookup(key: string): NameEntry[] {
    return [...(this.exact.get(key) ?? [])].sort(byCuratedFirst);
  }

  /** Names whose initial consonants start with the query ("ㅇㅅㅌ" -> 이스티오). Korean names only. */
  byInitials(initials: string): NameEntry[] {
    return this.curatedEntries
      .filter(
        (e) => e.initials.length >= initials.length && e.initials.startsWith(initials) && hasHangul(e.key),
      )
      .sort((a, b) => a.initials.length - b.initials.length);
  }

  /** Curated names (then names we wrote for landscape items) that the query is the typed beginning of: "이스ㅌ", "잇", "kuber". */
  byPrefix(key: string, minimum = true): NameEntry[] {
    const korean = hasHangul(key);
    const probe = korean ? toJamo(key) : key;
    if (minimum && probe.length < (korean ? 3 : 4)) return [];
    return this.prefixEntries
      .filter((e) => (korean ? e.jamo : e.key).startsWith(probe) && e.key !== key)
      .sort((a, b) => byCuratedFirst(a, b) || a.key.length - b.key.length);
  }

  /** Typo-tolerant matches, best first; `slack` widens the allowed edits for "did you mean" suggestions. */
  fuzzy(key: string, slack = 0): NameHit[] {
    const korean = hasHangul(key);
    const form = korean ? 'j' : 'k';
    const probe = korean ? toJamo(key) : key;
    const length = [...probe].length;
    const allowed = allowedEdits(length) + slack;
    // A sentence longer than any name by more than the allowed edits is no typo of one; nothing to walk.
    const tries = this.triesOf();
    if (allowed <= 0 || length - allowed > this.longest[form]) return [];
    const found: { hit: NameHit; n: number }[] = [];
    tries[form].within(probe, allowed, (n, distance) => {
      found.push({ hit: { entry: this.entries[n] as NameEntry, distance }, n });
    });
    const order = metOrder(probe, allowed, korean);
    const hits = found
      .map(({ hit, n }) => ({ hit, met: order(hit.entry, n) }))
      .sort((a, b) => a.met[0] - b.met[0] || a.met[1] - b.met[1])
      .map(({ hit }) => hit);
    return hits.sort(
      (a, b) =>
        a.distance - b.distance ||
        byCuratedFirst(a.entry, b.entry) ||
        // Names are typed to find a tool; a category as close ("그알피씨": 지알피씨 or 알피씨) is the weaker reading.
        byToolFirst(a.entry, b.entry) ||
        a.entry.key.length - b.entry.key.length,
    );
  }

  /** Curated names that look like the query, ranked by fuse.js, for "did you mean". */
  suggest(key: string, limit = 3): NameEntry[] {
    // A long sentence is not a mistyped name, and fuse.js's cost grows with the pattern.
    if (hasHangul(key) || key.length > MAX_SUGGEST_LENGTH) return [];
    return this.suggesterOf()
      .search(key, { limit })
      .filter((r) => (r.score ?? 1) <= 0.3)
      .map((r) => r.item);
  }
}

/**
 * The order in which the matcher before NameTrie met its candidates, which decides between hits that are equal in
 * every ranked respect (distance, curated, kind, length): by the first of the probe's bigrams a name holds, or, for
 * a probe too short for bigrams to narrow, by the name's length; then by entry number. Kept so answers did not change
 * when the trie replaced it.
 */
function metOrder(
  probe: string,
  allowed: number,
  korean: boolean,
): (entry: NameEntry, n: number) => [number, number] {
  const grams = [...new Set(bigramsOf(probe))];
  if (grams.length - 3 * allowed < 1) return (entry, n) => [[...(korean ? entry.jamo : entry.key)].length, n];
  return (entry, n) => {
    const held = new Set(bigramsOf(korean ? entry.jamo : entry.key));
    const first = grams.findIndex((g) => held.has(g));
    return [first < 0 ? grams.length : first, n];
  };
}

function bigramsOf(text: string): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

function byCuratedFirst(a: NameTarget, b: NameTarget): number {
  return Number(b.curated) - Number(a.curated);
}

function byToolFirst(a: NameTarget, b: NameTarget): number {
  return Number(a.kind === 'category') - Number(b.kind === 'category');
}
