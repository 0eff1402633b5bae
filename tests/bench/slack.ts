// The Slack half of `npm run bench`: signed `/orch` slash commands over loopback to orch's Slack app in HTTP
// mode (the real Bolt receiver, a SQLite store in a temp file, the curated catalog with the landscape), side by side
// in the same run with a bare Bolt app that only acks. orch takes two kinds of traffic: `/orch istio` over and over,
// which its reply cache answers (hits), and texts rotating over the landscape's names and queries never seen before
// (misses); the counts of each, from the bot's own lookup-cache hook, are printed beside the figures. The load generator and the fake Slack (Web API and response_url) run in a child process of their
// own, so the process under test holds nothing but the two apps; this file is that child too, when forked with
// ORCH_BENCH_SLACK_CHILD set.
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '@slack/bolt';
import { createSlackApp } from '../../adapters/slack/app.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import type { SlackConfig } from '../../src/index.ts';
import { type Catalog, createBot, noMetrics, openStore, silentLogger } from '../../src/testing.ts';
import { slashCommandBody, startFakeSlack } from '../fakes/slack.ts';
import { rotatingLookups } from './lookup-texts.ts';
import { postSigned } from './signed-post.ts';
import { startWorkerProcess, type WorkerAnswer } from './worker-process.ts';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const CHILD_FLAG = 'ORCH_BENCH_SLACK_CHILD';
const WARM_UP = 300;
const REQUESTS = 2000;
const CONCURRENCY = 32;
const MAX_ROUNDS = 3;
const RATE = 100;
const RATE_SECONDS = 10;
const REQUEST_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 10_000;
// Every request in the run comes from a member of its own, known to the fake's users.info.
const MEMBERS = 3 * (WARM_UP + MAX_ROUNDS * REQUESTS + RATE * RATE_SECONDS);
/** Rotating texts: more than every rotating request of a run, so none repeats. */
const ROTATION = 2 * (WARM_UP + MAX_ROUNDS * REQUESTS + RATE * RATE_SECONDS);

// ---------------------------------------------------------------------------------------------------------
// The protocol between the bench and its load generator

type Job =
  /** Closed loop: `concurrency` senders, each sending its next request when its last one was acked. */
  | { op: 'closed'; url: string; tag: string; count: number; concurrency: number; texts: Texts }
  /** Open loop: one request every 1000/rate ms on schedule, whether or not earlier ones were acked. */
  | { op: 'open'; url: string; tag: string; count: number; rate: number; texts: Texts }
  /** The texts to rotate over (the parent has the catalog). */
  | { op: 'texts'; rotating: string[] }
  /** Waits (bounded) until `expected` response_url answers tagged `tag` arrived; counts them. */
  | { op: 'answers'; tag: string; expected: number; timeoutMs: number }
  | { op: 'stop' };

/** `istio` every time (the reply cache answers), or the next text of the rotation (the cache cannot). */
type Texts = 'istio' | 'rotating';

