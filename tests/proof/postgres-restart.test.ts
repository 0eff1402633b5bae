/**
 * PostgreSQL restarted under the running bot process: a private cluster (never the machine's shared server) is
 * stopped with a fast shutdown in the middle of quiz clicks, commands and a scheduled fire, then started again.
 * The bot must stay up, say it is not ready while the store is gone, reconnect by itself, and lose nothing it
 * confirmed; the scheduled fire is posted exactly once.
 */
import { describe, it } from 'vitest';
import type { LeaderboardRow, LedgerEntry, QuizAnswer } from '../../src/testing.ts';
import { POSTGRES_REQUIRED } from '../helpers/postgres.ts';
import { postgresBinaries, startPrivatePostgres } from './private-postgres.ts';
import {
  ADMIN,
  answerTo,
  click,
  command,
  MONDAY_0800,
  Proof,
  postedQuestion,
  readyz,
  responseText,
  until,
} from './rig.ts';

const BINARIES = postgresBinaries();
const SKIP = BINARIES === null && !POSTGRES_REQUIRED;
const NOTE = SKIP
  ? ' [SKIPPED: no PostgreSQL binaries under /usr/lib/postgresql/*/bin; ORCH_REQUIRE_POSTGRES=1 makes this fail instead]'
  : '';
if (SKIP) console.warn('No PostgreSQL binaries (initdb, pg_ctl): skipping the PostgreSQL restart proof');

const CHANNEL = 'C1';
const CHANNEL_KEY = 'slack:T1:C1';
const GOT_IT = 'Got it';
const ALREADY = 'already answered';
const SORRY = 'Sorry, something went wrong';
const FIRE = Date.parse('2026-01-05T09:00:00Z');
const MORE_CHANNELS = Array.from({ length: 60 }, (_, i) => `CF${String(i).padStart(2, '0')}`);
const MEMBERS = Array.from({ length: 36 }, (_, i) => `U${String(i + 1).padStart(3, '0')}`);

