import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../adapters/slack/app.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import { decodeActionValue } from '../../adapters/slack/render.ts';
import { lessonByNumber } from '../../src/catalog/model.ts';
import { type Bot, type SlackConfig, type Store, textReply } from '../../src/index.ts';
import { lessonReply } from '../../src/lessons/lesson-replies.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { type Catalog, createBot, openStore, silentLogger } from '../../src/testing.ts';
import {
  blockActionsBody,
  blockActionsPayload,
  eventCallbackPayload,
  type FakeSlack,
  type FakeSlackMessage,
  type FakeSlackView,
  fakeTriggerId,
  messageShortcutBody,
  messageShortcutPayload,
  signSlackRequest,
  slashCommandBody,
  slashCommandPayload,
  startFakeSlack,
  viewSubmissionBody,
  viewSubmissionPayload,
} from '../fakes/slack.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';
import {
  adapterContract,
  type ContractAnswer,
  type ContractDriver,
  type ContractForm,
  type ContractFormResult,
  type ContractPost,
  waitFor,
} from './contract.ts';

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
  /** A modal submitted over the rig's transport; resolves with the app's ack body (its response_action). */
  submitView(input: Parameters<typeof viewSubmissionPayload>[0]): Promise<Record<string, unknown>>;
  /** An @orch mention over the rig's transport; with `threadTs`, a reply inside that thread. */
  mention(text: string, user: string, channel: string, threadTs?: string): Promise<void>;
  /** Waits until the app has answered through response_url `count` times. */
  responses(count: number): Promise<{ id: string; body: Record<string, unknown> }[]>;
  stop(): Promise<void>;
}

const open: Rig[] = [];
afterEach(async () => {
  for (const rig of open.splice(0)) await rig.stop();
});

