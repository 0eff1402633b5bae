import type { Catalog, Tool } from '../catalog/model.ts';
import { endsInConnective } from './hangul.ts';
import { cleanText } from './normalize.ts';
import { type PackedPostings, PostingsBuilder } from './packed-postings.ts';

// Words that carry no meaning for finding a tool; dropped from documents and queries alike.
const STOP_WORDS = new Set(
  (
    'a an the and or of for to in on at by with from into over is are be it its as that this which what how ' +
    'can do does i me my we our you your about using use used tool tools project projects open source ' +
    'need want find some any best good like ' +
    '도구 툴 뭐 어떤 무엇 위한 위해 하는 있는 및 등 것 수 좀 추천 추천해줘 알려줘 찾아줘 필요해 쓰는 좋은 싶어 싶어요 싶은 해주는 하려면 어디 어디에 어디서 언제 왜 누가 무엇을 뭘'
  ).split(' '),
);

const HANGUL = /[\uac00-\ud7a3]/;
// Korean verbs and adjectives in a question end like these ("돌리고 싶어요"); unmatched, they are no evidence either way.
const PREDICATE_ENDING = /(?:요|어|아|고|다|해|돼|되|지|자|게|서|니|나|까|데|죠|야|주|줘)$/;

// A verb stem ending in a vowel merges with the ending that follows in running text (띄우 + 어 = 띄워,
// 바꾸 + 어 = 바꿔, 하 + 여 = 해, 되 + 어 = 돼); a query stem also matches the merged syllable.
const CONTRACTIONS = new Map(
  Object.entries({
    우: '워',
    주: '줘',
    추: '춰',
    꾸: '꿔',
    하: '해',
    되: '돼',
    두: '둬',
  }),
);
// One-syllable particles that end Korean words in running text ("저장소를", "키와").
const TRAILING_PARTICLE = /[은는이가을를와과의에도로만]$/;

// Endings a Korean query word may carry ("구축하기", "저장돼", "배포와", "연습하려면"), longest first. Documents are
// matched by substring, so a query stem only widens what a word matches; two syllables must remain.
const KOREAN_ENDINGS = [
  '하려면',
  '하려고',
  '하는데',
  '해야',
  '하기',
  '하는',
  '하고',
  '해요',
  '해줘',
  '해서',
  '돼요',
  '되는',
  '에서',
  '으로',
  '이랑',
  '까지',
  '부터',
  '돼',
  '된',
  '할',
  '한',
  '와',
  '과',
  '을',
  '를',
  '은',
  '는',
  '이',
  '가',
  '의',
  '에',
  '로',
  '도',
  '만',
  '랑',
];

/** A Korean query word without its particle or verb ending, when two syllables or more remain (see "으로" below). */
export function koreanStem(word: string): string {
  for (const ending of KOREAN_ENDINGS) {
    if (!word.endsWith(ending)) continue;
    const rest = [...word].length - [...ending].length;
    // "으로" only follows a closed syllable or a number and no noun ends in it, so it goes even when one syllable
    // or a number is left ("값으로", "0으로"); "로" alone would leave a word ending in "으" that nothing contains.
    if (ending === '으로' && rest >= 1) return word.slice(0, -ending.length);
    if (ending === '로' && word.endsWith('으로')) return word;
    if (rest >= 2) return word.slice(0, -ending.length);
  }
  return word;
}

// Words a question uses where the catalog says the same thing in other words; each query word also matches these.
const SYNONYMS = new Map<string, readonly string[]>(
  Object.entries({
    정보: ['데이터', '상태'],
    구축: ['띄우', '띄워', '구성', '만들'],
    연습: ['학습', '실습'],
    자동: ['자동화'],
    스케일링: ['확장', '스케일'],
    내: ['로컬'],
    노트북: ['로컬'],
    laptop: ['local'],
    provision: ['provisioning', 'create'],
    scale: ['scaling', 'autoscaling'],
    db: ['database', 'datastore'],
    database: ['datastore', 'store'],
    k8s: ['kubernete'],
    spread: ['propagate', 'propagation', 'distribute'],
    several: ['multi', 'many', 'multiple'],
    가벼운: ['가볍', '경량'],
    가볍: ['가벼운', '경량'],
    바꿔주: ['바꿔', '바꾸'],
    쿠버: ['쿠버네티스'],
  }),
);

