import { MATURITY_LEVELS } from '../maturity.ts';
import type { LandscapeSnapshot } from './landscape-import.ts';
import type { LandscapeTool } from './model.ts';

// Reading back the snapshot `orch catalog import-landscape` wrote, apart from the importer. Checked by hand, not with
// a zod schema: the server reads this file at every start and at every catalog reload, and zod (its modules, and the
// copy of every item a parse returns) was about 3 MB of the idle process for ten string fields.

const MATURITIES: ReadonlySet<string> = new Set(MATURITY_LEVELS);

/** Why `value` cannot be the field, or null when it can. */
type Check = (value: unknown) => string | null;

const text: Check = (value) => (typeof value === 'string' ? null : 'expected a string');
const nonEmpty: Check = (value) =>
  typeof value === 'string' && value.length > 0 ? null : 'expected a non-empty string';
const maturity: Check = (value) =>
  typeof value === 'string' && MATURITIES.has(value) ? null : `expected one of ${MATURITY_LEVELS.join(', ')}`;

// Every field is read later (names indexed, repositories compared), so a wrong type must stop here.
const REQUIRED: ReadonlyArray<[keyof LandscapeTool, Check]> = [
  ['source', (value) => (value === 'landscape' ? null : 'expected "landscape"')],
  ['id', nonEmpty],
  ['name', nonEmpty],
  ['category', nonEmpty],
  ['maturity', maturity],
  ['landscapeCategory', text],
  ['landscapeSubcategory', text],
];
const OPTIONAL = ['homepage', 'repository', 'description'] as const;

/**
 * Validates a snapshot read back from disk; a hand-edited or truncated file is refused with a reason. Each item
 * becomes a new object with only the snapshot's fields (anything else in the file is dropped), and the values that
 * repeat across items are one shared string each: JSON.parse makes a new string for every value, and the ~2,400
 * items would otherwise hold their own copies of their category names for as long as the bot runs.
 */
export function parseSnapshot(json: string, label: string): { items: LandscapeTool[] } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { problem: `${label}: not valid JSON (${(error as Error).message})` };
  }
  const snapshot = data as Partial<LandscapeSnapshot> | null;
  if (snapshot?.format !== 'orch-landscape/1' || !Array.isArray(snapshot.items)) {
    return { problem: `${label}: not an orch landscape snapshot; re-run "orch catalog import-landscape"` };
  }
  const pool = new Map<string, string>();
  const shared = (value: string) => {
    const known = pool.get(value);
    if (known !== undefined) return known;
    pool.set(value, value);
    return value;
  };
  const items: LandscapeTool[] = [];
  for (const [index, raw] of (snapshot.items as unknown[]).entries()) {
    const bad = (field: string, reason: string) => ({
      problem: `${label}: item ${index} has a bad ${field} (${reason})`,
    });
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      return bad('item', 'expected an object');
    const item = raw as Record<string, unknown>;
    for (const [field, check] of REQUIRED) {
      const reason = check(item[field]);
      if (reason !== null) return bad(field, reason);
    }
    for (const field of OPTIONAL)
      if (Object.hasOwn(item, field) && typeof item[field] !== 'string')
        return bad(field, 'expected a string');
    // Built field by field in the order the importer writes them, so items with the same fields share one shape.
    const tool: Record<string, string> = {
      source: 'landscape',
      id: item.id as string,
      name: item.name as string,
      // The values that repeat across thousands of items: 15 categories, 80 subcategories, 5 maturities.
      category: shared(item.category as string),
      maturity: shared(item.maturity as string),
    };
    if (Object.hasOwn(item, 'homepage')) tool.homepage = item.homepage as string;
    if (Object.hasOwn(item, 'repository')) tool.repository = item.repository as string;
    tool.landscapeCategory = shared(item.landscapeCategory as string);
    tool.landscapeSubcategory = shared(item.landscapeSubcategory as string);
    if (Object.hasOwn(item, 'description')) tool.description = item.description as string;
    items.push(tool as unknown as LandscapeTool);
  }
  return { items };
}
