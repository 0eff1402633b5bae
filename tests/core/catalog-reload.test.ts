import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledCatalogPath, createRuntime, loadConfig, type Runtime } from '../../src/index.ts';
import { type CatalogReloadOutcome, noMetrics, silentLogger } from '../../src/testing.ts';
import { catalogCopy, editFile, ROOT } from '../helpers/catalog.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Rig {
  runtime: Runtime;
  catalogDir: string;
  /** Reload passes that ended, by outcome. */
  passes: string[];
  errors: { fields: Record<string, unknown>; message: string }[];
  infos: { fields: Record<string, unknown>; message: string }[];
}

/** The core as the server builds it, on a copy of the real catalog and a SQLite file. */
async function startRuntime(): Promise<Rig> {
  const catalogDir = await catalogCopy();
  const dataDir = await mkdtemp(join(tmpdir(), 'orch-reload-'));
  cleanup.push(async () => {
    await rm(catalogDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });
  const loaded = loadConfig({ ORCH_DATA_DIR: dataDir, ORCH_CATALOG_DIR: catalogDir }, ROOT);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const passes: string[] = [];
  const errors: Rig['errors'] = [];
  const infos: Rig['infos'] = [];
  const runtime = await createRuntime(loaded.config, {
    poster: new RecordingPoster(),
    instanceId: 'reload-test',
    metrics: { ...noMetrics, catalogReload: (outcome) => passes.push(outcome) },
    logger: {
      ...silentLogger,
      error: (fields, message) => errors.push({ fields, message }),
      info: (fields, message) => infos.push({ fields, message }),
    },
  });
  if ('kind' in runtime) throw new Error(`runtime failed: ${runtime.kind}`);
  cleanup.push(() => runtime.close());
  return { runtime, catalogDir, passes, errors, infos };
}

const istioName = (runtime: Runtime) => runtime.catalog.tools.find((t) => t.id === 'istio')?.name;

describe('a catalog reload', () => {
  it('runs once more for requests made while it runs, one pass shared by all of them', async () => {
    const rig = await startRuntime();
    // roadmap.yaml becomes a named pipe: the first pass reads every tool file, then waits on the pipe until the test
    // writes to it, so the edit below lands after that pass read the tool, every time.
    const roadmap = join(rig.catalogDir, 'roadmap.yaml');
    const text = await readFile(roadmap, 'utf8');
    await rm(roadmap);
    execFileSync('mkfifo', [roadmap]);
    const first = rig.runtime.reloadCatalog();
    // Opening a pipe to write waits for its reader: the first pass is now past the tools.
    const writer = await open(roadmap, 'w');

    await editFile(rig.catalogDir, 'tools/istio.yaml', (t) =>
      t.replace(/^name: Istio$/m, 'name: Istio Later'),
    );
    const later = [rig.runtime.reloadCatalog(), rig.runtime.reloadCatalog(), rig.runtime.reloadCatalog()];
    // The next pass reads a plain file again; the first still holds the pipe open and gets the same text.
    await rm(roadmap);
    await writeFile(roadmap, text);
    await writer.writeFile(text);
    await writer.close();

    expect(await first).toMatchObject({ ok: true });
    const outcomes: CatalogReloadOutcome[] = await Promise.all(later);
    expect(outcomes[0]).toMatchObject({ ok: true });
    expect(outcomes[1]).toBe(outcomes[0]);
    expect(outcomes[2]).toBe(outcomes[0]);
    expect(istioName(rig.runtime)).toBe('Istio Later');
    expect(rig.passes).toEqual(['ok', 'ok']);

    // Nothing stays queued: a request once all is quiet runs one pass of its own.
    await rig.runtime.reloadCatalog();
    expect(rig.passes).toEqual(['ok', 'ok', 'ok']);
  });

  it('logs and returns a rejected catalog with the first problems and how many more', async () => {
    const rig = await startRuntime();
    const before = rig.runtime.catalog;
    await editFile(
      rig.catalogDir,
      'tools/istio.yaml',
      (t) => `${t}${Array.from({ length: 20_000 }, (_, i) => `extra${i}: ${'x'.repeat(20)}\n`).join('')}`,
    );
    const outcome = await rig.runtime.reloadCatalog();
    if (outcome.ok) throw new Error('expected the reload to be rejected');
    expect(outcome.problems).toHaveLength(50);
    expect(outcome.problems[0]).toMatch(/^[^/]+\/tools\/istio\.yaml:\d+: unknown field "extra0"$/);
    expect(outcome.omitted).toBe(20_000 - 50);
    expect(rig.runtime.catalog).toBe(before);
    const logged = rig.errors.find((e) => e.message.startsWith('catalog reload rejected'));
    expect(logged?.fields).toMatchObject({ omitted: 20_000 - 50 });
    // Before the cap this one log line held all 20,000 problems (about 1 MB).
    expect(JSON.stringify(logged?.fields).length).toBeLessThan(10_000);
  });

  it('parses an edited file rather than serve the snapshot the start compiled, whatever its time stamp', async () => {
    const rig = await startRuntime();
    expect(rig.infos.map((i) => i.fields.catalogFrom)).toEqual(['yaml']);
    expect(existsSync(compiledCatalogPath(rig.catalogDir))).toBe(true);
    const file = join(rig.catalogDir, 'tools/istio.yaml');
    const before = await stat(file);
    await editFile(rig.catalogDir, 'tools/istio.yaml', (t) => t.replace(/^name: Istio$/m, 'name: Istia'));
    await utimes(file, before.atime, before.mtime);

    expect(await rig.runtime.reloadCatalog()).toMatchObject({ ok: true });
    expect(istioName(rig.runtime)).toBe('Istia');
    // That reload compiled the edit, so the next one (nothing changed) reads it from the snapshot.
    expect(await rig.runtime.reloadCatalog()).toMatchObject({ ok: true });
    expect(istioName(rig.runtime)).toBe('Istia');
    const reloads = rig.infos.filter((i) => i.message === 'catalog reloaded').map((i) => i.fields);
    expect(reloads).toMatchObject([
      { catalogFrom: 'yaml', snapshot: 'written' },
      { catalogFrom: 'snapshot' },
    ]);
  });
});
