import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

/** Where the store lives: PostgreSQL when `databaseUrl` is set, otherwise the SQLite file at `sqlitePath`. */
export interface OpenStoreOptions {
  databaseUrl?: string | undefined;
  sqlitePath: string;
}

/** Opens the configured store and applies pending migrations; a failed migration closes it again. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  // The PostgreSQL driver is loaded only when configured: most installs never use it, and it costs start-up time
  // and memory (about 3 MB of heap) in every process that imports it.
  const store = options.databaseUrl
    ? await (await import('./postgres-store.ts')).openPostgresStore(options.databaseUrl)
    : await openSqliteStore(options.sqlitePath);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
