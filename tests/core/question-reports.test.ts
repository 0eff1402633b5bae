import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { quizReport } from '../../src/actions/quiz-report.ts';
import { type Bot, type Reply, type Store, toPlainText } from '../../src/index.ts';
import { fromCurated, QuestionBank } from '../../src/quiz/bank.ts';
import {
  channelPreference,
  DEFAULT_TARGET_SHARE,
  PAUSE_RULES,
  pauseReasonOf,
  type QuestionPreference,
  selectionWeight,
} from '../../src/quiz/question-health.ts';
import { seededRandom } from '../../src/quiz/random.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { questionVersion } from '../../src/store/question-version.ts';
import type { RoundQuestion } from '../../src/store/store.ts';
import { createBot } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';
import { BACKENDS, type TestDatabase } from '../helpers/stores.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const catalog = await realCatalog();
const WHERE = { platform: 'test', space: 'T1', channel: 'C1' };
const KEY = 'test:T1:C1';
const noTimers: Timers = { setTimeout: () => 0, clearTimeout: () => undefined };
/** A lesson with three questions of its own: a three-question round on it asks exactly those, unless one is held out. */
const LESSON = 'istio-canary';
const OWN = catalog.questions.filter((q) => q.lesson === LESSON).map((q) => q.id);

function member(userId: string, isAdmin = false) {
  return { platform: 'test', userId, displayName: `name-${userId}`, isAdmin };
}

interface Rig {
  bot: Bot;
  clock: ManualClock;
  poster: RecordingPoster;
  store: Store;
  say(text: string, who?: ReturnType<typeof member>): Promise<string>;
  press(actionId: string, value: string, who: ReturnType<typeof member>): Promise<Reply[]>;
  submit(
    state: string,
    values: Record<string, string>,
    who: ReturnType<typeof member>,
  ): ReturnType<Bot['answer']>;
  /** Plays the round running now to its end: each member answers right or wrong, and every deadline passes. */
  playRound(players: { who: ReturnType<typeof member>; right: boolean }[]): Promise<string[]>;
}

function rig(store: Store): Rig {
  const clock = new ManualClock(Date.parse('2026-12-07T10:00:00Z'));
  const poster = new RecordingPoster();
  const bot = createBot({ catalog, store, poster, clock, timers: noTimers, defaultLang: 'en' });
  const base = { where: WHERE };
  const r: Rig = {
    bot,
    clock,
    poster,
    store,
    say: async (text, who = member('U1')) =>
      (await bot.handle({ ...base, receivedAt: clock.now(), kind: 'command', text, who }))
        .map(toPlainText)
        .join('\n'),
    press: (actionId, value, who) =>
      bot.handle({ ...base, receivedAt: clock.now(), kind: 'choice', actionId, value, who }),
    submit: (state, values, who) =>
      bot.answer({
        ...base,
        receivedAt: clock.now(),
        kind: 'submit',
        formId: 'quiz.report',
        state,
        values,
        who,
      }),
    async playRound(players) {
      const round = await store.runningRound(KEY);
      if (!round) throw new Error('no round is running');
      const asked: string[] = [];
      for (let index = 0; index < round.questionCount; index++) {
        const q = await store.roundQuestion(round.id, index);
        if (!q) throw new Error(`question ${index} is missing`);
        asked.push(q.question.questionId);
        clock.advance(1_000);
        for (const p of players) {
          const option = p.right ? q.question.answer : (q.question.answer + 1) % q.question.options.length;
          const value = `${round.id}:${index}:${option}`;
          await bot.handle({
            ...base,
            receivedAt: clock.now(),
            kind: 'choice',
            actionId: 'quiz.answer',
            value,
            who: p.who,
          });
        }
        clock.advance(round.secondsPerQuestion * 1_000);
        await bot.quiz.tick();
      }
      return asked;
    },
  };
  return r;
}

/** The report button of the newest reveal: its press value. */
function lastReportButton(poster: RecordingPoster): string {
  const reveal = poster.replies.filter((r) => r.replaces).at(-1);
  const button = reveal?.blocks
    .flatMap((b) => (b.type === 'choices' ? b.choices : []))
    .find((c) => c.actionId === 'quiz.report');
  if (!button) throw new Error('the reveal has no report button');
  return button.value;
}

