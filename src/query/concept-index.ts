import type { Catalog, Concept } from '../catalog/model.ts';
import { editDistance } from './edit-distance.ts';
import { hasHangul, isInitialsQuery, toJamo } from './hangul.ts';
import { type NameEntry, NameIndex } from './name-index.ts';
import { cleanText, normalizeKey, normalizeQuery, stripParticle } from './normalize.ts';
import { words } from './text-index.ts';

// A typo is only looked for in a short query: a sentence of three words or more describes something, and one of
// its words being a few edits from a concept's name is no evidence the member meant that concept.
const MAX_TYPO_WORDS = 2;
// Shorter words are not checked for concept typos: one or two edits of a five-letter word reach too many names.
const MIN_TYPO_LENGTH = 6;
// Free-text search over the explanations lists a concept only when nearly every meaningful word of the query is in it.
const MIN_SEARCH_COVERAGE = 0.75;
const HANGUL = /[\uac00-\ud7a3]/;
const TRAILING_PARTICLE = /[은는이가을를와과의에도로만]$/;
// A pitch names what the tool is before what it does: "A … key-value store that holds …".
const PITCH_CLAUSE = /\s(?:that|which|for|with|from|on|in)\s/;

/**
 * The glossary's names for the query engine. Precedence, for a name that means more than one thing:
 *
 * 1. A tool's exact name always wins ("etcd" is the tool card, "etcd raft" the concept); the catalog check keeps curated
 *    tools and concepts from sharing a name, so this only matters for landscape items.
 * 2. A concept's exact name comes next, except that a bare category name keeps listing the category: "service mesh"
 *    lists the meshes, while "what is a service mesh" or "서비스 메시가 뭐야" (a question frame asking for a
 *    definition) explains the concept. Without a frame the member is browsing; with one they asked what it is.
 * 3. Initial consonants and typos are tried for concepts only when no tool name matches that way.
 */
export class ConceptIndex {
  private readonly names: NameIndex;
  /**
   * The meaningful words of each concept's names and explanation, both languages, for free-text search; built for
   * the first search (see documentsOf), as most questions end at a name.
   */
  private documents: { id: string; words: Set<string>; korean: string }[] | undefined;
  /** Names by their first two characters (keystrokes for Hangul), for typo lookups; built for the first one. */
  private byStart: Map<string, NameEntry[]> | undefined;

  constructor(private readonly catalog: Catalog) {
    // NameIndex reads a tool's source, id, name and aliases only; presenting each concept that way gives concepts the
    // same exact, initial-consonant and keystroke-typo matching that tool names have, without a second implementation.
    const asTools = catalog.concepts.map((c) => ({
      source: 'curated',
      id: c.id,
      name: c.name.en,
      aliases: [c.name.ko, ...c.aliases],
    }));
    this.names = new NameIndex({ tools: asTools, categories: [] } as unknown as Catalog);
  }

  private byStartOf(): Map<string, NameEntry[]> {
    if (this.byStart) return this.byStart;
    this.byStart = new Map();
    for (const entry of this.names.entries)
      for (const form of new Set([entry.key, entry.jamo])) push(this.byStart, startOf(form), entry);
    return this.byStart;
  }

  private documentsOf(): { id: string; words: Set<string>; korean: string }[] {
    this.documents ??= this.catalog.concepts.map((c) => {
      const text = [c.name.en, c.name.ko, ...c.aliases, c.explanation.en, c.explanation.ko].join(' ');
      return { id: c.id, words: new Set(words(text)), korean: cleanText(text) };
    });
    return this.documents;
  }

  /** Builds what is otherwise built on first use. */
  warm(): void {
    this.names.warm();
    this.byStartOf();
    this.documentsOf();
  }

  /** The concept whose name or alias is exactly `key` (a normalised key), if any: a name met in running text. */
  named(key: string): string | undefined {
    return this.names.lookup(key)[0]?.id;
  }

  /** True when `key` is exactly some concept's name or alias (whether a Korean particle may be stripped). */
  hasName(key: string): boolean {
    return this.names.has(key);
  }

  get(id: string): Concept | undefined {
    return this.catalog.conceptById.get(id);
  }

  /**
   * The concept a query names or asks about, or undefined when it names a tool, a bare category or no concept. A tool
   * named before a concept or a category it is a kind of ("링커디 서비스 메시", "엔보이 리버스 프록시") answers `{ tool }`.
   */
  match(raw: string, tools: NameIndex): { concept: string } | { tool: string } | undefined {
    if (this.catalog.concepts.length === 0) return undefined;
    const { text, tokens } = normalizeQuery(raw);
    if (text.length === 0) return undefined;
    // normalizeQuery strips "what is", "뭐야", "란" and the like: a stripped frame asks for a definition.
    const asked = cleanText(raw) !== text;
    const known = (w: string): boolean => this.names.has(w) || tools.has(w);
    const stripped = tokens.map((t) => stripParticle(t, known));
    const subjects = [text, stripped.join(' ')];
    // "쿠버네티스 pod가 뭐야": a leading tool name says where the concept lives, not what is asked.
    const first = stripped[0];
    const leadingTool =
      stripped.length > 1 && first ? tools.lookup(first).find((e) => e.kind === 'tool')?.id : undefined;
    if (leadingTool) subjects.push(stripped.slice(1).join(' '));

    for (const [n, key] of [...new Set(subjects)].entries()) {
      const named = tools.lookup(key);
      if (named.some((e) => e.kind === 'tool')) return undefined;
      const afterTool = n > 0 && leadingTool !== undefined;
      const concept = this.names.lookup(key)[0];
      // Without a question, a tool followed by a kind of tool names that tool ("컨투어 인그레스", "etcd key value
      // store"); a concept that is a part of that one tool is asked about ("이스티오 앰비언트 모드").
      if (afterTool && !asked && (named.length > 0 || (concept && !this.partOf(concept.id, leadingTool))))
        return { tool: leadingTool };
      if (!concept || (!asked && named.some((e) => e.kind === 'category'))) continue;
      return { concept: concept.id };
    }
    // A member who named a tool asked about it: a concept a few edits from the words after it is no evidence.
    if (leadingTool) return undefined;

    // The concept index is small and the tool index can be large (the landscape), so concepts are asked first and the
    // tools only to decide a tie: most queries are no concept and then cost the tool index nothing here.
    // Typos are checked on the whole query: "emissary-ingres" is a mistyped tool, not Emissary plus a mistyped concept.
    const subject = subjects[1] as string;
    if (isInitialsQuery(text)) {
      const initials = text.replace(/\s+/g, '');
      const hit = this.names.byInitials(initials)[0];
      return hit && tools.byInitials(initials).length === 0 ? { concept: hit.id } : undefined;
    }
    if (subject.split(' ').length > MAX_TYPO_WORDS || tools.has(subject)) return undefined;
    const typo = this.typo(subject);
    if (!typo || tools.byPrefix(subject).length > 0 || tools.fuzzy(subject).length > 0) return undefined;
    return { concept: typo };
  }

