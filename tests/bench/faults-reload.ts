// Faults: a catalog reload of 10,000 tool files while members use the bot (issue 11, item 7).
//
// The real server process (Slack HTTP mode against the fake Slack, from the sources through tsx) starts on a copy of
// the catalog plus 10,000 generated tool files, with the file watcher on. A steady open-loop stream of signed
// `/orch` commands runs; a tool file is touched, the watcher starts a reload, and the acks of the commands sent while
// it runs are timed. Slack gives up on an ack after 3 s; the target is p99 under 1 s.
import { cp, mkdtemp, rm, utimes } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slashCommandBody, startFakeSlack } from '../fakes/slack.ts';
import { CATALOG_DIR } from '../helpers/catalog.ts';
import { generatedTool, writeGeneratedTools } from '../helpers/generated-catalog.ts';
import {
  freePort,
  MODES,
  machine,
  metric,
  msText,
  percentile,
  readyz,
  scrape,
  send,
  slackEnv,
  spawnServer,
  stopServer,
  table,
} from './load.ts';

const TOOLS = 10_000;
const RATE = 20;
const TARGET_P99_MS = 1000;
/** Commands keep coming this long before the touch and after the reload, to see the process calm on both sides. */
const MARGIN_MS = 2000;
const RELOAD_LIMIT_MS = 60_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function benchReload(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'orch-bench-reload-'));
  const catalogDir = join(scratch, 'catalog');
  await cp(CATALOG_DIR, catalogDir, { recursive: true });
  await writeGeneratedTools(catalogDir, TOOLS);
  console.log(
    `\nfaults: reload of ${TOOLS.toLocaleString('en')} tool files with the watcher on, ${RATE} signed /orch commands/s meanwhile` +
      `\n  server: ${MODES.tsx.command}; catalog ${catalogDir}\n  ${machine()}`,
  );

  const fake = await startFakeSlack();
  const port = await freePort();
  const healthPort = await freePort();
  const child = spawnServer(MODES.tsx, {
    ...slackEnv(fake, port, healthPort),
    ORCH_DATA_DIR: scratch,
    ORCH_CATALOG_DIR: catalogDir,
    ORCH_CATALOG_WATCH: 'on',
  });
  try {
    const readyMs = await readyz(child, healthPort, 120_000);
    const reloads = async () =>
      metric(await scrape(healthPort), 'orch_catalog_reloads_total', { outcome: 'ok' }) ?? 0;
    const url = new URL(`http://127.0.0.1:${port}/slack/events`);
    const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, timeout: 4000 });
    const samples: { at: number; ms: number; status: number }[] = [];
    const pending: Promise<void>[] = [];
    let sending = true;
    const stream = (async () => {
      const t0 = performance.now();
      for (let i = 0; sending; i++) {
        const due = t0 + (i * 1000) / RATE;
        await sleep(due - performance.now());
        const at = performance.now();
        const body = slashCommandBody({
          text: i % 2 === 0 ? 'tool istio' : 'search service mesh',
          user_id: `U${i % 50}`,
          response_url: fake.responseUrl(),
        });
        pending.push(
          send(url, agent, body).then((r) => void samples.push({ at, ms: r.ms, status: r.status })),
        );
      }
    })();

    await sleep(MARGIN_MS);
    const before = await reloads();
    const touchedAt = performance.now();
    const touched = join(catalogDir, 'tools', `${generatedTool(0).id}.yaml`);
    await utimes(touched, new Date(), new Date());
    let doneAt = Number.NaN;
    while (performance.now() - touchedAt < RELOAD_LIMIT_MS) {
      if ((await reloads()) > before) {
        doneAt = performance.now();
        break;
      }
      await sleep(100);
    }
    await sleep(MARGIN_MS);
    sending = false;
    await stream;
    await Promise.all(pending);
    agent.destroy();
    const stopped = await stopServer(child);

    const end = Number.isNaN(doneAt) ? performance.now() : doneAt;
    const during = samples.filter((s) => s.at >= touchedAt && s.at <= end);
    const times = during.map((s) => s.ms).sort((a, b) => a - b);
    const errors = during.filter((s) => s.status !== 200).length;
    const p99 = percentile(times, 99);
    console.log(
      table(
        ['figure', 'value', 'target'],
        [
          ['server start to ready (10,000 tools)', msText(readyMs), ''],
          [
            'touch to reloaded (300 ms debounce included)',
            Number.isNaN(doneAt) ? `not within ${RELOAD_LIMIT_MS / 1000} s` : msText(doneAt - touchedAt),
            '',
          ],
          ['commands sent during the reload', String(during.length), ''],
          ['  ack p50', msText(percentile(times, 50)), ''],
          ['  ack p99', msText(p99), `< ${msText(TARGET_P99_MS)} ${p99 < TARGET_P99_MS ? 'ok' : 'MISSED'}`],
          ['  ack max', msText(times[times.length - 1] ?? 0), '< 3000 ms (Slack gives up)'],
          ['  errors (non-200, no ack in 3 s)', String(errors), '0'],
          ['shutdown exit code', String(stopped.code), '0'],
        ],
      ),
    );
  } finally {
    if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
    await fake.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
