// Which Slack answers wait for which: over a real network each answer holds its worker for a round trip, so answers
// run side by side, and only what must stay in order does (issue 15). The real Bolt app over HTTP against the fake
// Slack with a round trip and rate limits; held response_url answers show what overlaps, not timings.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../adapters/slack/app.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { type SlackConfig, textReply } from '../../src/index.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { createBot, openStore } from '../../src/testing.ts';
import {
  blockActionsBody,
  type FakeSlack,
  type FakeSlackOptions,
  signSlackRequest,
  slashCommandBody,
  startFakeSlack,
} from '../fakes/slack.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';

const catalog = await realCatalog();
const SECRET = 'test-signing-secret';
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };
const silent = { debug() {}, info() {}, warn() {}, error() {} } as never;

/** Polls until `probe` gives a value; bounded, so a lost answer fails the test instead of hanging it. */
async function waitUntil<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let waited = 0; waited < 15_000; waited += 10) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function rig(fakeOptions: FakeSlackOptions) {
  const fake = await startFakeSlack(fakeOptions);
  const config: SlackConfig = {
    botToken: 'xoxb-test',
    signingSecret: SECRET,
    mode: 'http',
    appToken: null,
    port: 0,
    apiUrl: fake.apiUrl,
    adminUsers: [],
  };
  const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
  const store = await openStore({ sqlitePath: ':memory:' });
  const slack = createSlackApp({ config, logger: silent, retries: 3, retryMinTimeoutMs: 10 });
  const bot = createBot({
    catalog,
    store,
    poster: new SlackPoster(slack.client),
    clock,
    timers: noTimers,
    defaultLang: 'en',
  });
  slack.attach(bot);
  const server = (await slack.app.start({ port: 0, host: '127.0.0.1' } as never)) as unknown as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  stops.push(async () => {
    await slack.app.stop();
    await fake.close();
    await store.close();
  });
  const post = async (body: string) => {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: signSlackRequest(SECRET, body) as unknown as Record<string, string>,
    });
    expect(response.status).toBe(200);
  };
  return {
    fake,
    bot,
    clock,
    command: (text: string, user: string, channel: string, id: string) =>
      post(
        slashCommandBody({ text, user_id: user, channel_id: channel, response_url: fake.responseUrl(id) }),
      ),
    click: (
      button: { action_id: string; value: string },
      user: string,
      channel: string,
      ts: string,
      id: string,
    ) =>
      post(
        blockActionsBody({ ...button, user, channel, message_ts: ts, response_url: fake.responseUrl(id) }),
      ),
    answered: (id: string) => waitUntil(() => fake.responses.find((r) => r.id === id), `the answer ${id}`),
  };
}

