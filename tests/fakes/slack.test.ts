import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type SocketModeReceiver } from '@slack/bolt';
import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockActionsBody,
  blockActionsPayload,
  eventCallbackPayload,
  type FakeSlack,
  fakeTriggerId,
  signSlackRequest,
  slashCommandBody,
  slashCommandPayload,
  startFakeSlack,
  viewSubmissionPayload,
} from './slack.ts';

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let fake: FakeSlack;
beforeEach(async () => {
  fake = await startFakeSlack();
});
afterEach(async () => {
  await fake.close();
});

function webClient(token = 'xoxb-1', retries = 0): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries, minTimeout: 10 },
    logLevel: LogLevel.ERROR,
  });
}

// @slack/socket-mode is Bolt's dependency, installed beside Bolt with the undici 7 it needs (the top level holds the
// undici 6 discord.js uses, see tests/dependencies.test.ts): the test takes Bolt's copy, the one the server runs.
type SocketModeClient = SocketModeReceiver['client'];
const { SocketModeClient } = createRequire(createRequire(import.meta.url).resolve('@slack/bolt'))(
  '@slack/socket-mode',
) as { SocketModeClient: new (options: Record<string, unknown>) => SocketModeClient };

/** The real Socket Mode client against the fake, quick to notice a lost socket and reconnect. */
function socketModeClient(): SocketModeClient {
  return new SocketModeClient({
    appToken: 'xapp-1',
    clientPingTimeout: 300, // also the reconnect delay
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
}

describe('fake Slack threads with the real WebClient', () => {
  it('lists a thread with conversations.replies: parent first, replies in order; history keeps replies out', async () => {
    const client = webClient();
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'parent' });
    await client.chat.postMessage({
      channel: 'C1',
      text: 'one',
      thread_ts: parent.ts as string,
      metadata: { event_type: 'orch_post', event_payload: { key: 'k1' } },
    });
    await client.chat.postMessage({ channel: 'C1', text: 'two', thread_ts: parent.ts as string });
    await client.chat.postMessage({ channel: 'C1', text: 'later, in the channel' });
    const replies = await client.conversations.replies({
      channel: 'C1',
      ts: parent.ts as string,
      include_all_metadata: true,
    });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'one', 'two']);
    expect(replies.messages?.[0]?.thread_ts).toBe(parent.ts);
    expect(replies.messages?.[1]?.metadata).toEqual({
      event_type: 'orch_post',
      event_payload: { key: 'k1' },
    });
    const history = await client.conversations.history({ channel: 'C1' });
    expect(history.messages?.map((m) => m.text)).toEqual(['later, in the channel', 'parent']);
  });

  it('refuses conversations.replies for a message that is not there, or a channel it does not know', async () => {
    const client = webClient();
    await client.chat.postMessage({ channel: 'C1', text: 'hello' });
    await expect(client.conversations.replies({ channel: 'C1', ts: '1.000001' })).rejects.toMatchObject({
      data: { ok: false, error: 'thread_not_found' },
    });
    await expect(client.conversations.replies({ channel: 'C404', ts: '1.000001' })).rejects.toMatchObject({
      data: { ok: false, error: 'channel_not_found' },
    });
  });
});

