import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  Routes,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from './discord.ts';

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await fake?.close();
  fake = undefined;
});

/** Starts the fake and logs a real discord.js client into it. */
async function connect(
  options: FakeDiscordOptions = {},
): Promise<{ fake: FakeDiscord; client: Client; interactions: Interaction[] }> {
  const f = await startFakeDiscord(options);
  fake = f;
  const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: f.apiUrl } });
  client = c;
  const interactions: Interaction[] = [];
  c.on(Events.InteractionCreate, (interaction) => {
    interactions.push(interaction);
  });
  const ready = new Promise<void>((resolve) => c.once(Events.ClientReady, () => resolve()));
  await c.login('test-token');
  await ready;
  await f.ready();
  return { fake: f, client: c, interactions };
}

describe('fake Discord REST with a plain fetch', () => {
  it('answers gateway/bot without a query string and records calls', async () => {
    const f = await startFakeDiscord();
    fake = f;
    const res = await fetch(`${f.apiUrl}/v10/gateway/bot`, { headers: { Authorization: 'Bot abc' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      url: `ws://127.0.0.1:${f.port}/gw`,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
    });
    expect(f.calls).toEqual([
      {
        method: 'GET',
        route: '/gateway/bot',
        query: {},
        body: undefined,
        auth: 'Bot abc',
        at: expect.any(Number),
      },
    ]);
  });

  it('answers unknown routes with a Discord-shaped 404', async () => {
    const f = await startFakeDiscord();
    fake = f;
    const res = await fetch(`${f.apiUrl}/v10/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: '404: Not Found', code: 0 });
  });
});

describe('fake Discord with the real discord.js Client', () => {
  it('logs in: IDENTIFY gets READY and the client is ready', async () => {
    const { fake: f, client: c } = await connect();
    expect(c.isReady()).toBe(true);
    expect(c.user?.id).toBe(f.botUserId);
    expect(c.application?.id).toBe(f.applicationId);
    expect(f.identifies).toHaveLength(1);
    expect(f.identifies[0]).toMatchObject({ token: 'test-token', shard: [0, 1] });
    expect(f.callsTo('GET', '/gateway/bot')).toHaveLength(1);
    expect(f.callsTo('GET', '/gateway/bot')[0]?.auth).toBe('Bot test-token');
    expect(f.dispatches[0]).toMatchObject({ s: 1, t: 'READY' });
  });

  it('delivers a slash command and records the reply callback (type 4, allowed_mentions)', async () => {
    const { fake: f, client: c } = await connect();
    const seen: ChatInputCommandInteraction[] = [];
    c.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      seen.push(interaction);
      await interaction.reply({ content: 'hi', allowedMentions: { parse: [] } });
    });
    const payload = f.slashCommandInteraction({
      subcommand: 'lookup',
      options: { tool: 'kubernetes', limit: 3 },
      user: { id: '700000000000000007', username: 'minji' },
      permissions: '8',
      locale: 'ko',
    });
    const callback = await f.interact(payload);
    expect(callback).toMatchObject({
      interactionId: payload.id,
      token: payload.token,
      type: 4,
      data: { content: 'hi', allowed_mentions: { parse: [] } },
    });
    expect(f.callbacks).toEqual([callback]);
    const call = f.callsTo('POST', '/interactions/:id/:token/callback')[0];
    expect(call?.auth).toBeNull();

    const interaction = seen[0];
    expect(interaction?.commandName).toBe('orch');
    expect(interaction?.options.getSubcommand()).toBe('lookup');
    expect(interaction?.options.getString('tool')).toBe('kubernetes');
    expect(interaction?.options.getInteger('limit')).toBe(3);
    expect(interaction?.user.id).toBe('700000000000000007');
    expect(interaction?.locale).toBe('ko');
    expect(interaction?.guildId).toBe(f.guildId);
    expect(interaction?.memberPermissions?.has('Administrator')).toBe(true);
  });

  it('records editReply (PATCH @original) and followUp (POST ?wait=true) as webhook messages', async () => {
    const { fake: f, client: c } = await connect();
    const done = new Promise<void>((resolve, reject) => {
      c.on(Events.InteractionCreate, async (interaction) => {
        if (!interaction.isChatInputCommand()) return;
        try {
          await interaction.deferReply();
          const edited = await interaction.editReply({ content: 'edited', allowedMentions: { parse: [] } });
          expect(edited.content).toBe('edited');
          const follow = await interaction.followUp({ content: 'more', allowedMentions: { parse: [] } });
          expect(follow.content).toBe('more');
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    const payload = f.slashCommandInteraction();
    expect((await f.interact(payload)).type).toBe(5);
    await done;
    expect(f.webhookMessages.map((w) => [w.kind, w.messageId, w.message.content])).toEqual([
      ['edit', '@original', 'edited'],
      ['followUp', expect.any(String), 'more'],
    ]);
    expect(f.webhookMessages[0]?.token).toBe(payload.token);
    expect(f.webhookMessages[0]?.applicationId).toBe(f.applicationId);
    expect(f.callsTo('PATCH', '/webhooks/:app/:token/messages/%40original')).toHaveLength(1);
    expect(f.callsTo('POST', '/webhooks/:app/:token')[0]?.query).toEqual({ wait: 'true' });
  });

  it('records a button update as a type-7 callback', async () => {
    const { fake: f, client: c } = await connect();
    const seen: ButtonInteraction[] = [];
    c.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isButton()) return;
      seen.push(interaction);
      await interaction.update({ content: 'answered', components: [] });
    });
    const payload = f.buttonInteraction({ customId: 'quiz:q1:answer:2', message: { content: 'Quiz 1' } });
    const callback = await f.interact(payload);
    expect(callback).toMatchObject({ type: 7, data: { content: 'answered', components: [] } });
    expect(seen[0]?.customId).toBe('quiz:q1:answer:2');
    expect(seen[0]?.message.content).toBe('Quiz 1');
  });

  it('records autocomplete respond() as a type-8 callback', async () => {
    const { fake: f, client: c } = await connect();
    const seen: AutocompleteInteraction[] = [];
    c.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      seen.push(interaction);
      const typed = interaction.options.getFocused();
      await interaction.respond([{ name: `${typed}ernetes`, value: 'kubernetes' }]);
    });
    const payload = f.autocompleteInteraction({
      subcommand: 'lookup',
      focused: { name: 'tool', value: 'kub' },
    });
    const callback = await f.interact(payload);
    expect(callback).toMatchObject({
      type: 8,
      data: { choices: [{ name: 'kubernetes', value: 'kubernetes' }] },
    });
    expect(seen[0]?.options.getFocused(true)).toMatchObject({ name: 'tool', value: 'kub' });
  });

  it('shows a modal of Labels (a select, a text input) through showModal, reads its submission, and refuses what Discord refuses', async () => {
    const { fake: f, client: c } = await connect();
    const modal = {
      custom_id: 'settings|x',
      title: 'Settings',
      components: [
        {
          type: 18,
          label: 'Language',
          description: 'The answer language',
          component: {
            type: 3,
            custom_id: 'lang',
            options: [
              { label: 'Korean', value: 'ko', default: true },
              { label: 'English', value: 'en' },
            ],
          },
        },
        {
          type: 18,
          label: 'Schedule',
          component: { type: 4, custom_id: 'rule', style: 1, value: 'daily 09:00' },
        },
      ],
    };
    const submitted: { rule: string; lang: readonly string[] }[] = [];
    const errors: unknown[] = [];
    c.on(Events.InteractionCreate, async (interaction) => {
      try {
        if (interaction.isChatInputCommand()) {
          await interaction.showModal(modal as never);
          // One response to an interaction: a second is refused.
          await interaction.client.rest
            .post(Routes.interactionCallback(interaction.id, interaction.token), {
              body: { type: 4, data: { content: 'again' } },
              auth: false,
            })
            .catch((error: unknown) => errors.push(error));
        }
        if (interaction.isModalSubmit()) {
          submitted.push({
            rule: interaction.fields.getTextInputValue('rule'),
            lang: interaction.fields.getStringSelectValues('lang'),
          });
          // A modal cannot answer a modal.
          await interaction.client.rest
            .post(Routes.interactionCallback(interaction.id, interaction.token), {
              body: { type: 9, data: modal },
              auth: false,
            })
            .catch((error: unknown) => errors.push(error));
          await interaction.reply({ content: 'saved' });
        }
      } catch (error) {
        errors.push(error);
      }
    });
    const shown = await f.interact(f.slashCommandInteraction({ subcommand: 'settings' }));
    expect(shown).toMatchObject({ type: 9, data: { custom_id: 'settings|x', title: 'Settings' } });
    await waitFor(() => errors.length === 1);
    expect(errors[0]).toBeInstanceOf(DiscordAPIError);
    expect((errors[0] as DiscordAPIError).code).toBe(40060);

    const answered = await f.interact(f.submitModal(shown, { rule: 'weekdays 08:00' }));
    expect(answered).toMatchObject({ type: 4, data: { content: 'saved' } });
    expect(submitted).toEqual([{ rule: 'weekdays 08:00', lang: ['ko'] }]);
    expect((errors[1] as DiscordAPIError).code).toBe(50035);
    expect(() => f.submitModal(shown, { lang: 'fr' })).toThrow(/not an option/);
  });

  it('refuses an expired interaction with 10062 and a modal over five components with 50035', async () => {
    const { fake: f, client: c } = await connect();
    const errors: unknown[] = [];
    const field = (n: number) => ({
      type: 18,
      label: `F${n}`,
      component: { type: 4, custom_id: `f${n}`, style: 1 },
    });
    c.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const count = interaction.options.getSubcommand() === 'six' ? 6 : 1;
      await interaction
        .showModal({
          custom_id: 'm',
          title: 'M',
          components: Array.from({ length: count }, (_, i) => field(i)),
        } as never)
        .catch((error: unknown) => errors.push(error));
    });
    const late = f.slashCommandInteraction({ subcommand: 'one' });
    f.expireInteraction(late.id);
    f.dispatch('INTERACTION_CREATE', late);
    await waitFor(() => errors.length === 1);
    expect((errors[0] as DiscordAPIError).code).toBe(10062);
    f.dispatch('INTERACTION_CREATE', f.slashCommandInteraction({ subcommand: 'six' }));
    await waitFor(() => errors.length === 2);
    expect((errors[1] as DiscordAPIError).code).toBe(50035);
    expect(f.callbacks).toEqual([]);
  });

  it('takes a select alone in its row (25 options) and refuses a select beside a button or over 25 options with 50035', async () => {
    const { fake: f, client: c } = await connect();
    const errors: unknown[] = [];
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `O${i}`, value: `v${i}` }));
    const select = (n: number) => ({ type: 3, custom_id: 's', placeholder: 'Pick', options: options(n) });
    const button = { type: 2, style: 2, label: 'B', custom_id: 'b' };
    const rows: Record<string, unknown[]> = {
      good: [
        { type: 1, components: [select(25)] },
        { type: 1, components: [button] },
      ],
      mixed: [{ type: 1, components: [select(2), button] }],
      many: [{ type: 1, components: [select(26)] }],
    };
    c.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const components = rows[interaction.options.getSubcommand()] ?? [];
      await interaction
        .reply({ content: 'x', components } as never)
        .catch((error: unknown) => errors.push(error));
    });
    const good = await f.interact(f.slashCommandInteraction({ subcommand: 'good' }));
    expect(good.type).toBe(4);
    f.dispatch('INTERACTION_CREATE', f.slashCommandInteraction({ subcommand: 'mixed' }));
    f.dispatch('INTERACTION_CREATE', f.slashCommandInteraction({ subcommand: 'many' }));
    await waitFor(() => errors.length === 2);
    expect(errors.map((e) => (e as DiscordAPIError).code)).toEqual([50035, 50035]);
    expect(f.callbacks).toHaveLength(1);
  });

  it('sends a message context-menu command with its target message resolved, as discord.js reads it', async () => {
    const { fake: f, client: c } = await connect();
    const seen: { name: string; content: string }[] = [];
    c.on(Events.InteractionCreate, async (interaction) => {
      if (!interaction.isMessageContextMenuCommand()) return;
      seen.push({ name: interaction.commandName, content: interaction.targetMessage.content });
      await interaction.reply({ content: 'ok', flags: 64 });
    });
    const callback = await f.interact(
      f.messageCommandInteraction({ name: 'Explain', content: 'istio 이스티오' }),
    );
    expect(callback.type).toBe(4);
    expect(seen).toEqual([{ name: 'Explain', content: 'istio 이스티오' }]);
  });

  it('rejects interact() when the bot never answers', async () => {
    const { fake: f } = await connect();
    await expect(f.interact(f.slashCommandInteraction(), { timeoutMs: 100 })).rejects.toThrow(/no callback/);
  });

  it('posts and edits channel messages through channels.fetch + send', async () => {
    const { fake: f, client: c } = await connect();
    const channel = (await c.channels.fetch('400000000000000009', {
      allowUnknownGuild: true,
    })) as TextChannel;
    expect(channel.id).toBe('400000000000000009');
    const sent = await channel.send({ content: 'hello study group', allowedMentions: { parse: [] } });
    expect(sent.content).toBe('hello study group');
    expect(sent.author.id).toBe(f.botUserId);
    const stored = f.lastMessage('400000000000000009');
    expect(stored?.message).toMatchObject({
      id: sent.id,
      content: 'hello study group',
      channel_id: channel.id,
    });
    expect(stored?.body).toMatchObject({ allowed_mentions: { parse: [] } });

    // Message#edit needs the channel in cache (an unknown guild's channel is not cached): edit via the manager.
    const edited = await channel.messages.edit(sent.id, { content: 'edited' });
    expect(edited.content).toBe('edited');
    expect(stored?.message.content).toBe('edited');
    expect(stored?.edits).toHaveLength(1);
    expect(f.callsTo('PATCH', '/channels/:id/messages/:mid')).toHaveLength(1);
  });

  it('de-duplicates posts carrying the same nonce with enforce_nonce', async () => {
    const { fake: f, client: c } = await connect();
    const channel = (await c.channels.fetch('400000000000000009', {
      allowUnknownGuild: true,
    })) as TextChannel;
    const first = await channel.send({ content: 'once', nonce: 'lesson-1', enforceNonce: true });
    const second = await channel.send({ content: 'once again', nonce: 'lesson-1', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(second.content).toBe('once');
    expect(f.history('400000000000000009')).toHaveLength(1);
    expect(f.callsTo('POST', '/channels/:id/messages')).toHaveLength(2);
    // Without enforce_nonce the same nonce creates a new message, as on Discord.
    await channel.send({ content: 'again', nonce: 'lesson-1' });
    expect(f.history('400000000000000009')).toHaveLength(2);
  });

  it('starts one thread from a message, with the message id, and refuses a second, a missing message and a bad body', async () => {
    const { fake: f, client: c } = await connect();
    const channel = (await c.channels.fetch('400000000000000010', {
      allowUnknownGuild: true,
    })) as TextChannel;
    const message = await channel.send({ content: 'announcement' });
    const route = Routes.threads('400000000000000010', message.id);
    const thread = (await c.rest.post(route, { body: { name: 'Quiz', auto_archive_duration: 1440 } })) as {
      id: string;
      type: number;
      parent_id: string;
      thread_metadata: { auto_archive_duration: number; archived: boolean };
    };
    expect(thread).toMatchObject({ id: message.id, type: 11, parent_id: '400000000000000010' });
    expect(thread.thread_metadata).toMatchObject({ auto_archive_duration: 1440, archived: false });
    await expect(
      c.rest.post(route, { body: { name: 'Quiz', auto_archive_duration: 1440 } }),
    ).rejects.toMatchObject({
      code: 160004,
    });
    await expect(
      c.rest.post(Routes.threads('400000000000000010', '1'), {
        body: { name: 'x', auto_archive_duration: 60 },
      }),
    ).rejects.toMatchObject({ code: 10008 });
    const other = await channel.send({ content: 'another' });
    await expect(
      c.rest.post(Routes.threads('400000000000000010', other.id), {
        body: { name: '', auto_archive_duration: 1440 },
      }),
    ).rejects.toMatchObject({ code: 50035 });
    await expect(
      c.rest.post(Routes.threads('400000000000000010', other.id), {
        body: { name: 'x', auto_archive_duration: 30 },
      }),
    ).rejects.toMatchObject({ code: 50035 });
    // A thread is a channel: messages go to its id, and reading it says where it belongs.
    await c.rest.post(Routes.channelMessages(message.id), { body: { content: 'in the thread' } });
    expect(f.history(message.id).map((m) => m.message.content)).toEqual(['in the thread']);
    expect(await c.rest.get(Routes.channel(message.id))).toMatchObject({
      type: 11,
      parent_id: '400000000000000010',
    });
    expect(f.threads.size).toBe(1);
  });

  it('reopens an archived thread with a new message, refuses edits in it, and refuses everything once locked', async () => {
    const { fake: f, client: c } = await connect();
    const channel = (await c.channels.fetch('400000000000000011', {
      allowUnknownGuild: true,
    })) as TextChannel;
    const anchor = await channel.send({ content: 'announcement' });
    await c.rest.post(Routes.threads('400000000000000011', anchor.id), {
      body: { name: 'Quiz', auto_archive_duration: 1440 },
    });
    const inThread = (await c.rest.post(Routes.channelMessages(anchor.id), { body: { content: 'q1' } })) as {
      id: string;
    };
    f.archiveThread(anchor.id);
    await expect(
      c.rest.patch(Routes.channelMessage(anchor.id, inThread.id), { body: { content: 'edited' } }),
    ).rejects.toMatchObject({ code: 50083 });
    await c.rest.post(Routes.channelMessages(anchor.id), { body: { content: 'q2' } });
    expect(f.threads.get(anchor.id)?.archived).toBe(false);
    f.archiveThread(anchor.id, { locked: true });
    await expect(
      c.rest.post(Routes.channelMessages(anchor.id), { body: { content: 'q3' } }),
    ).rejects.toMatchObject({ code: 50083 });
    expect(f.history(anchor.id).map((m) => m.message.content)).toEqual(['q1', 'q2']);
  });

  it('sends an interaction from inside a thread with the thread channel (type 11) and its parent', async () => {
    const { fake: f, client: c } = await connect();
    const channel = (await c.channels.fetch('400000000000000012', {
      allowUnknownGuild: true,
    })) as TextChannel;
    const anchor = await channel.send({ content: 'announcement' });
    await c.rest.post(Routes.threads('400000000000000012', anchor.id), {
      body: { name: 'Quiz', auto_archive_duration: 1440 },
    });
    const payload = f.buttonInteraction({ customId: 'x', channelId: anchor.id });
    expect(payload.channel).toEqual({
      id: anchor.id,
      type: 11,
      guild_id: f.guildId,
      parent_id: '400000000000000012',
    });
    expect(payload.channel_id).toBe(anchor.id);
  });

  it('fails the next matching request: 429 is retried after Retry-After, 500 is retried, 403 throws', async () => {
    const { fake: f, client: c } = await connect();
    const channelId = '400000000000000009';
    f.failNext('POST /channels/:id/messages', { status: 429, retryAfter: 0.05 });
    const sent = await c.rest.post(`/channels/${channelId}/messages`, { body: { content: 'a' } });
    expect(sent).toMatchObject({ content: 'a' });
    expect(f.callsTo('POST', '/channels/:id/messages')).toHaveLength(2);

    f.failNext('/channels/:id/messages', { status: 500 });
    await c.rest.post(`/channels/${channelId}/messages`, { body: { content: 'b' } });
    expect(f.callsTo('POST', '/channels/:id/messages')).toHaveLength(4);

    f.failNext(/^POST \/channels\//, { status: 403, code: 50013, message: 'Missing Permissions' });
    const error = await c.rest
      .post(`/channels/${channelId}/messages`, { body: { content: 'c' } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 403, code: 50013 });
    expect(f.history(channelId).map((m) => m.message.content)).toEqual(['a', 'b']);
  });

  it('enforces per-route buckets with X-RateLimit headers (discord.js waits them out) and a global limit callbacks are exempt from', async () => {
    const { fake: f, client: c } = await connect({
      rateLimits: {
        globalPerSecond: 100,
        routes: [{ route: 'POST /channels/:id/messages', limit: 2, windowMs: 300, bucket: 'posts' }],
      },
    });
    const channelId = '400000000000000009';
    const other = '400000000000000010';
    await Promise.all(
      ['1', '2', '3'].map((content) => c.rest.post(`/channels/${channelId}/messages`, { body: { content } })),
    );
    // discord.js queues one bucket's requests in order and, told the bucket is used up, waits for its reset.
    expect(f.history(channelId).map((m) => m.message.content)).toEqual(['1', '2', '3']);
    await c.rest.post(`/channels/${other}/messages`, { body: { content: 'other' } });
    expect(f.history(other)).toHaveLength(1);

    // A client that ignores the headers is refused: 429 with the bucket and Retry-After.
    const post = () =>
      fetch(`${f.apiUrl}/v10/channels/${other}/messages`, {
        method: 'POST',
        headers: { Authorization: 'Bot test-token', 'Content-Type': 'application/json' },
        body: '{"content":"x"}',
      });
    expect((await post()).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-bucket')).toBe('posts');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(f.rateLimited.at(-1)).toMatchObject({ global: false, route: `/channels/${other}/messages` });
  });

  it('refuses bot requests past the global limit, but not interaction callbacks', async () => {
    const f = await startFakeDiscord({ rateLimits: { globalPerSecond: 1 } });
    fake = f;
    const get = () => fetch(`${f.apiUrl}/v10/gateway/bot`, { headers: { Authorization: 'Bot t' } });
    expect((await get()).status).toBe(200);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-global')).toBe('true');
    const callback = await fetch(`${f.apiUrl}/v10/interactions/1/tok/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"type":4,"data":{"content":"hi"}}',
    });
    expect(callback.status).toBe(204);
  });

  it('adds a round trip: a request is applied half of it after it was sent', async () => {
    const f = await startFakeDiscord({ rttMs: 1000 });
    fake = f;
    const sending = fetch(`${f.apiUrl}/v10/gateway`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(f.calls).toHaveLength(0);
    expect((await sending).status).toBe(200);
    expect(f.calls).toHaveLength(1);
  });

  it('echoes bulk command overwrites with ids', async () => {
    const { fake: f, client: c } = await connect();
    const commands = [{ name: 'orch', description: 'study bot', options: [] }];
    const guildResult = await c.application?.commands.set(commands, f.guildId);
    expect(guildResult?.first()?.name).toBe('orch');
    const globalResult = await c.application?.commands.set(commands);
    expect(globalResult?.size).toBe(1);
    expect(f.registeredCommands.map((r) => [r.guildId, r.commands[0]?.name])).toEqual([
      [f.guildId, 'orch'],
      [null, 'orch'],
    ]);
    expect(f.registeredCommands[0]?.commands[0]?.id).toMatch(/^\d+$/);
  });

  it('resumes after a dropped connection and replays the dispatches it missed', async () => {
    const { fake: f, interactions } = await connect({ heartbeatIntervalMs: 500 });
    const sessionId = f.sessionId;
    await f.dropConnection();
    // Sent while no client is connected: kept in the session log and replayed on RESUME.
    const missed = f.slashCommandInteraction({ id: '800000000000000001' });
    const missedSeq = f.dispatch('INTERACTION_CREATE', missed);
    await f.resumed({ count: 1 });
    expect(f.identifies).toHaveLength(1);
    expect(f.resumes[0]).toMatchObject({ session_id: sessionId, seq: missedSeq - 1, token: 'test-token' });
    await waitFor(() => interactions.some((i) => i.id === '800000000000000001'));
    expect(f.dispatches.map((d) => d.t)).toEqual(['READY', 'INTERACTION_CREATE', 'RESUMED']);
    expect(f.dispatches.map((d) => d.s)).toEqual([1, 2, 3]);

    // After the resume, live dispatches flow again and heartbeats are acknowledged.
    f.dispatch('INTERACTION_CREATE', f.slashCommandInteraction({ id: '800000000000000002' }));
    await waitFor(() => interactions.some((i) => i.id === '800000000000000002'));
    await waitFor(() => f.heartbeats > 0);
  });
});

