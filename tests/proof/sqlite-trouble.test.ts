/**
 * SQLite trouble seen by the running server: a read-only database file, the file deleted under the running process,
 * and a start after the file was deleted. /readyz must say not ready (the probe is a write), the log must name the
 * path, and a start must refuse to begin empty where a database existed before.
 */
import { chmod, chown, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/testing.ts';
import { startFakeSlack } from '../fakes/slack.ts';
import { until } from '../helpers/until.ts';
import { type ServerProcess, slackServerEnv, spawnServer, statusOf } from './server-process.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

// Root writes through any file mode, so as root the server runs as nobody for the read-only case.
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : null;

async function setUp() {
  const fake = await startFakeSlack({ teamId: 'T1' });
  cleanups.push(() => fake.close());
  const dataDir = await mkdtemp(join(tmpdir(), 'orch-sqlite-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const start = async (user: { uid: number; gid: number } | null = null) => {
    const server = await spawnServer(slackServerEnv(fake.apiUrl, dataDir), user);
    cleanups.push(() => server.kill());
    return server;
  };
  return { dataDir, dbFile: join(dataDir, 'orch.db'), start };
}

async function readyBody(server: ServerProcess): Promise<{ status: number; store: string }> {
  const response = await fetch(`${server.health}/readyz`);
  const body = (await response.json()) as { checks: Record<string, string> };
  return { status: response.status, store: body.checks.store ?? '' };
}

describe('SQLite trouble in the running server', () => {
  it('reports a read-only database file as not ready, naming the file', async () => {
    const { dataDir, dbFile, start } = await setUp();
    // A database with data, as a previous run left it; then made read-only.
    const store = await openStore({ sqlitePath: dbFile });
    await store.updateChannel('slack:T1:C1', { lang: 'en' }, 0);
    await store.close();
    if (NOBODY) await chown(dataDir, NOBODY.uid, NOBODY.gid);
    await chmod(dbFile, 0o444);
    const server = await start(NOBODY);
    await server.ready();
    const ready = await readyBody(server);
    expect(ready.status, server.output()).toBe(503);
    expect(ready.store).toMatch(/readonly/);
    expect(ready.store).toContain(dbFile);
    const line = server.logLine(/the store is not ready/);
    expect(JSON.stringify(line)).toContain(dbFile);
  }, 60_000);

  it('notices the file deleted under it (not ready, the path logged), and refuses to start empty afterwards', async () => {
    const { dbFile, start } = await setUp();
    const server = await start();
    await server.ready();
    expect(await statusOf(`${server.health}/readyz`)).toBe(200);

    await unlink(dbFile);
    const ready = await until(async () => {
      const body = await readyBody(server);
      return body.status === 503 && body;
    }, '/readyz to say not ready');
    expect(ready.store).toMatch(/was deleted while the bot was running/);
    expect(ready.store).toContain(dbFile);
    expect(JSON.stringify(server.logLine(/the store is not ready/))).toContain(dbFile);
    server.signal('SIGTERM');
    await server.exited;

    // The next start finds no database where the marker says one was: it refuses instead of starting empty.
    const next = await start();
    await expect(next.ready()).rejects.toThrow(/did not start/);
    expect((await next.exited).code).toBe(1);
    expect(next.output()).toContain(`the SQLite database ${dbFile} is missing`);
    expect(next.output()).toMatch(/Restore the file from a backup/);
    expect(next.output()).toContain(`delete ${dbFile}.created`);
  }, 90_000);
});
