import { z } from 'zod';
import type { LandscapeSnapshot } from './landscape-import.ts';
import type { LandscapeTool } from './model.ts';
import { Maturity } from './schema.ts';

// Reading back the snapshot `orch catalog import-landscape` wrote, apart from the importer: the server imports this
// (and zod) only when there is a landscape snapshot to read.

// One item of a snapshot as `importLandscape` writes it.
const SnapshotItem = z.object({
  source: z.literal('landscape'),
  id: z.string().min(1),
  name: z.string().min(1),
  category: z.string().min(1),
  maturity: Maturity,
  homepage: z.string().exactOptional(),
  repository: z.string().exactOptional(),
  landscapeCategory: z.string(),
  landscapeSubcategory: z.string(),
  description: z.string().exactOptional(),
});

/** Validates a snapshot read back from disk; a hand-edited or truncated file is refused with a reason. */
export function parseSnapshot(json: string, label: string): { items: LandscapeTool[] } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    return { problem: `${label}: not valid JSON (${(error as Error).message})` };
  }
  const snapshot = data as Partial<LandscapeSnapshot>;
  if (snapshot?.format !== 'orch-landscape/1' || !Array.isArray(snapshot.items)) {
    return { problem: `${label}: not an orch landscape snapshot; re-run "orch catalog import-landscape"` };
  }
  const items: LandscapeTool[] = [];
  for (const [index, item] of snapshot.items.entries()) {
    // Every field is read later (names indexed, repositories compared), so a wrong type must stop here.
    const checked = SnapshotItem.safeParse(item);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = issue?.path.map(String).join('.') || 'item';
      return { problem: `${label}: item ${index} has a bad ${field} (${issue?.message ?? 'invalid'})` };
    }
    items.push(checked.data);
  }
  return { items };
}
