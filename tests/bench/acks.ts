// The acknowledgement half of `npm run bench` (issue 16 §5): Slack gives an app 3 seconds to acknowledge every
// interaction, and the moment that tests it is 100 quiz rounds revealing at once, when the bot has a few hundred
// channel posts and edits queued against Slack's rate limit. orch's Slack app in HTTP mode (the real Bolt receiver,
// a SQLite file) runs against the wire fake behind a small proxy that rate-limits channel posts as Slack does
// (chat.postMessage and chat.update: one per second per channel, 429 with Retry-After: 1 beyond it). While the
// reveals go out, signed slash commands, quiz answer presses, settings-form submissions, select picks (the topic
// menu's static select) and message shortcuts ("Explain tools in this message") arrive, and the time until each is
// acknowledged (the HTTP answer) is measured. The quiz clock is a manual one, so the 100 deadlines pass at one
// instant.
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackApp } from '../../adapters/slack/app.ts';
import { SlackPoster, slackPostingClient } from '../../adapters/slack/poster.ts';
import type { SlackConfig } from '../../src/index.ts';
import { type Catalog, createBot, openStore, silentLogger } from '../../src/testing.ts';
import {
  blockActionsBody,
  type FakeSlack,
  type FakeSlackView,
  fakeTriggerId,
  slashCommandBody,
  startFakeSlack,
  viewSubmissionBody,
} from '../fakes/slack.ts';
import { ManualClock } from '../helpers/clock.ts';
import { printMachine } from './machine.ts';
import { postSigned } from './signed-post.ts';

const SECRET = 'bench-signing-secret';
const ROUNDS = 100;
const SECONDS_PER_QUESTION = 20;
/** Members answering each round's question before its deadline (setup, not measured). */
const PLAYERS_PER_ROUND = 3;
/** Measured interactions of each kind, spread over the reveal burst. */
const PER_KIND = 200;
const SUBMISSIONS = 100;
/** `/orch settings` during the burst: its modal must open (views.open) before the trigger id's 3 seconds run out. */
const MODAL_OPENS = 50;
/** Over how long the measured interactions are sent, from the moment the deadlines pass. */
const SPREAD_MS = 3_000;
/** How long the bench waits for the reveals; past it, it says how many came. */
const REVEAL_TIMEOUT_MS = 90_000;
const SETUP_TIMEOUT_MS = 180_000;
/** Slack's chat.postMessage allows about one message per second per channel, with short bursts (docs: rate limits). */
const POSTS_PER_CHANNEL_SECOND = 1;
const TARGET_P99_MS = 1_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * A proxy in front of the fake's Web API that refuses a channel's second post or edit within the same second with
 * 429 and Retry-After: 1, as Slack does; every other call passes through. Counts what it refused.
 */
