/**
 * `kill -9` of the real bot process (adapters/server main, Slack over HTTP) in the middle of a quiz round and in the
 * middle of a scheduled post, then a restart on the same store: no confirmed answer lost or doubled, no lesson
 * doubled or skipped. Run against SQLite and PostgreSQL; the four cases run concurrently to keep CI fast.
 */
import { describe, type ExpectStatic, it } from 'vitest';
import type { LeaderboardRow, LedgerEntry, QuizAnswer, QuizRound } from '../../src/testing.ts';
import type { FakeSlack } from '../fakes/slack.ts';
import type { BotProcess } from './child.ts';
import {
  ADMIN,
  answerTo,
  click,
  command,
  DAY,
  MINUTE,
  MONDAY_0800,
  POSTGRES_NOTE,
  Proof,
  postedQuestion,
  responseText,
  SKIP_POSTGRES,
  type StoreKind,
  until,
} from './rig.ts';

const CHANNEL = 'C1';
const CHANNEL_KEY = 'slack:T1:C1';
const GOT_IT = 'Got it';
const ALREADY = 'already answered';
const MEMBERS = Array.from({ length: 40 }, (_, i) => `U${String(i + 1).padStart(3, '0')}`);
/** Confirmations to wait for before the kill: the rest of the burst is still being written or answered. */
const CONFIRMED_BEFORE_KILL = 8;
/** The round trip the rest of the burst's receipts take: long enough to still be on their way at the kill. */
const IN_FLIGHT_RTT_MS = 6_000;
// Two process start-ups each, four cases at once on a 2-core runner.
const TEST_TIMEOUT_MS = 90_000;

const BACKENDS: { kind: StoreKind; name: string; skip: boolean; note: string }[] = [
  { kind: 'sqlite', name: 'SQLite', skip: false, note: '' },
  { kind: 'postgres', name: 'PostgreSQL', skip: SKIP_POSTGRES, note: POSTGRES_NOTE },
];

const answersTo = (bot: BotProcess, roundId: string, index: number) =>
  bot.call<QuizAnswer[]>({ cmd: 'store', method: 'answers', args: [roundId, index] });

/** Each member's reply, from the response ids of their clicks, once every click has been answered. */
async function replies(fake: FakeSlack, ids: Map<string, string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [member, id] of ids) out.set(member, responseText(await answerTo(fake, id)));
  return out;
}

