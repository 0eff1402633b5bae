import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordApp, SeenInteractions } from '../../adapters/discord/app.ts';
import { orchCommand } from '../../adapters/discord/commands.ts';
import { discordPlatform } from '../../adapters/discord/platform.ts';
import { DiscordPoster } from '../../adapters/discord/poster.ts';
import { decodeCustomId } from '../../adapters/discord/render.ts';
import type { Bot, Logger, Store } from '../../src/index.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { type Catalog, createBot, openStore, silentLogger } from '../../src/testing.ts';
import {
  type FakeDiscord,
  type FakeDiscordCallback,
  type FakeDiscordMessage,
  PERMISSION,
  startFakeDiscord,
} from '../fakes/discord.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';
import { until } from '../helpers/until.ts';
import {
  adapterContract,
  type ContractAnswer,
  type ContractForm,
  type ContractPost,
  waitFor,
} from './contract.ts';

const catalog = await realCatalog();
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };
const MANAGE_GUILD = String(1 << 5);

interface Rig {
  fake: FakeDiscord;
  bot: Bot;
  store: Store;
  clock: ManualClock;
  poster: DiscordPoster;
  stop(): Promise<void>;
}

const open: Rig[] = [];
afterEach(async () => {
  for (const rig of open.splice(0)) await rig.stop();
});

async function rig(
  options: {
    heartbeatIntervalMs?: number;
    catalog?: Catalog;
    stopAfterEach?: boolean;
    logger?: Logger;
    botPermissions?: bigint;
  } = {},
): Promise<Rig> {
  const fake = await startFakeDiscord({
    ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    ...(options.botPermissions === undefined ? {} : { botPermissions: options.botPermissions }),
  });
  const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
  const store = await openStore({ sqlitePath: ':memory:' });
  const { client, attach } = createDiscordApp({
    apiUrl: fake.apiUrl,
    logger: options.logger ?? silentLogger,
    now: () => clock.now(),
  });
  client.rest.setToken('test-token');
  const poster = new DiscordPoster(client.rest);
  const bot = createBot({
    catalog: options.catalog ?? catalog,
    store,
    poster,
    clock,
    timers: noTimers,
    defaultLang: 'en',
  });
  attach(bot);
  await client.login('test-token');
  await fake.ready();
  const r: Rig = {
    fake,
    bot,
    store,
    clock,
    poster,
    async stop() {
      await client.destroy();
      await fake.close();
      await store.close();
    },
  };
  if (options.stopAfterEach ?? true) open.push(r);
  return r;
}

/** Runs a channel's quiz rounds in the channel itself, as before threads: for tests about something else. */
async function withoutThreads(r: Rig, ...channels: string[]): Promise<void> {
  for (const channel of channels)
    await r.store.updateChannel(
      `discord:${r.fake.guildId}:${channel}`,
      { threads: false },
      r.clock.now().getTime(),
    );
}

/** A message body as the bot sends it (interaction callbacks, webhooks and channel posts alike). */
interface MessageJson {
  embeds?: { title?: string }[];
  components?: { components: { custom_id?: string; label?: string }[] }[];
  allowed_mentions?: unknown;
  content?: string;
  flags?: number;
}

/**
 * `/orch <line>` as a member would type it in Discord: the first word picks the subcommand and the rest fills its
 * options in order (the last takes what is left); a line whose first word is no subcommand goes to `ask`.
 */
function slashOf(line: string): { subcommand: string; options: Record<string, string> } {
  const words = line.trim().split(/\s+/);
  const sub = orchCommand().options.find((o) => o.name === words[0]);
  if (!sub || sub.name === 'ask') return { subcommand: 'ask', options: { question: line.trim() } };
  const options: Record<string, string> = {};
  sub.options.forEach((o, i) => {
    const last = i === sub.options.length - 1;
    const value = last ? words.slice(i + 1).join(' ') : words[i + 1];
    if (value) options[o.name] = value;
  });
  return { subcommand: sub.name, options };
}

/** `/orch <subcommand>` with `options` in `channelId`, from a member whose Discord is in English. */
function slashEn(r: Rig, subcommand: string, options: Record<string, string>, channelId: string) {
  return r.fake.slashCommandInteraction({ subcommand, options, channelId, locale: 'en-US' });
}

