import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  type Bot,
  type BotOptions,
  type Catalog,
  createBot,
  type Incoming,
  loadCatalog,
  openStore,
  type Reply,
} from '../../src/index.ts';
import { RecordingPoster } from './recording-poster.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CATALOG_DIR = join(ROOT, 'catalog');

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

/** Appended to the name of a full-file suite, so a skipped one says why in the report. */
export const SHARED_DATA_NOTE =
  SHARED_DATA_PRESENT || SHARED_DATA_REQUIRED
    ? ''
    : ' [SKIPPED: no ../shared/data beside the repository; ORCH_REQUIRE_SHARED_DATA=1 makes this fail instead]';

let cached: Promise<Catalog> | undefined;

/** The real catalog, loaded once per test file; a load failure fails the test with every problem listed. */
export function realCatalog(): Promise<Catalog> {
  cached ??= loadCatalog(CATALOG_DIR).then((r) => {
    if (!r.ok)
      throw new Error(
        `catalog invalid:\n${r.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n')}`,
      );
    return r.catalog;
  });
  return cached;
}

/** A writable copy of the real catalog, for tests that break a file on purpose. */
export async function catalogCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'orch-catalog-'));
  await cp(CATALOG_DIR, dir, { recursive: true });
  return dir;
}

/** Rewrites one file of a catalog copy. */
export async function editFile(dir: string, name: string, edit: (text: string) => string): Promise<void> {
  const path = join(dir, name);
  await writeFile(path, edit(await readFile(path, 'utf8')));
}

/** A command as the console would send it. */
export function command(text: string, extra: Partial<Incoming> = {}): Incoming {
  return {
    kind: 'command',
    text,
    who: { platform: 'test', userId: 'U1', displayName: 'tester', isAdmin: false },
    where: { platform: 'test', space: 'T1', channel: 'C1' },
    receivedAt: new Date('2026-11-25T09:00:00Z'),
    ...extra,
  } as Incoming;
}

/** A bot on the real catalog with a fresh embedded SQLite store (in memory: real SQLite, nothing on disk). */
export async function testBot(options: Partial<BotOptions> = {}): Promise<Bot> {
  const store = options.store ?? (await openStore({ sqlitePath: ':memory:' }));
  const poster = options.poster ?? new RecordingPoster();
  return createBot({ catalog: await realCatalog(), ...options, store, poster });
}

/** Sends one line to a fresh bot on the real catalog and returns its replies. */
export async function ask(text: string, extra: Partial<Incoming> = {}): Promise<Reply[]> {
  return (await testBot()).handle(command(text, extra));
}
