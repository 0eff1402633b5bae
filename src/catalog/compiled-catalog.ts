import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleCatalog, type CatalogLoad, type LoadOptions } from './assemble.ts';
import { COMPILED_FILE, COMPILED_FOLDER, catalogFileKeys, MAX_FILE_BYTES } from './catalog-files.ts';
import type { CuratedCatalog } from './model.ts';
import type { CatalogProblem } from './yaml-source.ts';

// The compiled snapshot of a catalog folder (issue 15): the YAML files stay the source of truth, but parsing and
// checking them took a quarter of a second of every start, and the same data as JSON parses in a few milliseconds.
// The snapshot is keyed by the text of every catalog file and by the code that reads them, so it is used only when it
// holds exactly what parsing the files now would give; anything else (missing, stale, unreadable, written by other
// code) means the YAML is parsed, with its problems reported by file and line as always, and a fresh snapshot is
// written when the folder is writable. A read-only folder (the image's, a mounted ConfigMap) just parses the YAML.

/** The snapshot's path inside a catalog folder. */
export function compiledCatalogPath(dir: string): string {
  return join(dir, COMPILED_FOLDER, COMPILED_FILE);
}

// Bumped when the snapshot's own layout changes; changes to the catalog model are caught by codeFingerprint().
const FORMAT = 'orch-catalog/1';

interface CompiledSnapshot {
  format: typeof FORMAT;
  /** codeFingerprint() of the code that wrote it. */
  code: string;
  /** filesDigest() of the catalog files it was compiled from. */
  files: string;
  catalog: CuratedCatalog;
}

/** Where a catalog in service came from, for the log and for tests. */
export type CatalogOrigin =
  | { from: 'snapshot' }
  /** Parsed from YAML; `written` says whether a fresh snapshot was saved, `reason` why not. */
  | { from: 'yaml'; written: boolean; reason?: string };

export type CompiledCatalogLoad = CatalogLoad & { origin: CatalogOrigin };

/**
 * The catalog of `dir`, from its compiled snapshot when that is fresh, else from the YAML files (then saving a fresh
 * snapshot, unless `write` is false or the folder is read-only, which is no error).
 */
export async function loadCompiledCatalog(
  dir: string,
  options: LoadOptions & { write?: boolean } = {},
): Promise<CompiledCatalogLoad> {
  const code = await codeFingerprint();
  if (code !== null) {
    const [snapshot, files] = await Promise.all([readSnapshot(dir, code), currentFilesDigest(dir)]);
    if (snapshot && files !== null && snapshot.files === files)
      return { ok: true, catalog: assembleCatalog(snapshot.catalog, options), origin: { from: 'snapshot' } };
  }
  const compiled = await compileCatalog(dir, options.write ?? true);
  if (!compiled.ok) return { ...compiled, origin: { from: 'yaml', written: false } };
  return {
    ok: true,
    catalog: assembleCatalog(compiled.curated, options),
    origin: {
      from: 'yaml',
      written: compiled.written,
      ...(compiled.reason ? { reason: compiled.reason } : {}),
    },
  };
}

/**
 * The catalog from its YAML files alone, never the snapshot (tests, and the checks before an import writes anything):
 * loader.ts's loadCatalog, imported on the first call so that importing the core loads no YAML parser or schemas.
 */
export async function loadCatalog(dir: string, options: LoadOptions = {}): Promise<CatalogLoad> {
  const loader = await import('./loader.ts');
  return loader.loadCatalog(dir, options);
}

/** A compile: the problems of the YAML files, or the curated catalog and whether its snapshot was written. */
export type CatalogCompile =
  | { ok: false; problems: CatalogProblem[]; omitted: number }
  | { ok: true; curated: CuratedCatalog; written: boolean; reason?: string };

/**
 * Parses and checks the YAML files of `dir` (never the snapshot) and, when they are valid and `write` is set, saves
 * their snapshot: `orch catalog check --write`, and the stale path of loadCompiledCatalog.
 */