  /**
   * The concept a long word is a typo of. NameIndex.fuzzy compares a short or loosely matching word with hundreds of
   * the glossary's ~900 names (up to a millisecond, measured); here only names that begin like the word are compared,
   * since a typo rarely hits the first two keystrokes, which keeps a lookup to a few dozen edit distances.
   */
  private typo(subject: string): string | undefined {
    const korean = hasHangul(subject);
    const probe = korean ? toJamo(subject) : subject;
    const length = [...probe].length;
    if (length < MIN_TYPO_LENGTH) return undefined;
    const allowed = length <= 10 ? 2 : 3;
    let best: { id: string; distance: number } | undefined;
    for (const entry of this.byStartOf().get(startOf(probe)) ?? []) {
      const distance = editDistance(probe, korean ? entry.jamo : entry.key, allowed);
      if (distance <= allowed && (!best || distance < best.distance)) best = { id: entry.id, distance };
    }
    return best?.id;
  }

  /**
   * True when the concept is a part of that tool (Istio's ambient mode, Volcano's gang scheduling) rather than what
   * the tool is: the kind its own pitch names before saying what it does (etcd's "…key-value store that…", Contour's
   * "A Kubernetes ingress controller that…", Linkerd's "…service mesh…").
   */
  private partOf(conceptId: string, toolId: string): boolean {
    const concept = this.get(conceptId);
    const tool = this.catalog.toolById.get(toolId);
    if (!concept || tool?.source !== 'curated' || !concept.tools.includes(toolId)) return false;
    const kind = normalizeKey(tool.summary.en.split(PITCH_CLAUSE)[0] ?? '');
    return ![concept.id, concept.name.en, ...concept.aliases].some(
      (name) => !hasHangul(name) && kind.includes(normalizeKey(name)),
    );
  }

  /** Concepts whose names and explanation hold nearly every meaningful word of the query, best first. */
  search(raw: string, limit = 5): string[] {
    const query = [...new Set(words(normalizeQuery(raw).text))];
    if (query.length === 0) return [];
    const scored: { id: string; coverage: number }[] = [];
    for (const doc of this.documentsOf()) {
      let found = 0;
      for (const word of query) {
        if (doc.words.has(word)) found++;
        // Korean words carry particles and endings in both the query and the text, so a stem inside the text counts.
        else if (HANGUL.test(word) && doc.korean.includes(word.replace(TRAILING_PARTICLE, ''))) found++;
      }
      const coverage = found / query.length;
      if (coverage >= MIN_SEARCH_COVERAGE) scored.push({ id: doc.id, coverage });
    }
    return scored
      .sort((a, b) => b.coverage - a.coverage)
      .slice(0, limit)
      .map((s) => s.id);
  }

  /**
   * Concepts to offer while a member types (Discord autocomplete), marked so they read apart from tools. The value is
   * a definition question, so that submitting it answers the concept even where its bare name lists a category.
   */
  complete(raw: string, limit: number): { name: string; value: string }[] {
    const { text } = normalizeQuery(raw);
    if (text.length === 0 || limit <= 0) return [];
    const ids: string[] = [];
    const add = (id: string | undefined): void => {
      if (id && !ids.includes(id)) ids.push(id);
    };
    for (const entry of this.names.lookup(text)) add(entry.id);
    if (isInitialsQuery(text))
      for (const entry of this.names.byInitials(text.replace(/\s+/g, ''))) add(entry.id);
    // Half-typed Hangul ("사이ㄷ") is a prefix of the name's keystrokes, not of its syllables.
    const prefix = hasHangul(text) ? toJamo(text) : text;
    for (const entry of this.names.entries)
      if ((hasHangul(text) ? entry.jamo : entry.key).startsWith(prefix)) add(entry.id);
    for (const hit of this.names.fuzzy(text)) add(hit.entry.id);
    return ids.slice(0, limit).flatMap((id) => {
      const concept = this.get(id);
      if (!concept) return [];
      return [{ name: `📖 ${concept.name.en} · ${concept.name.ko}`, value: `what is ${concept.name.en}` }];
    });
  }
}

function startOf(text: string): string {
  return [...text].slice(0, 2).join('');
}

function push(map: Map<string, NameEntry[]>, key: string, entry: NameEntry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}