interface Load {
  count: number;
  /** Responses other than 200, and requests that failed or timed out. */
  errors: number;
  /** Epoch ms of the first send, to time the answers against. */
  startedAt: number;
  elapsedMs: number;
  /** How fast requests were sent (open loop) or acked (closed loop). */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

interface Answers {
  count: number;
  /** Epoch ms of the last answer (0 when none). */
  lastAt: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

// ---------------------------------------------------------------------------------------------------------
// The child: fake Slack and load generator

async function runLoadGenerator(): Promise<void> {
  const fake = await startFakeSlack({
    users: Array.from({ length: MEMBERS }, (_, i) => ({ id: member(i), name: `member${i}` })),
  });
  let next = 0;
  let rotating: string[] = [];
  let nextRotating = 0;

  /** One signed slash command; resolves with the HTTP status (0 on failure) and the ack latency. */
  const send = (
    url: URL,
    agent: Agent,
    tag: string,
    texts: Texts,
  ): Promise<{ status: number; ms: number }> => {
    const i = next++;
    const body = slashCommandBody({
      text: texts === 'istio' ? 'istio' : (rotating[nextRotating++ % rotating.length] ?? 'istio'),
      user_id: member(i),
      user_name: `member${i}`,
      channel_id: `C${i % 50}`,
      response_url: fake.responseUrl(`${tag}:${i}`),
    });
    return postSigned(url, agent, SECRET, body, REQUEST_TIMEOUT_MS);
  };

  const summarize = (
    samples: { status: number; ms: number }[],
    startedAt: number,
    elapsedMs: number,
  ): Load => {
    const times = samples.map((s) => s.ms).sort((a, b) => a - b);
    return {
      count: samples.length,
      errors: samples.filter((s) => s.status !== 200).length,
      startedAt,
      elapsedMs,
      perSecond: (samples.length / elapsedMs) * 1000,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      max: times[times.length - 1] ?? 0,
    };
  };

  const run = async (job: Job): Promise<unknown> => {
    if (job.op === 'closed') {
      const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
      const samples: { status: number; ms: number }[] = [];
      let issued = 0;
      const startedAt = Date.now();
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: job.concurrency }, async () => {
          while (issued < job.count) {
            issued += 1;
            samples.push(await send(new URL(job.url), agent, job.tag, job.texts));
          }
        }),
      );
      const elapsed = performance.now() - t0;
      agent.destroy();
      return summarize(samples, startedAt, elapsed);
    }
    if (job.op === 'open') {
      // No socket limit: a slow ack must not hold the next request back, or the loop would close again.
      const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
      const sent: Promise<{ status: number; ms: number }>[] = [];
      const startedAt = Date.now();
      const t0 = performance.now();
      for (let i = 0; i < job.count; i++) {
        const wait = t0 + (i * 1000) / job.rate - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        sent.push(send(new URL(job.url), agent, job.tag, job.texts));
      }
      const sendingMs = performance.now() - t0;
      const samples = await Promise.all(sent);
      agent.destroy();
      // The rate reported is the rate the requests went out at (one interval fewer than requests).
      return { ...summarize(samples, startedAt, sendingMs), perSecond: ((job.count - 1) / sendingMs) * 1000 };
    }
    if (job.op === 'texts') {
      rotating = job.rotating;
      return rotating.length;
    }
    if (job.op === 'answers') {
      const count = (): Answers => {
        const mine = fake.responses.filter((r) => r.id.startsWith(`${job.tag}:`));
        return { count: mine.length, lastAt: Math.max(0, ...mine.map((r) => r.at)) };
      };
      const deadline = Date.now() + job.timeoutMs;
      while (count().count < job.expected && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      return count();
    }
    await fake.close();
    return null;
  };

  process.on('message', (message: { seq: number; job: Job }) => {
    run(message.job).then(
      (value) => {
        process.send?.({ seq: message.seq, ok: true, value } satisfies WorkerAnswer);
        if (message.job.op === 'stop') process.disconnect();
      },
      (error: unknown) =>
        process.send?.({ seq: message.seq, ok: false, error: String(error) } satisfies WorkerAnswer),
    );
  });
  process.send?.({ ready: true, apiUrl: fake.apiUrl });
}