/** The shared contract through slash-command, button and autocomplete interactions, read off the callbacks. */
adapterContract({
  name: 'Discord',
  suggests: true,
  async start(options) {
    const r = await rig({ catalog: options.catalog, stopAfterEach: false });
    /** The answer of an interaction: the callback's message, or for a deferred one the reply edited in later. */
    const answer = async (callback: FakeDiscordCallback): Promise<ContractAnswer> => {
      let data = (callback.data ?? {}) as MessageJson;
      if (callback.type === 5) {
        const edit = await waitFor(
          () => r.fake.webhookMessages.find((m) => m.token === callback.token && m.kind === 'edit'),
          'the deferred answer',
        );
        data = {
          ...(edit.body as MessageJson),
          flags: (callback.data as MessageJson | undefined)?.flags ?? 0,
        };
      }
      return {
        private: ((data.flags ?? 0) & 64) !== 0,
        title: data.embeds?.[0]?.title,
        text: JSON.stringify(data),
        // With allowed_mentions { parse: [] } Discord notifies nobody, whatever the text says.
        couldPing: JSON.stringify(data.allowed_mentions) !== '{"parse":[]}',
      };
    };
    const post = (m: FakeDiscordMessage): ContractPost => ({
      id: m.message.id,
      ...(r.fake.threads.has(m.message.channel_id) ? { thread: m.message.channel_id } : {}),
      text: JSON.stringify(m.message),
      buttons: (m.message.components as NonNullable<MessageJson['components']>).flatMap((row) =>
        row.components.flatMap((b) => {
          const decoded = b.custom_id ? decodeCustomId(b.custom_id) : null;
          return decoded && b.custom_id
            ? [{ actionId: decoded.actionId, label: b.label ?? '', wire: { custom_id: b.custom_id } }]
            : [];
        }),
      ),
      edits: m.edits.map((e) => JSON.stringify(e.body)),
    });
    return {
      bot: r.bot,
      store: r.store,
      clock: r.clock,
      poster: r.poster,
      everyone: '@everyone',
      channel: (n) => String(400000000000000100n + BigInt(n)),
      channelKey: (channel) => `discord:${r.fake.guildId}:${channel}`,
      async command(line, channel) {
        const callback = await r.fake.interact(
          r.fake.slashCommandInteraction({ ...slashOf(line), channelId: channel, locale: 'en-US' }),
        );
        return answer(callback);
      },
      async press(channel, message, button) {
        const callback = await r.fake.interact(
          r.fake.buttonInteraction({
            customId: button.wire.custom_id ?? '',
            messageId: message.id,
            // A message in a thread is pressed in the thread, which is a channel of its own on Discord.
            channelId: message.thread ?? channel,
            locale: 'en-US',
          }),
        );
        return answer(callback);
      },
      async pick(channel, menu, label) {
        // The string select as the answer rendered it; Discord sends back the picked option's value.
        const rows = (JSON.parse(menu.text) as { components?: { components: Record<string, unknown>[] }[] })
          .components;
        // A menu may span several selects (one a group): the one holding the option is picked from.
        const selects = (rows ?? []).flatMap((row) => row.components).filter((c) => c.type === 3) as {
          custom_id: string;
          options: { label: string; value: string }[];
        }[];
        const select = selects.find((c) => c.options.some((o) => o.label === label));
        const option = select?.options.find((o) => o.label === label);
        expect(option, `an option labelled ${label}`).toBeDefined();
        const callback = await r.fake.interact(
          r.fake.selectMenuInteraction({
            customId: select?.custom_id ?? '',
            values: [option?.value ?? ''],
            channelId: channel,
            locale: 'en-US',
            message: { flags: 64 },
          }),
        );
        return answer(callback);
      },
      async suggest(typed) {
        const callback = await r.fake.interact(
          r.fake.autocompleteInteraction({ subcommand: 'tool', focused: { name: 'name', value: typed } }),
        );
        expect(callback.type).toBe(8);
        return (callback.data as { choices: { name: string; value: string }[] }).choices;
      },
      posts: (channel) => r.fake.history(channel).map(post),
      threadPosts: (channel, anchorId) =>
        r.fake.threads.get(anchorId)?.parentId === channel ? r.fake.history(anchorId).map(post) : [],
      threadCount: (channel) => [...r.fake.threads.values()].filter((t) => t.parentId === channel).length,
      postAttempts: (channel) => r.fake.callsTo('POST', `/channels/${channel}/messages`).length,
      rateLimitNextPost: () =>
        r.fake.failNext('POST /channels/:id/messages', { status: 429, retryAfter: 0.05 }),
      async pressForForm(channel, message, button) {
        const shown = await r.fake.interact(
          r.fake.buttonInteraction({
            customId: button.wire.custom_id ?? '',
            messageId: message.id,
            channelId: message.thread ?? channel,
            locale: 'en-US',
          }),
        );
        expect(shown.type).toBe(9);
        return discordForm(shown, channel);
      },
      async openSettings(channel) {
        const shown = await r.fake.interact(
          r.fake.slashCommandInteraction({
            subcommand: 'settings',
            channelId: channel,
            locale: 'en-US',
            permissions: MANAGE_GUILD,
          }),
        );
        expect(shown.type).toBe(9);
        return discordForm(shown, channel);
      },
      seenInChannel: (channel) => [
        ...r.fake.history(channel).map((m) => JSON.stringify(m.message)),
        // Public answers to interactions (callbacks and follow-ups without the ephemeral flag) show in the channel.
        ...r.fake.callbacks
          .filter((c) => c.type === 4)
          .map((c) => r.fake.originalMessage(c.token))
          .filter((m) => m !== undefined && m.channel_id === channel && (m.flags & 64) === 0)
          .map((m) => JSON.stringify(m)),
        ...r.fake.webhookMessages
          .filter(
            (w) => w.kind === 'followUp' && w.message.channel_id === channel && (w.message.flags & 64) === 0,
          )
          .map((w) => JSON.stringify(w.message)),
      ],
      async submitForm(form, values) {
        const { shown, channel } = form.wire as { shown: FakeDiscordCallback; channel: string };
        const interaction = r.fake.submitModal(shown, values, {
          channelId: channel,
          locale: 'en-US',
          permissions: MANAGE_GUILD,
        });
        const seen = await answer(await r.fake.interact(interaction));
        // Discord has no errors on a modal's fields: the private answer names each field that was wrong.
        const errorFields = seen.text.includes('Nothing was changed. Fix these')
          ? form.fields.filter((f) => seen.text.includes(`**${f.label}**`)).map((f) => f.id)
          : [];
        return { accepted: errorFields.length === 0, errorFields, text: seen.text };
      },
      stop: () => r.stop(),
    };
  },
});

