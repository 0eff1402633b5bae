import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../adapters/slack/app.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import {
  type Bot,
  type Catalog,
  createBot,
  LessonScheduler,
  openStore,
  type SlackConfig,
  type Store,
  silentLogger,
} from '../../src/index.ts';
import { nextFireAfter } from '../../src/lessons/schedule-rule.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import {
  blockActionsBody,
  blockActionsPayload,
  eventCallbackPayload,
  type FakeSlack,
  signSlackRequest,
  slashCommandBody,
  slashCommandPayload,
  startFakeSlack,
} from '../fakes/slack.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';

const catalog = await realCatalog();
const SECRET = 'test-signing-secret';
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

interface Rig {
  fake: FakeSlack;
  bot: Bot;
  store: Store;
  clock: ManualClock;
  poster: SlackPoster;
  url: string;
  /** POSTs a signed form body to the app, as Slack would; returns the HTTP status. */
  send(body: string, headers?: Record<string, string>): Promise<number>;
  /** A slash command over the rig's transport: a signed POST (HTTP) or an envelope (Socket Mode). */
  command(fields: Parameters<typeof slashCommandPayload>[0]): Promise<void>;
  /** A button press over the rig's transport. */
  click(input: Parameters<typeof blockActionsPayload>[0]): Promise<void>;
  /** An @orch mention over the rig's transport. */
  mention(text: string, user: string, channel: string): Promise<void>;
  /** Waits until the app has answered through response_url `count` times. */
  responses(count: number): Promise<{ id: string; body: Record<string, unknown> }[]>;
  stop(): Promise<void>;
}

const open: Rig[] = [];
afterEach(async () => {
  for (const rig of open.splice(0)) await rig.stop();
});

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  // Polls the fake for an effect of a request that was already answered; bounded, never a timed sleep for logic.
  for (let i = 0; i < 400; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setImmediate(resolve));
    if (i > 200) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function httpRig(mode: 'http' | 'socket' = 'http', withCatalog: Catalog = catalog): Promise<Rig> {
  const fake = await startFakeSlack({
    users: [
      { id: 'UADMIN', name: 'admin', is_admin: true },
      { id: 'U1', name: 'mina' },
      { id: 'U2', name: 'joon' },
    ],
  });
  const config: SlackConfig = {
    botToken: 'xoxb-test',
    signingSecret: SECRET,
    mode,
    appToken: mode === 'socket' ? 'xapp-test' : null,
    port: 0,
    apiUrl: fake.apiUrl,
    adminUsers: [],
  };
  const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
  const store = await openStore({ sqlitePath: ':memory:' });
  let bot: Bot | undefined;
  const { app, client } = createSlackApp({
    config,
    logger: silentLogger,
    bot: () => bot as Bot,
    retries: 2,
    retryMinTimeoutMs: 10,
  });
  const poster = new SlackPoster(client);
  bot = createBot({ catalog: withCatalog, store, poster, clock, timers: noTimers, defaultLang: 'en' });
  let url = '';
  if (mode === 'http') {
    const server = (await app.start({ port: 0, host: '127.0.0.1' } as never)) as unknown as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  } else {
    await app.start();
    await fake.socketConnected();
  }
  const rig: Rig = {
    fake,
    bot,
    store,
    clock,
    poster,
    url,
    async send(body, headers = signSlackRequest(SECRET, body) as unknown as Record<string, string>) {
      const response = await fetch(url, { method: 'POST', body, headers });
      return response.status;
    },
    async command(fields) {
      if (mode === 'http') expect(await rig.send(slashCommandBody(fields))).toBe(200);
      else await fake.sendEnvelope('slash_commands', slashCommandPayload(fields));
    },
    async click(input) {
      if (mode === 'http') expect(await rig.send(blockActionsBody(input))).toBe(200);
      else await fake.sendEnvelope('interactive', blockActionsPayload(input));
    },
    async mention(text, user, channel) {
      const payload = eventCallbackPayload({
        type: 'app_mention',
        user,
        text,
        channel,
        ts: '1700000000.000001',
        team: 'T1',
      });
      if (mode === 'http') {
        const body = JSON.stringify(payload);
        const headers = {
          ...signSlackRequest(SECRET, body),
          'Content-Type': 'application/json',
        } as unknown as Record<string, string>;
        expect(await rig.send(body, headers)).toBe(200);
      } else await fake.sendEnvelope('events_api', payload);
    },
    responses: (count) =>
      waitFor(
        () => (fake.responses.length >= count ? fake.responses.slice(0, count) : undefined),
        `${count} responses`,
      ) as never,
    async stop() {
      await app.stop();
      await fake.close();
      await store.close();
    },
  };
  open.push(rig);
  return rig;
}