describe('fake Slack Home tab (views.publish, app_home_opened)', () => {
  const errorOf = async (call: Promise<unknown>) => {
    const error = (await call.catch((e: unknown) => e)) as { code?: string; data?: Record<string, unknown> };
    expect(error.code).toBe(ErrorCode.PlatformError);
    return error.data ?? {};
  };

  it('publishes a Home view, then sends it with app_home_opened; a first open has no view', async () => {
    fake.setUser({ id: 'U1' });
    expect(fake.appHomeOpenedEvent('U1')).not.toHaveProperty('view');
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }];
    const result = await webClient().views.publish({ user_id: 'U1', view: { type: 'home', blocks } });
    expect(result).toMatchObject({ ok: true, view: { type: 'home', team_id: 'T1', blocks } });
    const event = fake.appHomeOpenedEvent('U1');
    expect(event).toMatchObject({
      type: 'app_home_opened',
      user: 'U1',
      tab: 'home',
      view: { id: result.view?.id },
    });
    expect(fake.homeViews.get('U1')?.history).toHaveLength(1);
  });

  it('answers like Slack: an unknown user, a non-home view, over 100 blocks, a stale hash, Home turned off', async () => {
    fake.setUser({ id: 'U1' });
    const client = webClient();
    const home = (blocks: unknown[]) => ({ type: 'home', blocks }) as never;
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'x' } };
    expect(await errorOf(client.views.publish({ user_id: 'U404', view: home([section]) }))).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] invalid `user_id`'] },
    });
    expect(
      await errorOf(client.views.publish({ user_id: 'U1', view: { type: 'modal', blocks: [] } as never })),
    ).toMatchObject({ error: 'invalid_arguments' });
    const tooMany = await errorOf(
      client.views.publish({ user_id: 'U1', view: home(Array(101).fill(section)) }),
    );
    expect(tooMany).toMatchObject({ error: 'invalid_arguments' });
    await client.views.publish({ user_id: 'U1', view: home(Array(100).fill(section)) });
    expect(
      await errorOf(client.views.publish({ user_id: 'U1', view: home([section]), hash: 'old' })),
    ).toMatchObject({ error: 'hash_conflict' });
    const current = fake.homeViews.get('U1')?.hash as string;
    await client.views.publish({ user_id: 'U1', view: home([section]), hash: current });
    expect(fake.homeViews.get('U1')?.history).toHaveLength(2);
    const off = await startFakeSlack({ homeTabEnabled: false, users: [{ id: 'U1' }] });
    try {
      const offClient = new WebClient('xoxb-1', { slackApiUrl: off.apiUrl, retryConfig: { retries: 0 } });
      expect(await errorOf(offClient.views.publish({ user_id: 'U1', view: home([section]) }))).toMatchObject({
        error: 'not_enabled',
      });
    } finally {
      await off.close();
    }
  });

  it('sends a press on the Home tab with a view container and no channel nor response_url', () => {
    const payload = blockActionsPayload({ action_id: 'a', value: 'v', home_view_id: 'V1' });
    expect(payload.container).toEqual({ type: 'view', view_id: 'V1' });
    expect(payload).toMatchObject({ view: { id: 'V1', type: 'home' } });
    expect(payload).not.toHaveProperty('channel');
    expect(payload).not.toHaveProperty('response_url');
  });
});

