import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledCatalogPath, formatProblem, importLandscape, loadCatalog } from '../../src/index.ts';
import { loadCompiledCatalog } from '../../src/testing.ts';
import { catalogCopy, editFile, FIXTURE_LANDSCAPE_FILE, ROOT } from '../helpers/catalog.ts';

// The compiled snapshot of the curated catalog (issue 15): read instead of the YAML files while it holds exactly what
// they hold, never once they changed, and never in the way of a catalog that cannot be written to.

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function copy(): Promise<string> {
  const dir = await catalogCopy();
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function load(dir: string) {
  const result = await loadCompiledCatalog(dir);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result;
}

const istioName = (result: Awaited<ReturnType<typeof load>>) =>
  result.catalog.tools.find((t) => t.id === 'istio')?.name;

/**
 * Changes istio's name inside the snapshot only, leaving its keys alone: a load that answers with this name read the
 * snapshot, and did not parse tools/istio.yaml.
 */
async function markSnapshot(dir: string, name: string): Promise<void> {
  const path = compiledCatalogPath(dir);
  const snapshot = JSON.parse(await readFile(path, 'utf8'));
  const istio = snapshot.catalog.tools.find((t: { id: string }) => t.id === 'istio');
  istio.name = name;
  await writeFile(path, JSON.stringify(snapshot));
}

/** Every YAML file of the folder, for touching them all. */
async function yamlFiles(dir: string): Promise<string[]> {
  const files = ['categories.yaml', 'roadmap.yaml'].map((f) => join(dir, f));
  for (const folder of ['tools', 'quizzes', 'concepts'])
    for (const f of await readdir(join(dir, folder))) files.push(join(dir, folder, f));
  return files;
}

describe('the compiled catalog snapshot', () => {
  it('is written by the first load and holds the same catalog as the YAML files, landscape merged or not', async () => {
    const dir = await copy();
    expect(existsSync(compiledCatalogPath(dir))).toBe(false);
    const first = await load(dir);
    expect(first.origin).toEqual({ from: 'yaml', written: true });
    expect(existsSync(compiledCatalogPath(dir))).toBe(true);

    const second = await load(dir);
    expect(second.origin).toEqual({ from: 'snapshot' });
    const yaml = await loadCatalog(dir);
    if (!yaml.ok) throw new Error('the copy should be valid');
    expect(second.catalog).toEqual(yaml.catalog);

    const imported = importLandscape(await readFile(FIXTURE_LANDSCAPE_FILE, 'utf8'), FIXTURE_LANDSCAPE_FILE);
    if ('problems' in imported) throw new Error('the fixture should import');
    const merged = await loadCompiledCatalog(dir, { landscape: imported.items });
    const mergedYaml = await loadCatalog(dir, { landscape: imported.items });
    expect(merged.ok && merged.origin).toEqual({ from: 'snapshot' });
    expect(merged.ok && merged.catalog).toEqual(mergedYaml.ok && mergedYaml.catalog);
  });

  it('is read instead of the YAML files while they hold what it was compiled from, touched or not', async () => {
    const dir = await copy();
    await load(dir);
    await markSnapshot(dir, 'Istio from the snapshot');
    expect(istioName(await load(dir))).toBe('Istio from the snapshot');
    // A newer time stamp with the same text is nothing to parse again: the snapshot is keyed by what the files say.
    const later = new Date(Date.now() + 60_000);
    for (const file of await yamlFiles(dir)) await utimes(file, later, later);
    const touched = await load(dir);
    expect(touched.origin).toEqual({ from: 'snapshot' });
    expect(istioName(touched)).toBe('Istio from the snapshot');
  });

  it('is stale after an edit, even one that keeps the size and the time stamp of the file', async () => {
    const dir = await copy();
    await load(dir);
    await markSnapshot(dir, 'Istio from the snapshot');
    const file = join(dir, 'tools/istio.yaml');
    const before = await stat(file);
    await editFile(dir, 'tools/istio.yaml', (t) => t.replace(/^name: Istio$/m, 'name: Istia'));
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);

    const edited = await load(dir);
    expect(edited.origin).toEqual({ from: 'yaml', written: true });
    expect(istioName(edited)).toBe('Istia');
    // Rewritten: the next load reads the edit from the snapshot.
    const again = await load(dir);
    expect(again.origin).toEqual({ from: 'snapshot' });
    expect(istioName(again)).toBe('Istia');
  });

  it('is stale when a catalog file is added or removed', async () => {
    const dir = await copy();
    await load(dir);
    await markSnapshot(dir, 'Istio from the snapshot');
    const added = join(dir, 'concepts/zz-extra.yaml');
    await writeFile(
      added,
      [
        'concepts:',
        '  - id: compiled-snapshot-test',
        '    name: { en: Compiled snapshot test, ko: 컴파일된 스냅샷 시험 }',
        '    explanation: { en: A concept only this test adds., ko: 이 시험만 더하는 개념이에요. }',
        '    lessons: [k8s-pods]',
        '',
      ].join('\n'),
    );
    const withAdded = await loadCompiledCatalog(dir);
    expect(withAdded.origin.from).toBe('yaml');
    expect(withAdded.ok && istioName(withAdded)).toBe('Istio');
    expect(withAdded.ok && withAdded.catalog.conceptById.has('compiled-snapshot-test')).toBe(true);

    await load(dir);
    await markSnapshot(dir, 'Istio from the snapshot');
    await unlink(added);
    await unlink(join(dir, 'quizzes/service-mesh.yaml'));
    const withRemoved = await loadCompiledCatalog(dir);
    expect(withRemoved.origin.from).toBe('yaml');
    if (withRemoved.ok) expect(istioName(withRemoved)).toBe('Istio');
  });

  it('never stands in for broken YAML: the problems come from the files, with file and line', async () => {
    const dir = await copy();
    await load(dir);
    const snapshot = await readFile(compiledCatalogPath(dir), 'utf8');
    const original = await readFile(join(dir, 'categories.yaml'), 'utf8');
    await editFile(dir, 'categories.yaml', (t) =>
      t.replace('id: service-proxy', 'id: service-proxy\n    colour: red'),
    );
    await editFile(dir, 'tools/envoy.yaml', (t) => `${t}\nname: [unclosed\n`);
    const broken = await loadCompiledCatalog(dir);
    if (broken.ok) throw new Error('expected problems');
    const lines = broken.problems.map(formatProblem);
    expect(lines).toContainEqual(
      expect.stringMatching(/categories\.yaml:\d+: categories\.\d+: unknown field "colour"$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/tools\/envoy\.yaml:\d+: YAML: /));
    // The last good snapshot is left as it was, and is good again once the files are.
    expect(await readFile(compiledCatalogPath(dir), 'utf8')).toBe(snapshot);
    await writeFile(join(dir, 'categories.yaml'), original);
    await editFile(dir, 'tools/envoy.yaml', (t) => t.replace('\nname: [unclosed\n', ''));
    expect((await load(dir)).origin).toEqual({ from: 'snapshot' });
  });

  it('is not trusted when other code wrote it, or when it is damaged', async () => {
    const dir = await copy();
    await load(dir);
    const path = compiledCatalogPath(dir);
    const good = JSON.parse(await readFile(path, 'utf8'));
    const variants = {
      'written by other code': { ...good, code: 'another-version' },
      'of another format': { ...good, format: 'orch-catalog/0' },
      'without its tools': { ...good, catalog: { ...good.catalog, tools: undefined } },
    };
    for (const [what, variant] of Object.entries(variants)) {
      await writeFile(path, JSON.stringify(variant));
      expect((await load(dir)).origin, what).toEqual({ from: 'yaml', written: true });
    }
    await writeFile(path, (await readFile(path, 'utf8')).slice(0, 1000));
    expect((await load(dir)).origin, 'cut short').toEqual({ from: 'yaml', written: true });
    expect((await load(dir)).origin).toEqual({ from: 'snapshot' });
  });

  it('lets `orch ask` start without loading the YAML parser, zod, prom-client or pino', async () => {
    const dir = await copy();
    await load(dir);
    const data = await mkdtemp(join(tmpdir(), 'orch-lazy-'));
    cleanup.push(() => rm(data, { recursive: true, force: true }));
    // Every package the process loads: ESM imports through a resolve hook, CommonJS requires from the module cache.
    const probe = join(data, 'probe.mjs');
    await writeFile(
      probe,
      `import { createRequire, register } from 'node:module';
const seen = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => seen.add(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(
  'let port; export function initialize(data) { port = data.port; }' +
  'export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }'),
  { data: { port: port2 }, transferList: [port2] });
const { main } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'adapters/console/cli.ts')).href)});
let out = '';
const code = await main(['ask', 'istio'], { env: { ORCH_CATALOG_DIR: process.argv[2], ORCH_DATA_DIR: process.argv[3] },
  stdin: process.stdin, stdout: { write: (t) => (out += t) }, stderr: process.stderr });
await new Promise((r) => setTimeout(r, 100));
const loaded = [...seen, ...Object.keys(createRequire(import.meta.url).cache)];
const packages = [...new Set(loaded.map((u) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(u)?.[1]).filter(Boolean))];
process.stdout.write(JSON.stringify({ code, answered: out.includes('Istio'), packages }));\n`,
    );
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', probe, dir, data], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d;
      });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
    });
    const { code, answered, packages } = JSON.parse(output);
    expect({ code, answered }).toEqual({ code: 0, answered: true });
    // The probe sees what it should: the store's driver and the query engine's fuzzy matcher are loaded.
    expect(packages).toEqual(expect.arrayContaining(['better-sqlite3', 'fuse.js']));
    expect(packages.filter((p: string) => ['yaml', 'zod', 'prom-client', 'pino'].includes(p))).toEqual([]);
  });

  it('falls back to the YAML files, without failing, when the snapshot cannot be written', async () => {
    const dir = await copy();
    // A file where the snapshot's folder would be: no process, root or not, can write the snapshot.
    await writeFile(join(dir, '.compiled'), 'not a folder\n');
    for (let i = 0; i < 2; i++) {
      const result = await load(dir);
      expect(result.origin).toMatchObject({
        from: 'yaml',
        written: false,
        reason: expect.stringMatching(/^E/),
      });
      expect(istioName(result)).toBe('Istio');
    }
  });
});

