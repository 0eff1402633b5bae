import Fuse from 'fuse.js';
import type { Catalog } from '../catalog/model.ts';
import { editDistance } from './edit-distance.ts';
import { hasHangul, toInitials, toJamo } from './hangul.ts';
import { normalizeKey } from './normalize.ts';
import { type PackedPostings, PostingsBuilder } from './packed-postings.ts';

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
 * Typos are found in two steps: a bigram (or, for short words, length) index proposes the few names that could be
 * close, then an edit distance over the keystroke (jamo) forms decides, so "isito" finds Istio and "asdfghjkl"
 * finds nothing. fuse.js scans every record on each query (0.1 to 0.8 ms over 170 names, measured), so it is kept
 * for ranking "did you mean" suggestions, where nothing else matched and a looser notion of similar helps.
 */
export class NameIndex {
  readonly entries: NameEntry[] = [];
  private readonly exact = new Map<string, NameEntry[]>();
  private readonly curatedEntries: NameEntry[];
  /** Curated names and the names we wrote for landscape items, which a typed beginning may complete. */
  private readonly prefixEntries: NameEntry[];
  /**
   * Bigrams of every name by entry number, of the key (form k) and of the keystroke jamo where that differs (form j),
   * so a typo is checked only against names sharing letters.
   */
  private readonly bigrams: Record<'k' | 'j', PackedPostings>;
  /** Names by form and length, for short queries where one edit can destroy every shared bigram ("ectd"). */
  private readonly byLength = new Map<string, NameEntry[]>();
  /** Shared-bigram counts by entry number during one typo lookup; all zero between lookups. */
  private readonly shared: Uint16Array;
  /** fuse.js over the curated names ranks "did you mean" suggestions; built for the first answer that needs one. */
  private suggester: Fuse<NameEntry> | undefined;
  /** The longest name in each form, in code points: a longer query cannot be a typo of any name. */
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
    const bigrams = { k: new PostingsBuilder(), j: new PostingsBuilder() };
    this.entries.forEach((entry, n) => {
      for (const [form, text] of [
        ['k', entry.key],
        ['j', entry.jamo],
      ] as const) {
        if (form === 'j' && text === entry.key) continue;
        // A bigram repeated within one name is counted under the same entry, so each entry is listed once per bigram.
        for (const gram of bigramsOf(text)) bigrams[form].add(gram, n);
        const length = [...text].length;
        push(this.byLength, `${form}${length}`, entry);
        this.longest[form] = Math.max(this.longest[form], length);
      }
    });
    this.bigrams = { k: bigrams.k.build(), j: bigrams.j.build() };
    this.shared = new Uint16Array(this.entries.length);
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
    // Without the length check a long sentence would walk the postings of each of its hundreds of bigrams.
    if (allowed <= 0 || length - allowed > this.longest[form]) return [];
    const candidates = new Set<NameEntry>();
    // Each edit destroys at most two bigrams (three for a transposition), so a real typo shares the rest.
    const grams = [...new Set(bigramsOf(probe))];
    const needed = grams.length - 3 * allowed;
    if (needed >= 1) {
      const postings = this.bigrams[form];
      const { shared } = this;
      // Entry numbers in the order first met, as candidates are ranked in that order when all else is equal.
      const met: number[] = [];
      for (const gram of grams) {
        const slot = postings.slot(gram);
        if (slot < 0) continue;
        for (let i = postings.start(slot), end = postings.end(slot); i < end; i++) {
          const n = postings.values[i] as number;
          if (shared[n] === 0) met.push(n);
          shared[n] = (shared[n] as number) + 1;
        }
      }
      for (const n of met) {
        if ((shared[n] as number) >= needed) candidates.add(this.entries[n] as NameEntry);
        shared[n] = 0;
      }
    } else {
      for (let l = length - allowed; l <= length + allowed; l++) {
        for (const entry of this.byLength.get(`${form}${l}`) ?? []) candidates.add(entry);
      }
    }
    const hits: NameHit[] = [];
    for (const entry of candidates) {
      const distance = editDistance(probe, korean ? entry.jamo : entry.key, allowed);
      if (distance <= allowed) hits.push({ entry, distance });
    }
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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