export async function compileCatalog(dir: string, write = true): Promise<CatalogCompile> {
  // Imported here, not at the top: a start from a fresh snapshot loads no YAML parser, schemas or checks.
  const { readCuratedCatalog } = await import('./loader.ts');
  const texts = new Map<string, string>();
  const read = await readCuratedCatalog(dir, texts);
  if (!read.ok) return read;
  if (!write) return { ok: true, curated: read.curated, written: false, reason: 'not asked to write' };
  const code = await codeFingerprint();
  if (code === null)
    return { ok: true, curated: read.curated, written: false, reason: 'the loader code cannot be read' };
  const failure = await writeSnapshot(dir, {
    format: FORMAT,
    code,
    files: filesDigest(texts),
    catalog: read.curated,
  });
  return failure === null
    ? { ok: true, curated: read.curated, written: true }
    : { ok: true, curated: read.curated, written: false, reason: failure };
}

/** The snapshot in `dir` when it is one this code wrote; null when missing, unreadable or of another code. */
async function readSnapshot(dir: string, code: string): Promise<CompiledSnapshot | null> {
  let data: Partial<CompiledSnapshot>;
  try {
    data = JSON.parse(await readFile(compiledCatalogPath(dir), 'utf8')) as Partial<CompiledSnapshot>;
  } catch {
    return null;
  }
  if (data?.format !== FORMAT || data.code !== code || typeof data.files !== 'string') return null;
  // Written by this very code, so the shape is right unless the file was edited by hand: a cheap look at the top.
  const c = data.catalog as Partial<CuratedCatalog> | undefined;
  const lists = [
    c?.categories,
    c?.tools,
    c?.questions,
    c?.questionSources,
    c?.concepts,
    c?.roadmap?.tracks,
    c?.roadmap?.lessons,
  ];
  if (!lists.every(Array.isArray) || !Array.isArray(c?.roadmap?.resources)) return null;
  return data as CompiledSnapshot;
}

/** Written beside the target and renamed over it, so a reader sees the old snapshot or the new one, never half. */
async function writeSnapshot(dir: string, snapshot: CompiledSnapshot): Promise<string | null> {
  const target = compiledCatalogPath(dir);
  const partial = `${target}.${process.pid}.${randomUUID().slice(0, 8)}.partial`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(partial, JSON.stringify(snapshot));
    await rename(partial, target);
    return null;
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    const { code, message } = error as NodeJS.ErrnoException;
    return code ? `${code} writing ${target}` : message;
  }
}

/** One digest of the catalog's files: each key (tools/istio.yaml) and its text, in key order. */
function filesDigest(texts: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const key of [...texts.keys()].sort()) {
    const text = texts.get(key) as string;
    hash.update(`${key}\0${text.length}\0`).update(text).update('\0');
  }
  return hash.digest('hex');
}

// Files read at a time: a folder of 10,000 tool files must not open 10,000 files at once.
const READ_BATCH = 32;

/** filesDigest() of the files as they are now; null when one cannot be read or is over the size limit. */
async function currentFilesDigest(dir: string): Promise<string | null> {
  try {
    const keys = await catalogFileKeys(dir);
    const texts = new Map<string, string>();
    for (let i = 0; i < keys.length; i += READ_BATCH) {
      await Promise.all(
        keys.slice(i, i + READ_BATCH).map(async (key) => {
          const path = join(dir, ...key.split('/'));
          if ((await stat(path)).size > MAX_FILE_BYTES) throw new Error(`${key} is too large`);
          texts.set(key, await readFile(path, 'utf8'));
        }),
      );
    }
    return filesDigest(texts);
  } catch {
    return null;
  }
}

let code: Promise<string | null> | undefined;

/**
 * A digest of the code that turns YAML into the catalog model (every module of this folder, the schemas, the checks
 * and the name key among them), as it runs: .ts through tsx or vitest, .js from dist/. A change to the schemas, the
 * checks or the model makes every older snapshot stale without anyone having to remember a version number. Null
 * when the modules cannot be read (bundled code), and then no snapshot is trusted or written.
 */
function codeFingerprint(): Promise<string | null> {
  code ??= (async () => {
    try {
      const here = fileURLToPath(import.meta.url);
      const ext = extname(here);
      const folder = dirname(here);
      const files = (await readdir(folder))
        .filter((f) => f.endsWith(ext))
        .sort()
        .map((f) => join(folder, f));
      const hash = createHash('sha256').update(FORMAT);
      for (const file of files) hash.update(`\0${basename(file)}\0`).update(await readFile(file));
      return hash.digest('hex');
    } catch {
      return null;
    }
  })();
  return code;
}