/**
 * Loads `dir` in a process that cannot write to it, as the image's bot (uid 1000) cannot write its root-owned
 * /app/catalog: as user nobody when this runs as root (who can write anywhere), else after taking the write bits away.
 */
async function loadReadOnly(dir: string): Promise<{ ok: boolean; origin: unknown }> {
  const asRoot = process.getuid?.() === 0;
  const modes = async (file: number, folder: number) => {
    for (const f of await yamlFiles(dir)) await chmod(f, file);
    for (const d of ['tools', 'quizzes', 'concepts', '.compiled', '.'])
      if (existsSync(join(dir, d))) await chmod(join(dir, d), folder);
    if (existsSync(compiledCatalogPath(dir))) await chmod(compiledCatalogPath(dir), file);
  };
  await modes(asRoot ? 0o644 : 0o444, asRoot ? 0o755 : 0o555);
  cleanup.push(() => modes(0o644, 0o755));
  const probe = join(dir, '..', `${dir.split('/').pop()}-probe.mjs`);
  await writeFile(
    probe,
    `const { loadCompiledCatalog } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/catalog/compiled-catalog.ts')).href)});
const result = await loadCompiledCatalog(process.argv[2]);
process.stdout.write(JSON.stringify({ ok: result.ok, origin: result.origin }));\n`,
  );
  await chmod(probe, 0o644);
  cleanup.push(() => rm(probe, { force: true }));
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', probe, dir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
  return JSON.parse(output);
}

describe('a read-only catalog folder (the image, a mounted ConfigMap)', () => {
  it('loads from the YAML files when it has no snapshot, and writes none', async () => {
    const dir = await copy();
    const result = await loadReadOnly(dir);
    expect(result).toMatchObject({
      ok: true,
      origin: { from: 'yaml', written: false, reason: expect.stringMatching(/^EACCES /) },
    });
    expect(existsSync(compiledCatalogPath(dir))).toBe(false);
  });

  it('loads from the snapshot compiled into it beforehand, as the image build does', async () => {
    const dir = await copy();
    await mkdir(join(dir, '.compiled'));
    await load(dir);
    expect(await loadReadOnly(dir)).toEqual({ ok: true, origin: { from: 'snapshot' } });
  });
});
