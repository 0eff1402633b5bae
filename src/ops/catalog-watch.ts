import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `reload` after the catalog's files change: the folder (recursively) and the landscape and games snapshots.
 * Editors save in bursts (write, rename, chmod), so changes are gathered for `debounceMs` into one reload.
 * A path that does not exist is not watched (the landscape snapshot is optional).
 */
export function watchCatalog(options: {
  catalogDir: string;
  files: readonly string[];
  reload: () => Promise<unknown>;
  onError: (error: unknown) => void;
  debounceMs?: number;
}): { close(): void } {
  const debounceMs = options.debounceMs ?? 300;
  const watchers: FSWatcher[] = [];
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
  const add = (make: () => FSWatcher): void => {
    try {
      const watcher = make();
      watcher.on('error', options.onError);
      watcher.unref();
      watchers.push(watcher);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError(error);
    }
  };
  add(() => watch(options.catalogDir, { recursive: true }, changed));
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
