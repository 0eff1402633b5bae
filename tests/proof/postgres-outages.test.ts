/**
 * PostgreSQL away at the wrong moment, with a private cluster (never the machine's shared server): connections lost
 * under an idle pool are logged and counted; a server that comes up after the bot is waited for (/healthz alive,
 * /readyz not ready) instead of a crash loop; one that never comes up ends the start with a clear message.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../fakes/slack.ts';
import { POSTGRES_REQUIRED } from '../helpers/postgres.ts';
import { until } from '../helpers/until.ts';
import { postgresBinaries, startPrivatePostgres } from './private-postgres.ts';
import { metric } from './rig.ts';
import { freePort, slackServerEnv, spawnServer, statusOf } from './server-process.ts';

const SKIP = postgresBinaries() === null && !POSTGRES_REQUIRED;
const NOTE = SKIP ? ' [SKIPPED: no PostgreSQL binaries under /usr/lib/postgresql/*/bin]' : '';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setUp(databaseUrl: string, extra: Record<string, string> = {}) {
  const fake = await startFakeSlack({ teamId: 'T1' });
  cleanups.push(() => fake.close());
  const dataDir = await mkdtemp(join(tmpdir(), 'orch-pg-outage-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const server = await spawnServer(
    slackServerEnv(fake.apiUrl, dataDir, { DATABASE_URL: databaseUrl, ...extra }),
  );
  cleanups.push(() => server.kill());
  return server;
}

async function cluster() {
  const pg = await startPrivatePostgres();
  cleanups.push(() => pg.destroy());
  return pg;
}

describe.skipIf(SKIP)(`PostgreSQL outages around the server process${NOTE}`, () => {
  it('logs and counts a connection lost under an idle pool', async () => {
    const pg = await cluster();
    const server = await setUp(pg.url);
    await server.ready();
    // The readiness write leaves a connection idle in the pool.
    expect(await statusOf(`${server.health}/readyz`)).toBe(200);
    await pg.stop();
    const line = await until(
      () => server.logLine(/connection was lost while idle/),
      'the lost connection logged',
    );
    expect(line, server.output()).toMatchObject({ level: 'error', component: 'store' });
    expect(JSON.stringify(line)).toMatch(/"err":\{/);
    const metrics = await (await fetch(`${server.health}/metrics`)).text();
    expect(metric(metrics, 'orch_errors_total', { component: 'store' })).toBeGreaterThanOrEqual(1);
    expect(server.alive).toBe(true);
  }, 90_000);

  it('waits for a PostgreSQL that starts after the bot: alive, not ready, then ready without a restart', async () => {
    const pg = await cluster();
    await pg.stop();
    const server = await setUp(pg.url, { ORCH_STORE_CONNECT_SECONDS: '120' });
    await until(async () => (await statusOf(`${server.health}/healthz`)) === 200, '/healthz to answer');
    expect(await statusOf(`${server.health}/readyz`)).toBe(503);
    await until(() => server.logLine(/cannot reach PostgreSQL yet/), 'a retry to be logged');
    expect(server.alive).toBe(true);
    await pg.start();
    await server.ready(60_000);
    expect(await statusOf(`${server.health}/readyz`)).toBe(200);
    expect(server.alive).toBe(true);
    expect(server.notJson()).toEqual([]);
  }, 120_000);

  it('ends the start with a clear message when PostgreSQL never comes within ORCH_STORE_CONNECT_SECONDS', async () => {
    const port = await freePort();
    const server = await setUp(`postgres://postgres@127.0.0.1:${port}/postgres`, {
      ORCH_STORE_CONNECT_SECONDS: '4',
    });
    await until(async () => (await statusOf(`${server.health}/healthz`)) === 200, '/healthz to answer');
    expect(await statusOf(`${server.health}/readyz`)).toBe(503);
    const exit = await server.exited;
    expect(exit.code).toBe(1);
    expect(server.output()).toMatch(/cannot reach PostgreSQL \(\d+ attempts\): .*ECONNREFUSED/);
    expect(server.output()).toContain('gave up after ORCH_STORE_CONNECT_SECONDS=4');
  }, 60_000);
});