async function quizCrash(proof: Proof, kind: StoreKind, expect: ExpectStatic): Promise<void> {
  const fake = await proof.fakeSlack();
  const store = await proof.store(kind);
  const first = await proof.bot('bot-before-crash', fake, store, MONDAY_0800);

  const started = await command(first, fake, 'quiz all 2 60', { user: 'U000' });
  expect(responseText(await answerTo(fake, started))).toContain('Round started');
  const q0 = await until(() => postedQuestion(fake, CHANNEL, 0), 'question 1 in the channel');
  const optionCount = q0.options.length;
  const firstChoice = new Map(MEMBERS.map((m, i) => [m, i % optionCount]));

  // A burst of clicks, as when a question lands in a busy channel; kill -9 once a few have been confirmed
  // (their "Got it" reached Slack) while the others' are still on their way. The receipts go out side by side
  // (adapters/slack/app.ts), over loopback all within a millisecond or two, so the rest of the burst comes over a
  // network as slow as a bad real one (the fake's round trip): stored and acknowledged, its receipts in flight.
  const burst = new Map<string, string>();
  const clicks = (members: string[]) =>
    Promise.allSettled(
      members.map(async (member) => {
        burst.set(member, await click(first, fake, q0, member, firstChoice.get(member) as number));
      }),
    );
  const gotIt = () =>
    fake.responses.filter((r) => r.id.startsWith('click-') && responseText(r).includes(GOT_IT));
  await clicks(MEMBERS.slice(0, CONFIRMED_BEFORE_KILL));
  await until(() => gotIt().length >= CONFIRMED_BEFORE_KILL, `${CONFIRMED_BEFORE_KILL} confirmed answers`);
  fake.setRtt(IN_FLIGHT_RTT_MS);
  await clicks(MEMBERS.slice(CONFIRMED_BEFORE_KILL));
  const exit = await first.kill9();
  expect(exit.signal).toBe('SIGKILL');
  fake.setRtt(0);

  // Confirmed: the bot's "Got it" reached Slack (it is sent only after the store write). A reply still on the wire
  // at the kill may land a moment later; its member is then only held to the unconfirmed rule (weaker, never wrong).
  const confirmed = new Map<string, string>();
  for (const [member, id] of burst) {
    const response = fake.responses.find((r) => r.id === id);
    if (response && responseText(response).includes(GOT_IT)) confirmed.set(member, id);
  }
  expect(confirmed.size).toBeGreaterThanOrEqual(CONFIRMED_BEFORE_KILL);
  // The kill really happened mid-burst: some members were never told their answer counted.
  expect(confirmed.size).toBeLessThan(MEMBERS.length);

  const second = await proof.bot('bot-after-crash', fake, store, MONDAY_0800);
  const round = await second.call<QuizRound | null>({
    cmd: 'store',
    method: 'runningRound',
    args: [CHANNEL_KEY],
  });
  expect(round?.id).toBe(q0.roundId);
  expect(round?.current).toBe(0);
  const roundId = q0.roundId;

  // Nothing confirmed was lost, nothing was written twice.
  const afterCrash = await answersTo(second, roundId, 0);
  expect(new Set(afterCrash.map((a) => a.userId)).size).toBe(afterCrash.length);
  for (const member of confirmed.keys())
    expect(afterCrash.find((a) => a.userId === member)?.option).toBe(firstChoice.get(member));

  // Every member clicks again, on another option (as people do when the app seemed not to answer): a confirmed
  // answer is never replaced, an unconfirmed one either was stored (refused now) or counts now.
  const retryChoice = (member: string) => ((firstChoice.get(member) as number) + 1) % optionCount;
  const retries = new Map<string, string>();
  await Promise.all(
    MEMBERS.map(async (member) =>
      retries.set(member, await click(second, fake, q0, member, retryChoice(member))),
    ),
  );
  const retried = await replies(fake, retries);
  for (const member of MEMBERS) {
    const reply = retried.get(member) ?? '';
    if (confirmed.has(member)) expect(reply).toContain(ALREADY);
    else expect(reply.includes(GOT_IT) || reply.includes(ALREADY)).toBe(true);
  }
  const stored = await answersTo(second, roundId, 0);
  expect(stored.map((a) => a.userId).sort()).toEqual([...MEMBERS].sort());
  for (const member of MEMBERS) {
    const counted = stored.find((a) => a.userId === member);
    const expected = (retried.get(member) ?? '').includes(GOT_IT)
      ? retryChoice(member)
      : firstChoice.get(member);
    expect(counted?.option, member).toBe(expected);
  }

  // The round goes on in the new process: its deadline was re-armed from the store; the clock passes it.
  await second.call({ cmd: 'clock.advance', ms: 61_000 });
  await second.call({ cmd: 'quiz.tick' });
  const q1 = await until(() => postedQuestion(fake, CHANNEL, 1), 'question 2 in the channel');
  const late = MEMBERS.slice(0, 10);
  const lateIds = new Map<string, string>();
  await Promise.all(late.map(async (m) => lateIds.set(m, await click(second, fake, q1, m, 0))));
  for (const reply of (await replies(fake, lateIds)).values()) expect(reply).toContain(GOT_IT);
  await second.call({ cmd: 'clock.advance', ms: 61_000 });
  await second.call({ cmd: 'quiz.tick' });
  await second.call({ cmd: 'quiz.tick' });

  const finals = () => fake.history(CHANNEL).filter((m) => m.text.includes('Round over: scores'));
  await until(() => finals().length > 0, 'the final scoreboard');
  expect(finals()).toHaveLength(1);
  // Each question was posted once and revealed once (the reveal edits the question).
  const questions = fake.history(CHANNEL).filter((m) => m.ts === q0.message.ts || m.ts === q1.message.ts);
  expect(questions).toHaveLength(2);
  for (const q of questions) expect(q.edits).toHaveLength(1);
  expect(await second.call({ cmd: 'store', method: 'runningRound', args: [CHANNEL_KEY] })).toBeNull();
  expect((await second.call<QuizRound>({ cmd: 'store', method: 'getRound', args: [roundId] })).status).toBe(
    'finished',
  );

  // The scores are exactly the stored answers: one per member for question 1, one for the ten on question 2.
  const all = [...(await answersTo(second, roundId, 0)), ...(await answersTo(second, roundId, 1))];
  expect(all).toHaveLength(MEMBERS.length + late.length);
  const scores = await second.call<LeaderboardRow[]>({
    cmd: 'store',
    method: 'roundScores',
    args: [roundId],
  });
  expect(scores).toHaveLength(MEMBERS.length);
  for (const row of scores) {
    const mine = all.filter((a) => a.userId === row.userId);
    expect(row.answered).toBe(mine.length);
    expect(row.points).toBe(mine.reduce((sum, a) => sum + a.points, 0));
    expect(row.correct).toBe(mine.filter((a) => a.correct).length);
  }
}