async function rateLimitingProxy(
  fake: FakeSlack,
): Promise<{ apiUrl: string; limited(): number; close(): Promise<void> }> {
  const lastPost = new Map<string, number>();
  let limited = 0;
  const target = new URL(fake.apiUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      if (method === 'chat.postMessage' || method === 'chat.update') {
        const text = body.toString('utf8');
        const channel = text.startsWith('{')
          ? String((JSON.parse(text) as { channel?: unknown }).channel ?? '')
          : (new URLSearchParams(text).get('channel') ?? '');
        const now = Date.now();
        const last = lastPost.get(channel) ?? 0;
        if (now - last < 1000 / POSTS_PER_CHANNEL_SECOND) {
          limited += 1;
          res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        lastPost.set(channel, now);
      }
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    limited: () => limited,
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A signed POST to the app; resolves with the status (0 on failure) and the time until the answer ended. */
function send(url: URL, agent: Agent, body: string): Promise<{ status: number; ms: number }> {
  return postSigned(url, agent, SECRET, body);
}

const channelOf = (i: number) => `CQ${String(i).padStart(3, '0')}`;
const player = (round: number, p: number) => `UP${round}x${p}`;

/** The answer buttons of the newest quiz question in `channel`. */
function answerButtons(
  fake: FakeSlack,
  channel: string,
): { ts: string; buttons: { action_id: string; value: string }[] } {
  const question = [...fake.history(channel)]
    .reverse()
    .find((m) => JSON.stringify(m.blocks).includes('quiz.answer'));
  const buttons = (
    (question?.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[]
  )
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .filter((e) => e.action_id && e.value)
    .map((e) => ({ action_id: e.action_id as string, value: e.value as string }));
  return { ts: question?.ts ?? '', buttons };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** A message shortcut (message_action) on a channel message, as Slack sends it. */
function shortcutBody(user: string, channel: string, responseUrl: string): string {
  return new URLSearchParams({
    payload: JSON.stringify({
      type: 'message_action',
      callback_id: 'orch.explain',
      trigger_id: `${Date.now()}.1.t`,
      message_ts: '1.000001',
      response_url: responseUrl,
      user: { id: user, username: user, name: user, team_id: 'T1' },
      channel: { id: channel, name: channel },
      team: { id: 'T1', domain: 'fake' },
      message: { type: 'message', user: 'U0', ts: '1.000001', text: 'istio vs linkerd?' },
      token: 'legacy',
    }),
  }).toString();
}

// Slack has no autocomplete for orch (it sends block_suggestion only for external selects, which orch does not
// use): its picker is a static select, timed here as `select pick`.
type Kind = 'slash command' | 'button press' | 'modal submission' | 'select pick' | 'message shortcut';

/** 100 rounds revealing at once under a channel-post rate limit, with every kind of interaction acknowledged. */
export async function benchAcks(catalog: Catalog): Promise<void> {
  console.log(
    `\nacks: ${ROUNDS} quiz rounds revealing at once against a fake Slack that rate-limits channel posts` +
      ` (${POSTS_PER_CHANNEL_SECOND}/s per channel, 429 Retry-After: 1), while ${PER_KIND} slash commands,` +
      ` ${PER_KIND} answer presses, ${SUBMISSIONS} settings submissions, ${PER_KIND} select picks and` +
      ` ${PER_KIND} message shortcuts arrive over ${SPREAD_MS / 1000} s; HTTP mode, SQLite`,
  );
  const admins = Array.from({ length: SUBMISSIONS }, (_, i) => ({
    id: `UA${i}`,
    name: `admin${i}`,
    is_admin: true,
  }));
  const openers = Array.from({ length: MODAL_OPENS }, (_, i) => ({
    id: `UB${i}`,
    name: `opener${i}`,
    is_admin: true,
  }));
  const fake = await startFakeSlack({
    users: [
      ...admins,
      ...openers,
      ...Array.from({ length: ROUNDS * PLAYERS_PER_ROUND }, (_, i) => ({
        id: player(Math.floor(i / PLAYERS_PER_ROUND), i % PLAYERS_PER_ROUND),
        name: `p${i}`,
      })),
    ],
  });
  const proxy = await rateLimitingProxy(fake);
  const dir = await mkdtemp(join(tmpdir(), 'orch-bench-acks-'));
  const store = await openStore({ sqlitePath: join(dir, 'acks.db') });
  const clock = new ManualClock(Date.parse('2026-12-07T10:00:00Z'));
  // The quiz's deadline timers, held until the bench lets them all fire at one instant, as 100 rounds started
  // together would in production (each question's own timer, not the periodic sweep, reveals it).
  const armed = new Map<number, () => void>();
  let nextTimer = 0;
  const timers = {
    setTimeout: (fn: () => void) => {
      armed.set(++nextTimer, fn);
      return nextTimer;
    },
    clearTimeout: (handle: unknown) => {
      armed.delete(handle as number);
    },
  };
  const config: SlackConfig = {
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    mode: 'http',
    appToken: null,
    port: 0,
    apiUrl: proxy.apiUrl,
    adminUsers: [],
  };
  // Slack's default client: 429s wait for Retry-After and retry, 5 times at most.
  const orch = createSlackApp({
    config,
    logger: silentLogger,
    now: () => clock.now(),
    retryMinTimeoutMs: 200,
  });
  const bot = createBot({
    catalog,
    store,
    // As the server builds it (adapters/slack/platform.ts): posts on a client of their own.
    poster: new SlackPoster(slackPostingClient(config, { minTimeoutMs: 200 }, silentLogger)),
    clock,
    timers,
    defaultLang: 'en',
  });
  orch.attach(bot);
  const server = (await orch.app.start({ port: 0, host: '127.0.0.1' } as never)) as unknown as Server;
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  try {
    // Setup (not measured): a one-question round in each of 100 channels, answered by a few members each, and a
    // settings form opened by an admin in each, to be submitted during the reveals.
    const setupT0 = performance.now();
    await Promise.all(
      Array.from({ length: ROUNDS }, (_, i) =>
        send(
          url,
          agent,
          slashCommandBody({
            text: `quiz istio 1 ${SECONDS_PER_QUESTION}`,
            user_id: player(i, 0),
            channel_id: channelOf(i),
            response_url: fake.responseUrl(`start:${i}`),
          }),
        ),
      ),
    );
    const asked = await waitUntil(
      () =>
        Array.from({ length: ROUNDS }, (_, i) => answerButtons(fake, channelOf(i)).buttons.length > 0).every(
          Boolean,
        ),
      SETUP_TIMEOUT_MS,
    );
    if (!asked) throw new Error('acks bench: not every round posted its question');
    for (let i = 0; i < ROUNDS; i++) {
      const { ts, buttons } = answerButtons(fake, channelOf(i));
      for (let p = 1; p < PLAYERS_PER_ROUND; p++) {
        const button = buttons[p % buttons.length] as { action_id: string; value: string };
        await send(
          url,
          agent,
          blockActionsBody({
            ...button,
            user: player(i, p),
            channel: channelOf(i),
            message_ts: ts,
            response_url: fake.responseUrl(`pre:${i}:${p}`),
          }),
        );
      }
    }
    await Promise.all(
      admins.map((admin, i) =>
        send(
          url,
          agent,
          slashCommandBody({
            text: 'settings',
            user_id: admin.id,
            channel_id: channelOf(i % ROUNDS),
            response_url: fake.responseUrl(`settings:${i}`),
          }),
        ),
      ),
    );
    await waitUntil(() => fake.views.length >= SUBMISSIONS, 30_000);
    const views: FakeSlackView[] = [...fake.views];
    const setupS = (performance.now() - setupT0) / 1000;
    const limitedBefore = proxy.limited();
    const editsBefore = (i: number) => fake.history(channelOf(i)).reduce((n, m) => n + m.edits.length, 0);
    const baseline = Array.from({ length: ROUNDS }, (_, i) => editsBefore(i));

    // The burst: every deadline passes at once, and the interactions arrive while the reveals are being posted.
    clock.advance(SECONDS_PER_QUESTION * 1000 + 1);
    const revealT0 = performance.now();
    const due = [...armed.values()];
    armed.clear();
    for (const fire of due) fire();
    const samples = new Map<Kind, { status: number; ms: number }[]>();
    const record = (kind: Kind, sample: { status: number; ms: number }): void => {
      samples.set(kind, [...(samples.get(kind) ?? []), sample]);
    };
    const jobs: { at: number; kind: Kind; body: () => string }[] = [];
    const total = 4 * PER_KIND + SUBMISSIONS + MODAL_OPENS;
    for (let n = 0; n < PER_KIND; n++) {
      const i = n % ROUNDS;
      jobs.push({
        at: 0,
        kind: 'slash command',
        body: () =>
          slashCommandBody({
            text: n % 2 ? 'istio' : 'linkerd vs istio',
            user_id: player(i, 0),
            channel_id: channelOf(i),
            response_url: fake.responseUrl(`cmd:${n}`),
          }),
      });
      jobs.push({
        at: 0,
        kind: 'button press',
        body: () => {
          const { ts, buttons } = answerButtons(fake, channelOf(i));
          const button = buttons[0] ?? { action_id: 'quiz.answer', value: '' };
          return blockActionsBody({
            ...button,
            user: `UL${n}`,
            channel: channelOf(i),
            message_ts: ts,
            response_url: fake.responseUrl(`press:${n}`),
          });
        },
      });
      jobs.push({
        at: 0,
        kind: 'select pick',
        body: () =>
          blockActionsBody({
            action_id: 'quiz.pick',
            user: player(i, 0),
            channel: channelOf(i),
            response_url: fake.responseUrl(`pick:${n}`),
            selected_option: { text: { type: 'plain_text', text: 'Istio' }, value: 'tool:istio' },
          }),
      });
      jobs.push({
        at: 0,
        kind: 'message shortcut',
        body: () => shortcutBody(player(i, 0), channelOf(i), fake.responseUrl(`short:${n}`)),
      });
    }
    views.slice(0, SUBMISSIONS).forEach((view, n) => {
      jobs.push({
        at: 0,
        kind: 'modal submission',
        body: () =>
          viewSubmissionBody({
            view,
            values: { rule: n % 2 ? '0 21 * * 1,3,5' : '0 9 * * 2,4' },
            user: (admins[n] as { id: string }).id,
          }),
      });
    });
    // Settings commands whose modals must open in time; their ack is a slash command's, their views.open is timed.
    const opens: { trigger: string; sentAt: number }[] = [];
    openers.forEach((opener, n) => {
      jobs.push({
        at: 0,
        kind: 'slash command',
        body: () => {
          const trigger = fakeTriggerId();
          opens.push({ trigger, sentAt: Date.now() });
          return slashCommandBody({
            text: 'settings',
            user_id: opener.id,
            channel_id: channelOf(n % ROUNDS),
            trigger_id: trigger,
            response_url: fake.responseUrl(`open:${n}`),
          });
        },
      });
    });
    // Interleaved kinds, evenly spread over SPREAD_MS.
    jobs.sort((a, b) => a.kind.localeCompare(b.kind));
    const order = jobs.map((_, k) => jobs[(k * 7919) % jobs.length] as (typeof jobs)[number]);
    const sent: Promise<void>[] = [];
    for (let k = 0; k < order.length; k++) {
      const job = order[k] as (typeof order)[number];
      const wait = revealT0 + (k * SPREAD_MS) / total - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      sent.push(send(url, agent, job.body()).then((s) => record(job.kind, s)));
    }
    await Promise.all(sent);
    const acksS = (performance.now() - revealT0) / 1000;
    const revealedCount = () =>
      Array.from({ length: ROUNDS }, (_, i) => editsBefore(i) > (baseline[i] ?? 0)).filter(Boolean).length;
    const revealed = await waitUntil(() => revealedCount() === ROUNDS, REVEAL_TIMEOUT_MS);
    const revealS = (performance.now() - revealT0) / 1000;
    const revealedN = revealedCount();

    // A modal opened when views.open reached Slack with its trigger id; the fake refuses one past 3 seconds.
    await waitUntil(() => opens.every((o) => fake.views.some((v) => v.trigger_id === o.trigger)), 5_000);
    const opened = opens
      .map((o) => {
        const view = fake.views.find((v) => v.trigger_id === o.trigger);
        return view ? view.at - o.sentAt : Number.POSITIVE_INFINITY;
      })
      .sort((a, b) => a - b);
    const openedInTime = opened.filter((v) => v <= 3_000).length;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const rows: string[][] = [];
    const all: number[] = [];
    for (const kind of [
      'slash command',
      'button press',
      'modal submission',
      'select pick',
      'message shortcut',
    ] as Kind[]) {
      const list = samples.get(kind) ?? [];
      const ok = list.filter((s) => s.status === 200);
      const times = list.map((s) => s.ms).sort((a, b) => a - b);
      all.push(...times);
      rows.push([
        kind,
        String(list.length),
        ms(percentile(times, 50)),
        ms(percentile(times, 99)),
        ms(times[times.length - 1] ?? 0),
        ok.length === list.length
          ? '0'
          : `${list.length - ok.length} (not answered 200: no listener in this build?)`,
      ]);
    }
    const header = ['interaction', 'count', 'p50 ack', 'p99 ack', 'max ack', 'non-200'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    console.log(
      `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`,
    );
    all.sort((a, b) => a - b);
    console.log(
      `acknowledgement p99 with ${ROUNDS} rounds revealing at once: ${ms(percentile(all, 99))}` +
        ` (every kind above; max ${ms(all[all.length - 1] ?? 0)});` +
        ` ${due.length} deadline timers fired at once; every interaction acked within ${acksS.toFixed(1)} s of the deadlines;` +
        ` reveals: ${revealed ? `all ${ROUNDS} edited in ${revealS.toFixed(1)} s` : `${revealedN}/${ROUNDS} edited within ${REVEAL_TIMEOUT_MS / 1000} s`},` +
        ` ${proxy.limited() - limitedBefore} posts refused with 429 meanwhile; setup ${setupS.toFixed(1)} s`,
    );
    console.log(
      `settings modals opened during the burst: ${openedInTime}/${opens.length} within the trigger's 3 s` +
        ` (p50 ${ms(percentile(opened.filter(Number.isFinite), 50))} from the command to views.open, of those opened);` +
        ` ${opened.filter((v) => !Number.isFinite(v)).length} never opened (views.open refused, answered as text)`,
    );
    console.log(
      `target: every acknowledgement p99 <= ${TARGET_P99_MS} ms (Slack's limit: 3 s); every modal opened within 3 s`,
    );
    printMachine('acks: measured');
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await orch.app.stop().catch(() => undefined);
    await store.close();
    await proxy.close();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}
