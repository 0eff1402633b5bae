import { describe, expect, it } from 'vitest';
import { type Incoming, type Reply, toPlainText } from '../../../src/index.ts';
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
  const answer = (incoming: Incoming) => bot.answer(incoming);
  return { store, say, bot, clock, answer };
}

/** The form an admin's `/orch settings` opens. */
function formOf(replies: Reply[]) {
  const form = replies[0]?.form;
  if (!form) throw new Error('no form in the reply');
  return form;
}

/** A submission of `form` with every field as shown, then `values` over them. */
function submission(form: NonNullable<Reply['form']>, values: Record<string, string>, who = admin): Incoming {
  const shown = Object.fromEntries(form.fields.map((f) => [f.id, f.value]));
  return {
    kind: 'submit',
    formId: form.id,
    state: form.state,
    values: { ...shown, ...values },
    who,
    where: { platform: 'test', space: 'T1', channel: 'C1' },
    receivedAt: new Date('2026-11-25T03:00:00Z'),
  };
}

describe('/orch settings', () => {
  it('shows threads on by default, to anyone, privately', async () => {
    const { store, say } = await setup();
    const { replies, text } = await say('settings', member);
    expect(replies[0]?.visibility).toBe('private');
    expect(text).toContain('Threads: on');
    // Everyone reads the settings; only an admin gets the form.
    expect(replies[0]?.form).toBeUndefined();
    expect(await store.getChannel(KEY)).toBeNull();
  });

  it('turns threads off and on again (admins), in English and in Korean', async () => {
    const { store, say } = await setup();
    const off = await say('settings threads off');
    expect(off.replies[0]?.visibility).toBe('channel');
    expect(off.text).toContain('now post in the channel itself');
    expect((await store.getChannel(KEY))?.threads).toBe(false);
    expect((await say('settings show', member)).text).toContain('Threads: off');
    const on = await say('설정 스레드 켜기');
    expect(on.text).toContain('스레드에서 진행돼요');
    expect((await store.getChannel(KEY))?.threads).toBe(true);
    await say('설정 스레드 끄기');
    expect((await store.getChannel(KEY))?.threads).toBe(false);
    expect((await say('설정', member)).text).toContain('스레드: 꺼짐');
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

  it('sets the quiz defaults a round without numbers uses, in the ranges of /orch quiz', async () => {
    const { store, say } = await setup();
    expect((await say('settings quiz 8 45')).text).toContain('8 questions of 45 seconds');
    expect(await store.getChannel(KEY)).toMatchObject({ quizCount: 8, quizSeconds: 45 });
    for (const bad of [
      'settings quiz 50 30',
      'settings quiz 5 5',
      'settings quiz five 30',
      'settings quiz 5',
    ])
      expect((await say(bad)).text, bad).toContain('Nothing was changed');
    expect(await store.getChannel(KEY)).toMatchObject({ quizCount: 8, quizSeconds: 45 });
    expect((await say('settings quiz 3 20', member)).text).toContain('only channel admins');
  });

  it('starts a round without numbers with the channel defaults, and numbers typed still win', async () => {
    const { say, answer } = await setup();
    await say('settings quiz 3 20');
    const started = await answer(command('quiz istio', { who: admin }));
    expect(started.data).toMatchObject({ action: 'start', questions: 3, seconds: 20 });
    await say('quiz stop');
    const typed = await answer(command('quiz istio 2 15', { who: admin }));
    expect(typed.data).toMatchObject({ action: 'start', questions: 2, seconds: 15 });
  });
});

describe('the settings form', () => {
  it("opens for an admin filled in with the channel's settings, and lists them with their commands in text", async () => {
    const { store, say, clock } = await setup();
    await store.updateChannel(KEY, { lang: 'en', threads: false }, clock.now().getTime());
    const { replies, text } = await say('settings');
    const form = formOf(replies);
    expect(form.fields.map((f) => f.id)).toEqual(['rule', 'zone', 'holidays', 'lang', 'quiz', 'threads']);
    expect(Object.fromEntries(form.fields.map((f) => [f.id, f.value]))).toEqual({
      rule: '',
      zone: 'Asia/Seoul',
      holidays: '',
      lang: 'en',
      quiz: '5 30',
      threads: 'off',
    });
    for (const field of form.fields) expect(field.hint.length).toBeGreaterThan(0);
    // The console shows the blocks: each setting with the command that changes it.
    expect(text).toContain('`/orch settings threads on | off`');
    expect(text).toContain('`/orch schedule <rule>`');
  });

  it('refuses a submission with one bad field on that field, changes nothing, then saves it fixed and previews five posts', async () => {
    const { store, say, answer } = await setup();
    const form = formOf((await say('settings')).replies);
    const bad = await answer(submission(form, { rule: 'weekdayz 9', quiz: '8 45' }));
    expect(bad.outcome).toBe('usage');
    expect(Object.keys(bad.fieldErrors ?? {})).toEqual(['rule']);
    expect(bad.fieldErrors?.rule).toContain('I could not read that schedule');
    expect(bad.replies[0]?.visibility).toBe('private');
    expect(toPlainText(bad.replies[0] as Reply)).toContain('Schedule');
    expect(await store.getChannel(KEY)).toBeNull();

    const good = await answer(submission(form, { rule: 'weekdays 09:00', quiz: '8 45', holidays: 'KR' }));
    expect(good.outcome).toBe('ok');
    expect(good.fieldErrors).toBeUndefined();
    expect(await store.getChannel(KEY)).toMatchObject({
      cron: '0 9 * * 1-5',
      timeZone: 'Asia/Seoul',
      holidayCountry: 'KR',
      quizCount: 8,
      quizSeconds: 45,
    });
    const [mine, channel] = good.replies;
    expect(channel?.visibility).toBe('channel');
    expect(toPlainText(channel as Reply)).toContain('Channel settings changed:');
    expect(mine?.visibility).toBe('private');
    const preview = toPlainText(mine as Reply);
    // Wednesday 25 November 2026, 12:00 in Seoul: the next weekday mornings, lessons 1 to 5 with their titles.
    const lines = preview.split('\n').filter((line) => line.includes(' · lesson '));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^Thu, Nov 26, 09:00 · lesson 1: \S/);
    expect(lines[4]).toMatch(/^Wed, Dec 2, 09:00 · lesson 5: /);
    expect(preview).toContain('Asia/Seoul');
  });

  it('collects every bad field at once, each with the message of its typed command', async () => {
    const { store, say, answer } = await setup();
    const form = formOf((await say('settings')).replies);
    const bad = await answer(
      submission(form, { zone: 'Mars/Base', holidays: 'XX', lang: 'fr', quiz: '99 1', threads: 'maybe' }),
    );
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual([
      'holidays',
      'lang',
      'quiz',
      'threads',
      'zone',
    ]);
    expect(bad.fieldErrors?.zone).toContain('Unknown time zone');
    expect(bad.fieldErrors?.holidays).toContain('Unknown country code');
    expect(bad.fieldErrors?.lang).toContain('Unknown language');
    expect(await store.getChannel(KEY)).toBeNull();
  });

  it('answers the same form submitted twice with "nothing changed", and a form older than a change with a refusal', async () => {
    const { store, say, answer } = await setup();
    const form = formOf((await say('settings')).replies);
    const first = await answer(submission(form, { rule: '평일 09:00', lang: 'ko' }));
    expect(first.outcome).toBe('ok');
    const saved = await store.getChannel(KEY);
    // The second press of Submit on the same form: what it holds is saved already.
    const again = await answer(submission(form, { rule: '평일 09:00', lang: 'ko' }));
    expect(again.outcome).toBe('ok');
    // Answered in the language the form was shown in, though the channel is Korean now.
    expect(toPlainText(again.replies[0] as Reply)).toContain('already saved, so nothing changed');
    expect(await store.getChannel(KEY)).toEqual(saved);
    // The same old form with another value would overwrite what was saved since it opened: refused.
    const stale = await answer(submission(form, { threads: 'off' }));
    expect(stale.outcome).toBe('refused');
    expect(await store.getChannel(KEY)).toEqual(saved);
  });

  it('refuses a submission from a member who is not an admin, and an unknown form', async () => {
    const { store, say, answer } = await setup();
    const form = formOf((await say('settings')).replies);
    const refused = await answer(submission(form, { threads: 'off' }, member));
    expect(refused.outcome).toBe('refused');
    expect(toPlainText(refused.replies[0] as Reply)).toContain('only channel admins');
    const unknown = await answer({ ...submission(form, {}), formId: 'other' } as Incoming);
    expect(unknown.outcome).toBe('refused');
    expect(await store.getChannel(KEY)).toBeNull();
  });
});
