import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the store suites run against. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** CI sets ORCH_REQUIRE_POSTGRES=1 so a missing server fails the run instead of silently skipping suites. */
export const POSTGRES_REQUIRED = process.env.ORCH_REQUIRE_POSTGRES === '1';

/** True when a connection to `url` succeeds within two seconds. */
export async function postgresAvailable(url: string = TEST_DATABASE_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  // A server that dies after connecting emits 'error'; unhandled, it would crash the test worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `url` with any password masked, safe to print. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/** A schema name no other test run uses. */
export function testSchemaName(): string {
  return `orch_test_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement with `schema` first on the search_path, on a connection of its own. */
export async function queryInSchema(
  url: string,
  schema: string,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${schema}`);
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
