import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { COMPILED_FOLDER } from '../catalog/catalog-files.ts';

/**
 * Calls `reload` after the catalog's files change: the folder and its subfolders (tools/, quizzes/: the loader reads
 * no deeper) and the landscape and games snapshots.
 * Editors save in bursts (write, rename, chmod), so changes are gathered for `debounceMs` into one reload.
 * A path that does not exist is not watched (the landscape snapshot is optional). The compiled snapshot's folder
 * (.compiled) is not watched: a reload writes it, and that write is no edit to reload for.
 */
export function watchCatalog(options: {
  catalogDir: string;
  files: readonly string[];
  reload: () => Promise<unknown>;
  onError: (error: unknown) => void;
  debounceMs?: number;
}): { close(): void } {
  const debounceMs = options.debounceMs ?? 300;
  const watchers = new Set<FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const changed = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      options.reload().catch(options.onError);
    }, debounceMs);
    timer.unref();
  };
  const add = (make: () => FSWatcher): FSWatcher | undefined => {
    try {
      const watcher = make();
      watcher.on('error', options.onError);
      watcher.unref();
      watchers.add(watcher);
      return watcher;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError(error);
      return undefined;
    }
  };
  // Not `recursive: true`: on Linux, Node 20 emulates it by re-reading the changed folder on every event and by watching
  // every file on its own, so 10,000 new tool files cost 10,000 scans of a growing folder on the event loop (minutes
  // without an answer). One plain watcher per folder reports the same changes.
  const folders = new Map<string, FSWatcher>();
  const watchFolder = (name: string): void => {
    if (name === COMPILED_FOLDER) return;
    const folder = join(options.catalogDir, name);
    try {
      if (!statSync(folder).isDirectory()) return;
    } catch {
      return;
    }
    // A folder replaced (deleted and made again, moved in) needs a new watcher: the old one watched the old folder.
    const old = folders.get(name);
    if (old) {
      old.close();
      watchers.delete(old);
    }
    const watcher = add(() => watch(folder, changed));
    if (watcher) folders.set(name, watcher);
  };
  add(() =>
    watch(options.catalogDir, (_event, name) => {
      if (name === COMPILED_FOLDER) return;
      changed();
      if (name) watchFolder(name);
    }),
  );
  try {
    for (const entry of readdirSync(options.catalogDir, { withFileTypes: true }))
      if (entry.isDirectory()) watchFolder(entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError(error);
  }
  // A snapshot is replaced by rename when re-imported, so its folder is watched, filtered to the file's name.
  for (const file of options.files) {
    const name = basename(file);
    add(() => watch(dirname(file), (_event, changedName) => changedName === name && changed()));
  }
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
