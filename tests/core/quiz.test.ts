import { afterEach, describe, expect, it } from 'vitest';
import { type Bot, type Incoming, type Reply, type Store, toPlainText } from '../../src/index.ts';
import { QueryEngine } from '../../src/query/engine.ts';
import { QuestionBank } from '../../src/quiz/bank.ts';
import { generateQuestions } from '../../src/quiz/generate.ts';
import { seededRandom } from '../../src/quiz/random.ts';
import { ROUND_STATES, type RoundState, roundState } from '../../src/quiz/round-states.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { createBot } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock, MINUTE } from '../helpers/clock.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';
import { BACKENDS, type TestDatabase } from '../helpers/stores.ts';

const catalog = await realCatalog();
const CHANNEL = { platform: 'test', space: 'T1', channel: 'C1' };
/** Deadlines are driven by tick() after moving the clock; real timers never fire in these tests. */
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };

function member(userId: string, isAdmin = false) {
  return { platform: 'test', userId, displayName: `name-${userId}`, isAdmin };
}

interface Rig {
  bot: Bot;
  clock: ManualClock;
  poster: RecordingPoster;
  store: Store;
  say(text: string, who?: ReturnType<typeof member>): Promise<string>;
  /** A button press; it arrived (was acknowledged) at `receivedAt`, now unless said otherwise. */
  click(value: string, who: ReturnType<typeof member>, receivedAt?: Date): Promise<string>;
  /** The buttons of the newest question message: values per option. */
  currentQuestion(): { roundId: string; index: number; answer: number; values: string[] };
}

function rig(
  store: Store,
  clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z')),
  poster = new RecordingPoster(),
): Rig {
  const bot = createBot({ catalog, store, poster, clock, timers: noTimers, defaultLang: 'en' });
  const send = async (incoming: Incoming) => (await bot.handle(incoming)).map(toPlainText).join('\n');
  const base = { where: CHANNEL };
  return {
    bot,
    clock,
    poster,
    store,
    say: (text, who = member('U1')) => send({ ...base, receivedAt: clock.now(), kind: 'command', text, who }),
    click: (value, who, receivedAt = clock.now()) =>
      send({ ...base, receivedAt, kind: 'choice', actionId: 'quiz.answer', value, who }),
    currentQuestion() {
      const replies = poster.replies.filter((r) =>
        r.blocks.some((b) => b.type === 'choices' && b.choices[0]?.actionId === 'quiz.answer'),
      );
      const last = replies[replies.length - 1] as Reply;
      const choices = last.blocks.flatMap((b) => (b.type === 'choices' ? b.choices : []));
      const [roundId, index] = (choices[0]?.value ?? '').split(':');
      return {
        roundId: roundId as string,
        index: Number(index),
        answer: -1,
        values: choices.map((c) => c.value),
      };
    },
  };
}

/** The right option of a question, read from the store (the test plays the part of a member who knows). */
async function rightValue(r: Rig): Promise<{ right: string; wrong: string }> {
  const q = r.currentQuestion();
  const stored = await r.store.roundQuestion(q.roundId, q.index);
  const answer = stored?.question.answer ?? 0;
  return { right: q.values[answer] as string, wrong: q.values[(answer + 1) % q.values.length] as string };
}

/** A round's state and its current question at one moment. */
interface Step {
  state: RoundState;
  index: number;
}

/**
 * A platform that, before each post of a round, reads the round's state from the store: the steps a round takes
 * between two actions of a test (a reveal, the next question, the final board) are seen one by one.
 */
class StateRecordingPoster extends RecordingPoster {
  /** Per round, its states in order, each change once. */
  readonly walks = new Map<string, Step[]>();

  constructor(private readonly store: Store) {
    super();
  }

  override async post(channelKey: string, reply: Reply, key: string) {
    const roundId = /^quiz:([^:]+):/.exec(key)?.[1];
    if (roundId) await this.look(roundId);
    return super.post(channelKey, reply, key);
  }

