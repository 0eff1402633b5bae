import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type RunningServer } from '../../adapters/server/main.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import {
  dropSchema,
  POSTGRES_REQUIRED,
  postgresAvailable,
  TEST_DATABASE_URL,
  testSchemaName,
} from '../helpers/postgres.ts';
import { until } from '../helpers/until.ts';

const available = await postgresAvailable();
if (!available && !POSTGRES_REQUIRED)
  console.warn('skipping the Discord sharding suite: no PostgreSQL at', TEST_DATABASE_URL);

describe.skipIf(!available && !POSTGRES_REQUIRED)('Discord with a fixed shard count', () => {
  let fake: FakeDiscord;
  let server: RunningServer | undefined;
  let dataDir: string;
  const schema = testSchemaName();
  const exits: number[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord();
    dataDir = await mkdtemp(join(tmpdir(), 'orch-shards-'));
    await writeFile(join(dataDir, 'test.env'), '');
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.end();
    const code = await main(
      {
        DISCORD_TOKEN: 'shard-test-token',
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
        DISCORD_SHARDS: '2',
        DISCORD_SHARD_SPAWN_DELAY_MS: '0',
        DATABASE_URL: `${TEST_DATABASE_URL}?options=-c%20search_path%3D${schema}`,
        ORCH_HEALTH_PORT: '0',
        ORCH_DATA_DIR: dataDir,
        ORCH_ENV_FILE: join(dataDir, 'test.env'),
        ORCH_LOG_LEVEL: 'silent',
        ORCH_CATALOG_WATCH: 'off',
        ORCH_DEFAULT_LANG: 'en',
      },
      { signals: false, exit: (c) => exits.push(c), onReady: (s) => (server = s) },
    );
    expect(code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await server?.shutdown('test over');
    await fake?.close();
    await rm(dataDir, { recursive: true, force: true });
    await dropSchema(TEST_DATABASE_URL, schema).catch(() => undefined);
  }, 30_000);

  it('runs one process per shard, each identifying as its shard, and is ready once both are', async () => {
    const health = `http://127.0.0.1:${server?.health?.port}`;
    await until(() => fake.identifies.length >= 2, 'two IDENTIFYs', 30_000);
    const shards = fake.identifies.map((d) => (d as { shard?: number[] }).shard);
    expect(shards.sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    await until(async () => (await fetch(`${health}/readyz`)).status === 200, '/readyz 200', 30_000);
    const ready = await (await fetch(`${health}/readyz`)).json();
    expect(ready).toMatchObject({ checks: { discord: 'ok', store: 'ok' } });

    // The gateway session the fake treats as live belongs to one shard process; it answers from its own core.
    const callback = await fake.interact(
      fake.slashCommandInteraction({ subcommand: 'tool', options: { name: 'istio' } }),
      { timeoutMs: 20_000 },
    );
    expect(JSON.stringify(callback.data)).toContain('Istio');
    // Its metrics reach the supervising process's /metrics over IPC.
    await until(
      async () =>
        /orch_commands_total\{command="tool",kind="command",outcome="ok"\} 1/.test(
          await (await fetch(`${health}/metrics`)).text(),
        ),
      "the shard's command in /metrics",
      30_000,
    );
  }, 60_000);

  it('shuts every shard process down gracefully', async () => {
    const running = server as RunningServer;
    const { manager } = running.platforms[0] as unknown as {
      manager: { shards: Map<number, { process: import('node:child_process').ChildProcess | null }> };
    };
    const children = [...manager.shards.values()].map((shard) => shard.process);
    expect(children).toHaveLength(2);
    const exited = children.map(
      (child) => new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code))),
    );
    expect(await running.shutdown('SIGTERM')).toBe(0);
    expect(await Promise.all(exited)).toEqual([0, 0]);
    server = undefined;
  }, 30_000);
});