describe('fake Slack Web API with the real WebClient', () => {
  it('answers auth.test and records the bearer token', async () => {
    const result = await webClient().auth.test();
    expect(result).toMatchObject({ ok: true, team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' });
    expect(fake.calls).toEqual([{ method: 'auth.test', token: 'xoxb-1', args: {}, at: expect.any(Number) }]);
  });

  it('posts, updates and reads history, metadata only on request', async () => {
    const client = webClient();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Quiz* 1' } }];
    const metadata = { event_type: 'orch_quiz', event_payload: { quiz_id: 'q1' } };
    const first = await client.chat.postMessage({ channel: 'C1', text: 'Quiz 1', blocks, metadata });
    expect(first).toMatchObject({ ok: true, channel: 'C1', message: { type: 'message', text: 'Quiz 1' } });
    const second = await client.chat.postMessage({ channel: 'C1', text: 'second' });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));

    // blocks and metadata travel as JSON strings in form fields; the fake decodes them.
    expect(fake.callsTo('chat.postMessage')[0]?.args).toMatchObject({ channel: 'C1', blocks, metadata });

    const updated = await client.chat.update({
      channel: 'C1',
      ts: first.ts as string,
      text: 'Quiz 1 (closed)',
    });
    expect(updated).toMatchObject({ ok: true, channel: 'C1', ts: first.ts, text: 'Quiz 1 (closed)' });
    const stored = fake.history('C1')[0];
    expect(stored?.text).toBe('Quiz 1 (closed)');
    expect(stored?.blocks).toEqual(blocks); // kept: the update did not send blocks
    expect(stored?.edits.map((e) => e.text)).toEqual(['Quiz 1 (closed)']);

    const plain = await client.conversations.history({ channel: 'C1', limit: 10 });
    expect(plain.messages?.map((m) => m.text)).toEqual(['second', 'Quiz 1 (closed)']);
    expect(plain.messages?.[1]?.metadata).toBeUndefined();
    expect(plain.has_more).toBe(false);

    const withMeta = await client.conversations.history({ channel: 'C1', include_all_metadata: true });
    expect(withMeta.messages?.[1]?.metadata).toEqual(metadata);

    const limited = await client.conversations.history({ channel: 'C1', limit: 1 });
    expect(limited.messages?.map((m) => m.text)).toEqual(['second']);
    expect(limited.has_more).toBe(true);

    const newer = await client.conversations.history({ channel: 'C1', oldest: first.ts as string });
    expect(newer.messages?.map((m) => m.ts)).toEqual([second.ts]);
  });

  it('takes a static select within Block Kit limits and refuses one over them with invalid_blocks', async () => {
    const client = webClient();
    const option = (i: number, value = `v${i}`) => ({ text: { type: 'plain_text', text: `O${i}` }, value });
    const select = (extra: Record<string, unknown>) => ({
      type: 'actions',
      elements: [
        {
          type: 'static_select',
          action_id: 's',
          placeholder: { type: 'plain_text', text: 'Pick' },
          ...extra,
        },
      ],
    });
    const grouped = {
      option_groups: [{ label: { type: 'plain_text', text: 'G' }, options: [option(1), option(2)] }],
    };
    await client.chat.postMessage({ channel: 'C1', text: 'ok', blocks: [select(grouped)] as never });
    for (const bad of [
      { options: Array.from({ length: 101 }, (_, i) => option(i)) },
      { options: [option(1, 'x'.repeat(151))] },
      { options: [option(1)], ...grouped },
      {},
    ])
      await expect(
        client.chat.postMessage({ channel: 'C1', text: 'x', blocks: [select(bad)] as never }),
      ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    expect(fake.history('C1')).toHaveLength(1);
  });

  it('records ephemerals, answers users.info and rejects unknown things as Slack does', async () => {
    const client = webClient();
    fake.setUser({
      id: 'U1',
      name: 'minji',
      real_name: 'Minji Kim',
      display_name: 'minji',
      is_admin: true,
      locale: 'ko-KR',
    });

    const eph = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(eph).toMatchObject({ ok: true, message_ts: expect.any(String) });
    expect(fake.ephemerals).toMatchObject([{ channel: 'C1', user: 'U1', text: 'only you' }]);

    const info = await client.users.info({ user: 'U1' });
    expect(info.user).toMatchObject({
      id: 'U1',
      name: 'minji',
      real_name: 'Minji Kim',
      is_admin: true,
      is_owner: false,
      is_bot: false,
      profile: { display_name: 'minji' },
    });
    expect(info.user?.locale).toBeUndefined();
    expect((await client.users.info({ user: 'U1', include_locale: true })).user?.locale).toBe('ko-KR');

    await expect(client.users.info({ user: 'U404' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'user_not_found' },
    });
    await expect(client.apiCall('chat.nope', {})).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
    await expect(client.apps.connections.open({})).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
  });

  it('injects platform errors and 500s', async () => {
    const client = webClient();
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: 'C9', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'channel_not_found' },
    });
    fake.failNext('chat.postMessage', { status: 500 });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
    });
    // Only the next call fails.
    await expect(client.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('sends 429 with Retry-After: rejected at once when asked, retried after the pause otherwise', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const rejecting = new WebClient('xoxb-1', {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    });
    await expect(rejecting.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 1,
    });

    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    const result = await webClient('xoxb-1', 1).chat.postMessage({ channel: 'C1', text: 'after the pause' });
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
    expect(fake.lastMessage('C1')?.text).toBe('after the pause');
  });

  it('enforces rate limits per method and per channel with 429 and Retry-After in whole seconds', async () => {
    const limited = await startFakeSlack({
      rateLimits: {
        'chat.postMessage': { perMinute: 60, burst: 2, perChannel: true },
        response_url: { perMinute: 30, burst: 1 },
      },
    });
    try {
      const client = new WebClient('xoxb-1', {
        slackApiUrl: limited.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: LogLevel.ERROR,
      });
      await client.chat.postMessage({ channel: 'C1', text: '1' });
      await client.chat.postMessage({ channel: 'C1', text: '2' });
      await expect(client.chat.postMessage({ channel: 'C1', text: '3' })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: 1,
      });
      // Another channel has a bucket of its own; other methods are not limited.
      await expect(client.chat.postMessage({ channel: 'C2', text: '1' })).resolves.toMatchObject({
        ok: true,
      });
      await expect(
        client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'x' }),
      ).resolves.toMatchObject({ ok: true });
      expect(limited.history('C1').map((m) => m.text)).toEqual(['1', '2']);
      const post = () => fetch(limited.responseUrl('r'), { method: 'POST', body: '{"text":"x"}' });
      expect((await post()).status).toBe(200);
      const refused = await post();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect(limited.responses).toHaveLength(1);
      expect(limited.rateLimited.map((r) => [r.method, r.channel])).toEqual([
        ['chat.postMessage', 'C1'],
        ['response_url', null],
      ]);
    } finally {
      await limited.close();
    }
  });

  it('adds a round trip: a call is applied half of it after it was sent', async () => {
    fake.setRtt(1000);
    const posting = webClient().chat.postMessage({ channel: 'C1', text: 'far away' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // At loopback speed the call would be recorded by now.
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    await expect(posting).resolves.toMatchObject({ ok: true });
    expect(fake.lastMessage('C1')?.text).toBe('far away');
  });

  it('records response_url posts', async () => {
    const res = await fetch(fake.responseUrl('cmd-1'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'hi', response_type: 'ephemeral' }),
    });
    expect(res.status).toBe(200);
    expect(fake.responses).toEqual([
      { id: 'cmd-1', body: { text: 'hi', response_type: 'ephemeral' }, at: expect.any(Number) },
    ]);
  });
});