  async look(roundId: string): Promise<void> {
    const round = await this.store.getRound(roundId);
    if (!round) return;
    const question = await this.store.roundQuestion(roundId, round.current);
    const step = { state: roundState(round, question), index: round.current };
    const walk = this.walks.get(roundId) ?? [];
    this.walks.set(roundId, walk);
    const last = walk.at(-1);
    if (last?.state !== step.state || last.index !== step.index) walk.push(step);
  }
}

describe('the question bank', () => {
  it('has at least 150 curated questions covering every tool, every category and most lessons', () => {
    expect(catalog.questions.length).toBeGreaterThanOrEqual(150);
    const tools = new Set(catalog.questions.map((q) => q.tool));
    for (const tool of catalog.tools) expect(tools.has(tool.id), tool.id).toBe(true);
    const bank = new QuestionBank(catalog);
    for (const category of catalog.categories) {
      expect(
        bank.questionsFor({ kind: 'category', id: category.id, name: category.name }).curated.length,
        category.id,
      ).toBeGreaterThan(0);
    }
    const lessons = new Set(catalog.questions.map((q) => q.lesson));
    expect(catalog.roadmap.lessons.filter((l) => lessons.has(l.id)).length).toBeGreaterThanOrEqual(40);
  });

  it('generates questions with exactly one right answer, whatever the seed', () => {
    for (const seed of [1, 2, 3, 42, 1000]) {
      const generated = generateQuestions(catalog, seededRandom(seed));
      expect(generated.length).toBeGreaterThanOrEqual(catalog.tools.length * 3);
      for (const q of generated) {
        expect(q.answer).toBeGreaterThanOrEqual(0);
        expect(new Set(q.options.map((o) => o.en)).size, q.questionId).toBe(q.options.length);
        const tool = catalog.toolById.get(q.toolId ?? '');
        if (tool?.source !== 'curated')
          throw new Error(`generated question without a curated tool: ${q.questionId}`);
        const right = q.options[q.answer];
        if (q.questionId.startsWith('gen-summary') || q.questionId.startsWith('gen-alias'))
          expect(right?.en).toBe(tool.name);
        if (q.questionId.startsWith('gen-category'))
          expect(right?.en).toBe(catalog.categoryById.get(tool.category)?.name.en);
        // Only the right tool has the asked alias: the catalog check keeps aliases unique across tools.
        if (q.questionId.startsWith('gen-alias')) {
          const alias = /"(.+)"/.exec(q.question.en)?.[1] ?? '';
          const holders = catalog.tools.filter((x) => x.source === 'curated' && x.aliases.includes(alias));
          expect(holders.map((x) => x.id)).toEqual([tool.id]);
        }
      }
    }
  });

  it('runs a round on the glossary: "quiz 개념" asks only concept questions, and a concept is quizzed in its lesson', () => {
    const bank = new QuestionBank(catalog);
    const engine = new QueryEngine(catalog);
    for (const word of ['개념', 'concepts', '용어'])
      expect(bank.resolveTopic(word, engine), word).toEqual({ kind: 'concepts' });
    const picked = bank.pick({ kind: 'concepts' }, 10, seededRandom(3));
    expect(picked).toHaveLength(10);
    for (const q of picked) {
      const concept = catalog.conceptById.get(q.questionId.replace('gen-concept-', ''));
      expect(q.options[q.answer]?.en, q.questionId).toBe(concept?.name.en);
    }
    const sidecar = catalog.conceptById.get('sidecar');
    const lesson = catalog.roadmap.lessons.find((l) => l.id === sidecar?.lessons[0]);
    expect(bank.resolveTopic('사이드카', engine)).toMatchObject({ kind: 'lesson', id: lesson?.id });
  });

  it('picks questions on a topic without repeats', () => {
    const bank = new QuestionBank(catalog);
    const picked = bank.pick({ kind: 'tool', id: 'istio', name: 'Istio' }, 8, seededRandom(5));
    expect(picked).toHaveLength(8);
    expect(new Set(picked.map((q) => q.questionId)).size).toBe(8);
    expect(picked.every((q) => q.toolId === 'istio')).toBe(true);
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`quiz rounds on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });
    const fresh = async () => {
      db = await backend.create();
      return rig(await db.connect());
    };

    it('plays a full round: deadline reveal, scores, speed bonus, leaderboard and progress', async () => {
      const r = await fresh();
      expect(await r.say('quiz istio 2 20')).toBe('Round started.');
      expect(r.poster.messages[0]?.text).toContain('Quiz time! 2 questions on Istio, 20 seconds each.');
      let q = await rightValue(r);
      r.clock.advance(2_000);
      expect(await r.click(q.right, member('U1'))).toMatch(/^Got it: you answered [A-D]\./);
      r.clock.advance(8_000);
      expect(await r.click(q.wrong, member('U2'))).toMatch(/^Got it/);
      expect(await r.click(q.right, member('U2'))).toBe(
        'You already answered this question; only your first answer counts.',
      );
      r.clock.advance(10_000);
      await r.bot.quiz.tick();
      const reveal = r.poster.replies[r.poster.replies.length - 2];
      expect(reveal?.replaces?.messageId).toBeTruthy();
      const revealText = toPlainText(reveal as Reply);
      expect(revealText).toContain('Answer: ');
      expect(revealText).toContain('Right : name-U1');
      expect(revealText).toMatch(/Fastest: name-U1 \(2\.0 s\)/);
      expect(revealText).toContain('Learn more: `/orch istio`');
      expect(await r.click(q.right, member('U3'))).toBe('This question is closed.');

      q = await rightValue(r);
      expect(r.currentQuestion().index).toBe(1);
      r.clock.advance(20_000);
      await r.bot.quiz.tick();
      const final = r.poster.messages[r.poster.messages.length - 1]?.text ?? '';
      expect(final).toContain('Round over: scores');
      // 100 for the right answer + 50 x (18 s left of 20 s) = 145.
      expect(final).toContain('1. name-U1: 145 points (1/1 right)');
      expect(final).toContain('2. name-U2: 0 points (0/1 right)');
      expect(await r.say('leaderboard')).toContain('1. name-U1: 145 points');
      expect(await r.say('progress', member('U2'))).toContain('Quiz answers   : 0/1 right, 0 points');
    });

    it('judges and scores clicks by when they arrived, even when they are processed after the deadline', async () => {
      const r = await fresh();
      await r.say('quiz istio 1 20');
      const q = await rightValue(r);
      const postedAt = r.clock.now().getTime();
      const arrived = (ms: number) => new Date(postedAt + ms);
      // A burst held every click up: they are processed 5 s after the deadline, before the reveal.
      r.clock.advance(25_000);
      expect(await r.click(q.right, member('U1'), arrived(2_000))).toMatch(/^Got it/);
      expect(await r.click(q.right, member('U2'), arrived(19_999))).toMatch(/^Got it/);
      expect(await r.click(q.right, member('U3'), arrived(20_000))).toBe('This question is closed.');
      expect(await r.click(q.right, member('U4'))).toBe('This question is closed.');
      await r.bot.quiz.tick();
      const reveal = toPlainText(r.poster.replies.find((x) => x.replaces) as Reply);
      expect(reveal).toMatch(/Fastest: name-U1 \(2\.0 s\)/);
      // Still held up behind the burst when the deadline revealed the question: it arrived in time, so it counts.
      expect(await r.click(q.right, member('U5'), arrived(19_500))).toMatch(/^Got it/);
      expect(await r.click(q.right, member('U6'), arrived(20_500))).toBe('This question is closed.');
      const scores = await r.store.roundScores(r.currentQuestion().roundId);
      // 100 for the right answer + 50 x the share of the 20 s left when it arrived.
      expect(scores.map((s) => [s.userId, s.points])).toEqual([
        ['U1', 145],
        ['U5', 101],
        ['U2', 100],
      ]);
    });

    it('reveals early once everyone who played has answered, after the receipt that says so', async () => {
      const r = await fresh();
      await r.say('quiz kubernetes 3 30');
      let q = await rightValue(r);
      // Nobody played before the first question: only its deadline reveals it.
      expect(await r.click(q.right, member('U1'))).toMatch(/^Got it: .*revealed when time is up\.$/);
      await r.click(q.wrong, member('U2'));
      r.clock.advance(30_000);
      await r.bot.quiz.tick();
      q = await rightValue(r);
      expect(r.currentQuestion().index).toBe(1);
      expect(await r.click(q.right, member('U1'))).toMatch(
        /once everyone who played the earlier questions has answered/,
      );
      await r.bot.quiz.drain();
      expect(r.currentQuestion().index).toBe(1);
      // The last awaited press: its receipt is returned before anything of the reveal is posted, and says so.
      const posted = r.poster.replies.length;
      let delivered = (): void => undefined;
      const receipt = await r.bot.handle({
        kind: 'choice',
        actionId: 'quiz.answer',
        value: q.right,
        who: member('U2'),
        where: CHANNEL,
        receivedAt: r.clock.now(),
        delivered: new Promise<void>((resolve) => {
          delivered = resolve;
        }),
      });
      expect(toPlainText(receipt[0] as Reply)).toMatch(
        /Everyone has answered, so the answer is revealed now\./,
      );
      // Until the adapter says the receipt reached the member, the reveal waits.
      await new Promise((resolve) => setImmediate(resolve));
      expect(r.poster.replies.length).toBe(posted);
      // A member who joins now is told the truth too: the reveal is under way.
      expect(await r.click(q.wrong, member('U3'))).toMatch(/revealed now/);
      delivered();
      await r.bot.quiz.drain();
      // Question 2 is revealed and question 3 is up without waiting for the deadline.
      expect(r.currentQuestion().index).toBe(2);
      expect(r.poster.replies.filter((x) => x.replaces)).toHaveLength(2);
    });

    it('lets a new round start as soon as the last one was stopped or ended', async () => {
      const r = await fresh();
      await r.say('quiz envoy 3 30', member('U1'));
      expect(await r.say('quiz stop', member('U1'))).toContain('Round stopped by name-U1.');
      // Before: "A round started here moments ago; try again in 30 seconds", though none was running.
      expect(await r.say('quiz istio 1 10', member('U2'))).toBe('Round started.');
      r.clock.advance(10_000);
      await r.bot.quiz.tick();
      expect(r.poster.messages.at(-1)?.text).toContain('Round over: scores');
      expect(await r.say('quiz etcd', member('U1'))).toBe('Round started.');
    });

    it('allows one round per channel and lets only the starter or an admin stop', async () => {
      const r = await fresh();
      await r.say('quiz envoy 3 30', member('U1'));
      expect(await r.say('quiz istio', member('U2'))).toContain(
        'A round is already running in this channel.',
      );
      expect(await r.say('quiz stop', member('U2'))).toBe(
        'Only the member who started the round or an admin can stop it.',
      );
      expect(await r.say('quiz stop', member('U9', true))).toContain('Round stopped by name-U9.');
      expect(await r.say('quiz stop', member('U1'))).toBe('No round is running in this channel.');
      expect(await r.say('quiz envoy', member('U1'))).toBe('Round started.');
      expect(await r.say('quiz pizza')).toContain('There is no quiz on "pizza"');
      expect(await r.say('quiz istio 50')).toContain('The number of questions must be 1 to 20, not 50');
    });

    it('resumes after a restart: a passed deadline is revealed at once and no answer is lost or doubled', async () => {
      const r = await fresh();
      await r.say('quiz istio 2 30');
      const q = await rightValue(r);
      await r.click(q.right, member('U1'));
      await r.click(q.wrong, member('U2'));
      // The process dies; a new one starts on the same database 40 s later.
      r.bot.quiz.close();
      const restarted = rig(await (db as TestDatabase).connect(), r.clock, r.poster);
      r.clock.advance(40_000);
      await restarted.bot.quiz.resume();
      const reveal = toPlainText(r.poster.replies.find((x) => x.replaces) as Reply);
      expect(reveal).toContain('Right : name-U1');
      expect(restarted.currentQuestion().index).toBe(1);
      const answers = await restarted.store.answers(q.right.split(':')[0] as string, 0);
      expect(answers.map((a) => a.userId).sort()).toEqual(['U1', 'U2']);
      // Resuming twice posts nothing twice.
      const count = r.poster.messages.length;
      await restarted.bot.quiz.resume();
      expect(r.poster.messages.length).toBe(count);
    });

    it('records each of 1,000 members once when their clicks arrive at once, duplicates mixed in', async () => {
      const r = await fresh();
      await r.say('quiz kubernetes 1 60');
      const q = await rightValue(r);
      const clicks: Promise<string>[] = [];
      for (let i = 0; i < 1000; i++) {
        const who = member(`S${i % 800}`);
        clicks.push(r.click(i % 3 === 0 ? q.right : q.wrong, who));
      }
      const replies = await Promise.all(clicks);
      expect(replies.filter((x) => x.startsWith('Got it'))).toHaveLength(800);
      expect(replies.filter((x) => x.startsWith('You already answered'))).toHaveLength(200);
      const { roundId } = r.currentQuestion();
      const answers = await r.store.answers(roundId, 0);
      expect(answers).toHaveLength(800);
      r.clock.advance(60_000);
      await r.bot.quiz.tick();
      const scores = await r.store.roundScores(roundId);
      const right = answers.filter((a) => a.correct).length;
      expect(scores.reduce((sum, s) => sum + s.correct, 0)).toBe(right);
      expect(scores.reduce((sum, s) => sum + s.answered, 0)).toBe(800);
    });

    it('moves a round only along the table of round states, through every one of them', async () => {
      db = await backend.create();
      const store = await db.connect();
      const poster = new StateRecordingPoster(store);
      const r = rig(store, undefined, poster);
      await r.say('quiz kubernetes 3 30');
      const { roundId } = r.currentQuestion();
      await poster.look(roundId);
      // Question 1 by its deadline: nobody played before it.
      let q = await rightValue(r);
      await r.click(q.right, member('U1'));
      await r.click(q.wrong, member('U2'));
      r.clock.advance(30_000);
      await r.bot.quiz.tick();
      await poster.look(roundId);
      // Question 2 early: both earlier players answered.
      q = await rightValue(r);
      await r.click(q.right, member('U1'));
      await r.click(q.right, member('U2'));
      await r.bot.quiz.drain();
      await poster.look(roundId);
      // Question 3 by its deadline again, then the final board.
      r.clock.advance(30_000);
      await r.bot.quiz.tick();
      await poster.look(roundId);
      // A second round, stopped while its question is open.
      await r.say('quiz istio 2 30', member('U1'));
      const stopped = r.currentQuestion().roundId;
      await poster.look(stopped);
      await r.say('quiz stop', member('U1'));
      await poster.look(stopped);

      const walk = (id: string) => poster.walks.get(id) ?? [];
      const moves = [roundId, stopped].flatMap((id) =>
        walk(id)
          .slice(1)
          .map((to, i) => ({ from: walk(id)[i] as Step, to })),
      );
      const refused = moves.filter(({ from, to }) => !ROUND_STATES[from.state].next.includes(to.state));
      expect(refused).toEqual([]);
      expect(walk(roundId).map((step) => `${step.state}@${step.index}`)).toEqual([
        'asking@0',
        'open@0',
        'revealed@0',
        'asking@1',
        'open@1',
        'revealed@1',
        'asking@2',
        'open@2',
        'revealed@2',
        'finalBoard@3',
        'finished@3',
      ]);
      const visited = new Set(moves.flatMap(({ from, to }) => [from.state, to.state]));
      expect([...visited].sort()).toEqual(Object.keys(ROUND_STATES).sort());
    });

    it('brings missed questions back in /orch review and reschedules them', async () => {
      const r = await fresh();
      await r.say('quiz etcd 1 30');
      const q = await rightValue(r);
      await r.click(q.wrong, member('U1'));
      r.clock.advance(30_000);
      await r.bot.quiz.tick();
      // A missed question comes back after FSRS's first short learning step, not at once.
      expect(await r.say('progress', member('U1'))).toContain('Reviews due    : 0 (`/orch review`)');
      r.clock.advance(2 * MINUTE);
      expect(await r.say('progress', member('U1'))).toContain('Reviews due    : 1 (`/orch review`)');
      const reviewText = await r.say('review', member('U1'));
      expect(reviewText).toContain('Review: question 1 of 1 due');
      const card = (await r.store.dueReviews('test:T1:U1', r.clock.now().getTime(), 1))[0];
      const answer = card?.question.answer ?? 0;
      const feedback = await r.bot.handle({
        kind: 'choice',
        actionId: 'review.answer',
        value: `${card?.questionId}:${answer}`,
        who: member('U1'),
        where: CHANNEL,
        receivedAt: new Date(0),
      });
      expect(toPlainText(feedback[0] as Reply)).toMatch(/^Right! Next review of this one: /);
      expect(await r.store.countDueReviews('test:T1:U1', r.clock.now().getTime())).toBe(0);
      expect(await r.say('review', member('U1'))).toContain('Nothing to review right now.');
    });
  });
}

describe('buttons answer in the language of the message they sit on', () => {
  /** A bot that answers in Korean unless told otherwise, as on Slack, which sends no locale with a press. */
  async function koreanBot() {
    const backend = BACKENDS[0] as (typeof BACKENDS)[number];
    const db = await backend.create();
    const poster = new RecordingPoster();
    const clock = new ManualClock(Date.parse('2026-11-25T10:00:00Z'));
    const bot = createBot({
      catalog,
      store: await db.connect(),
      poster,
      clock,
      timers: noTimers,
      defaultLang: 'ko',
    });
    const event = { where: CHANNEL, who: member('U1'), receivedAt: clock.now() };
    const say = async (text: string) =>
      (await bot.handle({ ...event, kind: 'command', text })).map(toPlainText).join('\n');
    const buttons = (replies: Reply[]) =>
      replies.flatMap((r) => r.blocks.flatMap((b) => (b.type === 'choices' ? b.choices : [])));
    const press = async (actionId: string, value: string) =>
      (await bot.handle({ ...event, kind: 'choice', actionId, value })).map(toPlainText).join('\n');
    return { db, bot, poster, say, buttons, press };
  }

  it('answers the presses of a --lang en round and lesson in English, and old buttons as before', async () => {
    const k = await koreanBot();
    try {
      expect(await k.say('quiz istio 1 20 --lang en')).toBe('Round started.');
      const answers = k.buttons(k.poster.replies).filter((c) => c.actionId === 'quiz.answer');
      expect(answers[0]?.value).toMatch(/@en$/);
      // Before: "A번으로 답했어요…" although the question was asked in English.
      expect(await k.press('quiz.answer', answers[0]?.value ?? '')).toMatch(/^Got it: you answered A\./);
      // A button posted before the language travelled with it still works, in the channel's language.
      const old = (answers[1]?.value ?? '').replace(/@en$/, '');
      expect(await k.press('quiz.answer', old)).toBe('이미 답한 문제예요. 처음 낸 답만 인정돼요.');
      await k.say('quiz stop');

      const lesson = await k.bot.handle({
        kind: 'command',
        text: 'lesson 1 --lang en',
        where: CHANNEL,
        who: member('U1'),
        receivedAt: new Date(),
      });
      const [done, quizMe] = k.buttons(lesson);
      expect(done?.value).toBe('1@en');
      expect(await k.press('lesson.done', done?.value ?? '')).toMatch(/^Lesson 1 marked done\./);
      expect(await k.press('lesson.done', '1')).toBe('1강은 이미 완료로 기록되어 있어요.');
      expect(await k.press('quiz.lesson', quizMe?.value ?? '')).toBe('Round started.');
      expect(k.poster.messages.at(-2)?.text).toMatch(/^Quiz time!/);
      // An error the core words (a round is running) is in the button's language too.
      expect(await k.press('quiz.lesson', quizMe?.value ?? '')).toMatch(/^A round is already running/);
      expect(await k.press('quiz.lesson', '1')).toMatch(/^이 채널에서 이미 라운드가 진행 중이에요/);
    } finally {
      k.bot.quiz.close();
      await k.db.dispose();
    }
  });
});