/** English words lose a plural or -ing so "containers" meets "container". */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function bigrams(word: string): string[] {
  const out: string[] = [];
  const chars = [...word];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/** The meaningful words of a text: English stems and whole Korean words, stop words dropped. */
export function words(text: string): string[] {
  return cleanText(text)
    .split(' ')
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w))
    .map((w) => (HANGUL.test(w) ? w : stem(w)))
    .filter((w) => w.length > 1 || HANGUL.test(w));
}

// Forms of the helper verb 주다. Written apart from a verb in its "-아/-어" form ("줄여 주는"), it is read as written
// together ("줄여주는"), as most members type it: on its own it would match any tool whose text says "해 주는".
const HELPER_VERBS = new Set([
  '주는',
  '주고',
  '주면',
  '주세요',
  '줘',
  '줘요',
  '준',
  '줄',
  '주기',
  '주려면',
  '주는데',
]);

/**
 * A word whose Latin and Hangul parts are glued ("dns서버", "k3s클러스터") split into the two, each part then taken
 * as a word of its own script; digits stay with the Hangul they count ("0개").
 */
function scriptParts(word: string): string[] {
  const runs = word.match(/[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+/g) ?? [word];
  const parts: string[] = [];
  for (const run of runs) {
    const last = parts.length - 1;
    if (last >= 0 && !/[a-z]/.test(run) && !/[a-z]/.test(parts[last] as string)) parts[last] += run;
    else parts.push(run);
  }
  return parts;
}

/** The meaningful words of a query: as `words`, with Korean endings stripped and glued scripts split apart. */
export function queryTerms(text: string): string[] {
  const joined: string[] = [];
  for (const w of words(text)) {
    const last = joined.length - 1;
    if (last >= 0 && HELPER_VERBS.has(w) && endsInConnective(joined[last] as string)) joined[last] += w;
    else joined.push(w);
  }
  return joined.flatMap((w) => {
    if (!HANGUL.test(w)) return [w];
    return scriptParts(koreanStem(w)).flatMap((part) => {
      if (HANGUL.test(part)) return COMPOUNDS.get(part) ?? [part];
      // The Latin part of a glued word, or what a particle was cut from ("envoy를"), is an English word.
      return part.length > 1 && !STOP_WORDS.has(part) ? [stem(part)] : [];
    });
  });
}

// Compounds written without a space that the catalog writes apart ("키값 저장소" / "키-값 저장소").
const COMPOUNDS = new Map<string, string[]>(
  Object.entries({
    키값: ['키', '값'],
    키밸류: ['키', '값'],
    키값저장소: ['키', '값', '저장소'],
  }),
);

/** A ranked tool from a free-text search, with the share of the query's words (weighted by rarity) it contains. */
export interface TextHit {
  toolId: string;
  score: number;
  coverage: number;
}

/** The documents that contain one query word, in increasing order, each with how often it occurs there. */
interface Matches {
  docs: ArrayLike<number>;
  tfs: ArrayLike<number>;
}

const NO_MATCHES: Matches = { docs: [], tfs: [] };
// The Korean text of a document without Korean words (most landscape items), shared rather than one per document.
const NO_KOREAN = '  ';

// Candidates checked for query words side by side, and what having every pair side by side adds to coverage.
const PHRASE_CANDIDATES = 40;
const PHRASE_BONUS = 0.15;
const MAX_PAIRS = 12;
// A longer word with no match is a sentence typed without spaces or noise; splitting it would cost more than it finds.
const MAX_SPLIT_SYLLABLES = 10;

// Okapi BM25 constants, the usual defaults.
const K1 = 1.2;
const B = 0.75;
// Curated tools are what the study group learns; on equal evidence they outrank landscape entries.
const CURATED_BOOST = 1.6;

/** What a tool is (name, tags, pitch, category), searched on its own and as the start of its whole text. */
function headText(tool: Tool, catalog: Catalog): string {
  const category = catalog.categoryById.get(tool.category);
  // A landscape description is often a vendor's pitch; the name and the landscape's own placement say what it is.
  if (tool.source === 'landscape')
    return [tool.name, tool.landscapeSubcategory, tool.landscapeCategory].join(' ');
  const tags = [...tool.tags.en, ...tool.tags.ko].join(' ');
  return [
    tool.name,
    tags,
    tags, // tags are chosen search words: weigh them double
    category ? `${category.name.en} ${category.name.ko}` : '',
    ...(category?.aliases ?? []),
    tool.summary.en,
    tool.summary.ko,
  ].join(' ');
}

/** Everything else written about a tool. */
function bodyText(tool: Tool): string {
  if (tool.source === 'landscape') return tool.description ?? '';
  return [
    tool.description.en,
    tool.description.ko,
    ...tool.concepts.en,
    ...tool.concepts.ko,
    ...tool.useCases.en,
    ...tool.useCases.ko,
  ].join(' ');
}

/** Each tool's words, of its head and of its whole text, cut once for both indexes (by catalog order). */
export function documentWords(catalog: Catalog): { head: string[][]; all: string[][] } {
  const docs: { head: string[][]; all: string[][] } = { head: [], all: [] };
  for (const tool of catalog.tools) addDocumentWords(docs, tool, catalog);
  return docs;
}

/** `documentWords` with `pause()` every `every` tools: for 10,000 tools the whole pass takes about 0.4 s. */
export async function documentWordsPaced(
  catalog: Catalog,
  pause: () => Promise<void>,
  every = 1000,
): Promise<{ head: string[][]; all: string[][] }> {
  const docs: { head: string[][]; all: string[][] } = { head: [], all: [] };
  for (const [i, tool] of catalog.tools.entries()) {
    if (i > 0 && i % every === 0) await pause();
    addDocumentWords(docs, tool, catalog);
  }
  return docs;
}

function addDocumentWords(docs: { head: string[][]; all: string[][] }, tool: Tool, catalog: Catalog): void {
  const first = words(headText(tool, catalog));
  docs.head.push(first);
  docs.all.push(first.concat(words(bodyText(tool))));
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * An inverted BM25 index over what each tool is and does, in both languages. English is matched by word stems.
 * Korean has no reliable word boundaries (compounds, particles), so a Korean query word matches where the
 * document contains it as a substring: syllable bigrams find the candidate documents, a substring check confirms.
 * Postings are packed into typed arrays (see PackedPostings): the full landscape has tens of thousands of them.
 */
export class TextIndex {
  /** English stems, and one-syllable Korean words as `=키`, to the documents containing them with counts. */
  private readonly postings: PackedPostings;
  /** Korean syllable bigrams to the documents whose Korean words contain them. */
  private readonly koreanBigrams: PackedPostings;
  /** Each document's Korean words, space-separated and padded, for the substring check. */
  private readonly koreanText: string[] = [];
  /** Each document's English stems in order, space-separated and padded, to find two query words side by side. */
  private readonly englishText: string[] = [];
  private readonly lengths: Uint32Array;
  private readonly ids: string[] = [];
  private readonly boosts: Float64Array;
  /** One search's BM25 score and matched word weight by document; all zero between searches. */
  private readonly scoreOf: Float64Array;
  private readonly matchedOf: Float64Array;
  /** The documents one search touched, in the order first met. */
  private readonly touched: Uint32Array;
  /** BM25's length term of each document, `K1 * (1 - B + B * length / averageLength)`, computed once. */
  private readonly lengthNorms: Float64Array;
  private readonly averageLength: number;
  /** Korean names of curated tools ("케이네이티브"): a name is one word, never a compound to split into 케이 네이티브. */
  private readonly koreanNames = new Set<string>();

  /** `docs`: each tool's words in catalog order (see documentWords); by default its whole text. */
  constructor(catalog: Catalog, docs: readonly string[][] = documentWords(catalog).all) {
    const postings = new PostingsBuilder();
    const koreanBigrams = new PostingsBuilder();
    this.lengths = new Uint32Array(catalog.tools.length);
    this.boosts = new Float64Array(catalog.tools.length);
    this.scoreOf = new Float64Array(catalog.tools.length);
    this.matchedOf = new Float64Array(catalog.tools.length);
    this.touched = new Uint32Array(catalog.tools.length);
    let totalLength = 0;
    for (const tool of catalog.tools) {
      if (tool.source === 'curated')
        for (const alias of tool.aliases) if (HANGUL.test(alias)) this.koreanNames.add(cleanText(alias));
      const doc = this.ids.length;
      const all = docs[doc] ?? [];
      this.ids.push(tool.id);
      this.lengths[doc] = all.length;
      totalLength += all.length;
      this.boosts[doc] = tool.source === 'curated' ? CURATED_BOOST : 1;
      const korean: string[] = [];
      // Added document by document, so each list is in document order and a repeated word raises its count.
      for (const w of all) {
        if (HANGUL.test(w)) {
          korean.push(w);
          for (const g of bigrams(w)) koreanBigrams.add(g, doc);
          // One-syllable Korean words ("키", "값") are matched as whole words, with or without a particle.
          const bare = w.length > 1 ? w.replace(TRAILING_PARTICLE, '') : w;
          if (bare.length === 1) postings.add(`=${bare}`, doc);
        } else {
          postings.add(w, doc);
        }
      }
      this.koreanText.push(korean.length > 0 ? ` ${korean.join(' ')} ` : NO_KOREAN);
      this.englishText.push(` ${all.filter((w) => !HANGUL.test(w)).join(' ')} `);
    }
    this.postings = postings.build();
    this.koreanBigrams = koreanBigrams.build();
    this.averageLength = totalLength / Math.max(1, this.lengths.length);
    this.lengthNorms = new Float64Array(this.lengths.length);
    for (const [doc, length] of this.lengths.entries())
      this.lengthNorms[doc] = K1 * (1 - B + (B * length) / this.averageLength);
  }

  private matchesOf(key: string, packed: PackedPostings): Matches {
    const slot = packed.slot(key);
    if (slot < 0) return NO_MATCHES;
    const start = packed.start(slot);
    const end = packed.end(slot);
    return { docs: packed.values.subarray(start, end), tfs: packed.counts.subarray(start, end) };
  }

  /** Documents containing a Korean word of two or more syllables, with how often. */
  private koreanPostings(word: string): Matches {
    let candidates: number[] | undefined;
    for (const g of bigrams(word)) {
      const { docs } = this.matchesOf(g, this.koreanBigrams);
      if (docs.length === 0) return NO_MATCHES;
      candidates = candidates ? intersect(candidates, docs) : Array.from(docs);
    }
    const out: { docs: number[]; tfs: number[] } = { docs: [], tfs: [] };
    for (const doc of candidates ?? []) {
      const tf = countOccurrences(this.koreanText[doc] ?? '', word);
      if (tf > 0) {
        out.docs.push(doc);
        out.tfs.push(tf);
      }
    }
    return out;
  }

  private postingsFor(word: string): Matches {
    const last = word.slice(-1);
    const contracted = HANGUL.test(word) && word.length >= 2 ? CONTRACTIONS.get(last) : undefined;
    const alternatives = [
      ...(SYNONYMS.get(word) ?? []),
      ...(contracted ? [word.slice(0, -1) + contracted] : []),
    ];
    if (alternatives.length === 0) return this.wordPostings(word);
    // Per document, the most occurrences of the word or any of its synonyms.
    const tfByDoc = new Map<number, number>();
    for (const alt of [word, ...alternatives]) {
      const found = this.wordPostings(alt);
      for (let i = 0; i < found.docs.length; i++) {
        const doc = found.docs[i] as number;
        tfByDoc.set(doc, Math.max(tfByDoc.get(doc) ?? 0, found.tfs[i] as number));
      }
    }
    const docs = [...tfByDoc.keys()].sort((a, b) => a - b);
    return { docs, tfs: docs.map((d) => tfByDoc.get(d) as number) };
  }

  private wordPostings(word: string): Matches {
    if (!HANGUL.test(word)) return this.matchesOf(word, this.postings);
    if ([...word].length === 1) return this.matchesOf(`=${word}`, this.postings);
    const found = this.koreanPostings(word);
    if (found.docs.length > 0 || !TRAILING_PARTICLE.test(word)) return found;
    const bare = word.replace(TRAILING_PARTICLE, '');
    return [...bare].length === 1 ? this.matchesOf(`=${bare}`, this.postings) : this.koreanPostings(bare);
  }

  /**
   * The words of a query (see queryTerms), with a Korean word that no tool contains split into words that tools do
   * contain, as if it had been typed with spaces ("자가치유" -> 자가 치유, "분산키값저장소" -> 분산 키 값 저장소).
   */
  terms(query: string): string[] {
    // Each distinct word once: a long message may repeat one word hundreds of times.
    const split = new Map<string, string[]>();
    return queryTerms(query).flatMap((w) => {
      if (!HANGUL.test(w)) return [w];
      let parts = split.get(w);
      if (!parts) {
        parts =
          this.postingsFor(w).docs.length === 0 && !this.koreanNames.has(w) ? (this.split(w) ?? [w]) : [w];
        split.set(w, parts);
      }
      return parts;
    });
  }

  /** The fewest words tools contain that make up `word`; a one-syllable word counts only where it stands alone. */
  private split(word: string): string[] | undefined {
    const syllables = [...word];
    if (syllables.length < 3 || syllables.length > MAX_SPLIT_SYLLABLES || !/^[\uac00-\ud7a3]+$/.test(word))
      return undefined;
    // best[i]: the fewest known words that make up the first i syllables.
    const best: (string[] | undefined)[] = [[]];
    for (let end = 1; end <= syllables.length; end++) {
      for (let start = 0; start < end; start++) {
        const before = best[start];
        if (!before || (best[end] && (best[end] as string[]).length <= before.length + 1)) continue;
        const piece = syllables.slice(start, end).join('');
        const known =
          piece.length === 1
            ? this.postings.slot(`=${piece}`) >= 0
            : piece !== word && this.koreanPostings(piece).docs.length > 0;
        if (known) best[end] = [...before, piece];
      }
    }
    return best[syllables.length];
  }

  /** Tools ranked by BM25, each with the rarity-weighted share of distinct query words it matched. */
  search(query: string | readonly string[], limit = 5): TextHit[] {
    const terms = typeof query === 'string' ? this.terms(query) : query;
    const queryWords = [...new Set(terms)];
    if (queryWords.length === 0) return [];
    const n = this.ids.length;
    const idfOf = (df: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    // A word no tool mentions weighs as much as the rarest known one, so noise lowers coverage.
    const maxIdf = idfOf(1);
    let totalWeight = 0;
    // Scores per document in reused typed arrays, and the documents touched in the order first met (the order ties
    // keep): a common word over 20,000 tools touches thousands, and an object per document was most of the cost.
    const { scoreOf, matchedOf, touched, lengthNorms } = this;
    let count = 0;
    for (const word of queryWords) {
      const { docs, tfs } = this.postingsFor(word);
      if (docs.length === 0) {
        if (!(HANGUL.test(word) && PREDICATE_ENDING.test(word))) totalWeight += maxIdf;
        continue;
      }
      const idf = idfOf(docs.length);
      totalWeight += idf;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i] as number;
        const tf = tfs[i] as number;
        const part = (idf * tf * (K1 + 1)) / (tf + (lengthNorms[doc] as number));
        if (matchedOf[doc] === 0) touched[count++] = doc;
        scoreOf[doc] = (scoreOf[doc] as number) + part;
        matchedOf[doc] = (matchedOf[doc] as number) + idf;
      }
    }
    // Only the leading documents are ever read (the phrase check's candidates, then `limit`), so they are selected
    // in one pass rather than every touched document sorted.
    const keep = Math.max(limit, PHRASE_CANDIDATES);
    const ranked: { doc: number; toolId: string; score: number; coverage: number; met: number }[] = [];
    const before = (
      a: { score: number; coverage: number; met: number },
      b: { score: number; coverage: number; met: number },
    ): boolean =>
      a.coverage > b.coverage ||
      (a.coverage === b.coverage && (a.score > b.score || (a.score === b.score && a.met < b.met)));
    for (let met = 0; met < count; met++) {
      const doc = touched[met] as number;
      const score = (scoreOf[doc] as number) * (this.boosts[doc] ?? 1);
      const coverage = (matchedOf[doc] as number) / totalWeight;
      scoreOf[doc] = 0;
      matchedOf[doc] = 0;
      const last = ranked[ranked.length - 1];
      // Met later, a document equal to the last kept one ranks after it.
      if (
        ranked.length >= keep &&
        last &&
        (coverage < last.coverage || (coverage === last.coverage && score <= last.score))
      )
        continue;
      const hit = { doc, toolId: '', score, coverage, met };
      let at = ranked.length;
      while (at > 0 && before(hit, ranked[at - 1] as (typeof ranked)[number])) at--;
      ranked.splice(at, 0, hit);
      if (ranked.length > keep) ranked.pop();
    }
    for (const hit of ranked) hit.toolId = this.ids[hit.doc] as string;
    // Two query words side by side in a document ("클라우드 리소스", "sidecar proxy") say more than the same
    // words apart; checked for the leading candidates only, as the landscape has thousands of partial matches.
    // Distinct pairs only, and the first few: a long message (or one character NFKC expands into a phrase,
    // repeated) would otherwise check thousands.
    const pairs = [...new Set(terms.slice(1).map((w, i) => `${terms[i]} ${w}`))]
      .slice(0, MAX_PAIRS)
      .map((pair) => pair.split(' ') as [string, string]);
    if (pairs.length > 0) {
      for (const hit of ranked.slice(0, PHRASE_CANDIDATES)) {
        const together = pairs.filter(([a, b]) => this.adjacent(hit.doc, a, b)).length;
        hit.coverage += (PHRASE_BONUS * together) / pairs.length;
      }
      ranked.sort((a, b) => b.coverage - a.coverage || b.score - a.score);
    }
    return ranked.slice(0, limit).map(({ toolId, score, coverage }) => ({ toolId, score, coverage }));
  }

  /** True when word `b` follows word `a` in the document (a Korean `a` may carry a one-syllable particle). */
  private adjacent(doc: number, a: string, b: string): boolean {
    if (HANGUL.test(a) !== HANGUL.test(b)) return false;
    if (!HANGUL.test(a)) return (this.englishText[doc] ?? '').includes(` ${a} ${b} `);
    const text = this.koreanText[doc] ?? '';
    for (let at = text.indexOf(a); at >= 0; at = text.indexOf(a, at + 1)) {
      const space = text.indexOf(' ', at + a.length);
      if (space >= 0 && space - (at + a.length) <= 1 && text.startsWith(b, space + 1)) return true;
    }
    return false;
  }
}

/** The numbers of a sorted list that a second sorted list also holds, in order. */
function intersect(a: readonly number[], b: ArrayLike<number>): number[] {
  const out: number[] = [];
  let j = 0;
  for (const value of a) {
    while (j < b.length && (b[j] as number) < value) j++;
    if (j < b.length && b[j] === value) out.push(value);
  }
  return out;
}