describe('fake Slack Socket Mode with the real clients', () => {
  it('drives a Bolt socket-mode App: slash command, button and event envelopes are acked', async () => {
    const app = new App({
      token: 'xoxb-1',
      appToken: 'xapp-1',
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    const seen: string[] = [];
    app.command('/orch', async ({ command, ack, client }) => {
      await ack({ response_type: 'ephemeral', text: `got ${command.text}` });
      await client.chat.postMessage({ channel: command.channel_id, text: 'from the listener' });
    });
    app.action('quiz_answer', async ({ ack, action }) => {
      await ack();
      seen.push(action.type === 'button' ? (action.value ?? '') : '?');
    });
    app.event('app_mention', async ({ event }) => {
      seen.push(event.text);
    });
    try {
      await app.start();
      await fake.socketConnected({ timeoutMs: 2000 });
      expect(fake.callsTo('apps.connections.open').map((c) => c.token)).toEqual(['xapp-1']);

      const ack = await fake.sendEnvelope('slash_commands', slashCommandPayload({ text: 'help' }));
      expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'got help' });
      expect(fake.envelopes[0]).toMatchObject({ type: 'slash_commands', accepts_response_payload: true });
      await waitFor(() => fake.lastMessage('C1') !== undefined);
      const post = fake.callsTo('chat.postMessage')[0];
      expect(post?.token).toBe('xoxb-1');
      // The listener's client comes from Bolt's per-team pool, which adds team_id to every call.
      expect(post?.args).toMatchObject({ channel: 'C1', text: 'from the listener', team_id: 'T1' });

      const click = await fake.sendEnvelope(
        'interactive',
        blockActionsPayload({ action_id: 'quiz_answer', value: 'B', message_ts: '1700000000.000100' }),
      );
      expect(click).toEqual({ envelope_id: fake.envelopes[1]?.envelope_id, payload: {} });
      expect(fake.envelopes[1]?.accepts_response_payload).toBe(false);

      const mention = eventCallbackPayload({
        type: 'app_mention',
        user: 'U1',
        text: '<@UBOT> hello',
        ts: '1700000001.000100',
        channel: 'C1',
        event_ts: '1700000001.000100',
      });
      await fake.sendEnvelope('events_api', mention);
      await waitFor(() => seen.length === 2);
      expect(seen).toEqual(['B', '<@UBOT> hello']);
    } finally {
      await app.stop();
    }
  });

  it('rejects sendEnvelope when nobody is connected or nobody acks', async () => {
    await expect(fake.sendEnvelope('slash_commands', slashCommandPayload())).rejects.toThrow(
      /no Socket Mode/,
    );
    await expect(fake.socketConnected({ timeoutMs: 50 })).rejects.toThrow(/no Socket Mode connection/);
  });

  it('makes the socket-mode client reconnect through a fresh apps.connections.open on disconnect', async () => {
    const client = socketModeClient();
    try {
      await client.start();
      await fake.socketConnected();
      await fake.disconnectSocket();
      await fake.socketConnected({ count: 2, timeoutMs: 3000 });
      expect(fake.socketConnections).toBe(2);
      expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
      // An envelope nobody handles still gets no ack: the timeout fires.
      await expect(
        fake.sendEnvelope('events_api', eventCallbackPayload({ type: 'reaction_added' }), { timeoutMs: 100 }),
      ).rejects.toThrow(/no ack/);
    } finally {
      await client.disconnect();
    }
  });
});

