import type { Catalog, Tool } from '../catalog/model.ts';
import { ConceptIndex } from './concept-index.ts';
import { hasHangul, isInitialsQuery } from './hangul.ts';
import { KNOWN_PROJECTS, type KnownProject } from './landscape-ko-aliases.ts';
import { type NameEntry, NameIndex } from './name-index.ts';
import { normalizeKey, normalizeQuery, stripParticle } from './normalize.ts';
import { documentWords, documentWordsPaced, koreanStem, queryTerms, TextIndex } from './text-index.ts';

/** What the user asked for; `advice` answers "which one should I use", `concept` explains a glossary term. */
export type Intent = 'tool' | 'concept' | 'category' | 'compare' | 'search' | 'advice' | 'help' | 'not_found';

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
  /**
   * Names asked about that the catalog does not hold, as the user wrote them or as the project is called: a
   * well-known project the loaded catalog lacks, or the unknown side of a comparison.
   */
  missing?: string[];
  /** The glossary concept asked about, for the `concept` intent. */
  conceptId?: string;
}

/**
 * The lowest free-text match strength (the rarity-weighted share of the query's words a tool covers, a word found
 * only in the long description counting BODY_WEIGHT, plus a little for words side by side) answered as a search;
 * below it the answer is "not found". Set from the distributions on tests/fixtures/queries.yaml (417 queries):
 * the 114 descriptions and role questions score 0.415 at the lowest (5th percentile 0.60, median 1.0), the 48
 * nonsense questions and names of projects the catalog lacks 0.363 at the 95th percentile (nonsense alone 0.30 at
 * most), so the threshold sits in the gap. tests/core/query-threshold.test.ts re-measures it on every run.
 */
export const SEARCH_THRESHOLD = 0.4;
/**
 * A one-word query found only in the long text of a tool (a name it mentions, as CoreDNS's page mentions
 * Prometheus) scores exactly BODY_WEIGHT: every such case in the sets is a name the catalog lacks, never a
 * description, so one word must appear in what a tool is (name, tags, pitch, category) to count.
 */
const ONE_WORD_MINIMUM = 0.61;
// A word found only in a tool's description, usage notes or concepts counts this much; in its name, tags, pitch
// or category, fully. A landscape item's description is often marketing text, so its name and category count more.
const BODY_WEIGHT = 0.6;
// How much BM25 can reorder tools of nearly equal coverage.
const SCORE_WEIGHT = 0.2;

// On equal evidence the CNCF's own projects, by maturity, come before the rest of the landscape (vendors' products,
// whose descriptions are often marketing text). Curated tools are weighed in the text index itself.
const MATURITY_WEIGHT: Record<string, number> = { graduated: 1.5, incubating: 1.3, sandbox: 1.15 };
const MATURITY_ORDER: Record<string, number> = { graduated: 0, incubating: 1, sandbox: 2, archived: 4 };

// "Which one should I use" in English and Korean: the rest of the question names the category or the role.
const ADVICE_EN = /\b(?:which|what)\b.*\b(?:use|pick|choose|recommend|go with)\b|\brecommend/;
const ADVICE_KO =
  /추천|(?:뭐|뭘|무엇을|무얼|어떤\s*(?:거|걸|것|게)?)\s*(?:써|쓰|쓸|사용|골라|고르|깔|설치)|뭐가\s*(?:좋|나아|괜찮)|어떤\s*게\s*좋|고르면/;
const ADVICE_WORDS = new Set(
  (
    'which what should shall would could can do does i we you use pick choose recommend recommended ' +
    'recommendation recommendations a an the for to is are best one go with as me please tool tools ' +
    '뭐 뭘 무엇을 무얼 어떤 거 걸 것 게 뭐가 써 써야 써요 쓰지 쓸까 쓸까요 쓰면 쓰는 돼 돼요 되나 되나요 될까 될까요 ' +
    '사용 사용해야 사용하면 추천 추천해 추천해줘 추천해 줘 추천해주세요 추천해요 좋아 좋아요 좋을까 좋을까요 좋지 나아 ' +
    '골라 골라줘 고르면 고를까 깔까 설치 하나 해 줘 할까 할까요 하지 도구 툴 괜찮아 괜찮은 제일 가장'
  ).split(' '),
);