const textOf = (body: Record<string, unknown>) => JSON.stringify(body);

/** Sends one /orch from U1 in C1 over the rig's transport and returns the answer posted to its response_url. */
async function askOnce(r: Rig, text: string) {
  await r.command({ text, user_id: 'U1', channel_id: 'C1', response_url: r.fake.responseUrl('ask') });
  const [response] = await r.responses(1);
  return response;
}

for (const mode of ['http', 'socket'] as const) {
  describe(`the shared adapter contract on Slack (${mode === 'http' ? 'HTTP mode' : 'Socket Mode'})`, () => {
    it('answers help privately', async () => {
      const response = await askOnce(await httpRig(mode), 'help');
      expect(response?.body.response_type).toBe('ephemeral');
      expect(textOf(response?.body ?? {})).toContain('/orch istio vs linkerd');
    });

    it('answers a lookup with a Block Kit tool card in the channel', async () => {
      const response = await askOnce(await httpRig(mode), '이스티오');
      expect(response?.body.response_type).toBe('in_channel');
      expect(textOf(response?.body ?? {})).toContain('"type":"header"');
      expect(textOf(response?.body ?? {})).toContain('핵심 개념');
    });

    it('answers nonsense with not-found, privately, echoing nothing that could ping', async () => {
      const response = await askOnce(await httpRig(mode), '<!channel> asdfghjkl');
      expect(response?.body.response_type).toBe('ephemeral');
      expect(textOf(response?.body ?? {})).toContain('Nothing found');
      expect(textOf(response?.body ?? {})).not.toMatch(/<!|<@/);
    });

    it('answers an @orch mention in the channel', async () => {
      const r = await httpRig(mode);
      await r.mention('<@UBOT> what is envoy?', 'U1', 'CM');
      const posted = await waitFor(() => r.fake.lastMessage('CM'), 'a mention answer');
      expect(posted.text).toContain('Envoy');
    });

    it('plays a quiz round through block_actions: questions, private confirmations, a reveal that edits the question', async () => {
      const r = await httpRig(mode);
      await r.command({
        text: 'quiz istio 1 20',
        user_id: 'U1',
        channel_id: 'CQ',
        response_url: r.fake.responseUrl('q'),
      });
      const question = await waitFor(
        () => r.fake.history('CQ').find((m) => JSON.stringify(m.blocks).includes('"actions"')),
        'a question',
      );
      const buttons =
        (question.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find(
          (b) => b.type === 'actions',
        )?.elements ?? [];
      const round = await r.store.runningRound('slack:T1:CQ');
      const stored = await r.store.roundQuestion(round?.id ?? '', 0);
      const right = buttons[stored?.question.answer ?? 0] as { action_id: string; value: string };
      const click = (user: string, id: string) =>
        r.click({
          action_id: right.action_id,
          value: right.value,
          user,
          channel: 'CQ',
          message_ts: question.ts,
          response_url: r.fake.responseUrl(id),
        });
      await click('U1', 'c1');
      await click('U1', 'c2');
      const replies = await r.responses(3);
      expect(
        replies.filter((x) => x.id.startsWith('c')).every((x) => x.body.response_type === 'ephemeral'),
      ).toBe(true);
      expect(textOf(replies.find((x) => x.id === 'c1')?.body ?? {})).toContain('Got it');
      expect(textOf(replies.find((x) => x.id === 'c2')?.body ?? {})).toContain('already answered');
      r.clock.advance(20_000);
      await r.bot.quiz.tick();
      expect(question.edits.length).toBe(1);
      expect(JSON.stringify(question.edits[0])).toContain('Answer: ');
      expect(r.fake.lastMessage('CQ')?.text).toContain('Round over: scores');
    });

    it('answers a command that fails inside the core with an apology, privately', async () => {
      // A catalog whose lookups throw, standing in for any bug inside a command.
      const broken = {
        ...catalog,
        toolById: {
          get: () => {
            throw new Error('boom');
          },
        } as unknown as Catalog['toolById'],
      };
      const r = await httpRig(mode, broken);
      await r.command({ text: 'istio', response_url: r.fake.responseUrl('f') });
      const [response] = await r.responses(1);
      expect(response?.body.response_type).toBe('ephemeral');
      expect(textOf(response?.body ?? {})).toContain('Sorry, something went wrong');
    });
  });
}

describe('the Slack app over HTTP (the real Bolt receiver, a fake Slack on loopback)', () => {
  it('answers a signed /orch with a Block Kit tool card through response_url', async () => {
    const r = await httpRig();
    const status = await r.send(
      slashCommandBody({
        text: 'istio',
        user_id: 'U1',
        channel_id: 'C1',
        response_url: r.fake.responseUrl('a'),
      }),
    );
    expect(status).toBe(200);
    const [response] = await r.responses(1);
    expect(response?.body.response_type).toBe('in_channel');
    expect(textOf(response?.body ?? {})).toContain('"type":"header"');
    expect(textOf(response?.body ?? {})).toContain('Istio');
  });

  it.each([
    ['a wrong signature', (body: string) => ({ ...signSlackRequest('not-the-secret', body) })],
    ['no signature', () => ({ 'Content-Type': 'application/x-www-form-urlencoded' })],
    [
      'a timestamp older than five minutes',
      (body: string) => ({ ...signSlackRequest(SECRET, body, Math.floor(Date.now() / 1000) - 600) }),
    ],
  ])('refuses %s with 401 and runs no command', async (_, headers) => {
    const r = await httpRig();
    const body = slashCommandBody({ text: 'istio', response_url: r.fake.responseUrl('x') });
    expect(await r.send(body, headers(body) as unknown as Record<string, string>)).toBe(401);
    expect(r.fake.responses).toEqual([]);
  });

  it.each([
    '<!channel> istio',
    '@here pizza',
    '<@U123> nonsense words',
    '<!subteam^S1> zzz',
    '<https://evil.example|click> me',
  ])('never lets %j become a mention or a foreign link', async (text) => {
    const r = await httpRig();
    await r.send(slashCommandBody({ text, response_url: r.fake.responseUrl('m') }));
    const [response] = await r.responses(1);
    const sent = textOf(response?.body ?? {});
    expect(sent).not.toMatch(/<!|<@|<https:\/\/evil/);
    expect(sent).not.toMatch(/(^|[^\u200b])@(here|channel|everyone)\b/);
  });

  it('lets workspace admins change the schedule and refuses other members', async () => {
    const r = await httpRig();
    await r.send(
      slashCommandBody({
        text: 'schedule weekdays 09:00',
        user_id: 'U1',
        channel_id: 'C9',
        response_url: r.fake.responseUrl('n'),
      }),
    );
    await r.send(
      slashCommandBody({
        text: 'schedule weekdays 09:00',
        user_id: 'UADMIN',
        channel_id: 'C9',
        response_url: r.fake.responseUrl('y'),
      }),
    );
    const responses = await r.responses(2);
    expect(textOf(responses.find((x) => x.id === 'n')?.body ?? {})).toContain('only channel admins');
    expect(textOf(responses.find((x) => x.id === 'y')?.body ?? {})).toContain('Scheduled: weekdays 09:00');
    expect((await r.store.getChannel('slack:T1:C9'))?.cron).toBe('0 9 * * 1-5');
  });
});

describe('scheduled lessons on Slack', () => {
  it('arrive as chat.postMessage in the scheduled channel, exactly once even after a 429', async () => {
    const r = await httpRig();
    const key = 'slack:T1:CL';
    const start = r.clock.now().getTime();
    await r.store.updateChannel(
      key,
      { cron: '0 9 * * *', timeZone: 'UTC', nextFireAt: nextFireAfter('0 9 * * *', 'UTC', start) },
      start,
    );
    r.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const scheduler = new LessonScheduler({
      store: r.store,
      catalog,
      poster: r.poster,
      clock: r.clock,
      logger: silentLogger,
      instanceId: 'p1',
      defaultLang: 'en',
    });
    r.clock.set('2026-11-26T09:00:30Z');
    await scheduler.tick();
    await scheduler.tick();
    const posts = r.fake.history('CL');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.text).toContain('Lesson 1/');
    expect(r.fake.callsTo('chat.postMessage')).toHaveLength(2);
    // A retry of the same fire (as after a crash) finds the first post through its metadata instead of posting again.
    await r.poster.post(
      key,
      { visibility: 'channel', blocks: [{ type: 'text', text: 'again' }] },
      `lesson:${key}:${Date.parse('2026-11-26T09:00:00Z')}`,
    );
    expect(r.fake.history('CL')).toHaveLength(1);
  });
});

describe('posting to a public channel the bot was never invited to', () => {
  it('still posts the lesson when the history cannot be read (not_in_channel)', async () => {
    const r = await httpRig();
    r.fake.failNext('conversations.history', { error: 'not_in_channel' });
    const posted = await r.poster.post(
      'slack:T1:CPUB',
      { visibility: 'channel', blocks: [{ type: 'text', text: 'lesson' }] },
      'lesson:x:1',
    );
    expect(posted.messageId).toBe(r.fake.lastMessage('CPUB')?.ts);
    expect(r.fake.history('CPUB')).toHaveLength(1);
  });
});
