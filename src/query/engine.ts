import type { Catalog } from '../catalog/model.ts';
import { ConceptIndex } from './concept-index.ts';
import { hasHangul, isInitialsQuery } from './hangul.ts';
import { type NameEntry, NameIndex } from './name-index.ts';
import { normalizeQuery, stripParticle } from './normalize.ts';
import { TextIndex } from './text-index.ts';

/** What the user asked for. */
export type Intent = 'tool' | 'concept' | 'category' | 'compare' | 'search' | 'help' | 'not_found';

/** The engine's answer, before it is turned into a Reply. */
export interface QueryResult {
  intent: Intent;
  /** Catalog ids, best first. */
  toolIds: string[];
  categoryId: string | null;
  /** "Did you mean" tool or category ids for not-found answers. */
  suggestions: string[];
  /** The query after normalisation. */
  normalized: string;
  /** True when the user wrote Hangul, which decides the answer language unless something else is set. */
  korean: boolean;
  /** The glossary concept asked about, for the `concept` intent. */
  conceptId?: string;
}

// Words of a not-found query that are checked for typos; a longer message is a sentence, not a mistyped name.
const MAX_SUGGEST_WORDS = 10;

const HELP_WORDS = new Set(['help', 'h', '도움말', '도움', '사용법', '명령어', 'commands', 'usage', '?', '']);

// Markers of a comparison; the parts between them name the tools.
const COMPARE_SPLIT = /\s+(?:vs|versus|v|or|and|와|과|랑|하고|대|및)\s+|,/;
const COMPARE_WORDS =
  /\b(?:compare|comparison|difference|differences|between|vs|versus|or|and|which|better|is)\b|비교해\s*줘|비교해|비교|차이점|차이가|차이|뭐가\s*나아|어느\s*게|중에|중|나아/g;

// Words that ask for a list of a category's tools rather than name anything.
const LIST_WORDS = new Set([
  'tools',
  'tool',
  'list',
  'category',
  'projects',
  'options',
  'alternatives',
  'for',
  'of',
  'in',
  'kubernetes',
  'what',
  'which',
  'are',
  'there',
  'show',
  'all',
  'available',
  '도구',
  '도구들',
  '툴',
  '목록',
  '카테고리',
  '종류',
  '리스트',
  '분야',
  '들',
  '관련',
  '뭐',
  '뭐가',
  '무엇이',
  '어떤',
  '어떤게',
  '있어',
  '있어요',
  '있나요',
  '있니',
  '보여줘',
  '전부',
  '모두',
]);

// Words that ask how to use a named tool rather than describe a different one.
const HOW_WORDS = new Set([
  'how',
  'to',
  'install',
  'installation',
  'setup',
  'set',
  'up',
  'use',
  'using',
  'get',
  'started',
  'start',
  'tutorial',
  'guide',
  'docs',
  'documentation',
  'example',
  'examples',
  'intro',
  'introduction',
  'basics',
  'overview',
  'learn',
  'i',
  'do',
  'does',
  'work',
  'works',
  'in',
  'with',
  'on',
  'for',
  'the',
  'a',
  'an',
  'is',
  'what',
  'about',
  'explain',
  'me',
  '설치',
  '설치법',
  '설치하는',
  '방법',
  '사용법',
  '사용',
  '시작',
  '시작하기',
  '튜토리얼',
  '가이드',
  '문서',
  '예제',
  '소개',
  '기초',
  '개요',
  '배우기',
  '공부',
  '어떻게',
  '하는',
  '법',
  '해',
  '해줘',
  '하기',
  '쓰는',
  '써',
]);

/** The query engine: exact names, Korean-aware partial and typo matching, categories, comparisons and free text. */
export class QueryEngine {
  readonly names: NameIndex;
  readonly text: TextIndex;
  readonly concepts: ConceptIndex;

  constructor(readonly catalog: Catalog) {
    this.names = new NameIndex(catalog);
    this.text = new TextIndex(catalog);
    this.concepts = new ConceptIndex(catalog);
  }

