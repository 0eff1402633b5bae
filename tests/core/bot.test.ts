import { describe, expect, it } from 'vitest';
import { type Logger, toPlainText } from '../../src/index.ts';
import { type Catalog, noMetrics } from '../../src/testing.ts';
import { ask, command, realCatalog, testBot } from '../helpers/catalog.ts';

describe('the bot', () => {
  it('answers in Korean when the question has Hangul, else in the default language', async () => {
    const [ko] = await ask('이스티오');
    const [en] = await ask('istio');
    expect(ko?.meta?.lang).toBe('ko');
    expect(toPlainText(ko ?? { visibility: 'channel', blocks: [] })).toContain('핵심 개념');
    expect(en?.meta?.lang).toBe('ko');
    const bot = await testBot({ defaultLang: 'en' });
    const [english] = await bot.handle(command('istio'));
    expect(toPlainText(english ?? { visibility: 'channel', blocks: [] })).toContain('Key concepts');
  });

  it('lets --lang win over the Hangul in the question', async () => {
    const [reply] = await ask('이스티오 --lang en');
    expect(reply?.meta).toMatchObject({ lang: 'en', toolIds: ['istio'] });
    expect(toPlainText(reply ?? { visibility: 'channel', blocks: [] })).toContain('Key concepts');
  });

  it('follows the platform locale when nothing else decides', async () => {
    const [reply] = await ask('istio', { locale: 'en-US' });
    expect(reply?.meta?.lang).toBe('en');
  });

  it('refuses an unknown option or language with a private message', async () => {
    const [badOption] = await ask('istio --colour blue');
    expect(badOption?.visibility).toBe('private');
    expect(toPlainText(badOption ?? { visibility: 'channel', blocks: [] })).toContain('--colour');
    const [badLang] = await ask('istio --lang fr', { locale: 'en' });
    expect(toPlainText(badLang ?? { visibility: 'channel', blocks: [] })).toBe(
      'Unknown language "fr": use `ko` or `en`.',
    );
  });

  it('refuses an overlong message without searching', async () => {
    const [reply] = await ask('istio '.repeat(200), { locale: 'en' });
    expect(reply?.meta).toBeUndefined();
    expect(toPlainText(reply ?? { visibility: 'channel', blocks: [] })).toMatch(
      /too long \(1200 characters; the limit is 500\)/,
    );
  });

  it('ignores other bots', async () => {
    const replies = await ask('istio', {
      who: { platform: 'test', userId: 'B1', displayName: 'bot', isAdmin: false, isBot: true },
    });
    expect(replies).toEqual([]);
  });

  it('answers a failing command with an apology and logs it once', async () => {
    const real = await realCatalog();
    const broken: Catalog = {
      ...real,
      toolById: {
        get() {
          throw new Error('disk on fire');
        },
      } as unknown as Catalog['toolById'],
    };
    const logged: unknown[] = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (fields) => logged.push(fields) };
    const bot = await testBot({ catalog: broken, logger, defaultLang: 'en' });
    const [reply] = await bot.handle(command('istio'));
    expect(toPlainText(reply ?? { visibility: 'channel', blocks: [] })).toBe(
      'Sorry, something went wrong while answering that. Please try again.',
    );
    expect(reply?.visibility).toBe('private');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ command: 'ask', channel: 'C1' });
  });

  it('never echoes a mention back', async () => {
    for (const text of ['<!channel> pizza', '@everyone asdfgh', '<@&12345> nope', '<!subteam^S1> zzz']) {
      const replies = await ask(text);
      const plain = replies.map(toPlainText).join('\n');
      expect(plain).not.toMatch(/<!|<@|@everyone|@here|@channel/);
    }
  });
});

describe('the lookup cache', () => {
  it('answers a repeated lookup with the same frozen replies, per language, until the catalog is reloaded', async () => {
    const bot = await testBot();
    const first = await bot.handle(command('tool istio --lang en'));
    const again = await bot.handle(command('tool istio --lang en'));
    expect(again).toBe(first);
    expect(Object.isFrozen(first[0])).toBe(true);
    const korean = await bot.handle(command('tool istio --lang ko'));
    expect(korean).not.toBe(first);
    expect(toPlainText(korean[0] as never)).not.toBe(toPlainText(first[0] as never));

    bot.useCatalog(await realCatalog());
    const reloaded = await bot.handle(command('tool istio --lang en'));
    expect(reloaded).not.toBe(first);
    expect(toPlainText(reloaded[0] as never)).toBe(toPlainText(first[0] as never));
  });

  it('reports each lookup as a cache hit or miss, and nothing for commands it never caches', async () => {
    const results: string[] = [];
    const bot = await testBot({ metrics: { ...noMetrics, lookupCache: (result) => results.push(result) } });
    await bot.handle(command('tool istio --lang en'));
    await bot.handle(command('tool istio --lang en'));
    await bot.handle(command('tool istio --lang ko'));
    await bot.handle(command('progress'));
    expect(results).toEqual(['miss', 'hit', 'miss']);
  });

  it('never caches commands that read the channel or the member', async () => {
    const bot = await testBot();
    expect(await bot.handle(command('progress'))).not.toBe(await bot.handle(command('progress')));
  });
});