async function postCrash(proof: Proof, kind: StoreKind, expect: ExpectStatic): Promise<void> {
  const fake = await proof.fakeSlack();
  const store = await proof.store(kind);
  const first = await proof.bot('bot-before-crash', fake, store, MONDAY_0800);
  const set = await command(first, fake, 'schedule daily 09:00 UTC', { user: ADMIN });
  expect(responseText(await answerTo(fake, set))).toContain('Scheduled: daily 09:00');

  // Slack accepts the lesson (it is in the channel), but its answer is held: the process dies before it learns
  // the post went out, with its ledger claim written and not yet marked posted.
  const fire1 = Date.parse('2026-01-05T09:00:00Z');
  const hold = fake.holdNext('chat.postMessage');
  await first.call({ cmd: 'clock.set', ms: fire1 + 30_000 });
  const tick = first.call({ cmd: 'scheduler.tick' }).then(
    () => 'finished',
    () => 'killed',
  );
  const held = await hold.arrived;
  expect(held.args.channel).toBe(CHANNEL);
  expect(fake.history(CHANNEL)).toHaveLength(1);
  await first.kill9();
  hold.release();
  expect(await tick).toBe('killed');

  const lessons = () => fake.history(CHANNEL).filter((m) => /Lesson \d+\//.test(m.text));
  const ledger = (bot: BotProcess) =>
    bot.call<LedgerEntry[]>({ cmd: 'store', method: 'ledger', args: [CHANNEL_KEY, 10] });

  // Restarted within the claim's lease: the new process leaves the dead one's claim alone for now.
  const second = await proof.bot('bot-after-crash', fake, store, fire1 + MINUTE);
  await second.call({ cmd: 'scheduler.tick' });
  expect(lessons()).toHaveLength(1);
  expect((await ledger(second))[0]?.status).toBe('claimed');

  // Past the lease it takes the claim over and finishes the fire with the same idempotency key: Slack's history
  // already holds the post, so nothing is posted again, and the ledger records the message that went out.
  await second.call({ cmd: 'clock.set', ms: fire1 + 3 * MINUTE });
  await second.call({ cmd: 'scheduler.tick' });
  await second.call({ cmd: 'scheduler.tick' });
  expect(lessons()).toHaveLength(1);
  expect(lessons()[0]?.text).toMatch(/Lesson 1\/\d+:/);
  expect(
    fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === CHANNEL && c.args.thread_ts === undefined),
  ).toHaveLength(1);
  const [done] = await ledger(second);
  expect(done).toMatchObject({ fireAt: fire1, lesson: 1, status: 'posted', messageId: lessons()[0]?.ts });
  // The lesson's discussion thread was opened once, by the process that finished the fire.
  const talk = fake
    .history(CHANNEL)
    .filter((m) => m.thread_ts === done?.messageId && m.ts !== done?.messageId);
  expect(talk.map((m) => m.text)).toEqual([expect.stringContaining('Talk about lesson 1 here')]);

  // The next fire posts the next lesson: not skipped, not doubled.
  await second.call({ cmd: 'clock.set', ms: fire1 + DAY + 30_000 });
  await second.call({ cmd: 'scheduler.tick' });
  await second.call({ cmd: 'scheduler.tick' });
  expect(lessons().map((m) => m.text.match(/Lesson (\d+)\/\d+:/)?.[1])).toEqual(['1', '2']);
  const entries = await ledger(second);
  expect(entries.map((e) => [e.lesson, e.status])).toEqual([
    [2, 'posted'],
    [1, 'posted'],
  ]);
}

describe.concurrent('kill -9 of the bot process, then a restart on the same store', () => {
  for (const backend of BACKENDS) {
    describe.skipIf(backend.skip)(`on ${backend.name}${backend.note}`, () => {
      it(
        'during a quiz round: every confirmed answer counted once, none doubled, the round ends with one scoreboard',
        { timeout: TEST_TIMEOUT_MS },
        async (ctx) => quizCrash(Proof.of(ctx), backend.kind, ctx.expect),
      );
      it(
        'during a scheduled post held by Slack: the lesson appears once, and the next fire posts the next lesson',
        { timeout: TEST_TIMEOUT_MS },
        async (ctx) => postCrash(Proof.of(ctx), backend.kind, ctx.expect),
      );
    });
  }
});