/** The quiz answer buttons of the newest question in `channel`. */
function question(fake: FakeSlack, channel: string) {
  const message = [...fake.history(channel)]
    .reverse()
    .find((m) => JSON.stringify(m.blocks ?? []).includes('quiz.answer'));
  const buttons = (
    (message?.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[]
  )
    .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
    .map((e) => ({ action_id: e.action_id, value: e.value }));
  return message && buttons.length > 0 ? { ts: message.ts, buttons } : undefined;
}

/** Slack timestamps, which the fake hands out in the order it applies things, as comparable integers. */
const order = (ts: string): bigint => BigInt(ts.replace('.', ''));

describe('Slack answers over a network', () => {
  it('delivers answers to different members side by side, while one of them waits on a slow answer', async () => {
    const r = await rig({ rttMs: 40 });
    // The first two answers are held at Slack: their members wait, and so would everyone behind a pool of two.
    const first = r.fake.holdNext('response_url');
    const second = r.fake.holdNext('response_url');
    await r.command('istio', 'U1', 'C1', 'u1');
    await first.arrived;
    await r.command('istio', 'U2', 'C1', 'u2');
    await second.arrived;
    await r.command('istio', 'U3', 'C1', 'u3');
    await r.command('etcd', 'U4', 'C2', 'u4');
    // Before (two workers, whatever the member): U3 and U4 waited until U1's or U2's answer came back.
    await r.answered('u3');
    await r.answered('u4');
    first.release();
    second.release();
  });

  it("keeps one member's answers in a channel in the order they asked", async () => {
    const r = await rig({ rttMs: 40 });
    const first = r.fake.holdNext('response_url');
    await r.command('istio', 'U1', 'C1', 'first');
    await first.arrived;
    await r.command('etcd', 'U1', 'C1', 'second');
    // Sent after U1's second command, answered while U1's first answer is still on its way back.
    await r.command('envoy', 'U2', 'C1', 'other');
    await r.answered('other');
    // Before (two workers for everyone): U1's second answer went out beside the held first one and overtook it.
    expect(r.fake.responses.map((x) => x.id)).not.toContain('second');
    first.release();
    await r.answered('second');
    expect(r.fake.responses.map((x) => x.id)).toEqual(['first', 'other', 'second']);
  });

  it("posts a quiz's question, reveal, next question and board in order, receipts before the reveal, through 429s", async () => {
    // Two posts a channel at once, then one a second: each later post of the round is refused once and retried.
    const r = await rig({
      rttMs: 40,
      rateLimits: { 'chat.postMessage': { perMinute: 60, burst: 2, perChannel: true } },
    });
    await r.command('quiz etcd 2 30', 'U1', 'CQ', 'start');
    await r.answered('start');
    /** The questions' message ts, in the order they were asked. */
    const questions: string[] = [];
    for (const index of [0, 1]) {
      const q = await waitUntil(
        () => {
          const found = question(r.fake, 'CQ');
          // The newest question, once it is not the one already answered.
          return found && found.ts !== questions.at(-1) ? found : undefined;
        },
        `question ${index + 1}`,
      );
      questions.push(q.ts);
      // Three members answer at once; each receipt is private to its member.
      await Promise.all(
        ['U1', 'U2', 'U3'].map((user, i) =>
          r.click(
            q.buttons[i] as { action_id: string; value: string },
            user,
            'CQ',
            q.ts,
            `q${index}-${user}`,
          ),
        ),
      );
      for (const user of ['U1', 'U2', 'U3']) await r.answered(`q${index}-${user}`);
      r.clock.advance(30_000);
      await r.bot.quiz.tick();
    }
    const board = await waitUntil(
      () =>
        r.fake
          .history('CQ')
          .find((m) => (m.metadata?.event_payload as { key?: string })?.key?.endsWith(':final')),
      'the final board',
    );
    const posts = r.fake.history('CQ');
    const [q1, q2] = questions.map((ts) => posts.find((m) => m.ts === ts));
    const reveal1 = await waitUntil(() => q1?.edits[0], 'the first reveal');
    const reveal2 = await waitUntil(() => q2?.edits[0], 'the second reveal');
    const sequence = [
      ['question 1', q1?.ts ?? ''],
      ['reveal 1', reveal1.ts],
      ['question 2', q2?.ts ?? ''],
      ['reveal 2', reveal2.ts],
      ['board', board.ts],
    ] as const;
    expect([...sequence].sort((a, b) => (order(a[1]) < order(b[1]) ? -1 : 1)).map((s) => s[0])).toEqual(
      sequence.map((s) => s[0]),
    );
    // Each question's receipts reached their members before its reveal went out.
    for (const [index, reveal] of [reveal1, reveal2].entries())
      for (const user of ['U1', 'U2', 'U3'])
        expect(r.fake.responses.find((x) => x.id === `q${index}-${user}`)?.at).toBeLessThanOrEqual(reveal.at);
    // The round did meet Slack's per-channel limit, and lost nothing to it.
    expect(r.fake.rateLimited.length).toBeGreaterThan(0);
    // The announcement, two questions and the board (in the round's thread), and the summary back in the channel:
    // each once, none lost and none doubled by a retry.
    const keys = posts.flatMap((m) => {
      const key = (m.metadata?.event_payload as { key?: string } | undefined)?.key;
      return key === undefined ? [] : [key];
    });
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(5);
  });

  it("keeps a lesson's history check, waiting out a 429, from holding back other posts", async () => {
    const fake = await startFakeSlack();
    const config: SlackConfig = {
      botToken: 'xoxb-test',
      signingSecret: SECRET,
      mode: 'http',
      appToken: null,
      port: 0,
      apiUrl: fake.apiUrl,
      adminUsers: [],
    };
    const slack = createSlackApp({ config, logger: silent, retries: 2, retryMinTimeoutMs: 10 });
    stops.push(() => fake.close());
    const poster = new SlackPoster(slack.client, { reader: slack.reader });
    /** Whether the Web API client that was told to wait still holds its queue (@slack/web-api's own state). */
    let waiting: (() => boolean) | undefined;
    for (const client of new Set([slack.client, slack.reader]))
      client.on(webApi.WebClientEvent.RATE_LIMITED, () => {
        const queue = (client as unknown as { requestQueue: { isPaused: boolean } }).requestQueue;
        waiting = () => queue.isPaused;
      });
    // conversations.history is Tier 3: in a burst of scheduled lessons some checks are told to wait.
    fake.failNext('conversations.history', { status: 429, retryAfter: 2 });
    const lesson = poster.post('slack:T1:CL', textReply('lesson'), 'lesson-key');
    const stillWaiting = await waitUntil(() => waiting, 'the 429');
    // Meanwhile a quiz question goes out in another channel, while the history check still waits.
    await slack.client.chat.postMessage({ channel: 'CQ', text: 'question' });
    // Before (one client for both): the question was held until the pause was over.
    expect(stillWaiting()).toBe(true);
    expect(fake.history('CL')).toHaveLength(0);
    await lesson;
    expect(fake.history('CL').map((m) => m.text)).toEqual(['lesson']);
    expect(fake.callsTo('conversations.history')).toHaveLength(2);
  });
});