/** The line of `- id: <id>` in a question file, read from the file itself. */
function lineOfQuestion(id: string): { file: string; line: number } {
  for (const file of [
    'service-mesh.yaml',
    'kubernetes.yaml',
    'ecosystem.yaml',
    'case-studies.yaml',
    'proxies-and-gateways.yaml',
    'local-and-cluster-management.yaml',
  ]) {
    const lines = readFileSync(join(ROOT, 'catalog', 'quizzes', file), 'utf8').split('\n');
    const index = lines.findIndex((l) => l.trim() === `- id: ${id}`);
    if (index >= 0) return { file: `quizzes/${file}`, line: index + 1 };
  }
  throw new Error(`no file holds question ${id}`);
}

describe('question health rules', () => {
  it('pauses on two reporters, or on a share under 10% or over 95% of at least 20 players, and not before', () => {
    expect(pauseReasonOf({ players: 0, correct: 0 }, 1)).toBeNull();
    expect(pauseReasonOf({ players: 0, correct: 0 }, 2)).toBe('reports');
    expect(pauseReasonOf({ players: 19, correct: 0 }, 0)).toBeNull();
    expect(pauseReasonOf({ players: 19, correct: 19 }, 0)).toBeNull();
    expect(pauseReasonOf({ players: 20, correct: 1 }, 0)).toBe('hard');
    expect(pauseReasonOf({ players: 20, correct: 2 }, 0)).toBeNull();
    expect(pauseReasonOf({ players: 20, correct: 19 }, 0)).toBeNull();
    expect(pauseReasonOf({ players: 40, correct: 39 }, 0)).toBe('easy');
    expect(PAUSE_RULES.minPlayers).toBe(20);
  });

  it('weighs a question highest inside the target share, lower the further out, and never at zero', () => {
    const w = (players: number, correct: number) =>
      selectionWeight({ players, correct }, DEFAULT_TARGET_SHARE);
    expect(w(10, 7)).toBeGreaterThan(w(10, 5));
    expect(w(10, 5)).toBeGreaterThan(w(10, 2));
    expect(w(10, 7)).toBeGreaterThan(w(10, 9));
    expect(w(10, 9)).toBeGreaterThan(w(10, 10) - 1e-9);
    expect(w(10, 0)).toBeGreaterThan(0);
    // Too few players to know: between the band and the far outside, so unknown questions still get asked.
    expect(selectionWeight(undefined, DEFAULT_TARGET_SHARE)).toBeLessThan(w(10, 7));
    expect(selectionWeight(undefined, DEFAULT_TARGET_SHARE)).toBeGreaterThan(w(10, 0));
    expect(selectionWeight({ players: 4, correct: 0 }, DEFAULT_TARGET_SHARE)).toBe(
      selectionWeight(undefined, DEFAULT_TARGET_SHARE),
    );
  });

  it('draws rounds that prefer the target share, leave held-out questions out, and still cover every topic', () => {
    const bank = new QuestionBank(catalog);
    const all = bank.questionsFor({ kind: 'all' }).curated;
    // Half the curated questions are answered right 70% of the time (in the band), the other half 100% (out of it).
    const inBand = new Set(all.filter((_, i) => i % 2 === 0).map((q) => q.questionId));
    const held = all[1] as RoundQuestion;
    const preference: QuestionPreference = {
      paused: (q) => q.questionId === held.questionId,
      weight: (q) =>
        selectionWeight(
          inBand.has(q.questionId) ? { players: 10, correct: 7 } : { players: 10, correct: 10 },
          DEFAULT_TARGET_SHARE,
        ),
    };
    const random = seededRandom(11);
    let preferred = 0;
    let other = 0;
    const topicsSeen = new Set<string>();
    for (let round = 0; round < 300; round++) {
      for (const q of bank.pick({ kind: 'all' }, 10, random, preference)) {
        expect(q.questionId).not.toBe(held.questionId);
        const curated = catalog.questions.find((c) => c.id === q.questionId);
        if (!curated) continue;
        topicsSeen.add(curated.tool ?? curated.category ?? curated.lesson ?? '');
        if (inBand.has(q.questionId)) preferred++;
        else other++;
      }
    }
    // Weights 4 against 1 + 3 × (1 − 0.2/0.3) = 2: in-band questions come about twice as often.
    expect(preferred / other).toBeGreaterThan(1.6);
    expect(preferred / other).toBeLessThan(2.5);
    const topics = new Set(catalog.questions.map((c) => c.tool ?? c.category ?? c.lesson ?? ''));
    expect([...topics].filter((topic) => !topicsSeen.has(topic))).toEqual([]);
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`question reports and held-out questions on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });
    const fresh = async () => {
      db = await backend.create();
      return rig(await db.connect());
    };

    it('a question reported by two members stops appearing in the channel, is listed for admins with its file and line, and comes back when resumed', async () => {
      expect(OWN).toHaveLength(3);
      const r = await fresh();
      expect(await r.say(`quiz ${LESSON} 3 20`)).toBe('Round started.');
      // Only the first question is played before it is reported; the round goes on.
      const round = await r.store.runningRound(KEY);
      const first = (await r.store.roundQuestion(round?.id ?? '', 0))?.question as RoundQuestion;
      r.clock.advance(21_000);
      await r.bot.quiz.tick();
      const value = lastReportButton(r.poster);

      // Amy opens the form from the button and sends it with a note.
      const [opened] = await r.press('quiz.report', value, member('amy'));
      expect(opened?.visibility).toBe('private');
      expect(opened?.form?.id).toBe('quiz.report');
      expect(opened?.form?.fields.map((f) => f.id)).toEqual(['reason', 'note']);
      const sent = await r.submit(
        opened?.form?.state ?? '',
        { reason: 'ambiguous', note: 'B도 맞는 답 같아요 @everyone' },
        member('amy'),
      );
      expect(sent.outcome).toBe('ok');
      expect(sent.replies.map(toPlainText).join('\n')).toBe(
        'Thanks for the report. The channel admins will see it. (Reason: More than one answer fits)',
      );
      // Amy again: still one member, nothing is held out.
      const again = await r.press(
        'quiz.report',
        quizReport.press({ roundId: round?.id ?? '', index: 0, reason: 'typo' }).value,
        member('amy'),
      );
      expect(again.map(toPlainText).join('\n')).not.toContain('held out');
      // Bob picks a reason from the buttons the form's text offers (a platform without forms): the second member.
      const buttons = (opened?.blocks ?? []).flatMap((b) => (b.type === 'choices' ? b.choices : []));
      expect(buttons.map((b) => b.label)).toEqual([
        'The answer is wrong',
        'More than one answer fits',
        'It is out of date',
        'It has a typo',
      ]);
      const bob = await r.press('quiz.report', buttons[0]?.value ?? '', member('bob'));
      expect(bob.map(toPlainText).join('\n')).toContain(
        "Two members have reported it, so it is held out of this channel's rounds until an admin looks at it.",
      );
      await r.say('quiz stop');

      // Five more rounds on the lesson: the reported question is never asked; the other two always are.
      for (let i = 0; i < 5; i++) {
        r.clock.advance(60_000);
        expect(await r.say(`quiz ${LESSON} 3 20`)).toBe('Round started.');
        const running = await r.store.runningRound(KEY);
        const ids: string[] = [];
        for (let index = 0; index < 3; index++)
          ids.push((await r.store.roundQuestion(running?.id ?? '', index))?.question.questionId ?? '');
        expect(ids).not.toContain(first.questionId);
        for (const id of OWN.filter((x) => x !== first.questionId)) expect(ids).toContain(id);
        await r.say('quiz stop');
      }

      // The admin's list: where to fix it, why, the record and both reports; the note cannot ping anyone.
      expect(await r.say('admin questions', member('amy'))).toContain('only channel admins');
      const admin = member('boss', true);
      const list = await r.say('admin questions', admin);
      const at = lineOfQuestion(first.questionId);
      expect(list).toContain(
        `\`${first.questionId}\` · \`catalog/${at.file}:${at.line}\` · reported by two members`,
      );
      expect(list).toContain('Report: It has a typo');
      expect(list).toContain('Report: The answer is wrong');
      expect(list).not.toContain('@everyone');
      const answered = await r.bot.answer({
        where: WHERE,
        receivedAt: r.clock.now(),
        kind: 'command',
        text: 'admin questions',
        who: admin,
      });
      expect(answered.data.held).toEqual([
        { id: first.questionId, reason: 'reports', source: `${at.file}:${at.line}` },
      ]);

      // Resumed as it is: asked again in the next lesson round.
      expect(await r.say(`admin questions resume ${first.questionId}`, admin)).toBe(
        `Question \`${first.questionId}\` is asked in this channel's rounds again.`,
      );
      expect(await r.say(`admin questions resume ${first.questionId}`, admin)).toContain('is not held out');
      r.clock.advance(60_000);
      await r.say(`quiz ${LESSON} 3 20`);
      const running = await r.store.runningRound(KEY);
      const ids: string[] = [];
      for (let index = 0; index < 3; index++)
        ids.push((await r.store.roundQuestion(running?.id ?? '', index))?.question.questionId ?? '');
      expect(ids.sort()).toEqual([...OWN].sort());
    });

    it('holds out a question nearly everyone answers right once 20 players have answered it, and a fixed version is asked again', async () => {
      const r = await fresh();
      await r.say(`quiz ${LESSON} 1 20`);
      const players = Array.from({ length: PAUSE_RULES.minPlayers }, (_, i) => ({
        who: member(`p${i}`),
        right: true,
      }));
      const [asked] = await r.playRound(players);
      const pauses = await r.store.questionPauses(KEY);
      expect(pauses.map((p) => [p.questionId, p.reason, p.status])).toEqual([[asked, 'easy', 'paused']]);
      const list = await r.say('admin questions', member('boss', true));
      expect(list).toContain('almost everybody gets it right');
      expect(list).toContain('20 players, 100% right, median answer 1.0 s');

      // The same id with new wording is a new version: not held out, with a record of its own.
      const original = catalog.questions.find((q) => q.id === asked);
      if (!original) throw new Error(`question ${asked} is not curated`);
      const asked0 = fromCurated(original);
      const fixed: RoundQuestion = {
        ...asked0,
        question: { ...asked0.question, en: `${asked0.question.en} (fixed)` },
      };
      const preference = await channelPreference(r.store, KEY, DEFAULT_TARGET_SHARE);
      expect(preference.paused(asked0)).toBe(true);
      expect(preference.paused(fixed)).toBe(false);
      expect(questionVersion(fixed)).not.toBe(pauses[0]?.version);
    });

    it('refuses a report of a question not yet revealed, from another channel, forged or with a reason not on the list, and keeps nothing', async () => {
      const r = await fresh();
      await r.say(`quiz ${LESSON} 2 20`);
      const round = await r.store.runningRound(KEY);
      const roundId = round?.id ?? '';
      const early = await r.press(
        'quiz.report',
        quizReport.press({ roundId, index: 0 }).value,
        member('amy'),
      );
      expect(early.map(toPlainText).join('\n')).toBe(
        'A question can be reported once its answer is revealed. Nothing was reported.',
      );
      r.clock.advance(21_000);
      await r.bot.quiz.tick();
      const elsewhere = await r.bot.handle({
        where: { ...WHERE, channel: 'C2' },
        receivedAt: r.clock.now(),
        kind: 'choice',
        actionId: 'quiz.report',
        value: quizReport.press({ roundId, index: 0, reason: 'wrong' }).value,
        who: member('amy'),
      });
      expect(elsewhere.map(toPlainText).join('\n')).toBe(
        'That question is not from a round in this channel. Nothing was reported.',
      );
      for (const forged of [`${roundId}:0:lies`, `${roundId}:x`, '', `${roundId}:0:wrong:1`]) {
        const answer = await r.press('quiz.report', forged, member('amy'));
        expect(answer.map(toPlainText).join('\n'), forged).not.toContain('Thanks');
      }
      const [opened] = await r.press(
        'quiz.report',
        quizReport.press({ roundId, index: 0 }).value,
        member('amy'),
      );
      const state = opened?.form?.state ?? '';
      const bad = await r.submit(state, { reason: 'spam', note: 'x' }, member('amy'));
      expect(bad.outcome).toBe('usage');
      expect(Object.keys(bad.fieldErrors ?? {})).toEqual(['reason']);
      const forgedState = await r.submit(`en.${roundId}.0.extra`, { reason: 'wrong' }, member('amy'));
      expect(forgedState.outcome).toBe('refused');
      expect(await r.store.questionReportCounts(KEY)).toEqual([]);
      // A note longer than the form allows is cut, not refused.
      const long = await r.submit(state, { reason: 'typo', note: '가'.repeat(400) }, member('amy'));
      expect(long.outcome).toBe('ok');
      const q = (await r.store.roundQuestion(roundId, 0))?.question as RoundQuestion;
      const standing = await r.store.questionStanding(KEY, q.questionId, questionVersion(q));
      expect(standing.reports.map((x) => x.note?.length)).toEqual([300]);
    });
  });
}
