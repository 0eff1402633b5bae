import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { type Bot, type Incoming, loadCatalog, type Reply } from '../../src/index.ts';
import { type BotOptions, type Catalog, createBot, openStore } from '../../src/testing.ts';
import { RecordingPoster } from './recording-poster.ts';

export {
  benchLandscape,
  FIXTURE_GAMES_FILE,
  FIXTURE_LANDSCAPE_FILE,
  GAMES_FILE,
  LANDSCAPE_FILE,
  SHARED_DATA_DIR,
  SHARED_DATA_NOTE,
  SHARED_DATA_REQUIRED,
  skipWithoutSharedData,
} from './shared-data.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CATALOG_DIR = join(ROOT, 'catalog');

/** Every file of the real catalog, relative to catalog/, in a fixed order. */
export async function catalogFiles(): Promise<string[]> {
  const files = ['roadmap.yaml', 'categories.yaml'];
  for (const dir of ['tools', 'quizzes', 'concepts'])
    for (const f of (await readdir(join(CATALOG_DIR, dir))).filter((n) => n.endsWith('.yaml')).sort())
      files.push(`${dir}/${f}`);
  return files;
}

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

/**
 * A writable copy of the real catalog's YAML files, for tests that break a file on purpose; without the compiled
 * snapshot whatever last ran here left in catalog/.compiled, so every copy starts the same way.
 */
export async function catalogCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'orch-catalog-'));
  await cp(CATALOG_DIR, dir, { recursive: true, filter: (source) => basename(source) !== '.compiled' });
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