describe('fake Slack Socket Mode faults', () => {
  it('loses acks while stalled, drops the socket and redelivers every un-acked envelope on the next one', async () => {
    const client = socketModeClient();
    const seen: { envelope: string; text: string }[] = [];
    client.on('slash_commands', async ({ ack, envelope_id, body }) => {
      seen.push({ envelope: envelope_id, text: (body as { text?: string }).text ?? '' });
      await ack();
    });
    try {
      await client.start();
      await fake.socketConnected();
      await fake.sendEnvelope('slash_commands', slashCommandPayload({ text: 'acked' }));
      fake.stallAcks();
      const lost = fake.sendEnvelope('slash_commands', slashCommandPayload({ text: 'lost' }), {
        timeoutMs: 5000,
      });
      await waitFor(() => seen.length === 2);
      // The client ran it and acked, but the ack never arrived; the frame below is raw, not an envelope.
      fake.sendFrame('{"type":"unknown_thing"}');
      expect(await fake.dropSocket()).toBe(1);
      const ack = await lost;
      expect(seen.map((s) => s.text)).toEqual(['acked', 'lost', 'lost']);
      expect(seen[2]?.envelope).toBe(seen[1]?.envelope);
      expect(ack.envelope_id).toBe(seen[1]?.envelope);
      expect(fake.envelopes.at(-1)?.retry_attempt).toBe(1);
      expect(fake.socketConnections).toBe(2);
    } finally {
      await client.disconnect();
    }
  });
});

