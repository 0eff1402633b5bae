import { readFile } from 'node:fs/promises';
import type { Config } from '../config.ts';
import type { RoundQuestion } from '../store/store.ts';
import type { CatalogLoad } from './assemble.ts';
import { type CatalogOrigin, loadCompiledCatalog } from './compiled-catalog.ts';
import { parseGamesSnapshot } from './games-snapshot.ts';
import type { LandscapeTool } from './model.ts';
import type { CatalogProblem } from './yaml-source.ts';

/** A snapshot file's text; undefined when it does not exist and is optional. */
async function readOptional(
  path: string,
  required: boolean,
  what: string,
): Promise<string | undefined | CatalogProblem> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    return { file: path, line: 0, message: `cannot read the ${what}: ${(error as Error).message}` };
  }
}

/**
 * Loads the curated catalog (from its compiled snapshot when that is fresh, see compiled-catalog.ts) plus the imported
 * snapshots (landscape, question sets), where there are any. `origin` says where the curated part came from.
 */
export async function loadConfiguredCatalog(
  config: Pick<Config, 'catalogDir' | 'landscapeFile' | 'landscapeRequired' | 'gamesFile'>,
): Promise<CatalogLoad & { origin?: CatalogOrigin }> {
  let landscape: LandscapeTool[] = [];
  let importedQuestions: RoundQuestion[] = [];
  const landscapeText = await readOptional(
    config.landscapeFile,
    config.landscapeRequired,
    'landscape snapshot',
  );
  if (typeof landscapeText === 'object') return { ok: false, problems: [landscapeText], omitted: 0 };
  if (landscapeText !== undefined) {
    // Imported only now: needed only when there is a landscape to check.
    const { parseSnapshot } = await import('./landscape-snapshot.ts');
    const parsed = parseSnapshot(landscapeText, config.landscapeFile);
    if ('problem' in parsed)
      return {
        ok: false,
        problems: [{ file: config.landscapeFile, line: 0, message: parsed.problem }],
        omitted: 0,
      };
    landscape = parsed.items;
  }
  const gamesText = await readOptional(config.gamesFile, false, 'imported question set');
  if (typeof gamesText === 'object') return { ok: false, problems: [gamesText], omitted: 0 };
  if (gamesText !== undefined) {
    const parsed = parseGamesSnapshot(gamesText, config.gamesFile);
    if ('problem' in parsed)
      return {
        ok: false,
        problems: [{ file: config.gamesFile, line: 0, message: parsed.problem }],
        omitted: 0,
      };
    importedQuestions = parsed.questions;
  }
  return loadCompiledCatalog(config.catalogDir, { landscape, importedQuestions });
}
