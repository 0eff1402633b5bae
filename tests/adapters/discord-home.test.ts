// 내 공부 on Discord through the real discord.js client against the wire fake: `/orch me` answers privately in a
// guild, and the app installed by a member for themselves answers `me` and runs a review in their DMs, where the
// channel commands are refused.
import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordApp } from '../../adapters/discord/app.ts';
import { orchCommand } from '../../adapters/discord/commands.ts';
import { DiscordPoster } from '../../adapters/discord/poster.ts';
import { decodeCustomId } from '../../adapters/discord/render.ts';
import type { Store } from '../../src/index.ts';
import { nextCard } from '../../src/quiz/review.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { createBot, openStore, silentLogger } from '../../src/testing.ts';
import { type FakeDiscord, type FakeDiscordCallback, startFakeDiscord } from '../fakes/discord.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';

const catalog = await realCatalog();
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };
const USER = '600000000000000001';
const DM = '700000000000000001';
/** Discord's Manage Server permission bit, which makes a member a channel admin to the bot. */
const MANAGE_GUILD = String(1 << 5);
const question = {
  questionId: 'q-home',
  question: { en: 'Which one schedules pods?', ko: '파드를 배치하는 것은?' },
  options: [
    { en: 'the scheduler', ko: '스케줄러' },
    { en: 'etcd', ko: 'etcd' },
  ],
  answer: 0,
  explanation: { en: 'It picks nodes.', ko: '노드를 골라요.' },
  toolId: null,
};

