import { describe, expect, it } from 'vitest';
import { lessonQuiz } from '../../src/actions/lesson-quiz.ts';
import { QuestionBank } from '../../src/quiz/bank.ts';
import { seededRandom } from '../../src/quiz/random.ts';
import { openStore } from '../../src/testing.ts';
import { command, realCatalog, testBot } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';

const catalog = await realCatalog();
const bank = new QuestionBank(catalog);
const lessonOf = new Map(catalog.questions.map((q) => [q.id, q.lesson]));
const trackOf = new Map(catalog.roadmap.lessons.map((l) => [l.id, l.trackId]));

describe('"quiz me on this" on a lesson', () => {
  it('asks a three-question round only from the lesson’s own questions, for every lesson and seed', () => {
    for (const lesson of catalog.roadmap.lessons) {
      const topic = bank.lessonTopic(lesson.number);
      if (!topic) throw new Error(`no topic for lesson ${lesson.number}`);
      for (let seed = 1; seed <= 5; seed++) {
        const picked = bank.pick(topic, 3, seededRandom(seed));
        expect(picked.map((q) => lessonOf.get(q.questionId))).toEqual([lesson.id, lesson.id, lesson.id]);
      }
    }
  });

  it('asks every own question first, then questions from the same track, in a longer round', () => {
    for (const lesson of catalog.roadmap.lessons) {
      const topic = bank.lessonTopic(lesson.number);
      if (!topic) throw new Error(`no topic for lesson ${lesson.number}`);
      const own = catalog.questions.filter((q) => q.lesson === lesson.id).length;
      const picked = bank.pick(topic, own + 2, seededRandom(lesson.number));
      const lessons = picked.map((q) => lessonOf.get(q.questionId));
      expect(new Set(picked.map((q) => q.questionId)).size).toBe(picked.length);
      expect(lessons.slice(0, own)).toEqual(Array(own).fill(lesson.id));
      for (const other of lessons.slice(own)) {
        expect(other).not.toBe(lesson.id);
        expect(trackOf.get(other ?? '')).toBe(lesson.trackId);
      }
    }
  });

  it('starts a round about that lesson when the button on the lesson is pressed', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    const bot = await testBot({ store, clock: new ManualClock(Date.parse('2026-11-25T03:00:00Z')) });
    const lesson = catalog.roadmap.lessons.find((l) => l.id === 'istio-canary');
    if (!lesson) throw new Error('the roadmap has the istio-canary lesson');
    await bot.handle({
      ...command(''),
      kind: 'choice',
      actionId: lessonQuiz.id,
      value: String(lesson.number),
    } as never);
    const round = await store.runningRound('test:T1:C1');
    if (!round) throw new Error('the button started no round');
    const asked = [];
    for (let i = 0; i < round.questionCount; i++) asked.push(await store.roundQuestion(round.id, i));
    expect(asked.map((q) => lessonOf.get(q?.question.questionId ?? ''))).toEqual([
      lesson.id,
      lesson.id,
      lesson.id,
    ]);
    await store.close();
  });
});