function member(i: number): string {
  return `UM${String(i).padStart(6, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------
// The parent: the two apps under test

interface Generator {
  apiUrl: string;
  run(job: Extract<Job, { op: 'closed' | 'open' }>): Promise<Load>;
  texts(rotating: string[]): Promise<unknown>;
  answers(tag: string, expected: number): Promise<Answers>;
  stop(): Promise<void>;
}

async function startGenerator(): Promise<Generator> {
  const worker = await startWorkerProcess<{ apiUrl: string }, Job>(
    import.meta.url,
    CHILD_FLAG,
    'load generator',
  );
  return {
    apiUrl: worker.ready.apiUrl,
    run: (job) => worker.ask(job) as Promise<Load>,
    texts: (rotating) => worker.ask({ op: 'texts', rotating }),
    answers: (tag, expected) =>
      worker.ask({ op: 'answers', tag, expected, timeoutMs: DRAIN_TIMEOUT_MS }) as Promise<Answers>,
    stop: () => worker.stop({ op: 'stop' }),
  };
}

async function listen(app: App): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = (await app.start({ port: 0, host: '127.0.0.1' } as never)) as unknown as Server;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    stop: async () => {
      server.closeAllConnections();
      await app.stop();
    },
  };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const msText = (value: number): string => `${value.toFixed(2)} ms`;

/** Runs both apps under the same load, one after the other, and prints the table. */
export async function benchSlack(catalog: Catalog): Promise<void> {
  const names = catalog.tools.filter((t) => t.source === 'landscape').map((t) => t.name);
  const rotating = rotatingLookups(names.length > 0 ? names : catalog.tools.map((t) => t.name), ROTATION);
  console.log(
    `\nslack: signed \`/orch\` slash commands over loopback, HTTP mode, ${catalog.tools.length} tools (${names.length} from the landscape);` +
      " orch's Slack app beside a bare Bolt app that only acks (both with Bolt's conversation store off, as orch runs it)" +
      `\n  orch takes \`/orch istio\` (reply-cache hits) and, separately, texts rotating over ${names.length} landscape names, typos, questions and made-up words (misses)`,
  );
  const generator = await startGenerator();
  await generator.texts(rotating);
  const dir = await mkdtemp(join(tmpdir(), 'orch-bench-slack-'));
  const store = await openStore({ sqlitePath: join(dir, 'slack.db') });
  const stops: (() => Promise<void>)[] = [];
  try {
    const config: SlackConfig = {
      botToken: TOKEN,
      signingSecret: SECRET,
      mode: 'http',
      appToken: null,
      port: 0,
      apiUrl: generator.apiUrl,
      adminUsers: [],
    };
    const orch = createSlackApp({ config, logger: silentLogger });
    // The bot's own count of lookups answered from its reply cache and computed anew, read around each run.
    const cache = { hit: 0, miss: 0 };
    const bot = createBot({
      catalog,
      store,
      poster: new SlackPoster(orch.client),
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
      defaultLang: 'en',
      metrics: { ...noMetrics, lookupCache: (result) => cache[result]++ },
    });
    orch.attach(bot);
    const bare = new App({
      token: TOKEN,
      signingSecret: SECRET,
      clientOptions: { slackApiUrl: generator.apiUrl },
      // As orch's app is built: Bolt's in-memory conversation store off, so the baseline does no work orch skips.
      convoStore: false,
    });
    bare.command('/orch', async ({ ack }) => ack());

    const bareServer = await listen(bare);
    stops.push(bareServer.stop);
    const orchServer = await listen(orch.app);
    stops.push(orchServer.stop);
    const apps: { name: string; tag: string; answers: boolean; texts: Texts; url: string }[] = [
      { name: 'bare Bolt (ack only)', tag: 'bare', answers: false, texts: 'rotating', url: bareServer.url },
      { name: 'orch, `istio` (cache hits)', tag: 'orch', answers: true, texts: 'istio', url: orchServer.url },
      {
        name: 'orch, rotating texts (cache misses)',
        tag: 'orch-miss',
        answers: true,
        texts: 'rotating',
        url: orchServer.url,
      },
    ];
    type Cache = { hit: number; miss: number };
    const cacheSince = (before: Cache): Cache => ({
      hit: cache.hit - before.hit,
      miss: cache.miss - before.miss,
    });

    /** After a run of orch's, waits for its response_url answers and says how many came and when the last did. */
    const drain = async (
      app: (typeof apps)[number],
      tag: string,
      load: Load,
    ): Promise<{ count: number; lastS: number } | undefined> => {
      if (!app.answers) return undefined;
      const answered = await generator.answers(tag, load.count);
      return {
        count: answered.count,
        lastS: answered.count > 0 ? (answered.lastAt - load.startedAt) / 1000 : 0,
      };
    };
    type Answered = Awaited<ReturnType<typeof drain>>;
    type Measured = { load: Load; answered: Answered; cache: Cache };

    // Warm-up: JIT, the SQLite page cache and Bolt's auth.test, on both apps and both kinds of traffic.
    for (const app of apps) {
      const load = await generator.run({
        op: 'closed',
        url: app.url,
        tag: `${app.tag}-warm`,
        count: WARM_UP,
        concurrency: CONCURRENCY,
        texts: app.texts,
      });
      await drain(app, `${app.tag}-warm`, load);
    }

    // (1) Maximum throughput, closed loop. This 2-core machine's timings swing from run to run, so the runs take
    // turns for a few rounds and the median round of each is reported, with the range beside it.
    const maxRuns = new Map<string, Measured[]>();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      for (const app of round % 2 === 0 ? apps : [...apps].reverse()) {
        gc();
        const tag = `${app.tag}-max-${round}`;
        const before = { ...cache };
        const load = await generator.run({
          op: 'closed',
          url: app.url,
          tag,
          count: REQUESTS,
          concurrency: CONCURRENCY,
          texts: app.texts,
        });
        const answered = await drain(app, tag, load);
        maxRuns.set(app.tag, [
          ...(maxRuns.get(app.tag) ?? []),
          { load, answered, cache: cacheSince(before) },
        ]);
      }
    }

    // (2) A fixed 100 requests per second for 10 s, open loop.
    const rateRuns = new Map<string, Measured>();
    for (const app of apps) {
      gc();
      const tag = `${app.tag}-rate`;
      const before = { ...cache };
      const load = await generator.run({
        op: 'open',
        url: app.url,
        tag,
        count: RATE * RATE_SECONDS,
        rate: RATE,
        texts: app.texts,
      });
      rateRuns.set(app.tag, { load, answered: await drain(app, tag, load), cache: cacheSince(before) });
    }

    const cacheText = (app: (typeof apps)[number], c: Cache) =>
      app.answers ? `${c.hit} / ${c.miss}` : 'n/a';
    const rows: string[][] = [];
    const median = new Map<string, Load>();
    for (const app of apps) {
      const runs = [...(maxRuns.get(app.tag) ?? [])].sort((a, b) => a.load.perSecond - b.load.perSecond);
      const mid = runs[Math.floor(runs.length / 2)];
      if (!mid) continue;
      median.set(app.tag, mid.load);
      const range = `${(runs[0]?.load.perSecond ?? 0).toFixed(0)}-${(runs[runs.length - 1]?.load.perSecond ?? 0).toFixed(0)}`;
      rows.push([
        `max, ${REQUESTS} x ${CONCURRENCY} concurrent / ${app.name}`,
        `${mid.load.perSecond.toFixed(0)} (${range})`,
        msText(mid.load.p50),
        msText(mid.load.p99),
        msText(mid.load.max),
        String(runs.reduce((sum, r) => sum + r.load.errors, 0)),
        cacheText(
          app,
          runs.reduce((sum, r) => ({ hit: sum.hit + r.cache.hit, miss: sum.miss + r.cache.miss }), {
            hit: 0,
            miss: 0,
          }),
        ),
        mid.answered
          ? `${runs.reduce((sum, r) => sum + (r.answered?.count ?? 0), 0)}/${runs.length * REQUESTS}` +
            ` (${runs.length} rounds), median round's last at ${mid.answered.lastS.toFixed(2)} s`
          : 'n/a',
      ]);
    }
    for (const app of apps) {
      const run = rateRuns.get(app.tag);
      if (!run) continue;
      rows.push([
        `${RATE}/s for ${RATE_SECONDS} s, open loop / ${app.name}`,
        `${run.load.perSecond.toFixed(0)} sent`,
        msText(run.load.p50),
        msText(run.load.p99),
        msText(run.load.max),
        String(run.load.errors),
        cacheText(app, run.cache),
        run.answered
          ? `${run.answered.count}/${run.load.count}, last at ${run.answered.lastS.toFixed(2)} s`
          : 'n/a',
      ]);
    }
    const header = [
      'run',
      'requests/s (range)',
      'p50 ack',
      'p99 ack',
      'max ack',
      'errors',
      'cache hits / misses',
      'response_url answers',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    console.log(
      `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`,
    );
    const bareRate = median.get('bare')?.perSecond ?? 1;
    const ratio = (tag: string) => ((median.get(tag)?.perSecond ?? 0) / bareRate).toFixed(2);
    console.log(
      `orch/bare throughput: ${ratio('orch')} on cache hits, ${ratio('orch-miss')} on cache misses;` +
        ` orch p99 ack at ${RATE}/s: ${msText(rateRuns.get('orch')?.load.p99 ?? 0)} on hits,` +
        ` ${msText(rateRuns.get('orch-miss')?.load.p99 ?? 0)} on misses` +
        ` (median round; answers counted after a wait of at most ${DRAIN_TIMEOUT_MS / 1000} s per run)`,
    );
    console.log(
      `target: throughput >= 0.8 x the bare app's; p99 ack <= 50 ms at ${RATE} requests/s; no errors; every command answered`,
    );
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await store.close();
    await generator.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.env[CHILD_FLAG] === '1') await runLoadGenerator();
