// `npm run bench -- pages`: the group page and the calendar feed at 100 requests a second for one group (issue 17),
// over keep-alive HTTP on loopback, so the time is the server's. Each request is a conditional-free GET, as a
// browser's first visit or a calendar's poll after its cache ran out; the feed's ETag path is shown apart. The
// baseline is the floor: a bare node:http server sending the same bytes from memory.

import { mkdtemp } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPageServer } from '../../src/ops/page-server.ts';
import { openSqliteStore } from '../../src/store/sqlite-store.ts';
import { type Catalog, silentLogger } from '../../src/testing.ts';

const KEY = 'slack:T1:CPAGES';
const TOKEN = 'benchbenchbenchbenchbenchbench00';
const RATE = 100;
const SECONDS = 10;
const NOW = Date.parse('2026-12-09T03:00:00Z');
/** The page server's clock: still, so every request is served from what was built, except in the miss row. */
let clock = NOW;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * GETs `url` at RATE a second for SECONDS, each on the schedule (not after the previous answer); latencies in ms.
 * `before` runs just before each request is sent (the miss row moves the page's clock with it).
 */
async function drive(
  url: string,
  headers: Record<string, string> = {},
  before: () => void = () => undefined,
): Promise<{ ms: number[]; statuses: Set<number> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const ms: number[] = [];
  const statuses = new Set<number>();
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    before();
    const t0 = performance.now();
    pending.push(
      new Promise<void>((resolve, reject) => {
        request(url, { agent, headers }, (res) => {
          res.resume();
          res.on('end', () => {
            statuses.add(res.statusCode ?? 0);
            ms.push(performance.now() - t0);
            resolve();
          });
        })
          .on('error', reject)
          .end();
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { ms, statuses };
}

export async function benchPages(catalog: Catalog): Promise<void> {
  const store = await openSqliteStore(join(await mkdtemp(join(tmpdir(), 'orch-bench-pages-')), 'orch.db'));
  await store.migrate();
  await store.updateChannel(
    KEY,
    {
      scheduleText: 'weekdays 09:00',
      cron: '0 9 * * 1-5',
      timeZone: 'Asia/Seoul',
      nextFireAt: NOW + 3_600_000,
    },
    NOW - 86_400_000,
  );
  await store.rotateChannelPageToken(KEY, TOKEN, NOW);
  // The rate limit is per client address, and the whole load comes from one: the bench's own server is given room,
  // as a group behind a proxy would be by the proxy's address (the limit is what is measured elsewhere).
  const pages = await startPageServer({
    port: 0,
    host: '127.0.0.1',
    store,
    catalog: () => catalog,
    defaultLang: 'ko',
    logger: silentLogger,
    now: () => clock,
    limits: { requests: { burst: 10_000, perSecond: 10_000 } },
  });
  const base = `http://127.0.0.1:${pages.port}/c/${TOKEN}`;
  const page = await (await fetch(base)).text();
  const feedResponse = await fetch(`${base}/calendar.ics`);
  const feed = await feedResponse.text();
  const etag = feedResponse.headers.get('etag') ?? '';
  const floor = createServer((req, res) => {
    const body = req.url?.endsWith('.ics') ? feed : page;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  await new Promise<void>((r) => floor.listen(0, '127.0.0.1', r));
  const floorBase = `http://127.0.0.1:${(floor.address() as AddressInfo).port}/c/${TOKEN}`;
  console.log(
    `\npages: ${RATE} GETs a second for ${SECONDS} s each, one group (page ${(page.length / 1024).toFixed(0)} KB, feed ` +
      `${(feed.length / 1024).toFixed(0)} KB); baseline: a bare node:http server sending the same bytes from memory`,
  );
  const rows: [string, string, Record<string, string>?, (() => void)?][] = [
    ['group page', base],
    // The page says when it was made, so it is rebuilt once a minute: moving the clock a minute per request makes
    // every request a miss (the store read again, the HTML built again).
    ['group page, every request rebuilt', base, {}, () => (clock += 60_000)],
    ['calendar feed', `${base}/calendar.ics`],
    ['calendar feed, If-None-Match (304)', `${base}/calendar.ics`, { 'if-none-match': etag }],
    ['baseline: the page from memory', floorBase],
    ['baseline: the feed from memory', `${floorBase}/calendar.ics`],
  ];
  for (const [label, url, headers, before] of rows) {
    const { ms, statuses } = await drive(url, headers, before);
    const p99 = percentile(ms, 99);
    const target = label.startsWith('baseline') ? '' : ` (target <= 20 ms: ${p99 <= 20 ? 'PASS' : 'FAIL'})`;
    console.log(
      `  ${label.padEnd(36)} p50 ${percentile(ms, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms${target}; ` +
        `status ${[...statuses].join('/')}`,
    );
  }
  await pages.close();
  floor.close();
  await store.close();
}
