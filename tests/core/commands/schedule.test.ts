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
  const clock = new ManualClock(Date.parse('2026-11-25T03:00:00Z')); // Wednesday 12:00 in Seoul
  const bot = await testBot({ store, clock, defaultLang: 'en' });
  const say = async (text: string, who = admin) => {
    const replies = await bot.handle(command(text, { who }));
    return { replies, text: replies.map(toPlainText).join('\n') };
  };
  return { store, clock, say };
}

describe('/orch schedule', () => {
  it('sets a friendly rule in a time zone and shows the next fire', async () => {
    const { store, say } = await setup();
    const { text } = await say('schedule weekdays 09:00 Asia/Seoul');
    expect(text).toContain('Scheduled: weekdays 09:00');
    expect(text).toMatch(/Thu, Nov 26, 2026, 09:00 \(Asia\/Seoul\)/);
    expect(await store.getChannel(KEY)).toMatchObject({
      cron: '0 9 * * 1-5',
      timeZone: 'Asia/Seoul',
      paused: false,
      nextFireAt: Date.parse('2026-11-26T00:00:00Z'),
    });
    expect((await say('schedule show', member)).text).toContain('Schedule: weekdays 09:00');
  });

  it('understands Korean rules and uses the default zone', async () => {
    const { store, say } = await setup();
    await say('schedule 월,수,금 오후 9시 30분');
    expect(await store.getChannel(KEY)).toMatchObject({ cron: '30 21 * * 1,3,5', timeZone: 'Asia/Seoul' });
  });

  it('accepts a raw cron expression', async () => {
    const { store, say } = await setup();
    await say('schedule 30 21 * * 1-5 Europe/Berlin');
    expect(await store.getChannel(KEY)).toMatchObject({ cron: '30 21 * * 1-5', timeZone: 'Europe/Berlin' });
  });

  it.each([
    ['schedule weekdays 25:00', 'Examples: `daily 21:30`'],
    ['schedule someday 09:00', 'Examples: `daily 21:30`'],
    ['schedule weekdays 09:00 Mars/Olympus', 'Unknown time zone "Mars/Olympus"'],
    ['schedule * * * * *', 'more than one lesson within an hour'],
  ])('rejects %j with an example and changes nothing', async (line, message) => {
    const { store, say } = await setup();
    await say('schedule daily 21:30');
    const before = await store.getChannel(KEY);
    const { replies, text } = await say(line);
    expect(replies[0]?.visibility).toBe('private');
    expect(text).toContain(message);
    expect(text).toContain('Nothing was changed');
    expect(await store.getChannel(KEY)).toEqual(before);
  });

  it('refuses non-admins politely and changes nothing', async () => {
    const { store, say } = await setup();
    for (const line of [
      'schedule daily 09:00',
      'schedule pause',
      'schedule off',
      'schedule skip-holidays KR',
      'lang en',
      'roadmap set 5',
    ]) {
      const { replies, text } = await say(line, member);
      expect(replies[0]?.visibility).toBe('private');
      expect(text).toMatch(/^Sorry, only channel admins can change/);
    }
    expect(await store.getChannel(KEY)).toBeNull();
  });

  it('pauses, resumes from now, and turns off keeping the roadmap place', async () => {
    const { store, clock, say } = await setup();
    await say('schedule daily 21:30');
    await store.updateChannel(KEY, { position: 7 }, 0);
    expect((await say('schedule pause')).text).toContain('Paused');
    expect((await store.getChannel(KEY))?.paused).toBe(true);
    clock.advance(3 * 86_400_000);
    await say('schedule resume');
    expect(await store.getChannel(KEY)).toMatchObject({
      paused: false,
      nextFireAt: Date.parse('2026-11-28T12:30:00Z'),
    });
    await say('schedule off');
    expect(await store.getChannel(KEY)).toMatchObject({ cron: null, nextFireAt: null, position: 7 });
  });

  it('skips holidays of a known country and refuses an unknown one', async () => {
    const { store, say } = await setup();
    expect((await say('schedule skip-holidays kr')).text).toContain('Public holidays in South Korea');
    expect((await store.getChannel(KEY))?.holidayCountry).toBe('KR');
    expect((await say('schedule skip-holidays XX')).text).toContain('Unknown country code "XX"');
    expect((await store.getChannel(KEY))?.holidayCountry).toBe('KR');
    await say('schedule skip-holidays off');
    expect((await store.getChannel(KEY))?.holidayCountry).toBeNull();
  });
});

describe('/orch lang', () => {
  it('sets the channel language, which then wins over Hangul detection', async () => {
    const { say } = await setup();
    expect((await say('lang en')).text).toBe('This channel now gets answers in English.');
    const [card] = (await say('이스티오')).replies;
    expect(card?.meta?.lang).toBe('en');
    await say('lang auto');
    expect((await say('이스티오')).replies[0]?.meta?.lang).toBe('ko');
    expect((await say('lang fr')).text).toContain('Unknown language "fr"');
  });
});
