import { describe, expect, it } from 'vitest';
import { toPlainText } from '../../../src/index.ts';
import { openStore } from '../../../src/testing.ts';
import { command, realCatalog, testBot } from '../../helpers/catalog.ts';
import { ManualClock } from '../../helpers/clock.ts';

const admin = { platform: 'test', userId: 'A1', displayName: 'admin', isAdmin: true };
const member = { platform: 'test', userId: 'U2', displayName: 'member', isAdmin: false };
const KEY = 'test:T1:C1';
const total = (await realCatalog()).roadmap.lessons.length;

async function setup() {
  const store = await openStore({ sqlitePath: ':memory:' });
  const clock = new ManualClock(Date.parse('2026-11-25T03:00:00Z'));
  const bot = await testBot({ store, clock, defaultLang: 'en' });
  const say = async (text: string, who = admin) => {
    const replies = await bot.handle(command(text, { who }));
    return { replies, text: replies.map(toPlainText).join('\n') };
  };
  const press = async (value: string, who = member) => {
    const replies = await bot.handle({
      ...command(''),
      kind: 'choice',
      actionId: 'lesson.done',
      value,
      who,
    } as never);
    return replies.map(toPlainText).join('\n');
  };
  return { store, clock, say, press };
}

describe('/orch roadmap', () => {
  it('shows every track, the channel position and a progress bar', async () => {
    const { say } = await setup();
    const { text } = await say('roadmap');
    expect(text).toContain('Kubernetes basics');
    expect(text).toContain('Service mesh with Istio');
    expect(text).toContain(`Channel progress [--------------------] 0/${total} (0%)`);
    expect(text).toContain('Next: lesson 1, ');
  });

  it('lets an admin move the position, within the roadmap only', async () => {
    const { store, say } = await setup();
    expect((await say('roadmap set 11')).text).toContain('now lesson 11');
    expect((await store.getChannel(KEY))?.position).toBe(11);
    expect((await say('roadmap')).text).toContain(`Channel progress [####----------------] 10/${total}`);
    expect((await say(`roadmap set ${total + 1}`)).text).toContain(`There is no lesson ${total + 1}`);
    expect((await store.getChannel(KEY))?.position).toBe(11);
  });
});

describe('/orch lesson', () => {
  it('shows the next lesson, a lesson by number, and its answer on request', async () => {
    const { say } = await setup();
    expect((await say('lesson')).text).toContain(`Lesson 1/${total}`);
    expect((await say('lesson next')).text).toContain(`Lesson 1/${total}`);
    const lesson3 = await say('lesson 3');
    expect(lesson3.text).toContain(`Lesson 3/${total}`);
    expect(lesson3.text).toContain('Check yourself');
    expect(lesson3.text).not.toContain('Answer\n');
    expect((await say('lesson 3 answer')).text).toContain('Answer\n');
    expect((await say('lesson 999')).text).toContain('There is no lesson 999');
    expect((await say('lesson banana')).text).toContain('Unknown lesson "banana"');
  });

  it('has a Done button that records completion once and counts a streak', async () => {
    const { say, press } = await setup();
    const [reply] = (await say('lesson 1')).replies;
    expect(reply?.blocks.some((b) => b.type === 'choices' && b.choices[0]?.actionId === 'lesson.done')).toBe(
      true,
    );
    expect(await press('1')).toBe(`Lesson 1 marked done. Streak: 1 lesson. Done so far: 1/${total}.`);
    expect(await press('2')).toBe(`Lesson 2 marked done. Streak: 2 lessons. Done so far: 2/${total}.`);
    expect(await press('2')).toBe('You had already marked lesson 2 done.');
    expect(await press('9999')).toBe('That button is no longer active.');
  });
});

describe('/orch progress', () => {
  it('shows the caller their own lessons and streaks, privately', async () => {
    const { say, press } = await setup();
    await press('1');
    await press('2');
    await press('4');
    const { replies, text } = await say('progress', member);
    expect(replies[0]?.visibility).toBe('private');
    expect(text).toContain(`Lessons done [#-------------------] 3/${total}`);
    expect(text).toContain('Current streak : 1 lesson in a row');
    expect(text).toContain('Best streak    : 2 lessons in a row');
    expect((await say('progress', admin)).text).toContain(`0/${total}`);
  });
});
