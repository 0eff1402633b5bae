import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeSlack } from '../fakes/slack.ts';
import { editFile } from '../helpers/catalog.ts';
import { writeGeneratedTools } from '../helpers/generated-catalog.ts';
import { command, type ServerRig, startServer, stopServers } from '../helpers/server-in-process.ts';
import { until } from '../helpers/until.ts';

afterEach(stopServers);

/** The catalog watcher off, so only `/orch admin reload` (from UADMIN) reloads. */
const RELOAD_BY_COMMAND = { ORCH_CATALOG_WATCH: 'off', SLACK_ADMIN_USERS: 'UADMIN' };

/** Sends `/orch admin reload` and waits for its answer, watching the event loop and /healthz meanwhile. */
async function reloadWatched(rig: ServerRig, fake: FakeSlack) {
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
  expect(await command(rig, 'admin reload', 'UADMIN')).toBe(200);
  const reply = await until(() => fake.responses[answered], 'the reload to answer', 60_000);
  done = true;
  await probing;
  delay.disable();
  return { reply: JSON.stringify(reply.body), maxDelayMs: delay.max / 1e6, healthy };
}

describe('a catalog reload in the server process', () => {
  it('keeps answering while it reads, checks and indexes thousands of new tool files', async () => {
    const rig = await startServer(RELOAD_BY_COMMAND);
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
    expect(await command(rig, 'tool generated-00042')).toBe(200);
    const answer = await until(() => rig.fake.responses[before], 'an answer');
    expect(JSON.stringify(answer.body)).toMatch(/Generated 42/);
  });

  it('answers a reload of a file with 30,000 unknown keys with the first problems and the count of the rest', async () => {
    const rig = await startServer(RELOAD_BY_COMMAND);
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