  answer(raw: string): QueryResult {
    const { text, tokens } = normalizeQuery(raw);
    const korean = hasHangul(raw);
    const result = (
      intent: Intent,
      toolIds: string[] = [],
      categoryId: string | null = null,
      suggestions: string[] = [],
    ): QueryResult => ({
      intent,
      toolIds,
      categoryId,
      suggestions,
      normalized: text,
      korean,
    });

    if (HELP_WORDS.has(text)) return result('help');

    const known = (w: string): boolean => this.names.has(w);
    const stripped = tokens.map((t) => stripParticle(t, known));
    const strippedText = stripped.join(' ');

    const compared = this.comparison(text, stripped);
    if (compared.length >= 2) return result('compare', compared);

    // Precedence between tool, concept and category names is documented in concept-index.ts.
    const conceptId = this.concepts.match(raw, this.names);
    if (conceptId) return { ...result('concept'), conceptId };

    for (const key of new Set([text, strippedText])) {
      const exact = this.names.lookup(key)[0];
      if (exact) return this.fromEntry(exact, result);
    }

    const listed = stripped.filter((t) => !LIST_WORDS.has(t)).join(' ');
    if (listed.length > 0 && listed !== strippedText) {
      const category = this.names.lookup(listed).find((e) => e.kind === 'category');
      if (category) return result('category', this.toolsIn(category.id), category.id);
    }

    if (isInitialsQuery(text)) {
      const byInitials = this.names.byInitials(text.replace(/\s+/g, ''));
      const first = byInitials[0];
      if (first) return this.fromEntry(first, result);
    }

    const prefixed = this.names.byPrefix(strippedText)[0];
    if (prefixed) return this.fromEntry(prefixed, result);

    const typo = this.names.fuzzy(strippedText)[0];
    if (typo) return this.fromEntry(typo.entry, result);

    // A known name inside a longer question: "how do I install istio" is about Istio, but
    // "dns server for kubernetes" describes CoreDNS, so a name wins only when the other words ask no more than how.
    const inner = this.nameInside(stripped);
    if (inner?.rest.every((w) => HOW_WORDS.has(w))) return this.fromEntry(inner.entry, result);

    const found = this.rankByText(strippedText);
    if (found.length > 0) return result('search', found);
    if (inner) return this.fromEntry(inner.entry, result);

    return result('not_found', [], null, this.suggest(strippedText, stripped));
  }

  /**
   * Tool names to offer while a member types (Discord autocomplete): names the typed text begins (in any script,
   * including half-typed Hangul and initial consonants), then the engine's own answer for it, curated first.
   */
  complete(raw: string, limit = 25): { name: string; value: string }[] {
    const out: string[] = [];
    const add = (id: string | undefined): void => {
      if (id && !out.includes(id) && this.catalog.toolById.has(id)) out.push(id);
    };
    const { text } = normalizeQuery(raw);
    if (text.length === 0) {
      for (const tool of this.catalog.tools) if (tool.source === 'curated') add(tool.id);
    } else {
      for (const entry of this.names.lookup(text)) if (entry.kind === 'tool') add(entry.id);
      if (isInitialsQuery(text))
        for (const entry of this.names.byInitials(text.replace(/\s+/g, '')))
          if (entry.kind === 'tool') add(entry.id);
      for (const entry of this.names.byPrefix(text)) if (entry.kind === 'tool') add(entry.id);
      // Autocomplete sees every keystroke, so even one or two letters narrow the list by name.
      for (const entry of this.names.entries)
        if (entry.curated && entry.kind === 'tool' && entry.key.startsWith(text)) add(entry.id);
      const answer = this.answer(raw);
      for (const id of [...answer.toolIds, ...answer.suggestions]) add(id);
    }
    return out.slice(0, limit).map((id) => ({ name: this.catalog.toolById.get(id)?.name ?? id, value: id }));
  }

  /** Free-text search only, for `/orch search`: tools ranked by what they do. */
  search(raw: string): QueryResult {
    const { text, tokens } = normalizeQuery(raw);
    const stripped = tokens.map((t) => stripParticle(t, (w) => this.names.has(w))).join(' ');
    const found = this.rankByText(stripped);
    return {
      intent: found.length > 0 ? 'search' : 'not_found',
      toolIds: found,
      categoryId: null,
      suggestions: found.length > 0 ? [] : this.suggest(stripped, tokens),
      normalized: text,
      korean: hasHangul(raw),
    };
  }

  /** Tools whose descriptions cover at least half of the query's terms, strongest first. */
  private rankByText(text: string): string[] {
    const hits = this.text.search(text);
    const best = hits[0];
    if (!best || best.coverage < 0.5) return [];
    // Keep only answers nearly as good as the best, so a clear question gets a short list.
    return hits
      .filter((h) => h.coverage >= best.coverage * 0.8 && h.score >= best.score * 0.5)
      .map((h) => h.toolId);
  }

  private fromEntry(
    entry: NameEntry,
    result: (i: Intent, t?: string[], c?: string | null) => QueryResult,
  ): QueryResult {
    if (entry.kind === 'category') return result('category', this.toolsIn(entry.id), entry.id);
    return result('tool', [entry.id]);
  }

  /** Curated tools of a category first, then landscape ones. */
  toolsIn(categoryId: string): string[] {
    const tools = this.catalog.tools.filter((t) => t.category === categoryId);
    return [
      ...tools.filter((t) => t.source === 'curated'),
      ...tools.filter((t) => t.source !== 'curated'),
    ].map((t) => t.id);
  }

