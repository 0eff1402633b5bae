// The latency section of `npm run bench`: answers at the speed of the network (issue 15). Over loopback a call to
// Slack costs nothing; a real one costs a round trip of 50-300 ms, and an answer that holds a worker for that long
// caps throughput at workers / RTT. Here the fake Slack adds a configurable round trip (0, 100, 250 ms) to every Web
// API and response_url call and to each request it sends the app (half each way), and enforces Slack's rate limits
// with 429 and Retry-After. orch's Slack app (HTTP mode, the real Bolt receiver, a SQLite file) runs beside a bare
// Bolt app that acks and makes the same respond() call, under the same loads:
//   - 50 `/orch istio` commands a second for 10 s, open loop, each from a member of its own;
//   - an 80-player quiz burst: 80 members press an answer button within one second.
// The fake and the load generator run in a child process, so the process under test holds only the apps.
import { execSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import { Client, GatewayIntentBits, MessageFlags } from 'discord.js';
import { createDiscordApp } from '../../adapters/discord/app.ts';
import { DiscordPoster } from '../../adapters/discord/poster.ts';
import { createSlackApp } from '../../adapters/slack/app.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { InFlight, type SlackConfig, type Store } from '../../src/index.ts';
import { type Catalog, createBot, LessonScheduler, openStore, silentLogger } from '../../src/testing.ts';
import { type FakeDiscord, type FakeDiscordRateLimits, startFakeDiscord } from '../fakes/discord.ts';
import {
  blockActionsBody,
  type FakeSlackRateLimit,
  slashCommandBody,
  startFakeSlack,
} from '../fakes/slack.ts';
import { postSigned } from './signed-post.ts';
import { startWorkerProcess, type WorkerAnswer, type WorkerProcess } from './worker-process.ts';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const CHILD_FLAG = 'ORCH_BENCH_LATENCY_CHILD';
const RTTS = [0, 100, 250];
const COMMAND_RATE = 50;
const COMMAND_SECONDS = 10;
const BURST = 80;
const BURST_MS = 1000;
/** Slack's own deadline for an answer a member is waiting on (the ack's); answers are counted against it too. */
const WITHIN_MS = 3000;
/** How long answers are waited for after the last request went out. */
const DRAIN_MS = 8000;

/**
 * Slack's published limits, per method per workspace (https://api.slack.com/docs/rate-limits): Tier 3 50+ a minute,
 * Tier 4 100+ a minute, chat.postMessage about one message a second per channel with short bursts. Slack publishes
 * no per-second limit for response_url (only 5 uses of one URL within 30 minutes), so it has none here.
 */
const SLACK_LIMITS: Record<string, FakeSlackRateLimit> = {
  'chat.postMessage': { perMinute: 60, burst: 5, perChannel: true },
  'chat.update': { perMinute: 50 },
  'conversations.history': { perMinute: 50 },
  'chat.postEphemeral': { perMinute: 100 },
  'users.info': { perMinute: 100 },
};

/**
 * Discord's (https://discord.com/developers/docs/topics/rate-limits): 50 requests a second per bot, interaction
 * callbacks and interaction webhooks exempt; per-route buckets per channel, announced in X-RateLimit headers (the
 * figures are Discord's to change; 5 per 5 s for a channel's messages is what it has long answered).
 */
const DISCORD_LIMITS: FakeDiscordRateLimits = {
  globalPerSecond: 50,
  routes: [
    { route: 'POST /channels/:id/messages', limit: 5, windowMs: 5000, bucket: 'channel-messages' },
    { route: 'PATCH /channels/:id/messages/:id', limit: 5, windowMs: 5000, bucket: 'channel-message-edits' },
  ],
};
const GUILD = '300000000000000001';
/** Discord's deadline for an interaction's first callback; the fake waits no longer, as Discord would not. */
const CALLBACK_MS = 3000;

// ---------------------------------------------------------------------------------------------------------
// The protocol between the bench and its child (fakes and load generator)

type Button = { action_id: string; value: string; ts: string };
type Job =
  | { op: 'rtt'; ms: number }
  /** Open loop: `count` requests at `rate` a second, each from a member of its own, answers tagged `tag`. */
  | { op: 'commands'; url: string; tag: string; count: number; rate: number }
  | { op: 'clicks'; url: string; tag: string; count: number; rate: number; channel: string; button: Button }
  /** The first answer button of the newest quiz question posted in `channel`. */
  | { op: 'question'; channel: string }
  /** Waits (bounded) until `expected` answers tagged `tag` arrived; returns their times. */
  | { op: 'answers'; tag: string; expected: number; timeoutMs: number }
  /** Discord: resolves once the target's client has identified. */
  | { op: 'd-ready'; target: DiscordTarget }
  /** Discord, open loop: `/orch tool istio` from a member of its own each; returns the answers. */
  | { op: 'd-commands'; target: DiscordTarget; count: number; rate: number }
  /** Discord, open loop: presses of `button` on `messageId`, a member of its own each. */
  | {
      op: 'd-clicks';
      target: DiscordTarget;
      count: number;
      rate: number;
      channel: string;
      button: DiscordButton;
    }
  /** How many requests each fake has refused with 429 so far. */
  | { op: 'limited' }
  /** Discord: the first answer button of the newest quiz question posted in `channel`. */
  | { op: 'd-question'; target: DiscordTarget; channel: string }
  | { op: 'stop' };

type DiscordTarget = 'bare' | 'orch';
/** A question's first button, and the channel holding the message: the round's thread when threads are on. */
type DiscordButton = { customId: string; messageId: string; channelId?: string };

interface Sent {
  /** Ack times, ms, over loopback (what the app took; Slack sees one more round trip). */
  acks: number[];
  errors: number;
  /** Epoch ms when the last request was sent. */
  lastSentAt: number;
}

interface Answered {
  /** Per answer that came: from Slack sending the request to Slack holding the answer, ms. */
  times: number[];
  /** 429s the fake sent while this tag's run was on. */
  rateLimited: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const member = (i: number): string => `UL${String(i).padStart(6, '0')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A bound on a wait that must not keep the process alive once the wait is over. */
const unrefSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Open loop on Discord: one interaction every 1000/rate ms, each sent half a round trip before it arrives. */
async function discordLoad(
  fake: FakeDiscord,
  rtt: () => number,
  count: number,
  rate: number,
  payload: (i: number) => ReturnType<FakeDiscord['slashCommandInteraction']>,
): Promise<{ sent: Sent; answered: Answered }> {
  const limitedBefore = fake.rateLimited.length;
  const times: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const sentAt = Date.now();
    const interaction = payload(i);
    pending.push(
      (async () => {
        if (rtt() > 0) await sleep(rtt() / 2);
        try {
          // Resolves at the first callback: the answer, or a deferral (counted apart: the answer comes later).
          const callback = await fake.interact(interaction, { timeoutMs: CALLBACK_MS });
          if (callback.type === 4) times.push(callback.at - sentAt);
          else errors++;
        } catch {
          errors++;
        }
      })(),
    );
  }
  const lastSentAt = Date.now();
  await Promise.all(pending);
  return {
    sent: { acks: [], errors, lastSentAt },
    answered: { times: times.sort((a, b) => a - b), rateLimited: fake.rateLimited.length - limitedBefore },
  };
}

let nextDiscordMember = 0;
const discordMember = () => String(710000000000000000n + BigInt(nextDiscordMember++));

async function runChild(): Promise<void> {
  const fake = await startFakeSlack({ rateLimits: SLACK_LIMITS });
  const discords: Record<DiscordTarget, FakeDiscord> = {
    bare: await startFakeDiscord({ rateLimits: DISCORD_LIMITS, callbackTimeoutMs: CALLBACK_MS }),
    orch: await startFakeDiscord({ rateLimits: DISCORD_LIMITS, callbackTimeoutMs: CALLBACK_MS }),
  };
  let rtt = 0;
  let next = 0;
  const sentAt = new Map<string, number>();
  const limitedAtStart = new Map<string, number>();
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

  /** One signed request; Slack sends it at once, it reaches the app half a round trip later. */
  const send = async (url: string, id: string, body: string): Promise<{ status: number; ms: number }> => {
    sentAt.set(id, Date.now());
    if (rtt > 0) await sleep(rtt / 2);
    return postSigned(url, agent, SECRET, body, 10_000);
  };

  const openLoop = async (
    tag: string,
    count: number,
    rate: number,
    body: (i: number, responseUrl: string) => string,
    url: string,
  ): Promise<Sent> => {
    limitedAtStart.set(tag, fake.rateLimited.length);
    const sent: Promise<{ status: number; ms: number }>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      const id = `${tag}:${i}`;
      sent.push(send(url, id, body(next++, fake.responseUrl(id))));
    }
    const lastSentAt = Date.now();
    const results = await Promise.all(sent);
    return {
      acks: results.map((r) => r.ms).sort((a, b) => a - b),
      errors: results.filter((r) => r.status !== 200).length,
      lastSentAt,
    };
  };

  const run = async (job: Job): Promise<unknown> => {
    if (job.op === 'rtt') {
      rtt = job.ms;
      fake.setRtt(job.ms);
      for (const discord of Object.values(discords)) discord.setRtt(job.ms);
      return null;
    }
    if (job.op === 'limited')
      return {
        slack: fake.rateLimited.length,
        discord: discords.orch.rateLimited.length,
      } satisfies Record<'slack' | 'discord', number>;
    if (job.op === 'd-ready') return discords[job.target].ready({ timeoutMs: 10_000 });
    if (job.op === 'd-commands') {
      const discord = discords[job.target];
      return discordLoad(
        discord,
        () => rtt,
        job.count,
        job.rate,
        () => {
          const id = discordMember();
          return discord.slashCommandInteraction({
            subcommand: 'tool',
            options: { name: 'istio' },
            user: { id, username: `m${id.slice(-6)}` },
            channelId: `4000000000000001${String(Number(id.slice(-2)) % 50).padStart(2, '0')}`,
          });
        },
      );
    }
    if (job.op === 'd-clicks') {
      const discord = discords[job.target];
      const { customId, messageId, channelId } = job.button;
      return discordLoad(
        discord,
        () => rtt,
        job.count,
        job.rate,
        () => {
          const id = discordMember();
          return discord.buttonInteraction({
            customId,
            messageId,
            channelId: channelId ?? job.channel,
            user: { id, username: `m${id.slice(-6)}` },
          });
        },
      );
    }
    if (job.op === 'd-question') {
      const discord = discords[job.target];
      for (let waited = 0; waited < 10_000; waited += 20) {
        // A round runs in a thread under its announcement (issue 16), so its threads are searched too.
        const places = [
          job.channel,
          ...[...discord.threads.values()].filter((t) => t.parentId === job.channel).map((t) => t.id),
        ];
        for (const place of places) {
          const message = [...discord.history(place)]
            .reverse()
            .find((m) => JSON.stringify(m.message.components).includes('custom_id'));
          const rows = (message?.message.components ?? []) as { components?: { custom_id?: string }[] }[];
          const customId = rows.flatMap((r) => r.components ?? []).find((c) => c.custom_id)?.custom_id;
          if (message && customId)
            return { customId, messageId: message.message.id, channelId: place } satisfies DiscordButton;
        }
        await sleep(20);
      }
      throw new Error(`no quiz question in ${job.channel}`);
    }
    if (job.op === 'commands')
      return openLoop(
        job.tag,
        job.count,
        job.rate,
        (i, responseUrl) =>
          slashCommandBody({
            text: 'istio',
            user_id: member(i),
            user_name: `member${i}`,
            channel_id: `C${i % 50}`,
            response_url: responseUrl,
          }),
        job.url,
      );
    if (job.op === 'clicks')
      return openLoop(
        job.tag,
        job.count,
        job.rate,
        (i, responseUrl) =>
          blockActionsBody({
            action_id: job.button.action_id,
            value: job.button.value,
            user: member(i),
            channel: job.channel,
            message_ts: job.button.ts,
            response_url: responseUrl,
          }),
        job.url,
      );
    if (job.op === 'question') {
      for (let waited = 0; waited < 10_000; waited += 20) {
        const question = [...fake.history(job.channel)]
          .reverse()
          .find((m) => JSON.stringify(m.blocks ?? []).includes('quiz.answer'));
        const elements = ((question?.blocks ?? []) as { type: string; elements?: Button[] }[]).flatMap((b) =>
          b.type === 'actions' ? (b.elements ?? []) : [],
        );
        const first = elements[0];
        if (question && first) return { action_id: first.action_id, value: first.value, ts: question.ts };
        await sleep(20);
      }
      throw new Error(`no quiz question in ${job.channel}`);
    }
    if (job.op === 'answers') {
      const mine = () => fake.responses.filter((r) => r.id.startsWith(`${job.tag}:`));
      const deadline = Date.now() + job.timeoutMs;
      while (mine().length < job.expected && Date.now() < deadline) await sleep(20);
      const times = mine()
        .map((r) => r.at - (sentAt.get(r.id) ?? r.at))
        .sort((a, b) => a - b);
      return {
        times,
        rateLimited: fake.rateLimited.length - (limitedAtStart.get(job.tag) ?? 0),
      } satisfies Answered;
    }
    agent.destroy();
    await fake.close();
    for (const discord of Object.values(discords)) await discord.close();
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
  process.send?.({
    ready: true,
    apiUrl: fake.apiUrl,
    discordApiUrls: { bare: discords.bare.apiUrl, orch: discords.orch.apiUrl },
  });
}

// ---------------------------------------------------------------------------------------------------------
// The parent: the apps under test

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

const seconds = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'never');

/** One row: a load on one app at one round trip. */
interface Row {
  rtt: number;
  load: string;
  app: string;
  expected: number;
  sent: Sent;
  answered: Answered;
}

function printTable(rows: Row[], acks = true): void {
  const header = [
    'RTT',
    'load',
    'app',
    `answered <= ${WITHIN_MS / 1000} s`,
    'p50 answer',
    'p99 answer',
    acks ? 'p99 ack' : 'deferred/failed',
    '429s',
    acks ? `unanswered at +${DRAIN_MS / 1000} s` : 'no answer in 3 s',
  ];
  const cells = rows.map((r) => {
    // Answers that never came count as infinitely late, so a p99 is never better than what members saw.
    const all = [
      ...r.answered.times,
      ...Array(Math.max(0, r.expected - r.answered.times.length)).fill(Number.POSITIVE_INFINITY),
    ];
    return [
      `${r.rtt} ms`,
      r.load,
      r.app,
      `${r.answered.times.filter((t) => t <= WITHIN_MS).length}/${r.expected}`,
      seconds(percentile(all, 50)),
      seconds(percentile(all, 99)),
      acks
        ? `${percentile(r.sent.acks, 99).toFixed(1)} ms${r.sent.errors ? ` (${r.sent.errors} errors)` : ''}`
        : String(r.sent.errors),
      String(r.answered.rateLimited),
      String(r.expected - r.answered.times.length),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ');
  console.log(
    `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells.map(line).join('\n')}`,
  );
}

type Child = WorkerProcess<{ apiUrl: string; discordApiUrls: Record<DiscordTarget, string> }, Job>;

/** The Slack half: orch's Slack app and a bare Bolt app, each load at each round trip. */
async function benchSlackLatency(catalog: Catalog, worker: Child, store: Store): Promise<Row[]> {
  const ask = <T>(job: Job) => worker.ask(job) as Promise<T>;
  const stops: (() => Promise<void>)[] = [];
  const rows: Row[] = [];
  try {
    const config: SlackConfig = {
      botToken: TOKEN,
      signingSecret: SECRET,
      mode: 'http',
      appToken: null,
      port: 0,
      apiUrl: worker.ready.apiUrl,
      adminUsers: [],
    };
    const orch = createSlackApp({ config, logger: silentLogger });
    const bot = createBot({
      catalog,
      store,
      poster: new SlackPoster(orch.client, { reader: orch.reader }),
      // Quiz timers never fire: a question stays open through its burst, whatever the round trip.
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
      defaultLang: 'en',
    });
    orch.attach(bot);
    // The baseline: what Bolt costs with nothing of orch's, answering the same way (ack, then one respond call).
    const bare = new App({
      token: TOKEN,
      signingSecret: SECRET,
      convoStore: false,
      clientOptions: { slackApiUrl: worker.ready.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    bare.command('/orch', async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'istio' });
    });
    bare.action(/.*/, async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'Got it' });
    });
    const apps = [
      { name: 'bare Bolt', tag: 'bare', orch: false, ...(await listen(bare)) },
      { name: 'orch Slack', tag: 'orch', orch: true, ...(await listen(orch.app)) },
    ];
    for (const app of apps) stops.push(app.stop);

    const measure = async (
      rtt: number,
      load: string,
      app: (typeof apps)[number],
      tag: string,
      expected: number,
      sending: Promise<Sent>,
    ): Promise<void> => {
      const sent = await sending;
      const answered = await ask<Answered>({
        op: 'answers',
        tag,
        expected,
        timeoutMs: Math.max(0, sent.lastSentAt + DRAIN_MS - Date.now()),
      });
      rows.push({ rtt, load, app: app.name, expected, sent, answered });
      if (process.env.BENCH_TRACE) console.log(`${new Date().toISOString()} ${tag} measured`);
      // What is still queued would slow the next run down: it is let finish (bounded), outside the figures.
      if (app.orch) await Promise.race([orch.idle(), unrefSleep(120_000)]);
      if (process.env.BENCH_TRACE) console.log(`${new Date().toISOString()} ${tag} idle`);
    };

    // Warm-up at loopback speed: JIT, the SQLite page cache, Bolt's auth.test.
    for (const app of apps) {
      const sending = ask<Sent>({
        op: 'commands',
        url: app.url,
        tag: `${app.tag}-warm`,
        count: 200,
        rate: 200,
      });
      await sending;
      await ask<Answered>({ op: 'answers', tag: `${app.tag}-warm`, expected: 200, timeoutMs: DRAIN_MS });
      if (app.orch) await orch.idle();
    }

    let quizzes = 0;
    for (const rtt of RTTS) {
      await ask({ op: 'rtt', ms: rtt });
      for (const app of apps) {
        const tag = `${app.tag}-cmd-${rtt}`;
        const count = COMMAND_RATE * COMMAND_SECONDS;
        await measure(
          rtt,
          `${COMMAND_RATE}/s x ${COMMAND_SECONDS} s`,
          app,
          tag,
          count,
          ask<Sent>({ op: 'commands', url: app.url, tag, count, rate: COMMAND_RATE }),
        );
      }
      for (const app of apps) {
        const channel = `CQ${quizzes++}`;
        let button: Button = { action_id: 'quiz.answer', value: 'x', ts: '1700000000.000100' };
        if (app.orch) {
          // A quiz of its own per burst; its question goes out through the Slack poster before the burst.
          await bot.handle({
            kind: 'command',
            text: 'quiz kubernetes 1 60',
            who: { platform: 'slack', userId: 'UHOST', displayName: 'host', isAdmin: false },
            where: { platform: 'slack', space: 'T1', channel },
            receivedAt: new Date(),
          });
          button = await ask<Button>({ op: 'question', channel });
        }
        const tag = `${app.tag}-quiz-${rtt}`;
        await measure(
          rtt,
          `quiz burst ${BURST} in ${BURST_MS / 1000} s`,
          app,
          tag,
          BURST,
          ask<Sent>({ op: 'clicks', url: app.url, tag, count: BURST, rate: BURST, channel, button }),
        );
      }
    }
    return rows;
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

/** The Discord half: orch's Discord client and a bare discord.js client, each load at each round trip. */
async function benchDiscordLatency(catalog: Catalog, worker: Child, store: Store): Promise<Row[]> {
  const ask = <T>(job: Job) => worker.ask(job) as Promise<T>;
  const clients: Client[] = [];
  const rows: Row[] = [];
  try {
    const inFlight = new InFlight();
    const { client: orch, attach } = createDiscordApp({
      apiUrl: worker.ready.discordApiUrls.orch,
      logger: silentLogger,
      inFlight,
    });
    clients.push(orch);
    orch.rest.setToken(TOKEN);
    const bot = createBot({
      catalog,
      store,
      poster: new DiscordPoster(orch.rest),
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
      defaultLang: 'en',
    });
    attach(bot);
    await orch.login(TOKEN);
    await ask({ op: 'd-ready', target: 'orch' });
    // The baseline: the same discord.js client and intent, answering each interaction with one private reply.
    const bare = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: worker.ready.discordApiUrls.bare },
    });
    clients.push(bare);
    bare.on('interactionCreate', (interaction) => {
      if (!interaction.isRepliable()) return;
      interaction
        .reply({ content: 'istio', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } })
        .catch(() => undefined);
    });
    await bare.login(TOKEN);
    await ask({ op: 'd-ready', target: 'bare' });
    const targets = [
      { name: 'bare discord.js', tag: 'bare' as const },
      { name: 'orch Discord', tag: 'orch' as const },
    ];
    const record = (rtt: number, load: string, name: string, expected: number, result: RunResult) =>
      rows.push({ rtt, load, app: name, expected, sent: result.sent, answered: result.answered });

    for (const target of targets)
      await ask<RunResult>({ op: 'd-commands', target: target.tag, count: 200, rate: 200 });
    let quizzes = 0;
    for (const rtt of RTTS) {
      await ask({ op: 'rtt', ms: rtt });
      for (const target of targets) {
        const count = COMMAND_RATE * COMMAND_SECONDS;
        const result = await ask<RunResult>({
          op: 'd-commands',
          target: target.tag,
          count,
          rate: COMMAND_RATE,
        });
        record(rtt, `${COMMAND_RATE}/s x ${COMMAND_SECONDS} s`, target.name, count, result);
        await Promise.race([inFlight.idle(), unrefSleep(60_000)]);
      }
      for (const target of targets) {
        const channel = `4000000000000009${String(quizzes++).padStart(2, '0')}`;
        let button: DiscordButton = { customId: 'x', messageId: '1' };
        if (target.tag === 'orch') {
          await bot.handle({
            kind: 'command',
            text: 'quiz kubernetes 1 60',
            who: { platform: 'discord', userId: '700000000000000001', displayName: 'host', isAdmin: false },
            where: { platform: 'discord', space: GUILD, channel },
            receivedAt: new Date(),
          });
          button = await ask<DiscordButton>({ op: 'd-question', target: 'orch', channel });
        }
        const result = await ask<RunResult>({
          op: 'd-clicks',
          target: target.tag,
          count: BURST,
          rate: BURST,
          channel,
          button,
        });
        record(rtt, `quiz burst ${BURST} in ${BURST_MS / 1000} s`, target.name, BURST, result);
        await Promise.race([inFlight.idle(), unrefSleep(60_000)]);
      }
    }
    return rows;
  } finally {
    for (const client of clients) await client.destroy().catch(() => undefined);
  }
}

type RunResult = { sent: Sent; answered: Answered };

const SCHEDULED_CHANNELS = 200;
const LESSON_AT = Date.parse('2026-11-25T09:00:00Z');

/**
 * Scheduled lessons: 200 channels of one platform due in the same minute, posted by the lesson scheduler through
 * the production poster (Slack: a history check for the post's key, then chat.postMessage; Discord: one POST with a
 * nonce), at 250 ms. The tick is timed from start to its last post. On Slack the history checks are what takes
 * time: conversations.history is Tier 3 (50+ a minute), so 200 of them in one minute meet 429s, and each 429 pauses
 * the whole Web API client for its Retry-After (@slack/web-api pauses its request queue), posts included.
 */
async function benchScheduledPosts(catalog: Catalog, worker: Child, store: Store): Promise<string[][]> {
  const ask = <T>(job: Job) => worker.ask(job) as Promise<T>;
  const slack = createSlackApp({
    config: {
      botToken: TOKEN,
      signingSecret: SECRET,
      mode: 'http',
      appToken: null,
      port: 0,
      apiUrl: worker.ready.apiUrl,
      adminUsers: [],
    },
    logger: silentLogger,
  });
  const discord = createDiscordApp({ apiUrl: worker.ready.discordApiUrls.orch, logger: silentLogger });
  discord.client.rest.setToken(TOKEN);
  const platforms = [
    {
      name: 'Slack',
      platform: 'slack' as const,
      poster: new SlackPoster(slack.client, { reader: slack.reader }),
      key: (rtt: number, i: number) => `slack:T1:CS${rtt}x${i}`,
    },
    {
      name: 'Discord',
      platform: 'discord' as const,
      poster: new DiscordPoster(discord.client.rest),
      key: (rtt: number, i: number) =>
        `discord:${GUILD}:40000000000${String(rtt).padStart(3, '0')}${String(i).padStart(4, '0')}`,
    },
  ];
  const rows: string[][] = [];
  try {
    for (const rtt of [250]) {
      await ask({ op: 'rtt', ms: rtt });
      for (const target of platforms) {
        for (let i = 0; i < SCHEDULED_CHANNELS; i++)
          await store.updateChannel(
            target.key(rtt, i),
            { cron: '0 9 * * *', timeZone: 'UTC', scheduleText: '0 9 * * *', nextFireAt: LESSON_AT },
            LESSON_AT - 60_000,
          );
        const scheduler = new LessonScheduler({
          store,
          catalog,
          poster: target.poster,
          platforms: [target.platform],
          clock: { now: () => new Date(LESSON_AT + 1000) },
          logger: silentLogger,
          instanceId: 'bench',
          defaultLang: 'en',
        });
        const before = await ask<Record<'slack' | 'discord', number>>({ op: 'limited' });
        const t0 = performance.now();
        const report = await scheduler.tick();
        const elapsed = performance.now() - t0;
        const after = await ask<Record<'slack' | 'discord', number>>({ op: 'limited' });
        rows.push([
          `${rtt} ms`,
          target.name,
          `${report.posted}/${SCHEDULED_CHANNELS}`,
          seconds(elapsed),
          String(after[target.platform] - before[target.platform]),
          String(report.failed),
        ]);
        if (process.env.BENCH_TRACE)
          console.log(`${new Date().toISOString()} scheduled ${target.name} ${rtt}`);
      }
    }
  } finally {
    await discord.client.destroy();
  }
  return rows;
}

/** Runs the latency section and prints its tables. */
export async function benchLatency(catalog: Catalog, args: string[] = []): Promise<void> {
  // `npm run bench -- latency slack|discord|scheduled` runs the parts named; slack and discord by default. The
  // scheduled lessons take minutes, not seconds (Slack's conversations.history limit, see benchScheduledPosts), so
  // they run only when asked for.
  const parts = args.length > 0 ? args : ['slack', 'discord'];
  console.log(`\nlatency: answers over a network with a round trip of ${RTTS.join(', ')} ms`);
  console.log(`load average at start: ${execSync('uptime').toString().trim()}`);
  const worker: Child = await startWorkerProcess(import.meta.url, CHILD_FLAG, 'fake platforms');
  const dir = await mkdtemp(join(tmpdir(), 'orch-bench-latency-'));
  const store = await openStore({ sqlitePath: join(dir, 'latency.db') });
  const targets =
    'targets at 250 ms: 50 commands/s answered with p99 <= RTT + 100 ms (0.35 s); quiz burst receipted with p99 <= 1 s; 0 answers lost to 429s';
  try {
    if (parts.includes('slack')) {
      console.log(
        `\nslack: orch's Slack app (HTTP mode, SQLite file) beside a bare Bolt app (convoStore: false) making the same respond() call;` +
          ` fake Slack with Slack's published rate limits (429 + Retry-After). Answer time: from Slack sending the request` +
          ` to Slack holding the answer (one round trip at least); ack over loopback`,
      );
      printTable(await benchSlackLatency(catalog, worker, store));
      console.log(targets);
    }
    if (parts.includes('discord')) {
      console.log(
        `\ndiscord: orch's Discord client beside a bare discord.js client answering with one private reply; fake gateway` +
          ` and REST with Discord's limits (global 50/s, per-channel buckets with X-RateLimit headers). Answer time: from` +
          ` Discord sending the interaction to its answering callback (type 4); deferred or no callback within 3 s: not answered`,
      );
      printTable(await benchDiscordLatency(catalog, worker, store), false);
      console.log(targets);
    }
    if (!parts.includes('scheduled')) {
      console.log(
        '\nscheduled lessons (200 channels due in one minute): `npm run bench -- latency scheduled`, ~4 min',
      );
      return;
    }
    console.log(
      `\nscheduled lessons: ${SCHEDULED_CHANNELS} channels due in the same minute, one scheduler tick through the production posters, 250 ms RTT`,
    );
    const header = ['RTT', 'platform', 'posted', 'tick took', '429s', 'failed (retried later)'];
    const rows = await benchScheduledPosts(catalog, worker, store);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ');
    console.log([line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
    console.log('target: every lesson posted within its minute, none lost to 429s');
  } finally {
    await store.close();
    await worker.stop({ op: 'stop' });
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.env[CHILD_FLAG] === '1') await runChild();