describe('HTTP-mode helpers with a real Bolt HTTPReceiver', () => {
  it('signs slash commands and button clicks that Bolt accepts, and bad signatures get 401', async () => {
    const secret = 'shh';
    const app = new App({
      token: 'xoxb-1',
      signingSecret: secret,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/orch', async ({ command, ack, respond }) => {
      await ack();
      await respond({ text: `echo ${command.text}` });
    });
    app.action('quiz_answer', async ({ ack, body }) => {
      await ack();
      if (body.type === 'block_actions')
        await fetch(body.response_url, { method: 'POST', body: '{"text":"ok"}' });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    const events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    try {
      const command = slashCommandBody({ text: 'quiz', response_url: fake.responseUrl('cmd') });
      const res = await fetch(events, {
        method: 'POST',
        headers: signSlackRequest(secret, command),
        body: command,
      });
      expect(res.status).toBe(200);
      expect(fake.responses).toMatchObject([{ id: 'cmd', body: { text: 'echo quiz' } }]);

      const click = blockActionsBody({
        action_id: 'quiz_answer',
        value: 'A',
        response_url: fake.responseUrl('btn'),
      });
      expect(new URLSearchParams(click).get('command')).toBeNull();
      const clicked = await fetch(events, {
        method: 'POST',
        headers: signSlackRequest(secret, click),
        body: click,
      });
      expect(clicked.status).toBe(200);
      expect(fake.responses.map((r) => r.id)).toEqual(['cmd', 'btn']);

      const forged = await fetch(events, {
        method: 'POST',
        headers: signSlackRequest('wrong', command),
        body: command,
      });
      expect(forged.status).toBe(401);
      const stale = await fetch(events, {
        method: 'POST',
        headers: signSlackRequest(secret, command, Math.floor(Date.now() / 1000) - 600),
        body: command,
      });
      expect(stale.status).toBe(401);
    } finally {
      await app.stop();
    }
  });
});

describe('fake Slack modals with the real WebClient', () => {
  const view = {
    type: 'modal' as const,
    callback_id: 'orch.form',
    private_metadata: '{"channel":"C1"}',
    title: { type: 'plain_text' as const, text: 'Settings' },
    submit: { type: 'plain_text' as const, text: 'Save' },
    blocks: [
      {
        type: 'input' as const,
        block_id: 'rule',
        label: { type: 'plain_text' as const, text: 'Schedule' },
        element: { type: 'plain_text_input' as const, action_id: 'rule', initial_value: 'daily 09:00' },
      },
      {
        type: 'input' as const,
        block_id: 'lang',
        label: { type: 'plain_text' as const, text: 'Language' },
        element: {
          type: 'static_select' as const,
          action_id: 'lang',
          options: [
            { text: { type: 'plain_text' as const, text: 'Korean' }, value: 'ko' },
            { text: { type: 'plain_text' as const, text: 'English' }, value: 'en' },
          ],
          initial_option: { text: { type: 'plain_text' as const, text: 'Korean' }, value: 'ko' },
        },
      },
    ],
  };

  it('opens a modal once per fresh trigger id and refuses an expired, a used or a malformed one', async () => {
    const client = webClient();
    const trigger = fakeTriggerId();
    const opened = await client.views.open({ trigger_id: trigger, view });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.views).toHaveLength(1);
    await expect(client.views.open({ trigger_id: trigger, view })).rejects.toMatchObject({
      data: { error: 'exchanged_trigger_id' },
    });
    await expect(
      client.views.open({ trigger_id: fakeTriggerId(Date.now() - 10_000), view }),
    ).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
    await expect(client.views.open({ trigger_id: 'nonsense', view })).rejects.toMatchObject({
      data: { error: 'invalid_trigger_id' },
    });
    const long = { ...view, title: { type: 'plain_text' as const, text: 'A title longer than 24 chars' } };
    await expect(client.views.open({ trigger_id: fakeTriggerId(), view: long })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect(fake.views).toHaveLength(1);
  });

  it('builds a view_submission from the opened modal: inputs as values, selects as selected_option', async () => {
    await webClient().views.open({ trigger_id: fakeTriggerId(), view });
    const [opened] = fake.views;
    const payload = viewSubmissionPayload({ view: opened as never, values: { lang: 'en' } }) as {
      type: string;
      view: { private_metadata: string; state: { values: Record<string, Record<string, unknown>> } };
    };
    expect(payload.type).toBe('view_submission');
    expect(payload.view.private_metadata).toBe('{"channel":"C1"}');
    expect(payload.view.state.values).toEqual({
      rule: { rule: { type: 'plain_text_input', value: 'daily 09:00' } },
      lang: {
        lang: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'English' }, value: 'en' },
        },
      },
    });
    expect(() => viewSubmissionPayload({ view: opened as never, values: { lang: 'fr' } })).toThrow(
      /not an option/,
    );
  });
});