  /** Resolves "istio vs linkerd", "이스티오 링커디 비교", "compare envoy and contour" to two or more tool ids. */
  private comparison(text: string, stripped: string[]): string[] {
    const hasMarker =
      COMPARE_SPLIT.test(` ${text} `) ||
      /비교|차이|compare|difference|\bvs\b|versus|which|better|중|뭐가|어느|나아|좋아/.test(text);
    const parts = ` ${text} `
      .split(COMPARE_SPLIT)
      .map((p) => p.replace(COMPARE_WORDS, ' ').replace(/\s+/g, ' ').trim())
      .filter((p) => p.length > 0);
    const ids: string[] = [];
    const push = (id: string | undefined): void => {
      if (id && !ids.includes(id)) ids.push(id);
    };
    if (parts.length >= 2) {
      for (const part of parts) push(this.resolveTool(part));
      if (ids.length >= 2) return ids;
    }
    // Without separators, find tool names in the tokens: "이스티오 링커디 비교", "istio linkerd".
    const words = stripped.filter((w) => w.replace(COMPARE_WORDS, '').trim().length > 0);
    if (words.length < 2 || words.length > 6) return [];
    const found = this.toolsInTokens(words, hasMarker);
    if (found.ids.length >= 2 && (hasMarker || found.unmatched === 0)) return found.ids;
    return [];
  }

  private resolveTool(part: string): string | undefined {
    const tokens = part.split(' ').map((t) => stripParticle(t, (w) => this.names.has(w)));
    const key = tokens.join(' ');
    const exact = this.names.lookup(key).find((e) => e.kind === 'tool');
    if (exact) return exact.id;
    const prefixed = this.names.byPrefix(key).find((e) => e.kind === 'tool');
    if (prefixed) return prefixed.id;
    return this.names.fuzzy(key).find((h) => h.entry.kind === 'tool')?.entry.id;
  }

  /** Greedy longest-span matching of tool names in a token list. */
  private toolsInTokens(tokens: string[], typos: boolean): { ids: string[]; unmatched: number } {
    const ids: string[] = [];
    let unmatched = 0;
    for (let i = 0; i < tokens.length; ) {
      let matched = 0;
      for (let span = Math.min(3, tokens.length - i); span >= 1 && matched === 0; span--) {
        const key = tokens.slice(i, i + span).join(' ');
        const exact = this.names.lookup(key).find((e) => e.kind === 'tool');
        const hit =
          exact?.id ??
          (span === 1 && typos
            ? this.names.fuzzy(key).find((h) => h.entry.kind === 'tool' && h.entry.curated)?.entry.id
            : undefined);
        if (hit) {
          if (!ids.includes(hit)) ids.push(hit);
          matched = span;
        }
      }
      if (matched === 0) {
        unmatched++;
        i++;
      } else {
        i += matched;
      }
    }
    return { ids, unmatched };
  }

  /** A curated tool or category named exactly by one span of a longer query, with the words around it. */
  private nameInside(tokens: string[]): { entry: NameEntry; rest: string[] } | undefined {
    if (tokens.length < 2) return undefined;
    for (let span = Math.min(3, tokens.length - 1); span >= 1; span--) {
      for (let i = 0; i + span <= tokens.length; i++) {
        const key = tokens.slice(i, i + span).join(' ');
        const entry = this.names.lookup(key).find((e) => e.curated && (key.length >= 3 || e.kind === 'tool'));
        if (entry) return { entry, rest: [...tokens.slice(0, i), ...tokens.slice(i + span)] };
      }
    }
    return undefined;
  }

  /** "Did you mean": looser typo matches of the whole query and of each word, then fuse.js's ranking. */
  private suggest(key: string, tokens: string[]): string[] {
    const ids: string[] = [];
    const add = (id: string): void => {
      if (!ids.includes(id)) ids.push(id);
    };
    // Each distinct word once, and only the first few: one typo check costs up to half a millisecond over the
    // landscape, and a long message (or one character that NFKC expands into a phrase, repeated) has hundreds.
    const words = [...new Set(tokens)].filter((w) => w.length >= 3 && w !== key).slice(0, MAX_SUGGEST_WORDS);
    for (const candidate of [key, ...words]) {
      if (ids.length >= 3) break;
      if (candidate.length < 3) continue;
      // The whole query may be one more edit off; single words of a longer query must be as close as a typo.
      for (const hit of this.names.fuzzy(candidate, candidate === key ? 1 : 0)) add(hit.entry.id);
    }
    if (ids.length === 0 && key.length >= 3) for (const entry of this.names.suggest(key)) add(entry.id);
    return ids.slice(0, 3);
  }
}
