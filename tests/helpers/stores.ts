import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe } from 'vitest';
import type { Store } from '../../src/index.ts';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import {
  dropSchema,
  POSTGRES_REQUIRED,
  postgresAvailable,
  TEST_DATABASE_URL,
  testSchemaName,
} from './postgres.ts';

/** One database for one test: open as many connections (processes) to it as needed, then drop it. */
export interface TestDatabase {
  /** A new, migrated Store on the same database: a second call is a second process. */
  connect(): Promise<Store>;
  dispose(): Promise<void>;
}

/** A store backend the suites run against. */
export interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  available: boolean;
  create(): Promise<TestDatabase>;
}

async function sqliteDatabase(): Promise<TestDatabase> {
  const path = join(await mkdtemp(join(tmpdir(), 'orch-db-')), 'orch.db');
  const opened: Store[] = [];
  return {
    async connect() {
      const store = await openSqliteStore(path);
      await store.migrate();
      opened.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(opened.map((s) => s.close()));
    },
  };
}

async function postgresDatabase(): Promise<TestDatabase> {
  const schema = testSchemaName();
  const opened: Store[] = [];
  return {
    async connect() {
      const store = await openPostgresStore(TEST_DATABASE_URL, { schema });
      await store.migrate();
      opened.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(opened.map((s) => s.close()));
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

const pgUp = await postgresAvailable();
if (!pgUp && !POSTGRES_REQUIRED) {
  console.warn(`PostgreSQL not reachable at ${TEST_DATABASE_URL}: skipping the PostgreSQL scheduler suites`);
}

/** Both backends; PostgreSQL is unavailable only off CI, where its suites are skipped with a warning. */
export const BACKENDS: Backend[] = [
  { name: 'SQLite', available: true, create: sqliteDatabase },
  // With ORCH_REQUIRE_POSTGRES=1 an unreachable server is "available" so that its suites run and fail loudly.
  { name: 'PostgreSQL', available: pgUp || POSTGRES_REQUIRED, create: postgresDatabase },
];

/**
 * A describe block per backend, named `${title} on ${backend}`: `fresh()` gives the running test a new database
 * (dropped after it). What every suite that runs on both databases would otherwise write out for itself.
 */
export function onEachBackend(title: string, body: (fresh: () => Promise<TestDatabase>) => void): void {
  for (const backend of BACKENDS) {
    describe.skipIf(!backend.available)(`${title} on ${backend.name}`, () => {
      let db: TestDatabase | undefined;
      afterEach(async () => {
        await db?.dispose();
        db = undefined;
      });
      body(async () => {
        db = await backend.create();
        return db;
      });
    });
  }
}
