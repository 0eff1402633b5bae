/**
 * Two bot processes (replicas behind a load balancer) on one PostgreSQL database: scheduled lessons for many
 * channels fire exactly once across both, and a storm of quiz clicks spread over both counts every member once.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { LeaderboardRow, QuizAnswer, TickReport } from '../../src/testing.ts';
import type { FakeSlack } from '../fakes/slack.ts';
import type { BotProcess } from './child.ts';
import {
  answerTo,
  click,
  command,
  DAY,
  MINUTE,
  MONDAY_0800,
  metric,
  metricsOf,
  POSTGRES_NOTE,
  Proof,
  postedQuestion,
  responseText,
  SKIP_POSTGRES,
  until,
} from './rig.ts';

const CHANNELS = Array.from({ length: 200 }, (_, i) => `CS${String(i).padStart(3, '0')}`);
const FIRES = 3;
const FIRST_FIRE = Date.parse('2026-01-05T09:00:00Z');
const QUIZ_CHANNEL = 'CQ';
/** A message of the channel itself, not a reply in a lesson's discussion thread. */
const inChannel = (m: { ts: string; thread_ts: string | undefined }) =>
  m.thread_ts === undefined || m.thread_ts === m.ts;
const GOT_IT = 'Got it';
const ALREADY = 'already answered';