/** A modal the bot showed (a type-9 callback), as the contract reads forms. */
function discordForm(shown: FakeDiscordCallback, channel: string): ContractForm {
  const data = shown.data as {
    components: {
      label: string;
      component: {
        custom_id: string;
        type: number;
        value?: string;
        options?: { value: string; default?: boolean }[];
      };
    }[];
  };
  return {
    fields: data.components.map((label) => ({
      id: label.component.custom_id,
      label: label.label,
      value:
        label.component.type === 3
          ? (label.component.options?.find((o) => o.default)?.value ?? '')
          : (label.component.value ?? ''),
      ...(label.component.type === 3 ? { options: (label.component.options ?? []).map((o) => o.value) } : {}),
    })),
    text: JSON.stringify(shown.data),
    wire: { shown, channel },
  };
}

describe('the Discord bot (the real discord.js client, a fake Discord on loopback)', () => {
  it('follows the member’s Discord locale when the channel has no language set', async () => {
    const r = await rig();
    const ko = await r.fake.interact(
      r.fake.slashCommandInteraction({ subcommand: 'tool', options: { name: 'envoy' }, locale: 'ko' }),
    );
    expect(JSON.stringify(ko.data)).toContain('핵심 개념');
    const en = await r.fake.interact(
      r.fake.slashCommandInteraction({ subcommand: 'tool', options: { name: 'envoy' }, locale: 'en-GB' }),
    );
    expect(JSON.stringify(en.data)).toContain('Key concepts');
  });

  it('offers glossary concepts, marked, after the tools while a name is typed; the pick answers with the concept card', async () => {
    const r = await rig();
    const typed = await r.fake.interact(
      r.fake.autocompleteInteraction({ subcommand: 'tool', focused: { name: 'name', value: '사이드카' } }),
    );
    const choices = (typed.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices.length).toBeLessThanOrEqual(25);
    const concept = choices.find((c) => c.name.startsWith('📖'));
    expect(concept).toEqual({ name: '📖 Sidecar · 사이드카', value: 'what is Sidecar' });
    const card = await r.fake.interact(
      r.fake.slashCommandInteraction({
        subcommand: 'tool',
        options: { name: concept?.value ?? '' },
        locale: 'en-US',
      }),
    );
    const json = JSON.stringify(card.data);
    expect(json).toContain('Learn it in');
    expect(json).toContain('Open lesson 3');
  });

  it('offers quiz topics (in Korean for a Korean member) on the topic option, and the pick starts that round', async () => {
    const r = await rig();
    const typed = await r.fake.interact(
      r.fake.autocompleteInteraction({
        subcommand: 'quiz',
        focused: { name: 'topic', value: '서비스' },
        locale: 'ko',
      }),
    );
    expect(typed.type).toBe(8);
    const choices = (typed.data as { choices: { name: string; value: string }[] }).choices;
    const mesh = choices.find((c) => c.name.includes('서비스 메시'));
    expect(mesh, JSON.stringify(choices)).toBeDefined();
    const started = await r.fake.interact(
      r.fake.slashCommandInteraction({
        subcommand: 'quiz',
        options: { topic: mesh?.value ?? '' },
        channelId: '400000000000000077',
        locale: 'ko',
      }),
    );
    expect(JSON.stringify(started.data)).toContain('라운드');
    expect(await r.store.runningRound(`discord:${r.fake.guildId}:400000000000000077`)).not.toBeNull();
  });

  it('explains the tools and concepts of a message from its context menu, privately', async () => {
    const r = await rig();
    const answer = await r.fake.interact(
      r.fake.messageCommandInteraction({
        name: 'Explain tools in this message',
        content: 'Istio vs Linkerd? 사이드카 overhead @everyone',
        locale: 'en-US',
      }),
    );
    expect(answer.type).toBe(4);
    const data = answer.data as MessageJson & { allowed_mentions?: unknown };
    expect((data.flags ?? 0) & 64).toBe(64);
    const text = JSON.stringify(data);
    expect(text).toContain('Istio');
    expect(text).toContain('Linkerd');
    expect(text).toContain('Sidecar');
    expect(data.allowed_mentions).toEqual({ parse: [] });
    const none = await r.fake.interact(
      r.fake.messageCommandInteraction({
        name: 'Explain tools in this message',
        content: 'lunch?',
        locale: 'ko',
      }),
    );
    expect(JSON.stringify(none.data)).toContain('카탈로그에 있는 도구나 개념이 나오지 않아요');
  });

  it('plays a private round on the tools of a message from its context menu, through its buttons', async () => {
    const r = await rig();
    const first = await r.fake.interact(
      r.fake.messageCommandInteraction({ name: 'Quiz me on this', content: 'we run Istio', locale: 'en-US' }),
    );
    const data = first.data as MessageJson;
    expect((data.flags ?? 0) & 64).toBe(64);
    expect(JSON.stringify(data)).toContain('Just for you: a round on Istio');
    const buttons = (data.components ?? []).flatMap((row) => row.components);
    const option = buttons.find((b) => b.custom_id?.startsWith('quiz.me|'));
    expect(option).toBeDefined();
    const answered = await r.fake.interact(
      r.fake.buttonInteraction({
        customId: option?.custom_id ?? '',
        locale: 'en-US',
        message: { flags: 64 },
      }),
    );
    expect(JSON.stringify(answered.data)).toMatch(/Right!|Not quite/);
    expect(await r.store.runningRound(`discord:${r.fake.guildId}:400000000000000001`)).toBeNull();
  });

  it('offers holiday countries and time zones on the schedule option, in Korean for a Korean member', async () => {
    const r = await rig();
    const choicesOf = async (value: string, locale: string) =>
      (
        (
          await r.fake.interact(
            r.fake.autocompleteInteraction({
              subcommand: 'schedule',
              focused: { name: 'rule', value },
              locale,
            }),
          )
        ).data as { choices: { name: string; value: string }[] }
      ).choices;
    expect(await choicesOf('공휴일 대한', 'ko')).toContainEqual({
      name: '공휴일 KR · 대한민국',
      value: '공휴일 KR',
    });
    expect((await choicesOf('weekdays 09:00 seo', 'en-US')).map((c) => c.value)).toContain(
      'weekdays 09:00 Asia/Seoul',
    );
  });

  it('offers lessons by number and title on the lesson option', async () => {
    const r = await rig();
    const typed = await r.fake.interact(
      r.fake.autocompleteInteraction({
        subcommand: 'lesson',
        focused: { name: 'which', value: '12' },
        locale: 'en-US',
      }),
    );
    const choices = (typed.data as { choices: { name: string; value: string }[] }).choices;
    expect(choices[0]?.value).toBe('12');
    expect(choices[0]?.name).toMatch(/^Lesson 12: /);
  });

  it('feeds the member’s real permissions to the admin check', async () => {
    const r = await rig();
    const denied = await r.fake.interact(
      r.fake.slashCommandInteraction({
        subcommand: 'schedule',
        options: { rule: 'weekdays 09:00' },
        permissions: '0',
        locale: 'en-US',
      }),
    );
    expect(JSON.stringify(denied.data)).toContain('only channel admins');
    const allowed = await r.fake.interact(
      r.fake.slashCommandInteraction({
        subcommand: 'schedule',
        options: { rule: 'weekdays 09:00' },
        permissions: MANAGE_GUILD,
        locale: 'en-US',
      }),
    );
    expect(JSON.stringify(allowed.data)).toContain('Scheduled: weekdays 09:00');
  });

  it('resumes after a dropped gateway connection mid-round: the click sent meanwhile counts once', async () => {
    const r = await rig({ heartbeatIntervalMs: 500 });
    const channel = '400000000000000003';
    await withoutThreads(r, channel);
    await r.fake.interact(slashEn(r, 'quiz', { topic: 'etcd' }, channel));
    const question = r.fake.history(channel).find((m) => JSON.stringify(m.body).includes('quiz.answer'));
    const body = question?.body as { components?: { components: { custom_id?: string }[] }[] } | undefined;
    const customId = (body?.components ?? [])
      .flatMap((row) => row.components)
      .find((b) => b.custom_id?.startsWith('quiz.answer'))?.custom_id as string;
    const press = () =>
      r.fake.buttonInteraction({
        customId,
        messageId: question?.message.id ?? '',
        channelId: channel,
        locale: 'en-US',
      } as never);
    await r.fake.dropConnection();
    // Sent while the bot is disconnected: the gateway keeps it and replays it after the client resumes.
    const during = r.fake.interact(press(), { timeoutMs: 8000 });
    await r.fake.resumed({ timeoutMs: 8000 });
    expect(JSON.stringify((await during).data)).toContain('Got it');
    expect(JSON.stringify((await r.fake.interact(press())).data)).toContain('already answered');
    const round = await r.store.runningRound(`discord:${r.fake.guildId}:${channel}`);
    expect(await r.store.answers(round?.id ?? '', 0)).toHaveLength(1);
  });

  it('defers a slow command (a quiz start behind a rate limit) and edits the answer in', async () => {
    const r = await rig();
    const channel = '400000000000000004';
    await withoutThreads(r, channel);
    r.fake.failNext('POST /channels/:id/messages', { status: 429, retryAfter: 2 });
    const callback = await r.fake.interact(slashEn(r, 'quiz', { topic: 'envoy' }, channel), {
      timeoutMs: 5000,
    });
    expect(callback.type).toBe(5);
    const edit = await (async () => {
      for (let i = 0; i < 200; i++) {
        const found = r.fake.webhookMessages.find((m) => m.kind === 'edit');
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return undefined;
    })();
    expect(JSON.stringify(edit?.body)).toContain('Round started.');
    expect(r.fake.history(channel).length).toBeGreaterThanOrEqual(2);
  });
});

/** A logger that keeps the messages it was given. */
function recordingLogger(): Logger & { messages: string[] } {
  const messages: string[] = [];
  const keep = (_fields: Record<string, unknown>, message: string) => {
    messages.push(message);
  };
  return { messages, debug: keep, info: keep, warn: keep, error: keep };
}

const REDELIVERED = 'discord delivered an interaction again; already handled';

describe('Discord interactions delivered again', () => {
  const quizStart = (r: Rig, channel: string) => slashEn(r, 'quiz', { topic: 'etcd' }, channel);
  /** Waits until the redelivery was either skipped or run again, and tells how many answers its id got. */
  const afterRedelivery = async (r: Rig, logger: { messages: string[] }, id: string) => {
    const answered = () => r.fake.callbacks.filter((c) => c.interactionId === id).length;
    await until(() => logger.messages.includes(REDELIVERED) || answered() > 1, 'the redelivery', 20_000);
    return answered();
  };

  it('runs an interaction delivered twice only once', async () => {
    const logger = recordingLogger();
    const r = await rig({ logger });
    const channel = '400000000000000011';
    const start = quizStart(r, channel);
    expect(JSON.stringify((await r.fake.interact(start)).data)).toContain('Round started.');
    const posted = r.fake.history(channel).length;
    r.fake.dispatch('INTERACTION_CREATE', start);
    expect(await afterRedelivery(r, logger, start.id)).toBe(1);
    // Before: the second delivery ran the command again and told its starter "a round is already running".
    expect(r.fake.history(channel)).toHaveLength(posted);
    expect(logger.messages.filter((m) => m === REDELIVERED)).toHaveLength(1);
  });

  it('skips dispatches a RESUME replays after they were handled', async () => {
    const logger = recordingLogger();
    const r = await rig({ logger, heartbeatIntervalMs: 500 });
    const channel = '400000000000000012';
    const before = r.fake.dispatches.at(-1)?.s ?? 0;
    const start = quizStart(r, channel);
    await r.fake.interact(start);
    const posted = r.fake.history(channel).length;
    r.fake.replayOnNextResume(before);
    await r.fake.dropConnection();
    await r.fake.resumed({ timeoutMs: 15_000 });
    expect(await afterRedelivery(r, logger, start.id)).toBe(1);
    expect(r.fake.history(channel)).toHaveLength(posted);
    // The session goes on: a new command after the replay is answered.
    const after = await r.fake.interact(
      r.fake.slashCommandInteraction({ subcommand: 'tool', options: { name: 'etcd' }, channelId: channel }),
    );
    expect(JSON.stringify(after.data)).toContain('etcd');
  });

  it('forgets ids after an interaction token’s lifetime and keeps a bounded number', async () => {
    let now = 0;
    const seen = new SeenInteractions(() => now, 3);
    expect(['1', '2', '1'].map((id) => seen.first(id))).toEqual([true, true, false]);
    now += 15 * 60_000;
    expect(seen.first('1')).toBe(true);
    for (const id of ['a', 'b', 'c']) seen.first(id);
    // Over the bound the oldest goes first: '1' is forgotten, 'c' is still known.
    expect([seen.first('1'), seen.first('c')]).toEqual([true, false]);
  });
});

describe('Discord interactions the bot did not send', () => {
  const privately = (callback: FakeDiscordCallback) => {
    const data = callback.data as MessageJson;
    return { type: callback.type, private: ((data.flags ?? 0) & 64) !== 0, text: JSON.stringify(data) };
  };

  it.each([
    [
      'en-US',
      'That button is no longer active.',
      'That menu was not sent by this bot',
      'That form was not sent by this bot',
    ],
    ['ko', '더 이상 쓸 수 없는 버튼이에요.', '이 봇이 보낸 메뉴가 아니라서', '이 봇이 보낸 양식이 아니라서'],
  ])('answers a foreign button, select menu and form privately (%s)', async (locale, button, menu, form) => {
    const r = await rig();
    const answers = [
      await r.fake.interact(r.fake.buttonInteraction({ customId: 'someone-elses-button', locale })),
      await r.fake.interact(r.fake.selectMenuInteraction({ customId: 'pick', values: ['a'], locale })),
      await r.fake.interact(
        r.fake.modalSubmitInteraction({ customId: 'form', fields: { name: 'x' }, locale }),
      ),
    ].map(privately);
    expect(answers.map((a) => [a.type, a.private])).toEqual([
      [4, true],
      [4, true],
      [4, true],
    ]);
    expect(answers[0]?.text).toContain(button);
    expect(answers[1]?.text).toContain(menu);
    expect(answers[2]?.text).toContain(form);
  });
});

describe('the Discord platform with a revoked token', () => {
  it('stops reporting ready and reports the token as fatal once Discord answers 401', async () => {
    const fake = await startFakeDiscord();
    const fatal: string[] = [];
    const platform = discordPlatform({
      config: {
        token: 'revoked-token',
        applicationId: fake.applicationId,
        apiUrl: fake.apiUrl,
        guildId: null,
        shards: 1,
        shardSpawnDelayMs: 0,
      },
      logger: silentLogger,
      onFatal: (reason) => fatal.push(reason),
    });
    const store = await openStore({ sqlitePath: ':memory:' });
    const bot = createBot({
      catalog,
      store,
      poster: new DiscordPoster(platform.client.rest),
      timers: noTimers,
      defaultLang: 'en',
    });
    try {
      await platform.start(bot);
      expect(platform.connected()).toBe(true);
      fake.rejectToken();
      fake.dispatch('INTERACTION_CREATE', fake.slashCommandInteraction({ subcommand: 'help' }));
      await until(() => fatal.length > 0, 'the fatal report', 20_000);
      // /readyz reads connected(): 503 from here on, although the gateway session is still open.
      expect(platform.connected()).toBe(false);
      expect(platform.client.isReady()).toBe(true);
      expect(fatal).toEqual([expect.stringContaining('DISCORD_TOKEN')]);
    } finally {
      await platform.stop();
      await fake.close();
      await store.close();
    }
  });
});

describe('Discord button presses under a burst of channel posts', () => {
  /** The buttons of the newest message in `channel` that has `actionId` ones: message id and custom ids. */
  const buttonsOf = (r: Rig, channel: string, actionId: string) => {
    const message = r.fake
      .history(channel)
      .reverse()
      .find((m) => JSON.stringify(m.message.components).includes(`"${actionId}|`));
    const ids = ((message?.message.components ?? []) as NonNullable<MessageJson['components']>)
      .flatMap((row) => row.components.map((b) => b.custom_id ?? ''))
      .filter((id) => id.startsWith(`${actionId}|`));
    return { messageId: message?.message.id ?? '', ids };
  };

  it('acknowledges every press within 3 s while the reveals, next questions and quiz starts wait', async () => {
    const r = await rig();
    const channels = ['400000000000000021', '400000000000000022', '400000000000000023'];
    await withoutThreads(r, ...channels);
    for (const channel of channels) {
      await r.fake.interact(slashEn(r, 'quiz', { topic: 'etcd 2 30' }, channel));
      const q1 = buttonsOf(r, channel, 'quiz.answer');
      await r.fake.interact(
        r.fake.buttonInteraction({ customId: q1.ids[0] ?? '', messageId: q1.messageId, channelId: channel }),
      );
    }
    r.clock.advance(30_000);
    await r.bot.quiz.tick();
    // A lesson to press "Done" and "quiz me on this" on, in a channel of its own.
    const lessonChannel = '400000000000000029';
    await withoutThreads(r, lessonChannel);
    await r.fake.interact(slashEn(r, 'lesson', { which: '1' }, lessonChannel));
    const lessonCallback = r.fake.callbacks.at(-1)?.data as MessageJson;
    const lessonIds = (lessonCallback.components ?? []).flatMap((row) =>
      row.components.map((b) => b.custom_id),
    );
    const done = lessonIds.find((id) => id?.startsWith('lesson.done|')) ?? '';
    const quizMe = lessonIds.find((id) => id?.startsWith('quiz.lesson|')) ?? '';
    expect(done && quizMe).toBeTruthy();

    // Every channel post and edit is rate-limited from here on, as in a burst at 09:00.
    const limit = r.fake.rateLimit(/^(POST|PATCH) \/channels\//, 0.5);
    const presses = [
      // The one earlier player answers question 2 in every channel: each press closes its question.
      ...channels.map((channel) => {
        const q2 = buttonsOf(r, channel, 'quiz.answer');
        return r.fake.buttonInteraction({
          customId: q2.ids[1] ?? '',
          messageId: q2.messageId,
          channelId: channel,
        });
      }),
      r.fake.buttonInteraction({
        customId: done,
        channelId: lessonChannel,
        user: { id: '600000000000000002' },
      }),
      r.fake.buttonInteraction({
        customId: quizMe,
        channelId: lessonChannel,
        user: { id: '600000000000000002' },
      }),
    ];
    // Each rejects when its callback misses Discord's 3-second window. Before: the closing presses waited for the
    // reveal and the next question to be posted, and "quiz me on this" for the round's first posts.
    const callbacks = await Promise.all(presses.map((p) => r.fake.interact(p)));
    for (const callback of callbacks.slice(0, channels.length)) {
      expect(callback.type).toBe(4);
      expect(JSON.stringify(callback.data)).toContain(
        'Everyone has answered, so the answer is revealed now.',
      );
    }
    expect(JSON.stringify(callbacks[channels.length]?.data)).toContain('Lesson 1 marked done.');
    // "Quiz me on this" posts the round's intro and first question: it is acknowledged, and answered later.
    expect(callbacks[channels.length + 1]?.type).toBe(6);
    // Nothing reached the channels while they were rate-limited: only question 1 is revealed.
    for (const channel of channels)
      expect(r.fake.history(channel).filter((m) => m.edits.length > 0)).toHaveLength(1);

    limit.lift();
    await until(
      () =>
        channels.every((channel) => r.fake.history(channel).filter((m) => m.edits.length > 0).length === 2),
      'both questions of every round revealed',
      20_000,
    );
    const followUp = await waitFor(
      () =>
        r.fake.webhookMessages.find((m) => m.kind === 'followUp' && JSON.stringify(m.body).includes('Round')),
      'the answer to "quiz me on this"',
    );
    expect(JSON.stringify(followUp.body)).toContain('Round started.');
    expect(r.fake.history(lessonChannel).some((m) => JSON.stringify(m.body).includes('Quiz time!'))).toBe(
      true,
    );
  });
});

describe('Discord threads', () => {
  const announcementOf = (r: Rig, channel: string) =>
    r.fake
      .history(channel)
      .find((m) => m.message.content.includes('Quiz time!') || JSON.stringify(m.body).includes('Quiz time!'));

  it("starts a round's thread from its announcement (a day's archive, named after the round) and follows it when archived or locked", async () => {
    const r = await rig();
    const channel = '400000000000000041';
    await r.fake.interact(slashEn(r, 'quiz', { topic: 'etcd 2 30' }, channel));
    const announcement = await waitFor(() => announcementOf(r, channel), 'the announcement');
    const threadId = announcement.message.id;
    const thread = r.fake.threads.get(threadId);
    expect(thread?.parentId).toBe(channel);
    expect(thread?.body).toEqual({ name: 'Quiz: etcd', auto_archive_duration: 1440 });
    expect(r.fake.callsTo('POST', `/channels/${channel}/messages/${threadId}/threads`)).toHaveLength(1);
    const inThread = () => r.fake.history(threadId);
    expect(inThread().map((m) => JSON.stringify(m.body))).toEqual([expect.stringContaining('quiz.answer')]);

    // Archived by inactivity: the reveal's edit is refused (50083), so it goes out as a message, which reopens it.
    r.fake.archiveThread(threadId);
    r.clock.advance(30_000);
    await r.bot.quiz.tick();
    await waitFor(
      () => inThread().find((m) => JSON.stringify(m.body).includes('Question 2/2')),
      'question 2',
    );
    expect(r.fake.threads.get(threadId)?.archived).toBe(false);
    expect(inThread()[0]?.edits).toEqual([]);
    expect(JSON.stringify(inThread()[1]?.body)).toContain('Answer: ');

    // Locked by a moderator: nothing more can go into the thread, so the rest of the round comes to the channel.
    r.fake.archiveThread(threadId, { locked: true });
    r.clock.advance(30_000);
    await r.bot.quiz.tick();
    const round = (await r.store.runningRound(`discord:${r.fake.guildId}:${channel}`)) ?? null;
    expect(round).toBeNull();
    const channelTexts = r.fake.history(channel).map((m) => JSON.stringify(m.body));
    expect(channelTexts.some((x) => x.includes('Round over: scores'))).toBe(true);
    expect(channelTexts.some((x) => x.includes('round over'))).toBe(true);
    expect(inThread()).toHaveLength(3);
  });

  it('runs a lesson\'s "quiz me" round in the thread of the lesson message, without a second announcement', async () => {
    const r = await rig();
    const channel = '400000000000000042';
    await r.fake.interact(slashEn(r, 'lesson', { which: '1' }, channel));
    const callback = r.fake.callbacks.at(-1);
    const lesson = r.fake.originalMessage(callback?.token ?? '');
    const quizMe = (((callback?.data ?? {}) as MessageJson).components ?? [])
      .flatMap((row) => row.components.map((b) => b.custom_id))
      .find((id) => id?.startsWith('quiz.lesson|'));
    expect(lesson && quizMe).toBeTruthy();
    const answer = await r.fake.interact(
      r.fake.buttonInteraction({ customId: quizMe ?? '', messageId: lesson?.id ?? '', channelId: channel }),
    );
    expect(JSON.stringify(answer.data)).toContain('Round started.');
    const threadId = lesson?.id ?? '';
    await waitFor(
      () => r.fake.history(threadId).find((m) => JSON.stringify(m.body).includes('quiz.answer')),
      'the first question in the lesson thread',
    );
    expect(r.fake.threads.get(threadId)?.name).toMatch(/^Quiz: 1\. /);
    expect(r.fake.history(channel)).toEqual([]);
    const round = await r.store.runningRound(`discord:${r.fake.guildId}:${channel}`);
    expect(round?.threadAnchor).toBe(threadId);
  });

  it('keys a command typed inside a thread by its channel, and runs the round in that thread', async () => {
    const r = await rig();
    const channel = '400000000000000043';
    await withoutThreads(r, channel);
    await r.fake.interact(slashEn(r, 'lesson', { which: '1' }, channel));
    await r.store.updateChannel(
      `discord:${r.fake.guildId}:${channel}`,
      { threads: true },
      r.clock.now().getTime(),
    );
    const lesson = r.fake.originalMessage(r.fake.callbacks.at(-1)?.token ?? '');
    const threadId = lesson?.id ?? '';
    await r.poster.startThread(`discord:${r.fake.guildId}:${channel}`, threadId, 'talk');
    await r.fake.interact(slashEn(r, 'quiz', { topic: 'etcd 1 30' }, threadId));
    const round = await r.store.runningRound(`discord:${r.fake.guildId}:${channel}`);
    expect(round?.threadAnchor).toBe(threadId);
    await waitFor(
      () => r.fake.history(threadId).find((m) => JSON.stringify(m.body).includes('quiz.answer')),
      'the question in the thread',
    );
    expect(r.fake.history(channel)).toEqual([]);
  });

  it('plays a round in its thread with exactly the permissions the README has the bot invited with', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const documented = BigInt(
      /discord\.com\/oauth2\/authorize\?[^`\s]*permissions=(\d+)/.exec(readme)?.[1] ?? '0',
    );
    expect(documented & PERMISSION.createPublicThreads).not.toBe(0n);
    const r = await rig({ botPermissions: documented });
    const channel = '400000000000000044';
    await r.fake.interact(slashEn(r, 'quiz', { topic: 'etcd 1 30' }, channel));
    const announcement = await waitFor(() => announcementOf(r, channel), 'the announcement');
    await waitFor(
      () =>
        r.fake.history(announcement.message.id).find((m) => JSON.stringify(m.body).includes('quiz.answer')),
      'the question in the thread',
    );
    r.clock.advance(30_000);
    await r.bot.quiz.tick();
    await waitFor(
      () => r.fake.history(channel).find((m) => JSON.stringify(m.body).includes('round over')),
      'the summary in the channel',
    );
    expect(r.fake.threads.get(announcement.message.id)?.parentId).toBe(channel);
    expect(await r.store.runningRound(`discord:${r.fake.guildId}:${channel}`)).toBeNull();
  });

  it('plays in the channel, as before threads, for a bot invited without the thread permissions', async () => {
    const r = await rig({
      botPermissions: PERMISSION.viewChannel | PERMISSION.sendMessages | PERMISSION.embedLinks,
    });
    const channel = '400000000000000045';
    await r.fake.interact(slashEn(r, 'quiz', { topic: 'etcd 1 30' }, channel));
    await waitFor(
      () => r.fake.history(channel).find((m) => JSON.stringify(m.body).includes('quiz.answer')),
      'the question in the channel',
    );
    expect(r.fake.threads.size).toBe(0);
    expect((await r.store.runningRound(`discord:${r.fake.guildId}:${channel}`))?.threadAnchor).toBeNull();
    r.clock.advance(30_000);
    await r.bot.quiz.tick();
    await waitFor(
      () => r.fake.history(channel).find((m) => JSON.stringify(m.body).includes('Round over: scores')),
      'the final board in the channel',
    );
  });

  it('plays in the channel where Discord cannot hold a thread (50024, a DM)', async () => {
    const r = await rig();
    const channel = '400000000000000046';
    r.fake.failNext('POST /channels/:channel/messages/:message/threads', {
      status: 400,
      code: 50024,
      message: 'Cannot execute action on this channel type',
    });
    await r.fake.interact(slashEn(r, 'quiz', { topic: 'etcd 1 30' }, channel));
    await waitFor(
      () => r.fake.history(channel).find((m) => JSON.stringify(m.body).includes('quiz.answer')),
      'the question in the channel',
    );
    expect(r.fake.threads.size).toBe(0);
  });
});

describe('the settings form on Discord', () => {
  const settings = (r: Rig, channel: string, permissions: string, locale = 'en-US') =>
    r.fake.slashCommandInteraction({ subcommand: 'settings', channelId: channel, locale, permissions });

  it('shows a member who is not an admin the settings privately as text, not the modal', async () => {
    const r = await rig();
    const answer = await r.fake.interact(settings(r, '400000000000000201', '0'));
    expect(answer.type).toBe(4);
    expect(((answer.data as MessageJson).flags ?? 0) & 64).toBe(64);
    expect(JSON.stringify(answer.data)).toContain('Only channel admins can change these.');
  });

  it('shows an admin the first five fields in Labels, in Korean for a Korean member, within the limits the fake checks', async () => {
    const r = await rig();
    await r.store.updateChannel(`discord:${r.fake.guildId}:400000000000000202`, { threads: false }, 0);
    const shown = await r.fake.interact(settings(r, '400000000000000202', MANAGE_GUILD, 'ko'));
    expect(shown.type).toBe(9);
    const data = shown.data as { title: string; components: { type: number; label: string }[] };
    expect(data.title).toBe('채널 설정');
    expect(data.components).toHaveLength(5);
    expect(data.components.every((c) => c.type === 18)).toBe(true);
    expect(data.components.map((c) => c.label)).toEqual([
      '일정',
      '시간대',
      '건너뛸 공휴일',
      '언어',
      '퀴즈 기본값',
    ]);
    // The threads setting, which the modal had no room for, keeps its value.
    const saved = await r.fake.interact(
      r.fake.submitModal(
        shown,
        { rule: '평일 오전 9시' },
        { channelId: '400000000000000202', locale: 'ko', permissions: MANAGE_GUILD },
      ),
    );
    expect(JSON.stringify(saved.data)).toContain('저장했어요');
    expect(await r.store.getChannel(`discord:${r.fake.guildId}:400000000000000202`)).toMatchObject({
      cron: '0 9 * * 1-5',
      threads: false,
    });
  });

  it('changes nothing when the interaction expired before the modal could be shown, and answers the next one', async () => {
    const logger = recordingLogger();
    const r = await rig({ logger });
    const late = settings(r, '400000000000000203', MANAGE_GUILD);
    r.fake.expireInteraction(late.id);
    r.fake.dispatch('INTERACTION_CREATE', late);
    await until(() => logger.messages.includes('discord interaction failed'), 'the failed modal logged');
    expect(r.fake.callbacks).toEqual([]);
    const next = await r.fake.interact(settings(r, '400000000000000203', MANAGE_GUILD));
    expect(next.type).toBe(9);
  });

  it('answers an invalid submission privately, naming the field, and a redelivered submission only once', async () => {
    const r = await rig();
    const channel = '400000000000000204';
    const shown = await r.fake.interact(settings(r, channel, MANAGE_GUILD));
    const submit = r.fake.submitModal(
      shown,
      { holidays: 'Atlantis' },
      { channelId: channel, locale: 'en-US', permissions: MANAGE_GUILD },
    );
    const answer = await r.fake.interact(submit);
    expect(((answer.data as MessageJson).flags ?? 0) & 64).toBe(64);
    expect(JSON.stringify(answer.data)).toContain('**Skip holidays of**');
    expect(JSON.stringify(answer.data)).toContain('Unknown country code');
    // Discord delivering the same submission again: skipped, not answered twice (which Discord would refuse).
    r.fake.dispatch('INTERACTION_CREATE', submit);
    const again = await r.fake.interact(
      r.fake.submitModal(
        shown,
        { holidays: 'KR' },
        { channelId: channel, locale: 'en-US', permissions: MANAGE_GUILD },
      ),
    );
    expect(JSON.stringify(again.data)).toContain('Saved.');
    expect(r.fake.callbacks.filter((c) => c.interactionId === submit.id)).toHaveLength(1);
    expect((await r.store.getChannel(`discord:${r.fake.guildId}:${channel}`))?.holidayCountry).toBe('KR');
  });
});
