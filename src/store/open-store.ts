import { MigrationError } from './migrations.ts';
import { openSqliteStore } from './sqlite-store.ts';
import type { Store } from './store.ts';

/** Where the store lives: PostgreSQL when `databaseUrl` is set, otherwise the SQLite file at `sqlitePath`. */
export interface OpenStoreOptions {
  databaseUrl?: string | undefined;
  sqlitePath: string;
  /**
   * How long to keep retrying a PostgreSQL server that cannot be reached (default 0: one attempt). A failover or a
   * database started after the bot then delays the start instead of failing it.
   */
  connectMs?: number;
  /** Told about each failed attempt that will be retried, and when. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Told about errors outside any call: a PostgreSQL connection lost while idle in the pool. */
  onError?: (error: unknown) => void;
}

/** PostgreSQL could not be reached in the time given. */
export class StoreUnreachableError extends Error {
  constructor(
    cause: unknown,
    readonly attempts: number,
  ) {
    const tries = attempts === 1 ? 'one attempt' : `${attempts} attempts`;
    super(`cannot reach PostgreSQL (${tries}): ${String((cause as Error)?.message ?? cause)}`, {
      cause,
    });
    this.name = 'StoreUnreachableError';
  }
}

const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 5_000;

/** Errors of reaching the server, worth retrying; others (a refused login, a failed migration) are not. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // SQLSTATE: the server is starting up or shutting down, too many connections, and the connection errors (08...).
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

function unreachable(error: unknown): boolean {
  if (error instanceof MigrationError) return false;
  const code = String((error as { code?: unknown })?.code ?? '');
  if (NETWORK_CODES.has(code) || code.startsWith('08')) return true;
  // pg's own errors for a connection that timed out or was cut have no code.
  return /timeout|Connection terminated/i.test(String((error as Error)?.message ?? ''));
}

/**
 * Opens the configured store and applies pending migrations; a failed migration closes it again. An unreachable
 * PostgreSQL is retried with backoff (0.5 s doubling to 5 s) for `connectMs`; the last error is thrown after that.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const deadline = Date.now() + (options.connectMs ?? 0);
  for (let attempt = 1; ; attempt++) {
    try {
      return await openOnce(options);
    } catch (error) {
      const delayMs = Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), LONGEST_RETRY_MS);
      if (!options.databaseUrl || !unreachable(error)) throw error;
      if (Date.now() + delayMs > deadline) throw new StoreUnreachableError(error, attempt);
      options.onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

async function openOnce(options: OpenStoreOptions): Promise<Store> {
  // The PostgreSQL driver is loaded only when configured: most installs never use it, and it costs start-up time
  // and memory (about 3 MB of heap) in every process that imports it.
  const store = options.databaseUrl
    ? await (await import('./postgres-store.ts')).openPostgresStore(options.databaseUrl, {
        ...(options.onError ? { onError: options.onError } : {}),
      })
    : await openSqliteStore(options.sqlitePath);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