describe('fake Discord user installs', () => {
  it('sends a DM interaction of a user-installed app as Discord does: user, no guild nor member', async () => {
    const { fake: f, interactions } = await connect();
    const payload = f.slashCommandInteraction({ subcommand: 'me', direct: 'bot-dm', channelId: '700' });
    expect(payload).not.toHaveProperty('guild_id');
    expect(payload).not.toHaveProperty('member');
    expect(payload).toMatchObject({
      user: { id: '600000000000000001' },
      context: 1,
      channel: { id: '700', type: 1 },
      authorizing_integration_owners: { '1': '600000000000000001' },
    });
    expect(f.slashCommandInteraction({ direct: 'private-channel' })).toMatchObject({ context: 2 });
    // The real client reads it: no guild, the user from `user`.
    void f.interact(payload, { timeoutMs: 200 }).catch(() => undefined);
    await waitFor(() => interactions.length > 0);
    expect(interactions[0]?.guildId).toBeNull();
    expect(interactions[0]?.user.id).toBe('600000000000000001');
  });

  it('registers contexts and integration types, refusing values Discord does not have', async () => {
    const f = await startFakeDiscord();
    fake = f;
    const put = (body: unknown) =>
      fetch(`${f.apiUrl}/v10/applications/${f.applicationId}/commands`, {
        method: 'PUT',
        headers: { Authorization: 'Bot abc', 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await put([
      { name: 'orch', description: 'd', integration_types: [0, 1], contexts: [0, 1, 2] },
    ]);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject([{ integration_types: [0, 1], contexts: [0, 1, 2] }]);
    const plain = await put([{ name: 'orch', description: 'd' }]);
    expect(await plain.json()).toMatchObject([{ integration_types: [0], contexts: null }]);
    const bad = await put([{ name: 'orch', description: 'd', integration_types: [2] }]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
  });
});
