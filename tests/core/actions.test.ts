import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitPressed } from '../../src/actions/action.ts';
import { ACTIONS, findAction } from '../../src/actions/registry.ts';
import { type Lang, type Reply, type Store, t, toPlainText } from '../../src/index.ts';
import { optionLetter } from '../../src/quiz/quiz-replies.ts';
import { createBot, openStore } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock, MINUTE } from '../helpers/clock.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

const catalog = await realCatalog();
const CHANNEL = { platform: 'test', space: 'T1', channel: 'C1' };
const KEY = 'test:T1:C1';

/**
 * Button values exactly as the code before the action registry wrote them (src/choices.ts and the reply files, with
 * `withLang`), and older ones without the language: buttons like these sit in channels and must keep working.
 */
const POSTED: { actionId: string; value: string; payload: unknown }[] = [
  { actionId: 'lesson.done', value: '3@ko', payload: 3 },
  { actionId: 'lesson.done', value: '12', payload: 12 },
  { actionId: 'lesson.open', value: '15@en', payload: 15 },
  { actionId: 'quiz.lesson', value: '1@en', payload: 1 },
  { actionId: 'quiz.lesson', value: '7', payload: 7 },
  {
    actionId: 'quiz.answer',
    value: '3f2a9c1e-0000-4000-8000-123456789abc:2:1@ko',
    payload: { roundId: '3f2a9c1e-0000-4000-8000-123456789abc', index: 2, option: 1 },
  },
  { actionId: 'quiz.answer', value: 'r:0:3', payload: { roundId: 'r', index: 0, option: 3 } },
  {
    actionId: 'review.answer',
    value: 'k8s-why-self-healing:1@en',
    payload: { questionId: 'k8s-why-self-healing', option: 1 },
  },
  {
    actionId: 'review.answer',
    value: 'gen-summary-istio:0',
    payload: { questionId: 'gen-summary-istio', option: 0 },
  },
];

/** Values no button of the bot ever carried: forged by hand or damaged on the way. */
const FORGED: Record<string, string[]> = {
  'lesson.done': ['', 'abc', '1e0', ' 1', '01', '-1', '1.0', '1:2', '1@fr', '1@en@en', '9'.repeat(40)],
  'lesson.open': ['', 'x', '0x3', '3 ', '+3'],
  'quiz.lesson': ['', 'NaN', '2;1', '١'],
  'quiz.answer': ['', 'r', 'r:0', 'r:0:2:9', 'r:0:x', ':0:1', 'r:00:1', 'r: 0:1', 'r:0:-1', 'r:1e1:0'],
  'review.answer': ['', 'q', ':1', 'q:-1', 'q:1:', 'q:x', 'q :1', 'q:01'],
};

describe('the action registry', () => {
  it('has one action per id, and still has every id buttons were posted with', () => {
    const ids = ACTIONS.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    // An id is on every button of its action already in channels: renaming one would leave them all dead.
    for (const { actionId } of POSTED) expect(ids).toContain(actionId);
  });

  it('still reads the values of buttons posted before it existed, and writes new buttons the same', () => {
    for (const { actionId, value, payload } of POSTED) {
      const action = findAction(actionId);
      if (!action) throw new Error(`no action ${actionId}`);
      const { value: bare, lang } = splitPressed(value);
      expect(action.decode(bare), value).toEqual(payload);
      // A button made now for the same payload carries the very same value.
      expect(action.press(payload, lang ?? undefined), value).toEqual({ actionId, value });
    }
  });

  it('refuses every forged or damaged value', () => {
    for (const [actionId, values] of Object.entries(FORGED)) {
      const action = findAction(actionId);
      for (const value of values) expect(action?.decode(splitPressed(value).value), value).toBeNull();
    }
  });
});

