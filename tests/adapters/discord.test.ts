import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordApp } from '../../adapters/discord/app.ts';
import { DiscordPoster } from '../../adapters/discord/poster.ts';
import {
  type Bot,
  createBot,
  LessonScheduler,
  openStore,
  type Store,
  silentLogger,
} from '../../src/index.ts';
import { nextFireAfter } from '../../src/lessons/schedule-rule.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';

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

async function rig(heartbeatIntervalMs?: number): Promise<Rig> {
  const fake = await startFakeDiscord(heartbeatIntervalMs ? { heartbeatIntervalMs } : {});
  const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
  const store = await openStore({ sqlitePath: ':memory:' });
  let bot: Bot | undefined;
  const client = createDiscordApp({
    apiUrl: fake.apiUrl,
    logger: silentLogger,
    bot: () => bot as Bot,
    now: () => clock.now(),
  });
  client.rest.setToken('test-token');
  const poster = new DiscordPoster(client.rest);
  bot = createBot({ catalog, store, poster, clock, timers: noTimers, defaultLang: 'en' });
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
  open.push(r);
  return r;
}

describe('the Discord bot (the real discord.js client, a fake Discord on loopback)', () => {
  it('answers /orch tool with an embed card, pinging nobody', async () => {
    const r = await rig();
    const callback = await r.fake.interact(
      r.fake.slashCommandInteraction({ subcommand: 'tool', options: { name: 'istio' }, locale: 'en-US' }),
    );
    expect(callback.type).toBe(4);
    const data = callback.data as { embeds: { title: string }[]; allowed_mentions: unknown; flags?: number };
    expect(data.embeds[0]?.title).toBe('Istio');
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(data.flags ?? 0).toBe(0);
  });

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

  it('answers in Korean for a Korean question and privately for help', async () => {
    const r = await rig();
    const ask = await r.fake.interact(
      r.fake.slashCommandInteraction({ subcommand: 'ask', options: { question: '이스티오 링커디 비교' } }),
    );
    expect(JSON.stringify(ask.data)).toContain('비교: Istio vs Linkerd');
    const help = await r.fake.interact(
      r.fake.slashCommandInteraction({ subcommand: 'help', locale: 'en-US' }),
    );
    expect((help.data as { flags?: number }).flags).toBe(64);
  });

  it('offers tool names while typing, for typos, half-typed Hangul and initial consonants', async () => {
    const r = await rig();
    for (const typed of ['isito', '이스티', 'ㅇㅅㅌ']) {
      const callback = await r.fake.interact(
        r.fake.autocompleteInteraction({
          subcommand: 'tool',
          focused: { name: 'name', value: typed },
        } as never),
      );
      expect(callback.type).toBe(8);
      const choices = (callback.data as { choices: { name: string }[] }).choices;
      expect(choices.length).toBeLessThanOrEqual(25);
      expect(choices[0]?.name).toBe('Istio');
    }
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

  it('posts a scheduled lesson to the channel once, with an enforced nonce', async () => {
    const r = await rig();
    const key = `discord:${r.fake.guildId}:400000000000000001`;
    const start = r.clock.now().getTime();
    await r.store.updateChannel(
      key,
      { cron: '0 9 * * *', timeZone: 'UTC', nextFireAt: nextFireAfter('0 9 * * *', 'UTC', start) },
      start,
    );
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
    const posted = r.fake.history('400000000000000001');
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.body)).toContain('Lesson 1/');
    expect((posted[0]?.body as { enforce_nonce?: boolean } | undefined)?.enforce_nonce).toBe(true);
    // A retry of the same fire (as after a crash) is de-duplicated by Discord through the nonce.
    await r.poster.post(
      key,
      { visibility: 'channel', blocks: [{ type: 'text', text: 'again' }] },
      `lesson:${key}:${Date.parse('2026-11-26T09:00:00Z')}`,
    );
    expect(r.fake.history('400000000000000001')).toHaveLength(1);
  });

  it('records a quiz answer from a button and confirms it privately', async () => {
    const r = await rig();
    const channel = '400000000000000002';
    await r.fake.interact(
      r.fake.slashCommandInteraction({
        subcommand: 'quiz',
        options: { topic: 'istio' },
        channelId: channel,
        locale: 'en-US',
      }),
    );
    const question = r.fake.history(channel).find((m) => JSON.stringify(m.body).includes('quiz.answer'));
    const buttons = (
      (question?.body as { components: { components: { custom_id?: string }[] }[] } | undefined)
        ?.components ?? []
    ).flatMap((row) => row.components);
    const first = buttons.find((b) => b.custom_id?.startsWith('quiz.answer'))?.custom_id as string;
    const click = await r.fake.interact(
      r.fake.buttonInteraction({
        customId: first,
        messageId: question?.message.id ?? '',
        channelId: channel,
        locale: 'en-US',
      } as never),
    );
    expect(click.type).toBe(4);
    expect((click.data as { flags?: number }).flags).toBe(64);
    expect(JSON.stringify(click.data)).toContain('Got it');
  });

  it('resumes after a dropped gateway connection mid-round: the click sent meanwhile counts once', async () => {
    const r = await rig(500);
    const channel = '400000000000000003';
    await r.fake.interact(
      r.fake.slashCommandInteraction({
        subcommand: 'quiz',
        options: { topic: 'etcd' },
        channelId: channel,
        locale: 'en-US',
      }),
    );
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
    r.fake.failNext('POST /channels/:id/messages', { status: 429, retryAfter: 2 });
    const callback = await r.fake.interact(
      r.fake.slashCommandInteraction({
        subcommand: 'quiz',
        options: { topic: 'envoy' },
        channelId: channel,
        locale: 'en-US',
      }),
      { timeoutMs: 5000 },
    );
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
