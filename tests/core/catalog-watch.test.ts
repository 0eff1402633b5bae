import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { watchCatalog } from '../../src/index.ts';
import { writeGeneratedTools } from '../helpers/generated-catalog.ts';
import { until } from '../helpers/until.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function watchedFolder(folders: string[] = ['tools']): Promise<{ dir: string; reloads: () => number }> {
  const dir = await mkdtemp(join(tmpdir(), 'orch-watch-'));
  for (const folder of folders) await mkdir(join(dir, folder));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  let reloads = 0;
  const watcher = watchCatalog({
    catalogDir: dir,
    files: [],
    reload: async () => {
      reloads++;
    },
    onError: (error) => {
      throw error;
    },
    debounceMs: 50,
  });
  cleanup.push(() => watcher.close());
  return { dir, reloads: () => reloads };
}

describe('the catalog watcher', () => {
  it('keeps the event loop free while thousands of tool files arrive at once', async () => {
    const { dir, reloads } = await watchedFolder();
    await writeGeneratedTools(dir, 2000);
    await until(() => reloads() > 0, 'the first files to be noticed');
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const seen = reloads();
    // Node's recursive watching re-read the whole folder for each new file, here 2,000 times over 2,000 to 4,000
    // entries, on the event loop: minutes without an answer.
    await writeGeneratedTools(dir, 2000, 2000);
    await until(() => reloads() > seen, 'the burst to be noticed');
    delay.disable();
    expect(delay.max / 1e6).toBeLessThan(2000);
  });

  it('notices edits in the catalog folder, in tools/, and in a folder made after it started', async () => {
    const { dir, reloads } = await watchedFolder();
    const noticed = async (what: string, change: () => Promise<unknown>) => {
      const before = reloads();
      await change();
      await until(() => reloads() > before, what);
    };
    await noticed('a change to categories.yaml', () =>
      writeFile(join(dir, 'categories.yaml'), 'categories: []\n'),
    );
    await noticed('a new tool file', () => writeFile(join(dir, 'tools', 'a.yaml'), 'id: a\n'));
    await noticed('the new quizzes folder', () => mkdir(join(dir, 'quizzes')));
    await noticed('a file in the new quizzes folder', () =>
      writeFile(join(dir, 'quizzes', 'q.yaml'), 'questions: []\n'),
    );
  });

  it('takes no notice of the compiled snapshot being written, in a folder it found or one made later', async () => {
    const { dir, reloads } = await watchedFolder(['tools', '.compiled']);
    // As src/catalog/compiled-catalog.ts writes it: a partial file renamed over the snapshot.
    const writeSnapshot = async () => {
      await mkdir(join(dir, '.compiled'), { recursive: true });
      await writeFile(join(dir, '.compiled', 'catalog.json.1.partial'), '{}');
      await rename(join(dir, '.compiled', 'catalog.json.1.partial'), join(dir, '.compiled', 'catalog.json'));
    };
    await writeSnapshot();
    await rm(join(dir, '.compiled'), { recursive: true });
    await writeSnapshot();
    // A reload (50 ms after an event) would have run by now; a machine slow to deliver events can only let this pass.
    await new Promise((r) => setTimeout(r, 500));
    expect(reloads()).toBe(0);
    // A reload writes the snapshot: noticing that made every reload (and every start) cause a second one.
    await writeFile(join(dir, 'tools', 'a.yaml'), 'id: a\n');
    await until(() => reloads() > 0, 'a real edit');
  });
});