async function httpRig(
  mode: 'http' | 'socket' = 'http',
  withCatalog: Catalog = catalog,
  /** False when the caller stops the rig itself (the shared contract does). */
  stopAfterEach = true,
  defaultLang: 'ko' | 'en' = 'en',
): Promise<Rig> {
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
  const { app, client, attach } = createSlackApp({
    config,
    logger: silentLogger,
    retries: 2,
    retryMinTimeoutMs: 10,
  });
  const poster = new SlackPoster(client);
  const bot = createBot({ catalog: withCatalog, store, poster, clock, timers: noTimers, defaultLang });
  attach(bot);
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
    async submitView(input) {
      if (mode === 'socket') {
        const ack = await fake.sendEnvelope('interactive', viewSubmissionPayload(input));
        return (ack.payload ?? {}) as Record<string, unknown>;
      }
      const body = viewSubmissionBody(input);
      const response = await fetch(url, { method: 'POST', body, headers: signSlackRequest(SECRET, body) });
      expect(response.status).toBe(200);
      const text = await response.text();
      return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    },
    async mention(text, user, channel, threadTs) {
      const payload = eventCallbackPayload({
        type: 'app_mention',
        user,
        text,
        channel,
        ts: '1700000000.000001',
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
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
  if (stopAfterEach) open.push(rig);
  return rig;
}

const textOf = (body: Record<string, unknown>) => JSON.stringify(body);

/** An option of a static select, as the message carries it and a pick sends it back. */
type SlackOptionJson = { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string };

function slackDriver(mode: 'http' | 'socket'): ContractDriver {
  return {
    name: `Slack (${mode === 'http' ? 'HTTP mode' : 'Socket Mode'})`,
    suggests: false,
    async start(options) {
      const r = await httpRig(mode, options.catalog, false);
      let next = 0;
      const answer = async (id: string): Promise<ContractAnswer> => {
        const response = await waitFor(() => r.fake.responses.find((x) => x.id === id), `the answer ${id}`);
        const body = (response.body ?? {}) as { response_type?: string; blocks?: SlackBlockJson[] };
        const text = JSON.stringify(body);
        return {
          private: body.response_type === 'ephemeral',
          title: body.blocks?.find((b) => b.type === 'header')?.text?.text,
          text,
          couldPing: /<!|<@/.test(text),
        };
      };
      const post = (m: FakeSlackMessage): ContractPost => ({
        id: m.ts,
        ...(m.thread_ts !== undefined && m.thread_ts !== m.ts ? { thread: m.thread_ts } : {}),
        text: JSON.stringify({ text: m.text, blocks: m.blocks }),
        buttons: ((m.blocks ?? []) as SlackBlockJson[]).flatMap((b) =>
          (b.type === 'actions' ? (b.elements ?? []) : []).flatMap((e) => {
            const decoded = e.value ? decodeActionValue(e.value) : null;
            return decoded && e.action_id
              ? [
                  {
                    actionId: decoded.actionId,
                    label: e.text?.text ?? '',
                    wire: { action_id: e.action_id, value: e.value ?? '' },
                  },
                ]
              : [];
          }),
        ),
        edits: m.edits.map((e) => JSON.stringify({ text: e.text, blocks: e.blocks })),
      });
      return {
        bot: r.bot,
        store: r.store,
        clock: r.clock,
        poster: r.poster,
        everyone: '<!channel>',
        channel: (n) => `C${n}`,
        channelKey: (channel) => `slack:T1:${channel}`,
        async command(text, channel) {
          const id = `command-${next++}`;
          await r.command({ text, user_id: 'U1', channel_id: channel, response_url: r.fake.responseUrl(id) });
          return answer(id);
        },
        async press(channel, message, button) {
          const id = `press-${next++}`;
          await r.click({
            action_id: button.wire.action_id ?? '',
            value: button.wire.value ?? '',
            user: 'U1',
            channel,
            message_ts: message.id,
            ...(message.thread ? { thread_ts: message.thread } : {}),
            response_url: r.fake.responseUrl(id),
          });
          return answer(id);
        },
        async pick(channel, menu, label) {
          // The static select as the answer rendered it, and the option Slack would send back for `label`.
          const blocks = ((JSON.parse(menu.text) as { blocks?: SlackBlockJson[] }).blocks ?? []) as {
            type: string;
            elements?: {
              type?: string;
              action_id?: string;
              options?: SlackOptionJson[];
              option_groups?: { options: SlackOptionJson[] }[];
            }[];
          }[];
          const select = blocks
            .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
            .find((e) => e.type === 'static_select');
          const options = [
            ...(select?.options ?? []),
            ...(select?.option_groups ?? []).flatMap((g) => g.options),
          ];
          const option = options.find((o) => o.text.text === label);
          expect(option, `an option labelled ${label}`).toBeDefined();
          const id = `pick-${next++}`;
          await r.click({
            action_id: select?.action_id ?? '',
            user: 'U1',
            channel,
            selected_option: option as SlackOptionJson,
            response_url: r.fake.responseUrl(id),
          });
          return answer(id);
        },
        // The channel's own messages: top-level ones and thread parents, as Slack's history lists them.
        posts: (channel) =>
          r.fake
            .history(channel)
            .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
            .map(post),
        threadPosts: (channel, anchorId) =>
          r.fake
            .history(channel)
            .filter((m) => m.thread_ts === anchorId && m.ts !== anchorId)
            .map(post),
        threadCount: (channel) => r.fake.history(channel).filter((m) => m.thread_ts === m.ts).length,
        postAttempts: (channel) =>
          r.fake
            .callsTo('chat.postMessage')
            .filter((c) => c.args.channel === channel && c.args.thread_ts === undefined).length,
        rateLimitNextPost: () => r.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }),
        async pressForForm(channel, message, button) {
          const before = r.fake.views.length;
          await r.click({
            action_id: button.wire.action_id ?? '',
            value: button.wire.value ?? '',
            user: 'UADMIN',
            channel,
            message_ts: message.id,
            ...(message.thread ? { thread_ts: message.thread } : {}),
            response_url: r.fake.responseUrl(`press-${next++}`),
          });
          return slackForm(await waitFor(() => r.fake.views[before], 'views.open'));
        },
        async openSettings(channel) {
          const before = r.fake.views.length;
          await r.command({ text: 'settings', user_id: 'UADMIN', channel_id: channel });
          const opened = await waitFor(() => r.fake.views[before], 'views.open');
          return slackForm(opened);
        },
        seenInChannel: (channel) =>
          r.fake.history(channel).map((m) => JSON.stringify({ text: m.text, blocks: m.blocks })),
        async submitForm(form, values) {
          const body = await r.submitView({ view: form.wire as FakeSlackView, values, user: 'UADMIN' });
          const errors = (body.errors ?? {}) as Record<string, string>;
          return {
            accepted: body.response_action !== 'errors',
            errorFields: Object.keys(errors),
            text: JSON.stringify(body),
          } satisfies ContractFormResult;
        },
        stop: () => r.stop(),
      };
    },
  };
}

/** A modal views.open received, as the contract reads forms. */
function slackForm(opened: FakeSlackView): ContractForm {
  const blocks = (opened.view.blocks ?? []) as {
    type: string;
    block_id?: string;
    label?: { text?: string };
    element?: {
      type?: string;
      initial_value?: string;
      initial_option?: { value?: string };
      options?: { value: string }[];
    };
  }[];
  return {
    fields: blocks
      .filter((b) => b.type === 'input')
      .map((b) => ({
        id: b.block_id ?? '',
        label: b.label?.text ?? '',
        value: b.element?.initial_value ?? b.element?.initial_option?.value ?? '',
        ...(b.element?.type === 'static_select'
          ? { options: (b.element.options ?? []).map((o) => o.value) }
          : {}),
      })),
    text: JSON.stringify(opened.view),
    wire: opened,
  };
}

/** The parts of a Block Kit block the driver reads. */
interface SlackBlockJson {
  type: string;
  text?: { text?: string };
  elements?: { action_id?: string; value?: string; text?: { text?: string } }[];
}

for (const mode of ['http', 'socket'] as const) {
  adapterContract(slackDriver(mode));

  describe(`the Slack app (${mode === 'http' ? 'HTTP mode' : 'Socket Mode'})`, () => {
    it('answers an @orch mention in the channel', async () => {
      const r = await httpRig(mode);
      await r.mention('<@UBOT> what is envoy?', 'U1', 'CM');
      const posted = await waitFor(() => r.fake.lastMessage('CM'), 'a mention answer');
      expect(posted.text).toContain('Envoy');
    });

    it('answers an @orch mention made inside a thread in that thread, not in the channel', async () => {
      const r = await httpRig(mode);
      const parent = r.fake.addMessage({ channel: 'CT', user: 'U2', text: 'lesson 3 discussion' });
      await r.mention('<@UBOT> what is envoy?', 'U1', 'CT', parent.ts);
      const posted = await waitFor(
        () => r.fake.history('CT').find((m) => m.text?.includes('Envoy')),
        'a mention answer',
      );
      expect(posted.thread_ts).toBe(parent.ts);
    });

    it('posts a comparison of every curated tool within the total text of blocks, naming the tools it left out', async () => {
      const r = await httpRig(mode);
      const names = catalog.tools.filter((x) => x.source === 'curated').map((x) => x.name);
      await r.mention(`<@UBOT> ${names.join(' vs ')}`, 'U1', 'CM');
      // Before, chat.postMessage answered msg_blocks_too_long (15,540 characters of text) and nothing was posted.
      const posted = await waitFor(() => r.fake.lastMessage('CM'), 'a comparison');
      const blocks = JSON.stringify(posted.blocks);
      for (const name of names) expect(blocks).toContain(name);
      expect(blocks).toMatch(/\+\d+ more: /);
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

describe('the message shortcut on Slack', () => {
  it.each(['http', 'socket'] as const)(
    'explains the tools and concepts of a message privately (%s)',
    async (mode) => {
      const r = await httpRig(mode);
      const input = {
        callback_id: 'orch.explain',
        message_text: 'Istio or Linkerd? 사이드카 overhead <!channel>',
        response_url: r.fake.responseUrl('explain'),
      };
      if (mode === 'http') expect(await r.send(messageShortcutBody(input))).toBe(200);
      else await r.fake.sendEnvelope('interactive', messageShortcutPayload(input));
      const [response] = await r.responses(1);
      expect(response?.body.response_type).toBe('ephemeral');
      const text = textOf(response?.body ?? {});
      expect(text).toContain('Istio');
      expect(text).toContain('Linkerd');
      expect(text).toContain('Sidecar');
      expect(text).not.toContain('<!channel>');
    },
  );

  it('plays a private round on the tools of a message from its shortcut, through its buttons', async () => {
    const r = await httpRig();
    const input = {
      callback_id: 'orch.quiz',
      message_text: 'we run Istio',
      response_url: r.fake.responseUrl('quiz-me'),
    };
    expect(await r.send(messageShortcutBody(input))).toBe(200);
    const [first] = await r.responses(1);
    expect(first?.body.response_type).toBe('ephemeral');
    expect(textOf(first?.body ?? {})).toContain('Just for you: a round on Istio');
    const blocks = (first?.body.blocks ?? []) as SlackBlockJson[];
    const button = blocks
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .find((e) => e.value && decodeActionValue(e.value)?.actionId === 'quiz.me');
    expect(button).toBeDefined();
    expect(
      await r.send(
        blockActionsBody({
          action_id: button?.action_id ?? '',
          value: button?.value ?? '',
          user: 'U1',
          channel: 'C1',
          response_url: r.fake.responseUrl('quiz-me-answer'),
        }),
      ),
    ).toBe(200);
    const answered = await r.responses(2);
    expect(textOf(answered[1]?.body ?? {})).toMatch(/Right!|Not quite/);
  });

  it('answers a shortcut the core does not have privately, and runs nothing', async () => {
    const r = await httpRig();
    const input = {
      callback_id: 'orch.nope',
      message_text: 'istio',
      response_url: r.fake.responseUrl('nope'),
    };
    expect(await r.send(messageShortcutBody(input))).toBe(200);
    const [response] = await r.responses(1);
    expect(response?.body.response_type).toBe('ephemeral');
    expect(textOf(response?.body ?? {})).toContain('no longer active');
  });
});

describe('the settings form on Slack', () => {
  it('answers privately with the settings as text when the trigger id expired before views.open', async () => {
    const r = await httpRig();
    await r.command({
      text: 'settings',
      user_id: 'UADMIN',
      channel_id: 'C8',
      response_url: r.fake.responseUrl('late'),
      // Issued 10 s ago: the queue was too slow for Slack's 3 seconds.
      trigger_id: fakeTriggerId(Date.now() - 10_000),
    });
    const [response] = await r.responses(1);
    expect(response?.body.response_type).toBe('ephemeral');
    const text = textOf(response?.body ?? {});
    expect(text).toContain('could not open in time');
    expect(text).toContain('/orch settings threads on | off');
    expect(r.fake.views).toEqual([]);
    expect(r.fake.callsTo('views.open')).toHaveLength(1);
  });

  it('shows a member who is not an admin the settings as text, without opening a form', async () => {
    const r = await httpRig();
    await r.command({
      text: 'settings',
      user_id: 'U1',
      channel_id: 'C8',
      response_url: r.fake.responseUrl('m'),
    });
    const [response] = await r.responses(1);
    expect(response?.body.response_type).toBe('ephemeral');
    expect(textOf(response?.body ?? {})).toContain('Only channel admins can change these.');
    expect(r.fake.callsTo('views.open')).toEqual([]);
  });

  it("refuses a member who submits an admin's form, in the modal, and changes nothing", async () => {
    const r = await httpRig();
    await r.command({ text: 'settings', user_id: 'UADMIN', channel_id: 'C8' });
    const opened = await waitFor(() => r.fake.views[0], 'views.open');
    const ack = await r.submitView({ view: opened, values: { threads: 'off' }, user: 'U1' });
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack)).toContain('only channel admins');
    expect(await r.store.getChannel('slack:T1:C8')).toBeNull();
  });

  it('opens the form in Korean for a Korean channel, within the modal limits the fake checks', async () => {
    const r = await httpRig();
    await r.store.updateChannel('slack:T1:C8', { lang: 'ko' }, r.clock.now().getTime());
    await r.command({ text: 'settings', user_id: 'UADMIN', channel_id: 'C8' });
    const opened = await waitFor(() => r.fake.views[0], 'views.open');
    expect(JSON.stringify(opened.view.title)).toContain('채널 설정');
    expect(JSON.stringify(opened.view.blocks)).toContain('다음 게시 5개');
    const ack = await r.submitView({ view: opened, values: { rule: '월수금 오후 9시' }, user: 'UADMIN' });
    expect(ack.response_action).toBe('update');
    expect(JSON.stringify(ack)).toContain('저장했어요');
    expect((await r.store.getChannel('slack:T1:C8'))?.cron).toBe('0 21 * * 1,3,5');
    // The channel reads the change, in Korean.
    const notice = await waitFor(() => r.fake.lastMessage('C8'), 'the change in the channel');
    expect(notice.text).toContain('채널 설정을 바꿨어요');
  });
});

describe('posting to a public channel the bot was never invited to', () => {
  it('still posts the lesson when the history cannot be read (not_in_channel)', async () => {
    const r = await httpRig();
    r.fake.failNext('conversations.history', { error: 'not_in_channel' });
    const posted = await r.poster.post('slack:T1:CPUB', textReply('lesson'), 'lesson:x:1');
    expect(posted.messageId).toBe(r.fake.lastMessage('CPUB')?.ts);
    expect(r.fake.history('CPUB')).toHaveLength(1);
  });
});

describe('Slack button presses (no locale is sent with them)', () => {
  /** The quiz answer buttons of the newest question in `channel`: Slack action id and value per option. */
  const answerButtons = (r: Rig, channel: string) => {
    const question = [...r.fake.history(channel)]
      .reverse()
      .find((m) => JSON.stringify(m.blocks).includes('quiz.answer'));
    const elements = ((question?.blocks ?? []) as SlackBlockJson[]).flatMap((b) =>
      b.type === 'actions' ? (b.elements ?? []) : [],
    );
    return {
      ts: question?.ts ?? '',
      buttons: elements.map((e) => ({ action_id: e.action_id ?? '', value: e.value ?? '' })),
    };
  };
  /** `/orch <text>` from U1 in `channel`, once its answer is back (the round has started). */
  const startQuiz = async (r: Rig, text: string, channel: string) => {
    await r.command({ text, user_id: 'U1', channel_id: channel, response_url: r.fake.responseUrl('start') });
    await r.responses(1);
  };
  const press = async (r: Rig, channel: string, user: string, id: string, option = 0) => {
    const { ts, buttons } = answerButtons(r, channel);
    const button = buttons[option] as { action_id: string; value: string };
    await r.click({ ...button, user, channel, message_ts: ts, response_url: r.fake.responseUrl(id) });
    return waitFor(() => r.fake.responses.find((x) => x.id === id), `the answer ${id}`);
  };

  it('answers a press in the language of the message, though the channel and the bot default to Korean', async () => {
    const r = await httpRig('http', catalog, true, 'ko');
    await startQuiz(r, 'quiz istio 1 20 --lang en', 'CL');
    const answer = await press(r, 'CL', 'U2', 'press');
    // Before: "A번으로 답했어요. 시간이 끝나면 정답을 공개해요." under an English question.
    expect(textOf(answer.body as Record<string, unknown>)).toContain('Got it: you answered A.');
    expect((answer.body as { response_type?: string }).response_type).toBe('ephemeral');
  });

  it('delivers the receipt of the press that closes a question before the reveal, and says so', async () => {
    const r = await httpRig();
    await startQuiz(r, 'quiz etcd 2 30', 'CR');
    await press(r, 'CR', 'U1', 'first');
    r.clock.advance(30_000);
    await r.bot.quiz.tick();
    const question = answerButtons(r, 'CR').ts;
    // U1 is the only earlier player: this press closes question 2.
    const receipt = await press(r, 'CR', 'U1', 'closing');
    // Before: "The answer is revealed when time is up", delivered after the reveal it did not announce.
    expect(textOf(receipt.body as Record<string, unknown>)).toContain(
      'Everyone has answered, so the answer is revealed now.',
    );
    const revealed = await waitFor(
      () => r.fake.history('CR').find((m) => m.ts === question && m.edits.length > 0),
      'the reveal',
    );
    expect(revealed.edits[0]?.at).toBeGreaterThanOrEqual(receipt.at);
  });
});

describe('Slack threads', () => {
  it('runs a lesson\'s "quiz me" round as replies under the lesson (thread_ts), the channel untouched', async () => {
    const r = await httpRig();
    const lesson = lessonByNumber(catalog, 1);
    if (!lesson) throw new Error('the roadmap has no lesson 1');
    const posted = await r.poster.post('slack:T1:CT', lessonReply(catalog, lesson, 'en'), 'lesson:CT:1');
    const quizMe = ((r.fake.lastMessage('CT')?.blocks ?? []) as SlackBlockJson[])
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .find((e) => e.value && decodeActionValue(e.value)?.actionId === 'quiz.lesson');
    await r.click({
      action_id: quizMe?.action_id ?? '',
      value: quizMe?.value ?? '',
      user: 'U1',
      channel: 'CT',
      message_ts: posted.messageId,
      response_url: r.fake.responseUrl('me'),
    });
    const question = await waitFor(
      () => r.fake.history('CT').find((m) => JSON.stringify(m.blocks).includes('quiz.answer')),
      'the first question',
    );
    expect(question.thread_ts).toBe(posted.messageId);
    expect(
      r.fake.history('CT').filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts),
    ).toHaveLength(1);
    expect((await r.store.runningRound('slack:T1:CT'))?.threadAnchor).toBe(posted.messageId);
  });

  it('finds a thread post retried after a crash among the thread replies, and posts it once', async () => {
    const r = await httpRig();
    const parent = await r.poster.post('slack:T1:CR', textReply('announcement'), 'quiz:r:intro');
    const reply = { ...textReply('question 1'), thread: { anchorId: parent.messageId } };
    const first = await r.poster.post('slack:T1:CR', reply, 'quiz:r:0:question');
    const again = await r.poster.post('slack:T1:CR', reply, 'quiz:r:0:question');
    expect(again.messageId).toBe(first.messageId);
    expect(
      r.fake.history('CR').filter((m) => m.thread_ts === parent.messageId && m.ts !== parent.messageId),
    ).toHaveLength(1);
    const lookups = r.fake.callsTo('conversations.replies');
    expect(lookups.at(-1)?.args).toMatchObject({ channel: 'CR', ts: parent.messageId });
    expect(r.fake.callsTo('chat.postMessage').at(-1)?.args.thread_ts).toBe(parent.messageId);
  });
});
