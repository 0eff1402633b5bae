import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// Kept apart from catalog.ts, which loads the core: the load bench reads these paths without importing src/.
const ROOT = resolve(import.meta.dirname, '../..');

/** The full public CNCF files, kept beside the repository (../shared/data/SOURCES.md); a user's clone has none. */
export const SHARED_DATA_DIR = resolve(ROOT, '../shared/data');
export const LANDSCAPE_FILE = join(SHARED_DATA_DIR, 'cncf-landscape.yml');
export const GAMES_FILE = join(SHARED_DATA_DIR, 'cncf-games.yml');

/** Our own small files in the same formats (tests/fixtures/cncf/README.md), present in every clone. */
export const FIXTURE_LANDSCAPE_FILE = join(ROOT, 'tests/fixtures/cncf/landscape.yml');
export const FIXTURE_GAMES_FILE = join(ROOT, 'tests/fixtures/cncf/games.yml');

/** CI sets ORCH_REQUIRE_SHARED_DATA=1 so missing public files fail the full-file suites instead of skipping them. */
export const SHARED_DATA_REQUIRED = process.env.ORCH_REQUIRE_SHARED_DATA === '1';
const SHARED_DATA_PRESENT = existsSync(LANDSCAPE_FILE) && existsSync(GAMES_FILE);

/**
 * Whether a suite over the full public files must be skipped here; when it must, says so once for that suite.
 * Use as `describe.skipIf(skipWithoutSharedData(name))(name + SHARED_DATA_NOTE, ...)`.
 */
export function skipWithoutSharedData(suite: string): boolean {
  const skip = !SHARED_DATA_PRESENT && !SHARED_DATA_REQUIRED;
  if (skip)
    console.warn(
      `${relative(process.cwd(), SHARED_DATA_DIR) || SHARED_DATA_DIR} not found: skipping "${suite}" (it needs the full CNCF files; ORCH_REQUIRE_SHARED_DATA=1 makes it fail instead)`,
    );
  return skip;
}

/**
 * The landscape a bench measures: the full public file or, in a clone without ../shared/data, our fixture. `fallback`
 * says which, with a line to print, so that fixture figures are never read as the full landscape's.
 */
export function benchLandscape(): { file: string; fallback: string | null } {
  if (existsSync(LANDSCAPE_FILE)) return { file: LANDSCAPE_FILE, fallback: null };
  return {
    file: FIXTURE_LANDSCAPE_FILE,
    fallback: `${LANDSCAPE_FILE} not found: using the test fixture ${relative(ROOT, FIXTURE_LANDSCAPE_FILE)} instead (a few dozen items); landscape figures below are not those of the full landscape`,
  };
}

/** Appended to the name of a full-file suite, so a skipped one says why in the report. */
export const SHARED_DATA_NOTE =
  SHARED_DATA_PRESENT || SHARED_DATA_REQUIRED
    ? ''
    : ' [SKIPPED: no ../shared/data beside the repository; ORCH_REQUIRE_SHARED_DATA=1 makes this fail instead]';
