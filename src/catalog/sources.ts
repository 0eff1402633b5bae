import { readFile } from 'node:fs/promises';
import type { Config } from '../config.ts';
import { parseSnapshot } from './landscape-import.ts';
import { type CatalogLoad, loadCatalog } from './loader.ts';
import type { LandscapeTool } from './model.ts';

/** Loads the curated catalog plus the imported landscape snapshot, if there is one. */
export async function loadConfiguredCatalog(
  config: Pick<Config, 'catalogDir' | 'landscapeFile' | 'landscapeRequired'>,
): Promise<CatalogLoad> {
  let landscape: LandscapeTool[] = [];
  let json: string | undefined;
  try {
    json = await readFile(config.landscapeFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || config.landscapeRequired) {
      return {
        ok: false,
        problems: [
          {
            file: config.landscapeFile,
            line: 0,
            message: `cannot read the landscape snapshot: ${(error as Error).message}`,
          },
        ],
      };
    }
  }
  if (json !== undefined) {
    const parsed = parseSnapshot(json, config.landscapeFile);
    if ('problem' in parsed)
      return { ok: false, problems: [{ file: config.landscapeFile, line: 0, message: parsed.problem }] };
    landscape = parsed.items;
  }
  return loadCatalog(config.catalogDir, { landscape });
}
