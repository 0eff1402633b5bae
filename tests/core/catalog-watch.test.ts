import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

async function watchedFolder(): Promise<{ dir: string; reloads: () => number }> {
  const dir = await mkdtemp(join(tmpdir(), 'orch-watch-'));
  await mkdir(join(dir, 'tools'));
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
});
