import type { Catalog, Concept, CuratedTool } from '../catalog/model.ts';
import { t } from '../i18n/messages.ts';
import { withParticle } from '../i18n/particles.ts';
import type { RoundQuestion } from '../store/store.ts';
import { shuffle } from './random.ts';

const text = (en: string, ko: string) => ({ en, ko });

/** Puts the right option among the distractors at a random place. */
function withAnswer(
  right: { en: string; ko: string },
  wrong: { en: string; ko: string }[],
  random: () => number,
) {
  const options = shuffle([right, ...wrong], random);
  return { options, answer: options.indexOf(right) };
}

function curated(catalog: Catalog): CuratedTool[] {
  return catalog.tools.filter((x): x is CuratedTool => x.source === 'curated');
}

// Up to this many candidates are shuffled whole (the order seeded tests expect); beyond it candidates are drawn at
// random, since shuffling every tool for every tool made a catalog of 10,000 tools take two minutes to index.
const SHUFFLE_ALL_UP_TO = 256;

/** Up to `count` distinct items of `items` that fit, in random order. */
function draw<T>(items: readonly T[], fits: (x: T) => boolean, count: number, random: () => number): T[] {
  if (items.length > SHUFFLE_ALL_UP_TO) {
    const picked = new Set<T>();
    for (let tries = 0; picked.size < count && tries < count * 20; tries++) {
      const x = items[Math.floor(random() * items.length)] as T;
      if (fits(x)) picked.add(x);
    }
    if (picked.size === count) return [...picked];
  }
  return shuffle(items.filter(fits), random).slice(0, count);
}

/** Up to `count` other tools, preferring the same category: plausible distractors. */
function neighbours(
  tools: readonly CuratedTool[],
  byCategory: ReadonlyMap<string, CuratedTool[]>,
  tool: CuratedTool,
  count: number,
  random: () => number,
): CuratedTool[] {
  const same = draw(byCategory.get(tool.category) ?? [], (x) => x.id !== tool.id, count, random);
  const rest = draw(tools, (x) => x.category !== tool.category, count, random);
  return [...same, ...rest].slice(0, count);
}

/**
 * Questions made from catalog facts. Each kind has exactly one right answer by construction: the asked property
 * (summary, category, maturity, alias) is unique to the right option among the options offered.
 */
export function generateQuestions(catalog: Catalog, random: () => number): RoundQuestion[] {
  const out: RoundQuestion[] = [];
  const categoryName = (id: string) => catalog.categoryById.get(id)?.name ?? text(id, id);
  const tools = curated(catalog);
  const byCategory = new Map<string, CuratedTool[]>();
  for (const tool of tools) {
    const group = byCategory.get(tool.category);
    if (group) group.push(tool);
    else byCategory.set(tool.category, [tool]);
  }
  for (const tool of tools) {
    // Which tool matches this summary? Distractors are other tools, whose summaries differ.
    const others = neighbours(tools, byCategory, tool, 3, random);
    const pick = withAnswer(
      text(tool.name, tool.name),
      others.map((o) => text(o.name, o.name)),
      random,
    );
    out.push({
      questionId: `gen-summary-${tool.id}`,
      question: text(
        `Which tool is this? "${tool.summary.en}"`,
        `어떤 도구에 대한 설명일까요? "${tool.summary.ko}"`,
      ),
      ...pick,
      explanation: text(
        `That is ${tool.name}. ${tool.whenToPick.en}`,
        `${tool.name}에 대한 설명이에요. ${tool.whenToPick.ko}`,
      ),
      toolId: tool.id,
    });

    // Which category? Options are distinct categories.
    const wrongCategories = shuffle(
      catalog.categories.filter((c) => c.source === 'curated' && c.id !== tool.category),
      random,
    ).slice(0, 3);
    const categoryPick = withAnswer(
      categoryName(tool.category),
      wrongCategories.map((c) => c.name),
      random,
    );
    out.push({
      questionId: `gen-category-${tool.id}`,
      question: text(
        `Which category does ${tool.name} belong to?`,
        `${withParticle(tool.name, '은')} 어느 카테고리에 속할까요?`,
      ),
      ...categoryPick,
      explanation: text(
        `${tool.name} is in ${categoryName(tool.category).en}: ${tool.summary.en}`,
        `${withParticle(tool.name, '은')} ${categoryName(tool.category).ko} 카테고리예요. ${tool.summary.ko}`,
      ),
      toolId: tool.id,
    });

    // CNCF maturity: the options are the levels themselves, so only one can be right.
    const levels = ['graduated', 'incubating', 'sandbox', 'none'] as const;
    if (tool.maturity !== 'archived') {
      const label = (level: (typeof levels)[number]) =>
        text(t('en', `maturity.${level}`), t('ko', `maturity.${level}`));
      const maturityPick = withAnswer(
        label(tool.maturity),
        levels.filter((l) => l !== tool.maturity).map(label),
        random,
      );
      out.push({
        questionId: `gen-maturity-${tool.id}`,
        question: text(
          `What is ${tool.name}'s CNCF maturity level?`,
          `${tool.name}의 CNCF 성숙도 단계는 무엇일까요?`,
        ),
        ...maturityPick,
        explanation: text(
          `${tool.name}: ${label(tool.maturity).en}.${tool.maturityNote ? ` ${tool.maturityNote.en}` : ''}`,
          `${tool.name}: ${label(tool.maturity).ko}.${tool.maturityNote ? ` ${tool.maturityNote.ko}` : ''}`,
        ),
        toolId: tool.id,
      });
    }

    // Which tool does this alias name? Only aliases that do not contain the tool's own name, or it is trivial.
    const alias = shuffle(
      tool.aliases.filter(
        (a) => !a.toLowerCase().includes(tool.name.toLowerCase()) && !a.toLowerCase().includes(tool.id),
      ),
      random,
    )[0];
    if (alias) {
      const aliasPick = withAnswer(
        text(tool.name, tool.name),
        neighbours(tools, byCategory, tool, 3, random).map((o) => text(o.name, o.name)),
        random,
      );
      out.push({
        questionId: `gen-alias-${tool.id}`,
        question: text(
          `"${alias}" is another name for which tool?`,
          `${withParticle(`"${alias}"`, '은')} 어떤 도구를 가리키는 이름일까요?`,
        ),
        ...aliasPick,
        explanation: text(
          `"${alias}" names ${tool.name}.`,
          `${withParticle(`"${alias}"`, '은')} ${withParticle(tool.name, '을')} 가리켜요.`,
        ),
        toolId: tool.id,
      });
    }
  }
  out.push(...generateConceptQuestions(catalog, random));
  return out;
}

