import type { YAMLMap } from 'yaml';
import type { LandscapeTool } from './model.ts';
import type { MaturityLevel } from './schema.ts';
import { yaml } from './yaml-lib.ts';
import { type CatalogProblem, parseYaml } from './yaml-source.ts';

/** What an import produced: the items, and what it had to skip (with the line). */
export interface LandscapeImport {
  items: LandscapeTool[];
  skipped: CatalogProblem[];
  categories: number;
  subcategories: number;
}

/** The file written by `orch catalog import-landscape` and read at start-up. */
export interface LandscapeSnapshot {
  format: 'orch-landscape/1';
  source: string;
  importedAt: string;
  items: LandscapeTool[];
}

const MATURITIES = new Set<MaturityLevel>(['graduated', 'incubating', 'sandbox', 'archived']);

/** A stable, URL-safe id from a display name ("Rancher Kubernetes" -> "rancher-kubernetes"). */
export function slugify(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

function str(map: YAMLMap, key: string): string | undefined {
  const value = map.get(key);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

function webUrl(value: string | undefined): string | undefined {
  return value && /^https?:\/\/\S+$/.test(value) ? value : undefined;
}

/**
 * Reads the CNCF landscape format: `landscape[]` of categories with `subcategories[]` with `items[]`.
 * Survives the quirks listed in ../shared/data/SOURCES.md (beside the repository): marker keys with no value, items
 * without a marker, empty or null lists, missing or blank descriptions, duplicate names, and any Unicode.
 */
export function importLandscape(
  text: string,
  label: string,
): LandscapeImport | { problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  const source = parseYaml(text, label, problems);
  if (!source) return { problems };
  const { isMap, isSeq } = yaml();
  const root = source.doc.contents;
  const landscape = isMap(root) ? root.get('landscape', true) : undefined;
  if (!isSeq(landscape)) {
    return {
      problems: [{ file: label, line: 1, message: 'expected a top-level "landscape:" list of categories' }],
    };
  }
  const items: LandscapeTool[] = [];
  const skipped: CatalogProblem[] = [];
  const ids = new Set<string>();
  let categories = 0;
  let subcategories = 0;
  const lineOf = (node: { range?: [number, number, number] | null | undefined }): number =>
    node.range ? source.lineAt(node.range[0]) : 0;

  for (const category of landscape.items) {
    if (!isMap(category)) continue;
    const categoryName = str(category, 'name');
    if (!categoryName) {
      skipped.push({ file: label, line: lineOf(category), message: 'category without a name' });
      continue;
    }
    categories++;
    const subs = category.get('subcategories', true);
    if (!isSeq(subs)) continue;
    for (const sub of subs.items) {
      if (!isMap(sub)) continue;
      const subName = str(sub, 'name');
      if (!subName) {
        skipped.push({
          file: label,
          line: lineOf(sub),
          message: `subcategory without a name in "${categoryName}"`,
        });
        continue;
      }
      subcategories++;
      const list = sub.get('items', true);
      if (!isSeq(list)) continue;
      for (const node of list.items) {
        if (!isMap(node)) continue;
        const name = str(node, 'name');
        if (!name) {
          skipped.push({ file: label, line: lineOf(node), message: `item without a name in "${subName}"` });
          continue;
        }
        const base = slugify(name) || `item-${items.length + 1}`;
        let id = base;
        // Six names repeat across subcategories; the later ones get the subcategory in their id.
        if (ids.has(id)) id = `${base}-${slugify(subName)}`;
        for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
        ids.add(id);
        const project = str(node, 'project') as MaturityLevel | undefined;
        const extra = node.get('extra', true);
        const description =
          str(node, 'description') ?? (isMap(extra) ? str(extra, 'summary_use_case') : undefined);
        const homepage = webUrl(str(node, 'homepage_url'));
        const repository = webUrl(str(node, 'repo_url'));
        items.push({
          source: 'landscape',
          id,
          name,
          category: slugify(subName),
          maturity: project && MATURITIES.has(project) ? project : 'none',
          landscapeCategory: categoryName,
          landscapeSubcategory: subName,
          ...(homepage ? { homepage } : {}),
          ...(repository ? { repository } : {}),
          ...(description ? { description } : {}),
        });
      }
    }
  }
  return { items, skipped, categories, subcategories };
}
