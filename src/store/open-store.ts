import { openPostgresStore } from './postgres-store.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

/** Where the store lives: PostgreSQL when `databaseUrl` is set, otherwise the SQLite file at `sqlitePath`. */
export interface OpenStoreOptions {
  databaseUrl?: string | undefined;
  sqlitePath: string;
}

/** Opens the configured store and applies pending migrations; a failed migration closes it again. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? await openPostgresStore(options.databaseUrl)
    : await openSqliteStore(options.sqlitePath);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