describe.skipIf(SKIP_POSTGRES)(`two replicas on one PostgreSQL database${POSTGRES_NOTE}`, () => {
  const proof = new Proof();
  let fake: FakeSlack;
  let replicas: [BotProcess, BotProcess];

  beforeAll(async () => {
    fake = await proof.fakeSlack();
    const store = await proof.store('postgres');
    // Both replicas start together, as a Deployment's pods do: they migrate the same new database at once.
    replicas = await Promise.all([
      proof.bot('replica-a', fake, store, MONDAY_0800),
      proof.bot('replica-b', fake, store, MONDAY_0800),
    ]);
    const seeding = await store.open();
    for (let i = 0; i < CHANNELS.length; i += 50)
      await Promise.all(
        CHANNELS.slice(i, i + 50).map((channel) =>
          seeding.updateChannel(
            `slack:T1:${channel}`,
            // The first fire is a Monday 09:00, the weekly digest's time: this proof is about lessons, so the
            // digest is off (tests/adapters/digest-upload.test.ts proves it with replicas).
            {
              cron: '0 9 * * *',
              timeZone: 'UTC',
              scheduleText: 'daily 09:00',
              nextFireAt: FIRST_FIRE,
              digest: 'off',
            },
            MONDAY_0800,
          ),
        ),
      );
    await seeding.close();
  }, 60_000);

  afterAll(() => proof.close(false), 60_000);

  it('counts every member once in a quiz storm spread over both replicas, refusing every duplicate', async (ctx) => {
    ctx.onTestFailed(() => proof.printLogs());
    const { expect } = ctx;
    const [a, b] = replicas;
    const started = await command(a, fake, 'quiz all 1 60', { user: 'UHOST', channel: QUIZ_CHANNEL });
    expect(responseText(await answerTo(fake, started))).toContain('Round started');
    const question = await until(() => postedQuestion(fake, QUIZ_CHANNEL, 0), 'the question');
    const options = question.options.length;
    const replica = (i: number) => (i % 2 === 0 ? a : b);
    const other = (i: number) => (i % 2 === 0 ? b : a);

    // 300 members click once, alternately on each replica; 50 more double-click, both clicks at the same moment
    // on different replicas with different options. All 400 requests in one burst.
    const members = Array.from({ length: 300 }, (_, i) => `UM${String(i).padStart(3, '0')}`);
    const racers = Array.from({ length: 50 }, (_, i) => `UR${String(i).padStart(2, '0')}`);
    const choice = (i: number) => i % options;
    const clicks: { member: string; option: number; id: Promise<string> }[] = [];
    members.forEach((m, i) => {
      clicks.push({
        member: m,
        option: choice(i),
        id: click(replica(i), fake, question, m, choice(i), QUIZ_CHANNEL),
      });
    });
    racers.forEach((m, i) => {
      for (const [bot, option] of [
        [replica(i), choice(i)],
        [other(i), choice(i + 1)],
      ] as const)
        clicks.push({ member: m, option, id: click(bot, fake, question, m, option, QUIZ_CHANNEL) });
    });
    const replies = await Promise.all(
      clicks.map(async (c) => ({ ...c, reply: responseText(await answerTo(fake, await c.id, 60_000)) })),
    );
    for (const r of replies.filter((x) => members.includes(x.member)))
      expect(r.reply, r.member).toContain(GOT_IT);
    const winners = new Map<string, number>();
    for (const racer of racers) {
      const mine = replies.filter((r) => r.member === racer);
      expect(
        mine.filter((r) => r.reply.includes(GOT_IT)),
        racer,
      ).toHaveLength(1);
      expect(
        mine.filter((r) => r.reply.includes(ALREADY)),
        racer,
      ).toHaveLength(1);
      winners.set(racer, mine.find((r) => r.reply.includes(GOT_IT))?.option as number);
    }

    // 100 members click again later, on the other replica and another option: all refused.
    const again = await Promise.all(
      members
        .slice(0, 100)
        .map(async (m, i) =>
          responseText(
            await answerTo(fake, await click(other(i), fake, question, m, choice(i + 1), QUIZ_CHANNEL)),
          ),
        ),
    );
    for (const reply of again) expect(reply).toContain(ALREADY);

    const stored = await a.call<QuizAnswer[]>({
      cmd: 'store',
      method: 'answers',
      args: [question.roundId, 0],
    });
    expect(stored).toHaveLength(members.length + racers.length);
    expect(new Set(stored.map((s) => s.userId)).size).toBe(stored.length);
    members.forEach((m, i) => {
      expect(stored.find((s) => s.userId === m)?.option, m).toBe(choice(i));
    });
    for (const [racer, option] of winners)
      expect(stored.find((s) => s.userId === racer)?.option, racer).toBe(option);

    const texts = await Promise.all(replicas.map(metricsOf));
    const total = (outcome: string) =>
      texts.reduce((sum, t) => sum + metric(t, 'orch_quiz_answers_total', { outcome }), 0);
    expect(total('counted')).toBe(members.length + racers.length);
    expect(total('duplicate')).toBe(racers.length + 100);
    expect(total('closed')).toBe(0);
    // The load balancer really spread the storm: both replicas counted answers.
    for (const t of texts)
      expect(metric(t, 'orch_quiz_answers_total', { outcome: 'counted' })).toBeGreaterThan(0);

    // Both replicas reach the deadline at once: the question is revealed once and one scoreboard is posted.
    await Promise.all(replicas.map((bot) => bot.call({ cmd: 'clock.advance', ms: 61_000 })));
    await Promise.all(replicas.map((bot) => bot.call({ cmd: 'quiz.tick' })));
    const finals = () => fake.history(QUIZ_CHANNEL).filter((m) => m.text.includes('Round over: scores'));
    await until(() => finals().length > 0, 'the final scoreboard');
    await Promise.all(replicas.map((bot) => bot.call({ cmd: 'quiz.tick' })));
    expect(finals()).toHaveLength(1);
    // The round ran in a thread: one summary came back to the channel itself.
    const summaries = fake.history(QUIZ_CHANNEL).filter((m) => inChannel(m) && m.text.includes('round over'));
    expect(summaries).toHaveLength(1);
    // The question became its reveal. Both replicas may post that edit (see the known-bug case below); a repeated
    // edit carries the same content, so the channel shows one reveal.
    const edits = fake.history(QUIZ_CHANNEL).find((m) => m.ts === question.message.ts)?.edits ?? [];
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(new Set(edits.map((e) => JSON.stringify(e.blocks))).size).toBe(1);
    expect(edits[0]?.text).toContain('Answer: ');
    const scores = await b.call<LeaderboardRow[]>({
      cmd: 'store',
      method: 'roundScores',
      args: [question.roundId],
    });
    expect(scores).toHaveLength(members.length + racers.length);
    expect(scores.reduce((sum, row) => sum + row.answered, 0)).toBe(members.length + racers.length);
    expect(scores.reduce((sum, row) => sum + row.points, 0)).toBe(
      stored.reduce((sum, s) => sum + s.points, 0),
    );
  }, 60_000);

  // A replica whose quiz.tick finds a question already revealed by another replica, but its round not yet moved
  // on, reaches afterReveal a second time; only the one that moves the round on may record the reviews. Made
  // deterministic here by holding the first replica's reveal edit.
  it('applies a revealed question to review cards once when both replicas reach its deadline', {
    timeout: 30_000,
  }, async (ctx) => {
    const { expect } = ctx;
    const [a, b] = replicas;
    const channel = 'CREVEAL';
    const started = await command(a, fake, 'quiz all 1 60', { user: 'UHOST', channel });
    expect(responseText(await answerTo(fake, started))).toContain('Round started');
    const question = await until(() => postedQuestion(fake, channel, 0), 'the question');
    const stored = await a.call<{ question: { answer: number; questionId: string } }>({
      cmd: 'store',
      method: 'roundQuestion',
      args: [question.roundId, 0],
    });
    const wrong = (stored.question.answer + 1) % question.options.length;
    expect(
      responseText(await answerTo(fake, await click(a, fake, question, 'UWRONG', wrong, channel))),
    ).toContain(GOT_IT);

    await Promise.all(replicas.map((bot) => bot.call({ cmd: 'clock.advance', ms: 61_000 })));
    const hold = fake.holdNext('chat.update');
    const first = a.call({ cmd: 'quiz.tick' });
    await hold.arrived;
    await b.call({ cmd: 'quiz.tick' });
    hold.release();
    await first;
    const card = await b.call<{ card: string } | null>({
      cmd: 'store',
      method: 'reviewCard',
      args: [`slack:T1:UWRONG`, stored.question.questionId],
    });
    expect((JSON.parse(card?.card ?? '{}') as { reps?: number }).reps).toBe(1);
  });

  it(`posts every lesson exactly once per channel per fire: ${CHANNELS.length} channels, ${FIRES} fires, both replicas ticking at once`, {
    timeout: 60_000,
  }, async (ctx) => {
    ctx.onTestFailed(() => proof.printLogs());
    const { expect } = ctx;
    for (let fire = 0; fire < FIRES; fire++) {
      const at = FIRST_FIRE + fire * DAY + 30_000;
      await Promise.all(replicas.map((bot) => bot.call({ cmd: 'clock.set', ms: at })));
      // Each replica ticks twice, both at the same moment; a second pass finds nothing left to do. (Counted in the
      // fake and the metrics, not in these reports: a replica's own minute ticker may run a pass of its own.)
      for (let pass = 0; pass < 2; pass++)
        await Promise.all(replicas.map((bot) => bot.call<TickReport>({ cmd: 'scheduler.tick' })));

      for (const channel of CHANNELS) {
        const lessons = fake
          .history(channel)
          .filter(inChannel)
          .map((m) => m.text.match(/Lesson (\d+)\/\d+:/)?.[1]);
        expect(lessons, channel).toEqual(Array.from({ length: fire + 1 }, (_, i) => String(i + 1)));
      }
    }
    // Not one duplicate was even attempted: the ledger gave each fire to exactly one replica.
    const attempts = fake.callsTo('chat.postMessage');
    for (const channel of CHANNELS)
      expect(
        attempts.filter((c) => c.args.channel === channel && c.args.thread_ts === undefined),
        channel,
      ).toHaveLength(FIRES);
    const posted = await Promise.all(
      replicas.map(async (bot) => metric(await metricsOf(bot), 'orch_lessons_total', { outcome: 'posted' })),
    );
    expect(posted.reduce((sum, n) => sum + n, 0)).toBe(CHANNELS.length * FIRES);
    const failed = await Promise.all(
      replicas.map(async (bot) => metric(await metricsOf(bot), 'orch_lessons_total', { outcome: 'failed' })),
    );
    expect(failed).toEqual([0, 0]);

    // A replica dies (kill -9) in the middle of a fire it claimed: some lessons out, one accepted by Slack but its
    // answer never read, the rest not yet tried. The survivor leaves the claims alone during their lease, then takes
    // them over and finishes the fire, finding the accepted posts in the channel history instead of posting again.
    const [a, b] = replicas;
    const fire = FIRST_FIRE + FIRES * DAY;
    await Promise.all(replicas.map((bot) => bot.call({ cmd: 'clock.set', ms: fire + 30_000 })));
    const before = fake.callsTo('chat.postMessage').length;
    const dying = a.call({ cmd: 'scheduler.tick' }).then(
      () => 'finished',
      () => 'killed',
    );
    await until(
      () => fake.callsTo('chat.postMessage').length >= before + 40,
      'the first lessons of the fire',
    );
    const hold = fake.holdNext('chat.postMessage');
    await hold.arrived;
    await a.kill9();
    hold.release();
    expect(await dying).toBe('killed');
    const lessonsOf = (channel: string) =>
      fake
        .history(channel)
        .filter(inChannel)
        .map((m) => m.text.match(/Lesson (\d+)\/\d+:/)?.[1]);
    const done = () => CHANNELS.filter((c) => lessonsOf(c).length === FIRES + 1).length;
    const outAtKill = done();
    expect(outAtKill).toBeGreaterThan(0);
    expect(outAtKill).toBeLessThan(CHANNELS.length);

    await b.call({ cmd: 'scheduler.tick' });
    expect(done()).toBe(outAtKill);
    await b.call({ cmd: 'clock.set', ms: fire + 3 * MINUTE });
    await b.call({ cmd: 'scheduler.tick' });
    await b.call({ cmd: 'clock.set', ms: fire + DAY + 30_000 });
    await b.call({ cmd: 'scheduler.tick' });
    for (const channel of CHANNELS)
      expect(lessonsOf(channel), channel).toEqual(Array.from({ length: FIRES + 2 }, (_, i) => String(i + 1)));
    const calls = fake.callsTo('chat.postMessage');
    for (const channel of CHANNELS)
      expect(
        calls.filter((c) => c.args.channel === channel && c.args.thread_ts === undefined),
        channel,
      ).toHaveLength(FIRES + 2);
    // Each lesson's discussion thread got its first post once, the one of the fire cut off by the kill included.
    for (const channel of CHANNELS)
      expect(
        fake.history(channel).filter((m) => !inChannel(m)),
        channel,
      ).toHaveLength(FIRES + 2);
  });
});
