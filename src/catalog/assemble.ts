import type { RoundQuestion } from '../store/store.ts';
import {
  buildCatalog,
  type Catalog,
  type Category,
  type CuratedCatalog,
  type CuratedTool,
  type LandscapeTool,
} from './model.ts';
import { normalizeKey } from './name-key.ts';
import type { CatalogProblem } from './yaml-source.ts';

/** Either a catalog ready to serve, or the problems found in it (the first MAX_PROBLEMS, and how many more). */
export type CatalogLoad =
  | { ok: true; catalog: Catalog }
  | { ok: false; problems: CatalogProblem[]; omitted: number };

/** Options for loading: imported landscape items to merge under the curated catalog. */
export interface LoadOptions {
  landscape?: readonly LandscapeTool[];
  /** Imported question sets (CNCF landscape games) to offer beside the curated bank. */
  importedQuestions?: readonly RoundQuestion[];
}

/**
 * The catalog in service: the curated one (from YAML or from its compiled snapshot) with the imported landscape items
 * and question sets merged under it. Kept apart from the YAML loader so a start from the snapshot loads no YAML code.
 */
export function assembleCatalog(curated: CuratedCatalog, options: LoadOptions = {}): Catalog {
  const landscape = mergeLandscape(curated.tools, options.landscape ?? []);
  const landscapeCategories = landscapeCategoriesOf(landscape, curated.categories);
  return buildCatalog(
    [...curated.tools, ...landscape],
    [...curated.categories, ...landscapeCategories],
    curated.roadmap,
    curated.questions,
    options.importedQuestions ?? [],
    curated.concepts,
    curated.questionSources,
  );
}

/** Curated tools take precedence: a landscape item that is the same project (name, alias or repository) is dropped. */
function mergeLandscape(curated: CuratedTool[], landscape: readonly LandscapeTool[]): LandscapeTool[] {
  const curatedKeys = new Set<string>();
  for (const t of curated) {
    for (const n of [t.id, t.name, ...t.aliases]) curatedKeys.add(normalizeKey(n));
    curatedKeys.add(repoKey(t.repository));
  }
  const taken = new Set(curated.map((t) => t.id));
  const out: LandscapeTool[] = [];
  for (const item of landscape) {
    if (curatedKeys.has(normalizeKey(item.name))) continue;
    if (item.repository && curatedKeys.has(repoKey(item.repository))) continue;
    let id = item.id;
    for (let n = 2; taken.has(id); n++) id = `${item.id}-${n}`;
    taken.add(id);
    out.push(id === item.id ? item : { ...item, id });
  }
  return out;
}

function repoKey(url: string): string {
  return `repo:${url
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')}`;
}

/** Landscape subcategories become browsable categories unless a curated category already has that name. */
function landscapeCategoriesOf(items: LandscapeTool[], curated: Category[]): Category[] {
  const known = new Set(curated.flatMap((c) => [c.id, normalizeKey(c.name.en), normalizeKey(c.name.ko)]));
  const out = new Map<string, Category>();
  for (const item of items) {
    if (known.has(item.category) || out.has(item.category)) continue;
    const name = item.landscapeSubcategory;
    out.set(item.category, {
      id: item.category,
      name: { en: name, ko: name },
      aliases: [],
      summary: {
        en: `CNCF landscape: ${item.landscapeCategory} / ${name}`,
        ko: `CNCF 랜드스케이프: ${item.landscapeCategory} / ${name}`,
      },
      source: 'landscape',
    });
  }
  return [...out.values()];
}
