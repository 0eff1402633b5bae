import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../adapters/server/main.ts';
import { editFile } from '../helpers/catalog.ts';
import { command, startServer, stopServers } from '../helpers/server-in-process.ts';
import { until } from '../helpers/until.ts';

afterEach(stopServers);

describe('the server process', () => {
  it('is alive, ready once Slack listens and the store answers, and exposes Prometheus metrics', async () => {
    const rig = await startServer();
    expect((await fetch(`${rig.health}/healthz`)).status).toBe(200);
    const ready = await fetch(`${rig.health}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { catalog: 'ok', store: 'ok', slack: 'ok' },
    });

    expect(await command(rig, 'tool istio')).toBe(200);
    expect(await command(rig, 'schedule weekdays 09:00')).toBe(200);
    await until(() => rig.fake.responses.length >= 2, 'two answers');
    const metrics = await (await fetch(`${rig.health}/metrics`)).text();
    expect(metrics).toMatch(/orch_commands_total\{command="tool",kind="command",outcome="ok"\} 1/);
    // A member who is not an admin changing the schedule is refused: counted as a user error, not a failure.
    expect(metrics).toMatch(
      /orch_commands_total\{command="schedule",kind="command",outcome="user_error"\} 1/,
    );
    expect(metrics).toMatch(/orch_command_duration_seconds_count\{kind="command"\} 2/);
    // The lookup was computed (a miss); the schedule command never goes through the reply cache.
    expect(metrics).toMatch(/orch_lookup_cache_total\{result="miss"\} 1/);
    expect(metrics).toMatch(/orch_lookup_cache_total\{result="hit"\} 0/);
    expect(metrics).toMatch(/orch_lessons_total\{outcome="posted"\} 0/);
    expect(metrics).toMatch(/orch_platform_connected\{platform="slack"\} 1/);
    expect(metrics).toMatch(/orch_process_resident_memory_bytes \d+/);
  });

  it('answers 503 on /readyz once shutdown begins, drains, and ends with exit code 0', async () => {
    const rig = await startServer();
    const shutdown = rig.server.shutdown('SIGTERM');
    const during = await fetch(`${rig.health}/readyz`).catch(() => null);
    if (during) expect(during.status).toBe(503);
    expect(await shutdown).toBe(0);
    await expect(fetch(`${rig.health}/healthz`)).rejects.toThrow();
  });

  it('reloads an edited catalog, and keeps the last good one when an edit is broken', async () => {
    const rig = await startServer({ ORCH_CATALOG_WATCH: 'off', SLACK_ADMIN_USERS: 'UADMIN' });
    const before = rig.server.runtime.catalog;
    await editFile(rig.catalogDir, 'tools/istio.yaml', (text) =>
      text.replace(/^name: Istio$/m, 'name: Istio Mesh'),
    );
    expect(await command(rig, 'admin reload', 'UADMIN')).toBe(200);
    await until(() => rig.fake.responses.length >= 1, 'an answer');
    expect(JSON.stringify(rig.fake.responses[0]?.body)).toMatch(/Catalog reloaded: \d+ tools/);
    expect(rig.server.runtime.catalog).not.toBe(before);
    expect(rig.server.runtime.catalog.tools.find((t) => t.id === 'istio')?.name).toBe('Istio Mesh');

    const good = rig.server.runtime.catalog;
    await editFile(rig.catalogDir, 'tools/istio.yaml', (text) =>
      text.replace(/^name: .*$/m, 'name: [broken'),
    );
    expect(await command(rig, 'admin reload', 'UADMIN')).toBe(200);
    await until(() => rig.fake.responses.length >= 2, 'two answers');
    const reply = JSON.stringify(rig.fake.responses[1]?.body);
    expect(reply).toMatch(/last good catalog stays in service/);
    expect(reply).toMatch(/tools\/istio\.yaml:\d+/);
    expect(rig.server.runtime.catalog).toBe(good);

    // Not an admin: refused, nothing reloaded.
    expect(await command(rig, 'admin reload', 'U1')).toBe(200);
    await until(() => rig.fake.responses.length >= 3, 'three answers');
    expect(JSON.stringify(rig.fake.responses[2]?.body)).toMatch(/only admins/);
    const metrics = await (await fetch(`${rig.health}/metrics`)).text();
    expect(metrics).toMatch(/orch_catalog_reloads_total\{outcome="ok"\} 1/);
    expect(metrics).toMatch(/orch_catalog_reloads_total\{outcome="rejected"\} 1/);
  });

  it('reloads by itself when a catalog file changes', async () => {
    const rig = await startServer();
    await editFile(rig.catalogDir, 'tools/istio.yaml', (text) =>
      text.replace(/^name: Istio$/m, 'name: Istio Watched'),
    );
    await until(
      () => rig.server.runtime.catalog.tools.find((t) => t.id === 'istio')?.name === 'Istio Watched',
      'the edited catalog to be reloaded',
    );
  });

  it('refuses to start without any platform token, saying which variables to set', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'orch-server-'));
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((text: string) => errors.push(text) > 0) as typeof process.stderr.write;
    try {
      expect(
        await main({ ORCH_DATA_DIR: dataDir, ORCH_ENV_FILE: join(dataDir, 'x.env') }, { signals: false }),
      ).toBe(1);
    } finally {
      process.stderr.write = write;
      await rm(dataDir, { recursive: true, force: true });
    }
    expect(errors.join('')).toMatch(/ORCH_ENV_FILE names .*x\.env, which does not exist/);
  });
});
