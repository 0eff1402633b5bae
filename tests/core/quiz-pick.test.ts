// `/orch quiz` with no topic: a private menu of the topics a round can be on, in the reader's language; a pick starts
// the round as typing the topic would, and a pick the catalog does not hold changes nothing.
import { describe, expect, it } from 'vitest';
import { quizPick } from '../../src/actions/index.ts';
import type { Incoming, Reply, SelectOption } from '../../src/index.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { openStore } from '../../src/testing.ts';
import { command, realCatalog, testBot } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';

const catalog = await realCatalog();
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

async function setup() {
  const store = await openStore({ sqlitePath: ':memory:' });
  const clock = new ManualClock(Date.parse('2026-12-09T03:00:00Z'));
  const bot = await testBot({ store, clock, timers: noTimers, defaultLang: 'en' });
  return { bot, store, clock };
}

const selectOf = (reply: Reply | undefined) =>
  reply?.blocks.find((b): b is Extract<Reply['blocks'][number], { type: 'select' }> => b.type === 'select');
const pick = (option: SelectOption, extra: Partial<Incoming> = {}): Incoming =>
  ({ ...command(''), kind: 'choice', actionId: option.actionId, value: option.value, ...extra }) as Incoming;

describe('/orch quiz with no topic: the topic menu', () => {
  it('offers tracks, categories, tools and lessons privately, and starts nothing', async () => {
    const { bot, store } = await setup();
    const answer = await bot.answer(command('quiz'));
    expect(answer.outcome).toBe('ok');
    const [reply] = answer.replies;
    expect(reply?.visibility).toBe('private');
    const select = selectOf(reply);
    const labels = select?.options.map((o) => o.label) ?? [];
    const track = catalog.roadmap.tracks[0];
    const category = catalog.categories[0];
    expect(labels).toContain(track?.title.en);
    expect(labels).toContain(category?.name.en);
    expect(labels).toContain('Istio');
    expect(labels).toContain(`Lesson 1: ${catalog.roadmap.lessons[0]?.title.en}`);
    // Every option is a press of the picker's action; the most general come first.
    expect(new Set(select?.options.map((o) => o.actionId))).toEqual(new Set([quizPick.id]));
    expect(labels.slice(0, 2)).toEqual(['Everything', "Today's lesson"]);
    expect(await store.runningRound('test:T1:C1')).toBeNull();
  });

  it('lists the topics in Korean for a Korean reader', async () => {
    const { bot } = await setup();
    const [reply] = await bot.handle(command('퀴즈'));
    const labels = selectOf(reply)?.options.map((o) => o.label) ?? [];
    expect(labels).toContain(catalog.roadmap.tracks[0]?.title.ko);
    expect(labels).toContain(`1강: ${catalog.roadmap.lessons[0]?.title.ko}`);
    expect(selectOf(reply)?.placeholder).toBe('퀴즈 주제 고르기');
    expect(new Set(selectOf(reply)?.options.map((o) => o.group))).toContain('도구');
  });

  it("starts a round on the picked topic with the channel's quiz defaults", async () => {
    const { bot, store, clock } = await setup();
    await store.updateChannel('test:T1:C1', { quizCount: 3, quizSeconds: 20 }, clock.now().getTime());
    const [reply] = await bot.handle(command('quiz'));
    const istio = selectOf(reply)?.options.find((o) => o.label === 'Istio');
    expect(istio).toBeDefined();
    const answer = await bot.answer(pick(istio as SelectOption));
    expect(answer.outcome).toBe('ok');
    const round = await store.runningRound('test:T1:C1');
    expect(round).toMatchObject({ topic: 'Istio', questionCount: 3, secondsPerQuestion: 20 });
  });

  it('refuses a pick the catalog does not hold, or a value it never made, and starts nothing', async () => {
    const { bot, store } = await setup();
    const gone = quizPick.press({ kind: 'tool', id: 'no-such-tool' }, 'en');
    const [refused] = await bot.handle(pick({ ...gone, label: 'x' }));
    expect(refused?.blocks[0]).toMatchObject({ type: 'text', text: 'That button is no longer active.' });
    const forged = await bot.answer(pick({ actionId: quizPick.id, value: 'tool:a|b@en', label: 'x' }));
    expect(forged.outcome).not.toBe('ok');
    expect(await store.runningRound('test:T1:C1')).toBeNull();
  });

  it('still starts a round on everything when only a size is typed, and on `all`', async () => {
    const { bot, store } = await setup();
    await bot.handle(command('quiz all 2 20'));
    expect(await store.runningRound('test:T1:C1')).toMatchObject({ questionCount: 2 });
  });
});