// Stands in for the concept's own names in its explanation, which would otherwise give the answer away.
const BLANK = '＿＿＿';

/** The explanation with every name and alias of the concept blanked out, longest first so "Pods" loses all of it. */
function masked(concept: Concept, lang: 'en' | 'ko'): string {
  const names = [
    ...new Set([
      concept.id,
      concept.id.replace(/-/g, ' '),
      concept.name.en,
      concept.name.ko,
      ...concept.aliases,
    ]),
  ]
    // One Latin letter is no name, but one Hangul syllable can be (잡, 큐).
    .filter((n) => n.length >= 2 || /[\uac00-\ud7a3]/.test(n))
    .sort((a, b) => b.length - a.length);
  let out = concept.explanation[lang];
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A Latin name is blanked as a whole word only, so "sa" does not eat into "usage"; plurals are aliases of their own.
    const pattern = /^[\x20-\x7e]+$/.test(name) ? `\\b${escaped}\\b` : escaped;
    out = out.replace(new RegExp(pattern, 'gi'), BLANK);
  }
  return out;
}

/** True when either concept's explanation names the other: such a pair would make two options defensible. */
function entangled(a: Concept, b: Concept): boolean {
  const mentions = (x: Concept, y: Concept) =>
    [y.name.en, y.name.ko].some(
      (n) => x.explanation.en.toLowerCase().includes(n.toLowerCase()) || x.explanation.ko.includes(n),
    );
  return mentions(a, b) || mentions(b, a);
}

/**
 * "Which concept does this describe?": a concept's explanation with its names blanked, and four concept names. The
 * right option is the concept the explanation belongs to; the three others are distinct concepts (same tool first,
 * for plausibility) whose explanations and the asked one's do not name each other, so exactly one option fits.
 */
export function generateConceptQuestions(catalog: Catalog, random: () => number): RoundQuestion[] {
  const out: RoundQuestion[] = [];
  const { concepts } = catalog;
  for (const concept of concepts) {
    const candidates = concepts.filter((c) => c.id !== concept.id && !entangled(c, concept));
    const shares = (c: Concept) => c.tools.some((id) => concept.tools.includes(id));
    const wrong = [
      ...shuffle(candidates.filter(shares), random),
      ...shuffle(
        candidates.filter((c) => !shares(c)),
        random,
      ),
    ].slice(0, 3);
    if (wrong.length < 3) continue;
    const pick = withAnswer(
      concept.name,
      wrong.map((c) => c.name),
      random,
    );
    out.push({
      questionId: `gen-concept-${concept.id}`,
      question: text(
        `${t('en', 'concept.quizQuestion')} "${masked(concept, 'en')}"`,
        `${t('ko', 'concept.quizQuestion')} "${masked(concept, 'ko')}"`,
      ),
      ...pick,
      explanation: text(`That is ${concept.name.en}.`, `${concept.name.ko}에 대한 설명이에요.`),
      toolId: concept.tools[0] ?? null,
    });
  }
  return out;
}
