import type { Catalog, Tool } from '../catalog/model.ts';
import { cleanText } from './normalize.ts';

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
const PREDICATE_ENDING = /(?:요|어|아|고|다|해|돼|되|지|자|게|서|니|나|까|데|죠|야)$/;
// One-syllable particles that end Korean words in running text ("저장소를", "키와").
const TRAILING_PARTICLE = /[은는이가을를와과의에도로만]$/;

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

/** A ranked tool from a free-text search, with the share of the query's words (weighted by rarity) it contains. */
export interface TextHit {
  toolId: string;
  score: number;
  coverage: number;
}

interface Posting {
  doc: number;
  tf: number;
}

// Okapi BM25 constants, the usual defaults.
const K1 = 1.2;
const B = 0.75;
// Curated tools are what the study group learns; on equal evidence they outrank landscape entries.
const CURATED_BOOST = 1.6;

function documentText(tool: Tool, catalog: Catalog): string {
  const category = catalog.categoryById.get(tool.category);
  const categoryText = category ? `${category.name.en} ${category.name.ko}` : '';
  if (tool.source === 'landscape') {
    return [tool.name, tool.landscapeSubcategory, tool.description ?? ''].join(' ');
  }
  const tags = [...tool.tags.en, ...tool.tags.ko].join(' ');
  return [
    tool.name,
    tags,
    tags, // tags are chosen search words: weigh them double
    categoryText,
    tool.summary.en,
    tool.summary.ko,
    tool.description.en,
    tool.description.ko,
    ...tool.concepts.en,
    ...tool.concepts.ko,
    ...tool.useCases.en,
    ...tool.useCases.ko,
  ].join(' ');
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
 */
export class TextIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly koreanBigrams = new Map<string, Set<number>>();
  private readonly koreanText: string[] = [];
  private readonly lengths: number[] = [];
  private readonly ids: string[] = [];
  private readonly boosts: number[] = [];
  private readonly averageLength: number;

  constructor(catalog: Catalog) {
    for (const tool of catalog.tools) {
      const doc = this.ids.length;
      const all = words(documentText(tool, catalog));
      this.ids.push(tool.id);
      this.lengths.push(all.length);
      this.boosts.push(tool.source === 'curated' ? CURATED_BOOST : 1);
      const counts = new Map<string, number>();
      const korean: string[] = [];
      for (const w of all) {
        if (HANGUL.test(w)) {
          korean.push(w);
          for (const g of bigrams(w)) {
            const set = this.koreanBigrams.get(g) ?? new Set<number>();
            set.add(doc);
            this.koreanBigrams.set(g, set);
          }
          // One-syllable Korean words ("키", "값") are matched as whole words, with or without a particle.
          const bare = w.length > 1 ? w.replace(TRAILING_PARTICLE, '') : w;
          if (bare.length === 1) counts.set(`=${bare}`, (counts.get(`=${bare}`) ?? 0) + 1);
        } else {
          counts.set(w, (counts.get(w) ?? 0) + 1);
        }
      }
      this.koreanText.push(` ${korean.join(' ')} `);
      for (const [term, tf] of counts) {
        const list = this.postings.get(term) ?? [];
        list.push({ doc, tf });
        this.postings.set(term, list);
      }
    }
    this.averageLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  /** Documents containing a Korean word of two or more syllables, with how often. */
  private koreanPostings(word: string): Posting[] {
    let candidates: Set<number> | undefined;
    for (const g of bigrams(word)) {
      const docs = this.koreanBigrams.get(g);
      if (!docs) return [];
      candidates = candidates ? new Set([...candidates].filter((d) => docs.has(d))) : docs;
    }
    const out: Posting[] = [];
    for (const doc of candidates ?? []) {
      const tf = countOccurrences(this.koreanText[doc] ?? '', word);
      if (tf > 0) out.push({ doc, tf });
    }
    return out;
  }

  private postingsFor(word: string): Posting[] {
    if (!HANGUL.test(word)) return this.postings.get(word) ?? [];
    if ([...word].length === 1) return this.postings.get(`=${word}`) ?? [];
    const found = this.koreanPostings(word);
    if (found.length > 0 || !TRAILING_PARTICLE.test(word)) return found;
    const bare = word.replace(TRAILING_PARTICLE, '');
    return [...bare].length === 1 ? (this.postings.get(`=${bare}`) ?? []) : this.koreanPostings(bare);
  }

  /** Tools ranked by BM25, each with the rarity-weighted share of distinct query words it matched. */
  search(query: string, limit = 5): TextHit[] {
    const queryWords = [...new Set(words(query))];
    if (queryWords.length === 0) return [];
    const n = this.ids.length;
    const idfOf = (df: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    // A word no tool mentions weighs as much as the rarest known one, so noise lowers coverage.
    const maxIdf = idfOf(1);
    let totalWeight = 0;
    const scores = new Map<number, { score: number; matched: number }>();
    for (const word of queryWords) {
      const list = this.postingsFor(word);
      if (list.length === 0) {
        if (!(HANGUL.test(word) && PREDICATE_ENDING.test(word))) totalWeight += maxIdf;
        continue;
      }
      const idf = idfOf(list.length);
      totalWeight += idf;
      for (const { doc, tf } of list) {
        const length = this.lengths[doc] ?? 0;
        const part = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / this.averageLength));
        const current = scores.get(doc) ?? { score: 0, matched: 0 };
        current.score += part;
        current.matched += idf;
        scores.set(doc, current);
      }
    }
    return [...scores.entries()]
      .map(([doc, s]) => ({
        toolId: this.ids[doc] as string,
        score: s.score * (this.boosts[doc] ?? 1),
        coverage: s.matched / totalWeight,
      }))
      .sort((a, b) => b.coverage - a.coverage || b.score - a.score)
      .slice(0, limit);
  }
}