describe.skipIf(SKIP)(`PostgreSQL restarted under the running bot${NOTE}`, () => {
  it('reconnects by itself (/readyz 503, then 200), answers commands again, loses nothing confirmed, posts the fire once', async (ctx) => {
    const { expect } = ctx;
    const proof = Proof.of(ctx);
    const server = await startPrivatePostgres();
    proof.onCleanup(() => server.destroy());
    const fake = await proof.fakeSlack();
    const store = await proof.store('postgres', server.url, false);
    const bot = await proof.bot('bot', fake, store, MONDAY_0800);
    expect(await readyz(bot)).toBe(200);

    const set = await command(bot, fake, 'schedule daily 09:00 UTC', { user: ADMIN });
    expect(responseText(await answerTo(fake, set))).toContain('Scheduled: daily 09:00');
    // More channels due at the same fire, so the outage hits the scheduler mid-pass with posts and ledger writes
    // in flight on several pooled connections.
    const seeding = await store.open();
    for (const channel of MORE_CHANNELS)
      await seeding.updateChannel(
        `slack:T1:${channel}`,
        { cron: '0 9 * * *', timeZone: 'UTC', scheduleText: 'daily 09:00', nextFireAt: FIRE },
        MONDAY_0800,
      );
    await seeding.close();
    // The round starts half a minute before the fire, so its question is still open when the fire is due.
    await bot.call({ cmd: 'clock.set', ms: FIRE - 30_000 });
    const started = await command(bot, fake, 'quiz all 1 60', { user: 'UHOST' });
    expect(responseText(await answerTo(fake, started))).toContain('Round started');
    const question = await until(() => postedQuestion(fake, CHANNEL, 0), 'the question');
    const reply = async (id: Promise<string>) => responseText(await answerTo(fake, await id, 30_000));
    const clickAs = (member: string) => click(bot, fake, question, member, MEMBERS.indexOf(member) % 2);

    // Before the outage: ten answers, all confirmed.
    const before = MEMBERS.slice(0, 10);
    for (const r of await Promise.all(before.map((m) => reply(clickAs(m))))) expect(r).toContain(GOT_IT);

    // Mid-traffic: twenty clicks and five commands in flight and the scheduled fire ticking while PostgreSQL stops.
    await bot.call({ cmd: 'clock.set', ms: FIRE + 10_000 });
    const burst = MEMBERS.slice(10, 30);
    const burstIds = burst.map((m) => clickAs(m));
    const commandReplies = Array.from({ length: 5 }, () =>
      reply(command(bot, fake, 'tool istio', { user: 'U9' })),
    );
    const tick = bot.call({ cmd: 'scheduler.tick' }).then(
      () => 'ticked',
      () => 'failed',
    );
    // Stop once a few clicks are confirmed and the fire is partly posted: the outage cuts into the rest of both.
    const ids = await Promise.all(burstIds);
    const confirmedSoFar = () =>
      fake.responses.filter((r) => ids.includes(r.id) && responseText(r).includes(GOT_IT)).length;
    const lessonPosts = () =>
      fake.callsTo('chat.postMessage').filter((c) => String(c.args.channel) !== CHANNEL);
    await until(
      () => confirmedSoFar() >= 3 && lessonPosts().length >= 10,
      'the first confirmations and lessons',
    );
    await server.stop();
    const burstReplies = ids.map((id) => reply(Promise.resolve(id)));

    // While it is down: not ready (the store check fails), and still answering: a command gets an apology, a click
    // is not confirmed.
    await until(async () => (await readyz(bot)) === 503, '/readyz to answer 503');
    const body = (await (await fetch(`${bot.health}/readyz`)).json()) as { checks: Record<string, string> };
    expect(body.checks.store).not.toBe('ok');
    expect(await reply(command(bot, fake, 'tool istio', { user: 'U9' }))).toContain(SORRY);
    const during = MEMBERS.slice(30);
    for (const r of await Promise.all(during.map((m) => reply(clickAs(m))))) expect(r).not.toContain(GOT_IT);
    expect(['ticked', 'failed']).toContain(await tick);
    // A scheduler pass while the store is gone fails (and is logged); it neither crashes nor posts anything.
    const lessonsSoFar = fake.callsTo('chat.postMessage').length;
    await expect(bot.call({ cmd: 'scheduler.tick' })).rejects.toThrow(/ECONNREFUSED|connect/);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(lessonsSoFar);
    for (const r of await Promise.all(commandReplies))
      expect(r.includes('Istio') || r.includes(SORRY)).toBe(true);

    await server.start();
    await until(async () => (await readyz(bot)) === 200, '/readyz to answer 200 again', 30_000);
    expect(bot.alive).toBe(true);
    const card = await reply(command(bot, fake, 'tool istio', { user: 'U9' }));
    expect(card).toContain('Istio');
    expect(card).not.toContain(SORRY);

    // Nothing confirmed was lost: the ten from before and every burst click that got its "Got it".
    const burstTexts = await Promise.all(burstReplies);
    const confirmed = [...before, ...burst.filter((_, i) => burstTexts[i]?.includes(GOT_IT))];
    const answers = () =>
      bot.call<QuizAnswer[]>({ cmd: 'store', method: 'answers', args: [question.roundId, 0] });
    const afterOutage = await answers();
    for (const member of confirmed)
      expect(
        afterOutage.filter((a) => a.userId === member),
        member,
      ).toHaveLength(1);

    // Whoever was not confirmed clicks again and is counted now (or told the first click did count).
    const unconfirmed = MEMBERS.filter((m) => !confirmed.includes(m));
    for (const r of await Promise.all(unconfirmed.map((m) => reply(clickAs(m)))))
      expect(r.includes(GOT_IT) || r.includes(ALREADY), r).toBe(true);
    const stored = await answers();
    expect(stored.map((a) => a.userId).sort()).toEqual([...MEMBERS].sort());

    // The fire that was due during the outage goes out now, exactly once in every channel, whatever step the
    // outage cut (not planned yet, claimed, posted but not recorded). Claims are this process's own: no lease wait.
    await bot.call({ cmd: 'scheduler.tick' });
    await bot.call({ cmd: 'scheduler.tick' });
    for (const channel of [CHANNEL, ...MORE_CHANNELS]) {
      const posted = fake.history(channel).filter((m) => /Lesson \d+\/\d+:/.test(m.text));
      expect(
        posted.map((m) => m.text.match(/Lesson (\d+)\//)?.[1]),
        channel,
      ).toEqual(['1']);
    }
    const lessons = fake.history(CHANNEL).filter((m) => /Lesson \d+\/\d+:/.test(m.text));
    const [entry] = await bot.call<LedgerEntry[]>({ cmd: 'store', method: 'ledger', args: [CHANNEL_KEY, 5] });
    expect(entry).toMatchObject({ fireAt: FIRE, lesson: 1, status: 'posted', messageId: lessons[0]?.ts });

    // The round ends normally with everyone counted once.
    await bot.call({ cmd: 'clock.advance', ms: 61_000 });
    await bot.call({ cmd: 'quiz.tick' });
    const finals = () => fake.history(CHANNEL).filter((m) => m.text.includes('Round over: scores'));
    await until(() => finals().length > 0, 'the final scoreboard');
    expect(finals()).toHaveLength(1);
    const scores = await bot.call<LeaderboardRow[]>({
      cmd: 'store',
      method: 'roundScores',
      args: [question.roundId],
    });
    expect(scores.map((s) => s.userId).sort()).toEqual([...MEMBERS].sort());
    for (const row of scores) expect(row.answered).toBe(1);
  }, 90_000);
});
