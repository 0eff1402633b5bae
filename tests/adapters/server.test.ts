import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type RunningServer } from '../../adapters/server/main.ts';
import { type FakeSlack, signSlackRequest, slashCommandBody, startFakeSlack } from '../fakes/slack.ts';
import { catalogCopy, editFile } from '../helpers/catalog.ts';
import { until } from '../helpers/until.ts';

const SECRET = 'server-test-secret';

interface Rig {
  fake: FakeSlack;
  server: RunningServer;
  health: string;
  events: string;
  catalogDir: string;
  exits: number[];
}

const rigs: { fake: FakeSlack; server?: RunningServer; dirs: string[] }[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    await rig.server?.shutdown('test over');
    await rig.fake.close();
    for (const dir of rig.dirs) await rm(dir, { recursive: true, force: true });
  }
});

/** The whole server process in this test's process: real Bolt in HTTP mode against the fake Slack, real SQLite. */
async function startServer(extra: Record<string, string> = {}): Promise<Rig> {
  const fake = await startFakeSlack({ users: [{ id: 'UADMIN', name: 'admin', is_admin: true }] });
  const dataDir = await mkdtemp(join(tmpdir(), 'orch-server-'));
  const catalogDir = await catalogCopy();
  const entry: (typeof rigs)[number] = { fake, dirs: [dataDir, catalogDir] };
  // An empty dotenv file, so a developer's own .env cannot change the test.
  await writeFile(join(dataDir, 'test.env'), '');
  rigs.push(entry);
  const exits: number[] = [];
  let ready: RunningServer | undefined;
  const code = await main(
    {
      SLACK_BOT_TOKEN: 'xoxb-server-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_MODE: 'http',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      ORCH_HEALTH_PORT: '0',
      ORCH_DATA_DIR: dataDir,
      ORCH_CATALOG_DIR: catalogDir,
      ORCH_LOG_LEVEL: 'silent',
      ORCH_DEFAULT_LANG: 'en',
      ORCH_ENV_FILE: join(dataDir, 'test.env'),
      ...extra,
    },
    { signals: false, exit: (c) => exits.push(c), onReady: (s) => (ready = s) },
  );
  expect(code).toBe(0);
  const server = ready as RunningServer;
  entry.server = server;
  const slack = server.platforms[0] as unknown as { httpPort(): number };
  return {
    fake,
    server,
    health: `http://127.0.0.1:${server.health?.port}`,
    events: `http://127.0.0.1:${slack.httpPort()}/slack/events`,
    catalogDir,
    exits,
  };
}

async function command(rig: Rig, text: string, user = 'U1'): Promise<number> {
  const body = slashCommandBody({ text, user_id: user, response_url: rig.fake.responseUrl() });
  const response = await fetch(rig.events, {
    method: 'POST',
    body,
    headers: signSlackRequest(SECRET, body) as unknown as Record<string, string>,
  });
  return response.status;
}

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
