import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type RunningServer } from '../../adapters/server/main.ts';
import { type FakeSlack, signSlackRequest, slashCommandBody, startFakeSlack } from '../fakes/slack.ts';
import { catalogCopy, editFile } from '../helpers/catalog.ts';
import { writeGeneratedTools } from '../helpers/generated-catalog.ts';
import { until } from '../helpers/until.ts';

const SECRET = 'server-reload-secret';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The server process in this test's process (Bolt over HTTP against the fake Slack, SQLite), the watcher off. */
async function startServer() {
  const fake = await startFakeSlack();
  cleanup.push(() => fake.close());
  const dataDir = await mkdtemp(join(tmpdir(), 'orch-server-reload-'));
  const catalogDir = await catalogCopy();
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  cleanup.push(() => rm(catalogDir, { recursive: true, force: true }));
  await writeFile(join(dataDir, 'test.env'), '');
  let server: RunningServer | undefined;
  const code = await main(
    {
      SLACK_BOT_TOKEN: 'xoxb-server-reload',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_MODE: 'http',
      SLACK_API_URL: fake.apiUrl,
      SLACK_ADMIN_USERS: 'UADMIN',
      PORT: '0',
      ORCH_HEALTH_PORT: '0',
      ORCH_DATA_DIR: dataDir,
      ORCH_CATALOG_DIR: catalogDir,
      ORCH_CATALOG_WATCH: 'off',
      ORCH_LOG_LEVEL: 'silent',
      ORCH_DEFAULT_LANG: 'en',
      ORCH_ENV_FILE: join(dataDir, 'test.env'),
    },
    { signals: false, exit: () => undefined, onReady: (s) => (server = s) },
  );
  expect(code).toBe(0);
  const running = server as RunningServer;
  cleanup.push(() => running.shutdown('test over'));
  const slack = running.platforms[0] as unknown as { httpPort(): number };
  const events = `http://127.0.0.1:${slack.httpPort()}/slack/events`;
  const health = `http://127.0.0.1:${running.health?.port}`;
  const command = async (text: string, user = 'U1'): Promise<number> => {
    const body = slashCommandBody({ text, user_id: user, response_url: fake.responseUrl() });
    const response = await fetch(events, {
      method: 'POST',
      body,
      headers: signSlackRequest(SECRET, body) as unknown as Record<string, string>,
    });
    return response.status;
  };
  return { fake, server: running, catalogDir, health, command };
}

/** Sends `/orch admin reload` and waits for its answer, watching the event loop and /healthz meanwhile. */
async function reloadWatched(rig: Awaited<ReturnType<typeof startServer>>, fake: FakeSlack) {
  const answered = fake.responses.length;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let healthy = 0;
  let done = false;
  const probing = (async () => {
    while (!done) {
      if ((await fetch(`${rig.health}/healthz`)).status === 200) healthy++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  expect(await rig.command('admin reload', 'UADMIN')).toBe(200);
  const reply = await until(() => fake.responses[answered], 'the reload to answer', 60_000);
  done = true;
  await probing;
  delay.disable();
  return { reply: JSON.stringify(reply.body), maxDelayMs: delay.max / 1e6, healthy };
}

describe('a catalog reload in the server process', () => {
  it('keeps answering while it reads, checks and indexes thousands of new tool files', async () => {
    const rig = await startServer();
    await writeGeneratedTools(rig.catalogDir, 3000);
    const { reply, maxDelayMs, healthy } = await reloadWatched(rig, rig.fake);
    expect(reply).toMatch(/Catalog reloaded: 3015 tools/);
    expect(rig.server.runtime.catalog.tools).toHaveLength(3015);
    expect(healthy).toBeGreaterThan(0);
    // Generating quiz distractors by shuffling every tool for every tool held the loop for seconds at 3,000 tools
    // (minutes at 10,000); now no step of the reload holds it for more than a fraction of a second.
    expect(maxDelayMs).toBeLessThan(2000);
    // A command sent after the reload is answered from the new catalog.
    const before = rig.fake.responses.length;
    expect(await rig.command('tool generated-00042')).toBe(200);
    const answer = await until(() => rig.fake.responses[before], 'an answer');
    expect(JSON.stringify(answer.body)).toMatch(/Generated 42/);
  });

  it('answers a reload of a file with 30,000 unknown keys with the first problems and the count of the rest', async () => {
    const rig = await startServer();
    const good = rig.server.runtime.catalog;
    await editFile(
      rig.catalogDir,
      'tools/istio.yaml',
      (t) => `${t}${Array.from({ length: 30_000 }, (_, i) => `extra${i}: ${i}\n`).join('')}`,
    );
    const { reply, maxDelayMs } = await reloadWatched(rig, rig.fake);
    expect(reply).toMatch(/The catalog has 30000 problems, so the last good catalog stays in service/);
    expect(reply).toMatch(/tools\/istio\.yaml:\d+: unknown field \\"extra0\\"/);
    expect(reply).toMatch(/… \+29990/);
    expect(reply.length).toBeLessThan(4000);
    // Placing each unknown key by scanning its map held the loop for half a minute here.
    expect(maxDelayMs).toBeLessThan(2000);
    expect(rig.server.runtime.catalog).toBe(good);
  });
});