interface MessageJson {
  embeds?: { title?: string; description?: string }[];
  components?: { components: { custom_id?: string; label?: string }[] }[];
  flags?: number;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function rig(): Promise<{ fake: FakeDiscord; store: Store; clock: ManualClock }> {
  const fake = await startFakeDiscord();
  const clock = new ManualClock(Date.parse('2026-12-09T03:00:00Z'));
  const store = await openStore({ sqlitePath: ':memory:' });
  const { client, attach } = createDiscordApp({
    apiUrl: fake.apiUrl,
    logger: silentLogger,
    now: () => clock.now(),
  });
  client.rest.setToken('test-token');
  attach(
    createBot({
      catalog,
      store,
      poster: new DiscordPoster(client.rest),
      clock,
      timers: noTimers,
      defaultLang: 'en',
    }),
  );
  await client.login('test-token');
  await fake.ready();
  stops.push(async () => {
    await client.destroy();
    await fake.close();
    await store.close();
  });
  const now = clock.now().getTime();
  const channelKey = `discord:${fake.guildId}:400000000000000001`;
  for (const lesson of [1, 2])
    await store.recordCompletion({ channelKey, userId: USER, lesson, completedAt: now });
  const { card } = nextCard(null, false, now - 86_400_000);
  await store.saveReviewCard({
    userKey: `discord:${fake.guildId}:${USER}`,
    questionId: 'q-home',
    question,
    card,
    dueAt: now - 1,
  });
  return { fake, store, clock };
}

const bodyOf = (callback: FakeDiscordCallback) => (callback.data ?? {}) as MessageJson;
const buttonsOf = (callback: FakeDiscordCallback) =>
  (bodyOf(callback).components ?? [])
    .flatMap((row) => row.components)
    .map((b) => ({ ...b, decoded: b.custom_id ? decodeCustomId(b.custom_id) : null }));

describe('내 공부 on Discord (the real discord.js client, a fake Discord)', () => {
  it('answers /orch me privately in a guild, and starts a review from it', async () => {
    const { fake } = await rig();
    const view = await fake.interact(fake.slashCommandInteraction({ subcommand: 'me', locale: 'en-US' }));
    expect(view.type).toBe(4);
    expect(bodyOf(view).flags).toBe(64);
    const text = JSON.stringify(view.data);
    expect(text).toContain('My study');
    expect(text).toContain('Next: lesson 3');
    const start = buttonsOf(view).find((b) => b.decoded?.actionId === 'review.start');
    const asked = await fake.interact(
      fake.buttonInteraction({ customId: start?.custom_id ?? '', locale: 'en-US' }),
    );
    expect(bodyOf(asked).flags).toBe(64);
    expect(JSON.stringify(asked.data)).toContain('Which one schedules pods?');
  });

  it('answers me in the DM of the app a member installed, and runs their review there', async () => {
    const { fake, store, clock } = await rig();
    const direct = { direct: 'bot-dm' as const, channelId: DM, locale: 'en-US' };
    const view = await fake.interact(fake.slashCommandInteraction({ subcommand: 'me', ...direct }));
    expect(bodyOf(view).flags).toBe(64);
    // The guild's channel is there, though the DM has no guild: a member's study lives in their guilds.
    expect(JSON.stringify(view.data)).toContain('400000000000000001');
    const start = buttonsOf(view).find((b) => b.decoded?.actionId === 'review.start');
    expect(start?.decoded?.value).toContain(fake.guildId);
    const asked = await fake.interact(
      fake.buttonInteraction({ customId: start?.custom_id ?? '', ...direct }),
    );
    expect(JSON.stringify(asked.data)).toContain('Which one schedules pods?');
    const right = buttonsOf(asked).find((b) => b.label?.includes('scheduler'));
    const feedback = await fake.interact(
      fake.buttonInteraction({ customId: right?.custom_id ?? '', ...direct }),
    );
    expect(JSON.stringify(feedback.data)).toContain('Right!');
    expect(await store.countDueReviews(`discord:${fake.guildId}:${USER}`, clock.now().getTime())).toBe(0);
  });

  it("opens the settings form of the channel an admin's `/orch me` button names, and the submission changes that channel", async () => {
    const { fake, store } = await rig();
    const CHANNEL = '400000000000000001';
    // Pressed in another channel of the guild: the form is about the channel the button names.
    const where = { channelId: '400000000000000009', locale: 'en-US', permissions: MANAGE_GUILD };
    const view = await fake.interact(fake.slashCommandInteraction({ subcommand: 'me', ...where }));
    const settings = buttonsOf(view).find((b) => b.decoded?.actionId === 'settings.open');
    expect(settings?.decoded?.value).toContain(CHANNEL);
    const shown = await fake.interact(
      fake.buttonInteraction({ customId: settings?.custom_id ?? '', ...where }),
    );
    // A modal is a valid answer to a button press.
    expect(shown.type).toBe(9);
    const saved = await fake.interact(fake.submitModal(shown, { lang: 'ko', quiz: '3 20' }, where));
    expect(JSON.stringify(saved.data)).toContain('Saved.');
    expect(await store.getChannel(`discord:${fake.guildId}:${CHANNEL}`)).toMatchObject({
      lang: 'ko',
      quizCount: 3,
      quizSeconds: 20,
    });
    expect(await store.getChannel(`discord:${fake.guildId}:400000000000000009`)).toBeNull();
    // The channel that changed is told there; the channel of the press is not.
    const told = fake.messages.get(CHANNEL) ?? [];
    expect(JSON.stringify(told.map((m) => m.message))).toContain('Quiz defaults');
    expect(fake.messages.get('400000000000000009') ?? []).toEqual([]);
  });

  it('refuses the same form submitted by a member without Manage Server, and changes nothing', async () => {
    const { fake, store } = await rig();
    const where = { channelId: '400000000000000009', locale: 'en-US', permissions: MANAGE_GUILD };
    const view = await fake.interact(fake.slashCommandInteraction({ subcommand: 'me', ...where }));
    const settings = buttonsOf(view).find((b) => b.decoded?.actionId === 'settings.open');
    const shown = await fake.interact(
      fake.buttonInteraction({ customId: settings?.custom_id ?? '', ...where }),
    );
    const refused = await fake.interact(
      fake.submitModal(shown, { lang: 'ko' }, { ...where, permissions: '0' }),
    );
    expect(JSON.stringify(refused.data)).toContain('admin');
    expect(await store.getChannel(`discord:${fake.guildId}:400000000000000001`)).toBeNull();
  });

  it('answers /orch review in a group DM (private channel context) from the member’s guild cards', async () => {
    const { fake } = await rig();
    const review = await fake.interact(
      fake.slashCommandInteraction({
        subcommand: 'review',
        direct: 'private-channel',
        channelId: DM,
        locale: 'en-US',
      }),
    );
    expect(bodyOf(review).flags).toBe(64);
    expect(JSON.stringify(review.data)).toContain('Which one schedules pods?');
  });

  it('refuses a channel command in a DM with a clear private message, and does nothing', async () => {
    const { fake, store } = await rig();
    const refused = await fake.interact(
      fake.slashCommandInteraction({ subcommand: 'quiz', direct: 'bot-dm', channelId: DM, locale: 'en-US' }),
    );
    expect(bodyOf(refused).flags).toBe(64);
    expect(JSON.stringify(refused.data)).toContain('only your personal commands work');
    expect(await store.runningRounds()).toEqual([]);
    expect(fake.callsTo('POST', `/channels/${DM}/messages`)).toEqual([]);
  });

  it('registers /orch for guild and user installs in guilds and DMs, without the deprecated dm_permission', async () => {
    const { fake } = await rig();
    const command = orchCommand();
    expect(command).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
    expect(command).not.toHaveProperty('dm_permission');
    const rest = new REST({ api: fake.apiUrl }).setToken('test-token');
    const registered = (await rest.put(Routes.applicationCommands(fake.applicationId), {
      body: [command],
    })) as {
      contexts: number[];
    }[];
    expect(registered[0]?.contexts).toEqual([0, 1, 2]);
    // The fake refuses a context Discord does not have, as Discord refuses a malformed form.
    await expect(
      rest.put(Routes.applicationCommands(fake.applicationId), { body: [{ ...command, contexts: [0, 3] }] }),
    ).rejects.toMatchObject({ status: 400, code: 50035 });
  });
});