// Words of a not-found query that are checked for typos; a longer message is a sentence, not a mistyped name.
const MAX_SUGGEST_WORDS = 10;
// Words of a question that may surround the name of a project the catalog lacks ("how do I install prometheus").
const MAX_ABSENT_WORDS = 8;

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
  /**
   * The free-text indexes: everything written about each tool, and what each tool is (name, tags, pitch, category),
   * searched beside it. Built for the first question that is not a name (see textIndexes), or by `warmUp()`: most
   * lookups are names, and at start these were half of building the engine (with the landscape, most of it).
   */
  private textBuilt: { text: TextIndex; head: TextIndex } | undefined;
  /** Names of well-known projects this catalog does not hold, so they are answered "not here", never guessed. */
  private readonly absent = new Map<string, KnownProject>();
  readonly concepts: ConceptIndex;
  /** Each category's tool ids in answer order (see toolsIn), built on the first category answer. */
  private byCategory: Map<string, string[]> | undefined;

  constructor(
    readonly catalog: Catalog,
    names: NameIndex = QueryEngine.namesOf(catalog),
  ) {
    this.names = names;
    this.concepts = new ConceptIndex(catalog);
    const present = new Set(catalog.tools.map((t) => normalizeKey(t.name)));
    for (const project of KNOWN_PROJECTS) {
      if (present.has(normalizeKey(project.name))) continue;
      for (const name of [project.name, ...project.ko, ...project.en]) {
        const key = normalizeKey(name);
        if (!this.names.has(key)) this.absent.set(key, project);
      }
    }
  }

  private static namesOf(catalog: Catalog): NameIndex {
    return new NameIndex(catalog, new Map(KNOWN_PROJECTS.map((p) => [p.name, [...p.ko, ...p.en]])));
  }

  /** The free-text indexes, built here for the first question that needs them unless warmUp() built them before. */
  private textIndexes(): { text: TextIndex; head: TextIndex } {
    if (this.textBuilt) return this.textBuilt;
    const docs = documentWords(this.catalog);
    this.textBuilt = {
      text: new TextIndex(this.catalog, docs.all),
      head: new TextIndex(this.catalog, docs.head),
    };
    return this.textBuilt;
  }

  /** Everything written about each tool. */
  private get text(): TextIndex {
    return this.textIndexes().text;
  }

  /** What each tool is, searched beside `text`. */
  private get head(): TextIndex {
    return this.textIndexes().head;
  }

  /**
   * Builds now, a step at a time with `pause()` between steps, what the engine otherwise builds for the first
   * question that needs it (the text indexes, the typo tries, the concepts' search words): the server runs it right
   * after it is ready, so the first member's typo or question does not wait, and the pauses let the readiness probe
   * and the first requests through meanwhile.
   */
  async warmUp(pause: () => Promise<void>): Promise<void> {
    if (!this.textBuilt) {
      const docs = await documentWordsPaced(this.catalog, pause);
      await pause();
      const text = new TextIndex(this.catalog, docs.all);
      await pause();
      const head = new TextIndex(this.catalog, docs.head);
      // A question in the meantime may have built them already; the first build is kept.
      this.textBuilt ??= { text, head };
    }
    await pause();
    this.names.warm();
    await pause();
    this.concepts.warm();
  }

  /**
   * Builds the indexes with `pause()` between them: a reload builds them beside live traffic, and for 10,000 tools
   * each takes about half a second.
   */
  static async build(catalog: Catalog, pause: () => Promise<void>): Promise<QueryEngine> {
    const names = QueryEngine.namesOf(catalog);
    await pause();
    const engine = new QueryEngine(catalog, names);
    await engine.warmUp(pause);
    return engine;
  }

  /** The table row of a well-known project the catalog lacks, by the name it was asked as. */
  knownAbsent(name: string): KnownProject | undefined {
    return this.absent.get(normalizeKey(name)) ?? KNOWN_PROJECTS.find((p) => p.name === name);
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
    if (compared.ids.length >= 2 || (compared.ids.length === 1 && compared.missing.length > 0))
      return { ...result('compare', compared.ids), missing: compared.missing };

    // Precedence between tool, concept and category names is documented in concept-index.ts.
    const named = this.concepts.match(raw, this.names);
    if (named && 'tool' in named) return result('tool', [named.tool]);
    if (named) return { ...result('concept'), conceptId: named.concept };

    for (const key of new Set([text, strippedText])) {
      const exact = this.names.lookup(key)[0];
      if (exact) return this.fromEntry(exact, result);
    }
    const absent = this.absentIn(stripped);
    if (absent) return this.notHere(absent, result);

    if (ADVICE_EN.test(text) || ADVICE_KO.test(text)) {
      const advice = this.advice(stripped, result);
      if (advice) return advice;
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
    // Words that are literally what a tool is ("container orchestrator" in Kubernetes' pitch) are not a name typed
    // two or three keys wrong ("container orchestration", a category).
    if (typo && (typo.distance < 2 || !this.describedExactly(strippedText)))
      return this.fromEntry(typo.entry, result);

    // A known name inside a longer question: "how do I install istio" is about Istio, but
    // "dns server for kubernetes" describes CoreDNS, so a name wins only when the other words ask no more than how.
    const inner = this.nameInside(stripped);
    if (inner?.rest.every((w) => HOW_WORDS.has(w))) return this.fromEntry(inner.entry, result);

    const found = this.rankByText(strippedText);
    // "이스티오 앰비언트 모드": the name and the words around it point at the same tool, so that tool is the answer.
    if (inner?.entry.kind === 'tool' && found[0] === inner.entry.id)
      return this.fromEntry(inner.entry, result);
    if (found.length > 0) return result('search', found);
    if (inner) return this.fromEntry(inner.entry, result);

    return result('not_found', [], null, this.suggest(strippedText, stripped));
  }

  /** A known project this catalog lacks, named by the whole query or by a span the other words only ask about. */
  private absentIn(tokens: string[]): KnownProject | undefined {
    // A name with a few words around it; a longer message is not a question about one project.
    if (tokens.length > MAX_ABSENT_WORDS) return undefined;
    for (let span = Math.min(3, tokens.length); span >= 1; span--) {
      for (let i = 0; i + span <= tokens.length; i++) {
        const words = tokens.slice(i, i + span);
        const last = words.length - 1;
        const keys = [words.join(' ')];
        // "프로메테우스가", "도커 스웜은": a particle on the last word of an unknown name cannot be checked against it.
        if (hasHangul(words[last] as string))
          keys.push([...words.slice(0, last), stripTopicParticle(words[last] as string)].join(' '));
        const project = keys.map((k) => this.absent.get(k)).find((p) => p !== undefined);
        const rest = [...tokens.slice(0, i), ...tokens.slice(i + span)];
        // Besides words that ask how, one more word may describe it ("하버 레지스트리", "helm chart"), as long
        // as it names nothing the catalog holds.
        const other = rest.filter((w) => !HOW_WORDS.has(w) && !ADVICE_WORDS.has(w));
        const described = other.length === 1 && tokens.length <= 3 && !this.names.has(other[0] as string);
        if (project && (other.length === 0 || described)) return project;
      }
    }
    return undefined;
  }

  /** "Prometheus is not in this catalog": with the curated tools of the same role, if any, as the closest. */
  private notHere(
    project: KnownProject,
    result: (i: Intent, t?: string[], c?: string | null, s?: string[]) => QueryResult,
  ): QueryResult {
    const sameCategory = this.catalog.categories.find(
      (c) => c.source === 'curated' && c.name.en === project.subcategory,
    );
    const near = [
      ...(project.near ? [project.near] : []),
      ...(sameCategory ? this.toolsIn(sameCategory.id) : []),
    ].filter((id, i, all) => all.indexOf(id) === i && this.catalog.toolById.get(id)?.source === 'curated');
    return { ...result('not_found', [], null, near.slice(0, 3)), missing: [project.name] };
  }

  /** "Which service mesh should I use", "로컬에서 연습하려면 뭐 써": the category's tools, or the tool the role names. */
  private advice(
    tokens: string[],
    result: (i: Intent, t?: string[], c?: string | null) => QueryResult,
  ): QueryResult | undefined {
    const rest = tokens.filter((w) => !ADVICE_WORDS.has(w) && !w.startsWith('추천'));
    if (rest.length === 0) return undefined;
    const subject = rest.map((w) => stripParticle(w, (x) => this.names.has(x))).join(' ');
    const named =
      this.names.lookup(subject)[0] ??
      this.names.lookup(rest.map((w) => (hasHangul(w) ? koreanStem(w) : w)).join(' '))[0] ??
      this.names.fuzzy(subject).find((h) => h.entry.curated)?.entry;
    if (named?.kind === 'category') return result('advice', this.toolsIn(named.id), named.id);
    if (named) return this.fromEntry(named, result);
    const found = this.rankByText(subject);
    if (found.length === 0) return undefined;
    // A role ("for local practice", "as a state store") names one tool; a kind of tool names its few peers.
    return result('advice', found.slice(0, 3));
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
    // Curated tools first in every list; the order within each part is kept.
    const curated = out.filter((id) => this.catalog.toolById.get(id)?.source === 'curated');
    out.splice(0, out.length, ...curated, ...out.filter((id) => !curated.includes(id)));
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

  /**
   * Free-text hits with their strength: the share of the query's words each tool covers, a word found only in the
   * long text counting BODY_WEIGHT, and BM25 over both parts; strongest first.
   */
  scoreText(
    text: string,
    terms: readonly string[] = this.text.terms(text),
  ): { toolId: string; coverage: number; score: number; curated: boolean }[] {
    // Both indexes search the same words, split by the whole text's vocabulary (which holds the head's).
    const all = this.text.search(terms, 40);
    if (all.length === 0) return [];
    const head = new Map(this.head.search(terms, 40).map((h) => [h.toolId, h]));
    let best = 0;
    const hits = all.map((h) => {
      const inHead = head.get(h.toolId);
      const tool = this.catalog.toolById.get(h.toolId);
      return {
        toolId: h.toolId,
        coverage: BODY_WEIGHT * h.coverage + (1 - BODY_WEIGHT) * (inHead?.coverage ?? 0),
        score: (h.score + (inHead?.score ?? 0)) * (MATURITY_WEIGHT[tool?.maturity ?? 'none'] ?? 1),
        curated: tool?.source === 'curated',
      };
    });
    for (const h of hits) best = Math.max(best, h.score);
    return hits.sort((a, b) => rankKey(b, best) - rankKey(a, best));
  }

  /** True when some tool's name, tags, pitch and category hold every word of a query of two or more words. */
  private describedExactly(text: string): boolean {
    if (queryTerms(text).length < 2) return false;
    return this.head.search(text, 1).some((h) => h.coverage >= 1);
  }

  /** Tools that match the query's words strongly enough to answer with, curated first. */
  private rankByText(text: string): string[] {
    const terms = this.text.terms(text);
    const hits = this.scoreText(text, terms);
    const best = hits[0];
    const minimum = terms.length === 1 ? ONE_WORD_MINIMUM : SEARCH_THRESHOLD;
    if (!best || best.coverage < minimum) return [];
    // Keep only answers nearly as good as the best, so a clear question gets a short list; the curated catalog is
    // what the group studies, so its tools that match about as well as the best come first.
    const kept = hits
      .filter((h) => h.coverage >= best.coverage * 0.8 && h.score >= best.score * 0.5)
      .slice(0, 5);
    const first = kept.filter((h) => h.curated && h.coverage >= best.coverage * 0.9);
    return [...first, ...kept.filter((h) => !first.includes(h))].map((h) => h.toolId);
  }

  private fromEntry(
    entry: NameEntry,
    result: (i: Intent, t?: string[], c?: string | null) => QueryResult,
  ): QueryResult {
    if (entry.kind === 'category') return result('category', this.toolsIn(entry.id), entry.id);
    return result('tool', [entry.id]);
  }

  /** Curated tools of a category first, then landscape ones, CNCF projects by maturity before the rest. */
  toolsIn(categoryId: string): string[] {
    // Every category's list is ordered once, on the first that is asked for: a pass over 20,000 tools per answer
    // cost milliseconds (issue 15).
    if (!this.byCategory) {
      const lists = new Map<string, Tool[]>();
      for (const tool of this.catalog.tools) {
        const list = lists.get(tool.category);
        if (list) list.push(tool);
        else lists.set(tool.category, [tool]);
      }
      const rank = (t: Tool): number => MATURITY_ORDER[t.maturity] ?? 3;
      this.byCategory = new Map();
      for (const [id, tools] of lists)
        this.byCategory.set(
          id,
          [
            ...tools.filter((t) => t.source === 'curated'),
            ...tools.filter((t) => t.source !== 'curated').sort((a, b) => rank(a) - rank(b)),
          ].map((t) => t.id),
        );
    }
    return [...(this.byCategory.get(categoryId) ?? [])];
  }

  /**
   * Resolves "istio vs linkerd", "이스티오 링커디 비교", "compare envoy and contour" to two or more tool ids, and
   * keeps the side that names nothing the catalog holds ("istio vs 도커 스웜") so the answer can say so.
   */
  private comparison(text: string, stripped: string[]): { ids: string[]; missing: string[] } {
    const none = { ids: [], missing: [] };
    const hasMarker =
      COMPARE_SPLIT.test(` ${text} `) ||
      /비교|차이|compare|difference|\bvs\b|versus|which|better|중|뭐가|어느|나아|좋아/.test(text);
    const explicit = /비교|차이|compare|difference|\bvs\b|versus/.test(text);
    const parts = ` ${text} `
      .split(COMPARE_SPLIT)
      .map((p) => p.replace(COMPARE_WORDS, ' ').replace(/\s+/g, ' ').trim())
      .filter((p) => p.length > 0);
    const ids: string[] = [];
    const push = (id: string | undefined): void => {
      if (id && !ids.includes(id)) ids.push(id);
    };
    // Only a project we know of is named as missing; any other unknown word is no comparison at all.
    const missing: string[] = [];
    let unknown = 0;
    if (parts.length >= 2) {
      for (const part of parts) {
        const id = this.resolveTool(part);
        const project = id ? undefined : this.absentName(part);
        if (id) push(id);
        else if (project) missing.push(project);
        else unknown++;
      }
      if (ids.length >= 2) return { ids, missing: [] };
    }
    const partial = ids.length === 1 && explicit && missing.length > 0 && unknown === 0 && parts.length <= 3;
    const split = partial ? { ids: [...ids], missing } : none;
    // Without separators, find tool names in the tokens: "이스티오 링커디 비교", "istio linkerd".
    const words = stripped.filter((w) => w.replace(COMPARE_WORDS, '').trim().length > 0);
    if (words.length < 2 || words.length > 6) return split;
    const found = this.toolsInTokens(words, hasMarker);
    if (found.ids.length >= 2 && (hasMarker || found.unmatched === 0)) return { ids: found.ids, missing: [] };
    if (partial) return split;
    if (found.ids.length === 1 && explicit && found.rest.length > 0) {
      const project = this.absentName(found.rest.join(' '));
      if (project) return { ids: found.ids, missing: [project] };
    }
    return none;
  }

  /** The project a phrase names when it is one we know of but the catalog lacks ("도커 스웜은" included). */
  private absentName(phrase: string): string | undefined {
    const words = phrase.split(' ');
    const last = words.length - 1;
    const bare = [...words.slice(0, last), stripTopicParticle(words[last] as string)].join(' ');
    return (this.absent.get(phrase) ?? this.absent.get(bare))?.name;
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
  private toolsInTokens(
    tokens: string[],
    typos: boolean,
  ): { ids: string[]; unmatched: number; rest: string[] } {
    const ids: string[] = [];
    const rest: string[] = [];
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
        rest.push(tokens[i] as string);
        i++;
      } else {
        i += matched;
      }
    }
    return { ids, unmatched, rest };
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

  /**
   * "Did you mean": looser typo matches of the whole query and of each word, then fuse.js's ranking of curated
   * names; curated names come before landscape ones, so "ist" suggests Istio before SST.
   */
  private suggest(key: string, tokens: string[]): string[] {
    const curated: string[] = [];
    const landscape: string[] = [];
    const add = (entry: NameEntry): void => {
      const list = entry.curated ? curated : landscape;
      if (!list.includes(entry.id)) list.push(entry.id);
    };
    // Each distinct word once, and only the first few: one typo check costs up to half a millisecond over the
    // landscape, and a long message (or one character that NFKC expands into a phrase, repeated) has hundreds.
    const words = [...new Set(tokens)].filter((w) => w.length >= 3 && w !== key).slice(0, MAX_SUGGEST_WORDS);
    for (const candidate of [key, ...words]) {
      if (curated.length >= 3) break;
      if (candidate.length < 3) continue;
      // The whole query may be one more edit off; single words of a longer query must be as close as a typo.
      for (const hit of this.names.fuzzy(candidate, candidate === key ? 1 : 0)) add(hit.entry);
    }
    if (curated.length < 3 && key.length >= 3) for (const entry of this.names.suggest(key)) add(entry);
    return [...curated, ...landscape.filter((id) => !curated.includes(id))].slice(0, 3);
  }
}

/** Coverage first; BM25 (relative to the best) separates tools whose coverage differs by a word's share or less. */
function rankKey(hit: { coverage: number; score: number }, bestScore: number): number {
  return hit.coverage + SCORE_WEIGHT * (bestScore > 0 ? hit.score / bestScore : 0);
}

/** A Hangul word without a topic or subject particle ("스웜은" -> "스웜"), for names the catalog cannot confirm. */
function stripTopicParticle(word: string): string {
  const bare = word.replace(/(?:은|는|이|가|을|를|와|과|랑|이랑|하고|도)$/, '');
  return bare.length > 0 && hasHangul(word) ? bare : word;
}