describe('a button press', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** A bot on a real SQLite file whose channel has history: a lesson done, a due review, a running round. */
  async function channelWithHistory() {
    const dir = await mkdtemp(join(tmpdir(), 'orch-actions-'));
    dirs.push(dir);
    const store = await openStore({ sqlitePath: join(dir, 'orch.db') });
    const poster = new RecordingPoster();
    const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
    const bot = createBot({
      catalog,
      store,
      poster,
      clock,
      defaultLang: 'en',
      timers: { setTimeout: () => 0, clearTimeout: () => undefined },
    });
    const who = (userId: string) => ({ platform: 'test', userId, displayName: userId, isAdmin: false });
    const say = (text: string, userId = 'U1') =>
      bot.handle({ kind: 'command', text, who: who(userId), where: CHANNEL, receivedAt: clock.now() });
    const press = (actionId: string, value: string, userId = 'U1') =>
      bot.answer({
        kind: 'choice',
        actionId,
        value,
        who: who(userId),
        where: CHANNEL,
        receivedAt: clock.now(),
      });
    const currentRound = async () => {
      const round = await store.runningRound(KEY);
      const question = round ? await store.roundQuestion(round.id, round.current) : null;
      if (!round || !question) throw new Error('no open question');
      return { roundId: round.id, index: round.current, answer: question.question.answer };
    };

    // U1 misses a question of a first round: it becomes a review card, due a few minutes later.
    await say('quiz etcd 1 30');
    const first = await currentRound();
    const wrong = (first.answer + 1) % 2;
    await press('quiz.answer', `${first.roundId}:${first.index}:${wrong}@en`);
    clock.advance(30_000);
    await bot.quiz.tick();
    clock.advance(3 * MINUTE);
    const card = (await store.dueReviews('test:T1:U1', clock.now().getTime(), 1))[0];
    if (!card) throw new Error('the missed question is not due for review');
    await press('lesson.done', '1@en');
    await say('quiz istio 2 30');
    return { bot, store, poster, clock, say, press, currentRound, card };
  }

  /** What a press could change: the channel's rounds, answers, lessons done, review cards and posts. */
  async function snapshot(store: Store, poster: RecordingPoster, questionId: string, now: number) {
    const round = await store.runningRound(KEY);
    return {
      round,
      answers: round ? await store.answers(round.id, round.current) : [],
      done: [await store.completions(KEY, 'U1'), await store.completions(KEY, 'U2')],
      card: await store.reviewCard('test:T1:U1', questionId),
      due: await store.countDueReviews('test:T1:U1', now),
      posts: poster.replies.length,
    };
  }

  const text = (replies: Reply[]) => replies.map(toPlainText).join('\n');

  it('with a forged or damaged value gets a private refusal in its language, and changes nothing', async () => {
    const c = await channelWithHistory();
    const before = await snapshot(c.store, c.poster, c.card.questionId, c.clock.now().getTime());
    for (const [actionId, values] of Object.entries(FORGED)) {
      for (const value of values) {
        for (const [suffix, lang] of [
          ['', 'en'],
          ['@en', 'en'],
          ['@ko', 'ko'],
        ] as [string, Lang][]) {
          for (const userId of ['U1', 'U2']) {
            const answer = await c.press(actionId, `${value}${suffix}`, userId);
            const context = `${actionId} ${JSON.stringify(value + suffix)} by ${userId}`;
            expect(answer.replies, context).toHaveLength(1);
            expect(answer.replies[0]?.visibility, context).toBe('private');
            expect(text(answer.replies), context).toBe(t(lang, 'action.malformed'));
            expect(answer, context).toMatchObject({
              command: actionId,
              outcome: 'refused',
              errorKey: 'action.malformed',
            });
          }
        }
      }
    }
    expect(await snapshot(c.store, c.poster, c.card.questionId, c.clock.now().getTime())).toEqual(before);
    // The same channel still takes real presses: the refusals above were for their values alone.
    const { roundId, index, answer } = await c.currentRound();
    expect(text((await c.press('quiz.answer', `${roundId}:${index}:${answer}@en`)).replies)).toMatch(
      /^Got it/,
    );
    c.bot.quiz.close();
    await c.store.close();
  });

  it('of a button the bot does not make is no longer active, and counted as unknown', async () => {
    const c = await channelWithHistory();
    const answer = await c.press('lesson.skip', '3@ko');
    expect(answer.replies.map((r) => r.visibility)).toEqual(['private']);
    expect(text(answer.replies)).toBe(t('ko', 'error.unknownChoice'));
    expect(answer).toMatchObject({ command: 'unknown', outcome: 'refused' });
    c.bot.quiz.close();
    await c.store.close();
  });

  it('with an option its review question does not have changes nothing', async () => {
    const c = await channelWithHistory();
    const before = await snapshot(c.store, c.poster, c.card.questionId, c.clock.now().getTime());
    const options = c.card.question.options.length;
    const answer = await c.press('review.answer', `${c.card.questionId}:${options}@en`);
    expect(text(answer.replies)).toBe(t('en', 'error.unknownChoice'));
    expect(await snapshot(c.store, c.poster, c.card.questionId, c.clock.now().getTime())).toEqual(before);
    c.bot.quiz.close();
    await c.store.close();
  });

  it('of a button posted before the registry, written the old way, still does its work', async () => {
    const c = await channelWithHistory();
    const { roundId, index, answer } = await c.currentRound();
    // The value of an answer button as src/quiz/quiz-replies.ts wrote it, before and after the language suffix.
    const option = optionLetter(answer);
    const untagged = await c.press('quiz.answer', `${roundId}:${index}:${answer}`, 'U2');
    expect(text(untagged.replies)).toBe(t('en', 'quiz.received', { option }));
    const tagged = await c.press('quiz.answer', `${roundId}:${index}:${answer}@ko`, 'U1');
    expect(text(tagged.replies)).toBe(t('ko', 'quiz.received', { option }));
    const stored = (await c.store.answers(roundId, index)).map((a) => [a.userId, a.option]);
    expect(stored.sort()).toEqual([
      ['U1', answer],
      ['U2', answer],
    ]);
    // A lesson's Done button from before the language suffix.
    expect(text((await c.press('lesson.done', '2', 'U2')).replies)).toMatch(/^Lesson 2 marked done\./);
    expect(await c.store.completions(KEY, 'U2')).toEqual([2]);
    // A review answer button written as `questionId:option@lang`.
    const reviewed = await c.press('review.answer', `${c.card.questionId}:${c.card.question.answer}@en`);
    expect(text(reviewed.replies)).toMatch(/^Right! Next review of this one: /);
    expect((await c.store.reviewCard('test:T1:U1', c.card.questionId))?.dueAt).toBeGreaterThan(
      c.clock.now().getTime(),
    );
    c.bot.quiz.close();
    await c.store.close();
  });
});
