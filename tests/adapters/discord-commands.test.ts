import { describe, expect, it } from 'vitest';
import { createDiscordApp } from '../../adapters/discord/app.ts';
import { messageCommands, orchCommand, shortcutOfCommand } from '../../adapters/discord/commands.ts';
import { canManage, parseButton, parseSlashCommand } from '../../adapters/discord/parse.ts';
import { nonceFor } from '../../adapters/discord/poster.ts';
import { type Bot, COMMANDS } from '../../src/index.ts';
import { createBot, openStore, silentLogger } from '../../src/testing.ts';
import { startFakeDiscord } from '../fakes/discord.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

const facts = {
  guildId: 'G1',
  channelId: 'C1',
  userId: 'U1',
  displayName: 'mina',
  isBot: false,
  permissions: '0',
  locale: 'ko',
  receivedAt: new Date(0),
};

describe('the message context-menu commands', () => {
  it('registers each message shortcut as type 3 with a name of 1–32 characters, Korean too, and no description', () => {
    const commands = messageCommands();
    expect(commands.map((c) => c.name)).toContain('Explain tools in this message');
    for (const c of commands) {
      expect(c.type).toBe(3);
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.name.length).toBeLessThanOrEqual(32);
      expect(c.name_localizations.ko.length).toBeLessThanOrEqual(32);
      expect(c).not.toHaveProperty('description');
      expect(c).not.toHaveProperty('options');
      expect(shortcutOfCommand(c.name)).toBeDefined();
    }
    expect(shortcutOfCommand('orch')).toBeUndefined();
  });
});

describe('the /orch application command', () => {
  it('has one subcommand per core command, with valid names and Korean localizations', () => {
    const command = orchCommand();
    expect(command.options.map((o) => o.name)).toEqual(COMMANDS.map((c) => c.name));
    for (const sub of command.options) {
      expect(sub.name).toMatch(/^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u);
      expect(sub.description.length).toBeLessThanOrEqual(100);
      expect(sub.description_localizations.ko.length).toBeGreaterThan(0);
      for (const option of sub.options) expect(option.name).toMatch(/^[-_a-z0-9]{1,32}$/);
    }
    expect(command.options.find((o) => o.name === 'help')?.name_localizations?.ko).toBe('도움말');
    expect(command.options.find((o) => o.name === 'tool')?.options[0]?.autocomplete).toBe(true);
  });

  it('offers every command as a pick-list topic of help, within Discord’s choice limits', () => {
    const help = orchCommand().options.find((o) => o.name === 'help');
    const topic = help?.options.find((o) => o.name === 'topic');
    expect(topic?.required).toBe(false);
    const choices = topic?.choices ?? [];
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices.map((c) => c.value)).toEqual(COMMANDS.map((c) => c.name));
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.name_localizations.ko.length).toBeLessThanOrEqual(100);
    }
    expect(choices.find((c) => c.value === 'quiz')?.name_localizations.ko).toMatch(/^퀴즈: /);
  });

  it('answers /orch help topic:quiz with the quiz’s full syntax (the real discord.js client, a fake Discord)', async () => {
    const fake = await startFakeDiscord();
    const store = await openStore({ sqlitePath: ':memory:' });
    const bot: Bot = createBot({
      catalog: await realCatalog(),
      store,
      poster: new RecordingPoster(),
      defaultLang: 'en',
    });
    const { client, attach } = createDiscordApp({ apiUrl: fake.apiUrl, logger: silentLogger });
    attach(bot);
    client.rest.setToken('test-token');
    try {
      await client.login('test-token');
      await fake.ready();
      for (const [locale, title, usage] of [
        ['en-US', 'Help: quiz', '/orch quiz [topic] [count] [seconds]'],
        ['ko', '도움말: 퀴즈', '/orch 퀴즈 [주제] [문제 수] [초]'],
      ] as const) {
        const callback = await fake.interact(
          fake.slashCommandInteraction({ subcommand: 'help', options: { topic: 'quiz' }, locale }),
        );
        const data = callback.data as { flags?: number; embeds?: { title?: string }[] };
        expect(data.flags).toBe(64);
        expect(data.embeds?.[0]?.title).toBe(title);
        expect(JSON.stringify(data)).toContain(usage);
      }
    } finally {
      await client.destroy();
      await fake.close();
      await store.close();
    }
  });
});

describe('Discord interactions as the core sees them', () => {
  it('treats Manage Server or Manage Channels as admin, nothing else', () => {
    expect(canManage(String(1 << 5))).toBe(true);
    expect(canManage(String(1 << 4))).toBe(true);
    expect(canManage(String((1 << 3) | (1 << 11)))).toBe(false);
    expect(canManage('not-a-number')).toBe(false);
    expect(canManage(null)).toBe(false);
  });

  it('turns subcommands into the command line the core parses', () => {
    expect(parseSlashCommand(facts, 'ask', ['이스티오 링커디 비교'])).toMatchObject({
      kind: 'command',
      text: '이스티오 링커디 비교',
    });
    const compare = parseSlashCommand(facts, 'compare', ['istio', 'linkerd']);
    expect(compare).toMatchObject({
      text: 'compare istio linkerd',
      locale: 'ko',
      where: { platform: 'discord', space: 'G1', channel: 'C1' },
    });
    expect(compare.who.isAdmin).toBe(false);
  });

  it('turns the bot’s own buttons into choices and ignores others', () => {
    expect(parseButton(facts, 'quiz.answer|r:0:2')).toMatchObject({
      kind: 'choice',
      actionId: 'quiz.answer',
      value: 'r:0:2',
    });
    expect(parseButton(facts, 'someone-else')).toBeNull();
  });

  it('derives a nonce within Discord’s 25 characters, stable per key', () => {
    const key = 'lesson:discord:123456789012345678:987654321098765432:1795683600000';
    expect(nonceFor(key)).toHaveLength(25);
    expect(nonceFor(key)).toBe(nonceFor(key));
    expect(nonceFor(`${key}1`)).not.toBe(nonceFor(key));
  });
});
