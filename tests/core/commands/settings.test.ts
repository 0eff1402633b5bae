import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/index.ts';
import { openStore } from '../../../src/testing.ts';
import { command, testBot } from '../../helpers/catalog.ts';
import { ManualClock } from '../../helpers/clock.ts';

const admin = { platform: 'test', userId: 'A1', displayName: 'admin', isAdmin: true };
const member = { platform: 'test', userId: 'U2', displayName: 'member', isAdmin: false };
const KEY = 'test:T1:C1';

async function setup() {
  const store = await openStore({ sqlitePath: ':memory:' });
  const clock = new ManualClock(Date.parse('2026-11-25T03:00:00Z'));
  const bot = await testBot({ store, clock, defaultLang: 'en' });
  const say = async (text: string, who = admin) => {
    const replies = await bot.handle(command(text, { who }));
    return { replies, text: replies.map(toPlainText).join('\n') };
  };
  return { store, say };
}

describe('/orch settings', () => {
  it('shows threads on by default, to anyone, privately', async () => {
    const { store, say } = await setup();
    const { replies, text } = await say('settings', member);
    expect(replies[0]?.visibility).toBe('private');
    expect(text).toContain('Threads: on.');
    expect(await store.getChannel(KEY)).toBeNull();
  });

  it('turns threads off and on again (admins), in English and in Korean', async () => {
    const { store, say } = await setup();
    const off = await say('settings threads off');
    expect(off.replies[0]?.visibility).toBe('channel');
    expect(off.text).toContain('now post in the channel itself');
    expect((await store.getChannel(KEY))?.threads).toBe(false);
    expect((await say('settings show', member)).text).toContain('Threads: off.');
    const on = await say('설정 스레드 켜기');
    expect(on.text).toContain('스레드에서 진행돼요');
    expect((await store.getChannel(KEY))?.threads).toBe(true);
    await say('설정 스레드 끄기');
    expect((await store.getChannel(KEY))?.threads).toBe(false);
    expect((await say('설정', member)).text).toContain('스레드: 꺼짐.');
  });

  it('refuses a member who is not an admin and changes nothing', async () => {
    const { store, say } = await setup();
    const { replies, text } = await say('settings threads off', member);
    expect(replies[0]?.visibility).toBe('private');
    expect(text).toContain('only channel admins can change the thread setting');
    expect(await store.getChannel(KEY)).toBeNull();
  });

  it.each([
    'settings threads maybe',
    'settings threads',
    'settings colours on',
    'settings threads on please',
  ])('answers %j with how to use it and changes nothing', async (line) => {
    const { store, say } = await setup();
    const { replies, text } = await say(line);
    expect(replies[0]?.visibility).toBe('private');
    expect(text).toContain('`/orch settings threads on`');
    expect(await store.getChannel(KEY)).toBeNull();
  });
});
