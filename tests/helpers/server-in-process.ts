import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main, type RunningServer } from '../../adapters/server/main.ts';
import { type FakeSlack, signSlackRequest, slashCommandBody, startFakeSlack } from '../fakes/slack.ts';
import { catalogCopy } from './catalog.ts';

const SECRET = 'server-test-secret';

export interface ServerRig {
  fake: FakeSlack;
  server: RunningServer;
  health: string;
  events: string;
  catalogDir: string;
  exits: number[];
}

const started: { fake: FakeSlack; server?: RunningServer; dirs: string[] }[] = [];

/** Shuts down every server started since the last call, with its fake Slack and folders (for `afterEach`). */
export async function stopServers(): Promise<void> {
  for (const rig of started.splice(0)) {
    await rig.server?.shutdown('test over');
    await rig.fake.close();
    for (const dir of rig.dirs) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The whole server process in this test's process: real Bolt in HTTP mode against the fake Slack (where UADMIN is
 * a workspace admin), real SQLite in a folder of its own, a copy of the catalog; `extra` variables on top.
 */
export async function startServer(extra: Record<string, string> = {}): Promise<ServerRig> {
  const fake = await startFakeSlack({ users: [{ id: 'UADMIN', name: 'admin', is_admin: true }] });
  const dataDir = await mkdtemp(join(tmpdir(), 'orch-server-'));
  const catalogDir = await catalogCopy();
  const entry: (typeof started)[number] = { fake, dirs: [dataDir, catalogDir] };
  // An empty dotenv file, so a developer's own .env cannot change the test.
  await writeFile(join(dataDir, 'test.env'), '');
  started.push(entry);
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

/** `/orch <text>` from `user`, signed as Slack signs it, to the server's request URL; resolves with the status. */
export async function command(rig: ServerRig, text: string, user = 'U1'): Promise<number> {
  const body = slashCommandBody({ text, user_id: user, response_url: rig.fake.responseUrl() });
  const response = await fetch(rig.events, {
    method: 'POST',
    body,
    headers: signSlackRequest(SECRET, body) as unknown as Record<string, string>,
  });
  return response.status;
}
