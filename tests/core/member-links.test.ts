import { expect, it } from 'vitest';
import { FAILURES_PER_10_MIN, newJoinCode } from '../../src/commands/group.ts';
import { type Bot, type Store, toPlainText } from '../../src/index.ts';
import { planCatchUps } from '../../src/lessons/catch-up.ts';
import { type Catalog, createBot, LessonScheduler, silentLogger } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { HOUR, ManualClock, MINUTE } from '../helpers/clock.ts';
import { dailyAtNineInSeoul } from '../helpers/daily-schedule.ts';
import { playRound, twoOptionQuestion } from '../helpers/quiz-history.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';
import { onEachBackend, type TestDatabase } from '../helpers/stores.ts';

const catalog: Catalog = await realCatalog();
// Monday 2026-12-07 07:00 in Seoul.
const START = Date.parse('2026-12-06T22:00:00Z');
const SLACK = { platform: 'slack', space: 'T1', channel: 'C1' };
const DISCORD = { platform: 'discord', space: 'G1', channel: 'C2' };
const ELSEWHERE = { platform: 'discord', space: 'G9', channel: 'C9' };
const SLACK_KEY = 'slack:T1:C1';
const DISCORD_KEY = 'discord:G1:C2';
const SAM = 'slack:T1:U1';
const SAM_ON_DISCORD = 'discord:G1:91';

const QUESTION = twoOptionQuestion('q-1');

type Place = typeof SLACK;

interface Rig {
  bot: Bot;
  clock: ManualClock;
  store: Store;
  /** What `userId` (an admin unless told) is answered in `where`, and the answer's data. */
  ask(where: Place, userId: string, text: string, isAdmin?: boolean): ReturnType<Bot['answer']>;
  say(where: Place, userId: string, text: string, isAdmin?: boolean): Promise<string>;
}

async function rig(db: TestDatabase): Promise<Rig> {
  const clock = new ManualClock(START);
  const store = await db.connect();
  const bot = createBot({ catalog, store, poster: new RecordingPoster(), clock, defaultLang: 'en' });
  const ask = (where: Place, userId: string, text: string, isAdmin = true) =>
    bot.answer({
      where,
      receivedAt: clock.now(),
      kind: 'command',
      text,
      who: { platform: where.platform, userId, displayName: `name-${userId}`, isAdmin },
    });
  return {
    bot,
    clock,
    store,
    ask,
    say: async (where, userId, text, isAdmin) =>
      (await ask(where, userId, text, isAdmin)).replies.map(toPlainText).join('\n'),
  };
}

/** Slack's C1 and Discord's C2 made one study group by their admins. */
async function grouped(r: Rig): Promise<void> {
  await r.store.updateChannel(SLACK_KEY, {}, START);
  const code = (await r.ask(SLACK, 'U1', 'group code')).data.code as string;
  expect(await r.say(DISCORD, '91', `group join ${code}`)).toContain('Joined');
}

/**
 * The group of `grouped` with lessons daily at 09:00 in Seoul, run by one scheduler for `days` days from START: a
 * lesson a day posted on both sides.
 */
async function groupedWithLessons(r: Rig, days: number): Promise<Rig> {
  await r.store.updateChannel(SLACK_KEY, dailyAtNineInSeoul(START), START);
  await grouped(r);
  const scheduler = new LessonScheduler({
    store: r.store,
    catalog,
    poster: new RecordingPoster(),
    clock: r.clock,
    logger: silentLogger,
    instanceId: 'both',
    defaultLang: 'en',
  });
  for (let h = 0; h < days * 24; h++) {
    r.clock.advance(HOUR);
    await scheduler.tick();
  }
  return r;
}

/** A member's link code, asked for as a member (no admin rights needed). */
async function linkCode(r: Rig, where: Place, userId: string): Promise<string> {
  const answered = await r.ask(where, userId, 'link', false);
  expect(answered.data).toMatchObject({ action: 'code', issued: true });
  return answered.data.code as string;
}

/** One round in `channelKey`, its one question answered right by `userId` for `points`. */
async function played(r: Rig, id: string, channelKey: string, userId: string, points: number, at: number) {
  await playRound(r.store, { id, channelKey, at, questions: [QUESTION] }, () => [
    { userId, displayName: `name-${userId}`, correct: true, points },
  ]);
}

onEachBackend('linked members across Slack and Discord', (database) => {
  const fresh = async () => rig(await database());

  it("merges a linked member's Done marks, streak, review cards and quiz points, and unlinking splits nothing", async () => {
    const r = await groupedWithLessons(await fresh(), 3);
    const now = r.clock.now().getTime();
    // Sam pressed Done on lessons 1 and 2 on Slack and on 3 on Discord; Dana (another Discord member) on 3.
    for (const lesson of [1, 2])
      await r.store.recordCompletion({ channelKey: SLACK_KEY, userId: 'U1', lesson, completedAt: now });
    await r.store.recordCompletion({ channelKey: DISCORD_KEY, userId: '91', lesson: 3, completedAt: now });
    await r.store.recordCompletion({ channelKey: DISCORD_KEY, userId: '92', lesson: 3, completedAt: now });
    await played(r, 'slack-round', SLACK_KEY, 'U1', 100, now);
    await played(r, 'discord-round', DISCORD_KEY, '91', 140, now + MINUTE);
    await played(r, 'dana-round', DISCORD_KEY, '92', 200, now + 2 * MINUTE);
    // Sam missed q-1 on each side before linking: a card under each key, Discord's reviewed since (due later).
    const card = (userKey: string, dueAt: number) => ({
      userKey,
      questionId: 'q-1',
      question: QUESTION,
      card: '{}',
      dueAt,
    });
    await r.store.saveReviewCard(card(SAM, now - HOUR));
    await r.store.saveReviewCard(card(SAM_ON_DISCORD, now - MINUTE));

    const progress = async (where: Place, userId: string) =>
      (await r.ask(where, userId, 'progress', false)).data as {
        done: number[];
        streak: number;
        quiz: { points: number; answered: number };
        reviewsDue: number;
      };
    const before = await progress(DISCORD, '91');
    expect(before).toMatchObject({
      done: [3],
      streak: 1,
      quiz: { points: 140, answered: 1 },
      reviewsDue: 1,
    });
    expect((await r.store.leaderboard(SLACK_KEY, 0, 10)).map((row) => [row.memberKey, row.points])).toEqual([
      ['discord:G1:92', 200],
      [SAM_ON_DISCORD, 140],
      [SAM, 100],
    ]);

    // Linked: a code from Slack, handed in on Discord by Sam's Discord account.
    const code = await linkCode(r, SLACK, 'U1');
    const linked = await r.ask(DISCORD, '91', `link ${code}`, false);
    expect(linked.data).toMatchObject({ action: 'link', outcome: 'linked', linked: [SAM_ON_DISCORD, SAM] });
    expect(linked.replies.map(toPlainText).join('\n')).toContain('now count as one');

    for (const [where, userId] of [
      [DISCORD, '91'],
      [SLACK, 'U1'],
    ] as const) {
      const after = await progress(where, userId);
      expect(after, where.platform).toMatchObject({
        done: [1, 2, 3],
        streak: 3,
        quiz: { points: 240, answered: 2 },
        reviewsDue: 1,
      });
    }
    const board = await r.store.leaderboard(DISCORD_KEY, 0, 10);
    expect(board.map((row) => [row.points, row.answered])).toEqual([
      [240, 2],
      [200, 1],
    ]);
    // The line names the person by their latest answer, on Discord.
    expect(board[0]).toMatchObject({ userId: '91', displayName: 'name-91' });
    // The current card is the one reviewed last (Discord's); a review from Slack updates that card.
    expect((await r.store.dueReviews(SAM, now, 10)).map((c) => c.userKey)).toEqual([SAM_ON_DISCORD]);
    expect((await r.store.reviewCard(SAM, 'q-1'))?.userKey).toBe(SAM_ON_DISCORD);
    // The digest's counts: lesson 3's Done by Sam and Dana, each once; Sam's reviews once.
    const completers = await r.store.lessonCompleters(SLACK_KEY, [1, 3]);
    expect(completers.get(1)?.length).toBe(1);
    expect(completers.get(3)?.length).toBe(2);
    expect(await r.store.countDueReviewsOf([board[0]?.memberKey ?? '', 'discord:G1:92'], now + 1)).toBe(1);
    // Seen from the personal view: the merged record, and the linked person's one weekly rank.
    const me = (await r.ask(SLACK, 'U1', 'me', false)).data as { channels: unknown[] };
    expect(me.channels[0]).toMatchObject({
      channel: SLACK_KEY,
      done: 3,
      streak: 3,
      weeklyRank: { rank: 1, points: 240 },
    });

    // Unlinked from either side: each keeps what was earned there.
    expect(await r.say(SLACK, 'U1', 'link off', false)).toContain('Each side keeps');
    expect(await progress(DISCORD, '91')).toMatchObject({ done: [3], quiz: { points: 140 } });
    expect(await progress(SLACK, 'U1')).toMatchObject({ done: [1, 2], quiz: { points: 100 } });
    expect((await r.store.leaderboard(SLACK_KEY, 0, 10)).map((row) => row.points)).toEqual([200, 140, 100]);
    expect(await r.store.identityOf(SAM_ON_DISCORD)).toEqual({
      personKey: SAM_ON_DISCORD,
      memberKeys: [SAM_ON_DISCORD],
    });
    expect(await r.say(SLACK, 'U1', 'link off', false)).toContain('not linked');
    // The trail has it all, by whom.
    expect((await r.store.groupEvents(SLACK_KEY)).map((e) => [e.action, e.actor])).toEqual([
      ['code', SAM],
      ['joined', SAM_ON_DISCORD],
      ['link-code', SAM],
      ['linked', SAM_ON_DISCORD],
      ['unlinked', SAM],
    ]);
  });

  it('the group pace counts the members of both sides, a linked member once, and leaves out the paused', async () => {
    const r = await fresh();
    await grouped(r);
    const post = async (lesson: number, at: number) => {
      // The group's channels share nextFireAt: one update moves both.
      await r.store.updateChannel(SLACK_KEY, { nextFireAt: at }, at);
      const plan = (key: string) => ({
        channelKey: key,
        post: { fireAt: at, lesson, kind: 'lesson' as const, note: null },
        skipped: [],
        nextFireAt: at + 24 * HOUR,
        expectedNextFireAt: at,
        claimedBy: 'test',
        now: at,
      });
      await r.store.applyFirePlans([plan(SLACK_KEY)]);
      await r.store.markPosted(SLACK_KEY, at, `m${lesson}`, at);
    };
    await post(1, START);
    await post(2, START + 24 * HOUR);
    const at = START + 25 * HOUR;
    const done = async (key: string, userId: string, lesson: number) =>
      r.store.recordCompletion({ channelKey: key, userId, lesson, completedAt: at });
    // Sam on both sides (lessons 1 and 2 on Slack, 2 again on Discord), Dana on Discord, Lee on Slack.
    await done(SLACK_KEY, 'U1', 1);
    await done(SLACK_KEY, 'U1', 2);
    await done(DISCORD_KEY, '91', 2);
    await done(DISCORD_KEY, '92', 1);
    await done(SLACK_KEY, 'U7', 1);
    const facts = () => r.store.paceFacts(SLACK_KEY, START, at + 1);
    // Unlinked, Sam is two members: four active, five presses on the last two lessons.
    expect(await facts()).toMatchObject({ lastLessons: [2, 1], active: 4, done: 5 });
    // The Discord side counts the same members (its own ledger says which lessons were last).
    expect((await r.store.paceFacts(DISCORD_KEY, START, at + 1)).active).toBe(4);
    const code = await linkCode(r, SLACK, 'U1');
    expect(await r.say(DISCORD, '91', `link ${code}`, false)).toContain('now count as one');
    // Linked: three people, and Sam's lesson 2 counts once.
    expect(await facts()).toMatchObject({ active: 3, done: 4 });
    // Dana goes on holiday: the group pace stops counting her.
    expect(await r.say(DISCORD, '92', 'pause 7d', false)).toContain('7');
    expect(await facts()).toMatchObject({ active: 2, done: 3 });
  });

  it("keeps a lapse on one side over an older success on the other, and a pause moves both sides' cards once", async () => {
    const r = await fresh();
    await grouped(r);
    const DAY = 24 * HOUR;
    // Sam got q-1 right on Slack (reviewed on day 5, next due on day 20) and missed it on Discord on day 8 (due day 9).
    await r.store.saveReviewCard({
      userKey: SAM,
      questionId: 'q-1',
      question: QUESTION,
      card: '{}',
      dueAt: START + 20 * DAY,
      reviewedAt: START + 5 * DAY,
    });
    await r.store.saveReviewCard({
      userKey: SAM_ON_DISCORD,
      questionId: 'q-1',
      question: QUESTION,
      card: '{}',
      dueAt: START + 9 * DAY,
      reviewedAt: START + 8 * DAY,
    });
    const code = await linkCode(r, SLACK, 'U1');
    expect(await r.say(DISCORD, '91', `link ${code}`, false)).toContain('now count as one');
    // Day 9: the lapse is what counts, on both sides.
    for (const key of [SAM, SAM_ON_DISCORD]) {
      expect((await r.store.dueReviews(key, START + 9 * DAY, 5)).map((c) => c.userKey)).toEqual([
        SAM_ON_DISCORD,
      ]);
      expect(await r.store.countDueReviews(key, START + 9 * DAY)).toBe(1);
    }
    expect(await r.store.countDueReviewsOf([SAM, SAM_ON_DISCORD], START + 9 * DAY + 1)).toBe(1);
    // A week's holiday set on Slack moves the Discord card too; the same holiday set on Discord moves nothing again.
    r.clock.set(START + 8 * DAY + HOUR);
    expect(await r.say(SLACK, 'U1', 'pause 7d', false)).toContain('7');
    const due = async () => (await r.store.reviewCard(SAM, 'q-1'))?.dueAt;
    expect(await due()).toBe(START + 16 * DAY);
    expect(await r.say(DISCORD, '91', 'pause 7d', false)).toContain('7');
    expect(await due()).toBe(START + 16 * DAY);
  });

  it("plans a linked member's catch-up from the person's Done marks: a lesson done on the other side is not sent again", async () => {
    const r = await groupedWithLessons(await fresh(), 4);
    const now = r.clock.now().getTime();
    // Sam joined late on Slack and catches up two a day; on Discord they had already done lesson 1.
    await r.store.recordCompletion({ channelKey: DISCORD_KEY, userId: '91', lesson: 1, completedAt: now });
    expect(await r.say(SLACK, 'U1', 'catchup 2/day', false)).toContain('2');
    const unlinked = await planCatchUps(r.store, SLACK_KEY, 'Asia/Seoul', now + 2 * HOUR);
    expect(unlinked.lessons.get('U1')).toEqual([1, 2]);
    // Linked, the next day's plan skips lesson 1 (unlinked, Sam would get 1 and 2 again: nothing was pressed here).
    const code = await linkCode(r, SLACK, 'U1');
    expect(await r.say(DISCORD, '91', `link ${code}`, false)).toContain('now count as one');
    const nextDay = await planCatchUps(r.store, SLACK_KEY, 'Asia/Seoul', now + 26 * HOUR);
    expect(nextDay.lessons.get('U1')).toEqual([2, 3]);
  });

  it('links once when two links race on separate connections: one person, one key per workspace', async () => {
    const db = await database();
    const r = await rig(db);
    const other = await db.connect();
    await grouped(r);
    const now = r.clock.now().getTime();
    const issue = (hash: string) =>
      r.store.issueLinkCode(
        { hash, memberKey: SAM, channelKey: SLACK_KEY, issuedAt: now, expiresAt: now + MINUTE },
        5,
      );
    // Two Discord accounts of one guild hand in two codes of Sam's at the same moment: one links, one is refused.
    expect(await issue('one')).toBe(true);
    expect(await issue('two')).toBe(true);
    const outcomes = await Promise.all([
      r.store.linkMember('one', 'discord:G1:91', DISCORD_KEY, now, 5),
      other.linkMember('two', 'discord:G1:92', DISCORD_KEY, now, 5),
    ]);
    expect(outcomes.filter((o) => o === 'linked')).toHaveLength(1);
    const sam = await r.store.identityOf(SAM);
    expect(sam.memberKeys).toHaveLength(2);
    // The refused attempt wrote nothing (its code is still unused) and is in the trail.
    const refused = outcomes.indexOf(outcomes.find((o) => o !== 'linked') ?? 'linked');
    expect(
      (await r.store.identityOf(refused === 0 ? 'discord:G1:91' : 'discord:G1:92')).memberKeys,
    ).toHaveLength(1);
    expect((await r.store.groupEvents(SLACK_KEY)).filter((e) => e.action === 'link-refused')).toHaveLength(1);
    // Two accounts of two different guilds (a third channel joins the group) link to the unlinked Lee at once: both
    // join Lee's one person, not a person each.
    const lee = 'slack:T1:U7';
    for (const hash of ['three', 'four'])
      await r.store.issueLinkCode(
        { hash, memberKey: lee, channelKey: SLACK_KEY, issuedAt: now, expiresAt: now + MINUTE },
        5,
      );
    const join = {
      hash: 'g5',
      channelKey: SLACK_KEY,
      issuedBy: 'admin',
      issuedAt: now,
      expiresAt: now + MINUTE,
    };
    await r.store.issueJoinCode(join, 5);
    expect((await r.store.joinGroup('g5', 'discord:G5:C5', 'admin', now, 5)).outcome).toBe('joined');
    const both = await Promise.all([
      r.store.linkMember('three', 'discord:G1:93', DISCORD_KEY, now, 5),
      other.linkMember('four', 'discord:G5:95', 'discord:G5:C5', now, 5),
    ]);
    expect(both).toEqual(['linked', 'linked']);
    expect((await r.store.identityOf(lee)).memberKeys.sort()).toEqual(
      ['discord:G1:93', 'discord:G5:95', lee].sort(),
    );
    // Sam unlinks at the moment a third account hands in Sam's code: the link lands in a real person (Sam's, or a
    // fresh one with Sam), never in a person that no longer exists.
    await issue('five');
    const [raced] = await Promise.all([
      r.store.linkMember('five', 'discord:G5:96', 'discord:G5:C5', now, 5),
      other.unlinkMember(SAM, SLACK_KEY, now),
    ]);
    expect(raced).toBe('linked');
    const third = await r.store.identityOf('discord:G5:96');
    expect(third.personKey).toMatch(/^person:[0-9a-f-]{36}$/);
    expect(third.memberKeys.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses replayed, expired, guessed, foreign and same-workspace link codes, and slows a member who keeps guessing', async () => {
    const r = await fresh();
    // A channel on its own gives no code: there is nowhere to hand one in.
    const alone = await r.ask(SLACK, 'U1', 'link', false);
    expect(alone.data).toMatchObject({ action: 'code', issued: false, grouped: false });
    expect(alone.replies.map(toPlainText).join('\n')).toContain(
      'not in a study group with another channel yet',
    );
    await grouped(r);
    // A member of a channel outside the group cannot use a code from inside it (nor the other way round), and the
    // code is not spent by trying.
    const code = await linkCode(r, SLACK, 'U1');
    expect(await r.say(ELSEWHERE, '91', `link ${code}`, false)).toContain('outside this channel');
    // Another account of the same workspace: refused, one key per workspace.
    expect(await r.say({ ...SLACK, channel: 'C1' }, 'U2', `link ${code}`, false)).toContain('same workspace');
    // The issuer's own account.
    expect(await r.say(SLACK, 'U1', `link ${code}`, false)).toContain('this same account');
    expect(await r.say(DISCORD, '91', `link ${code}`, false)).toContain('now count as one');
    // Replayed: used once.
    expect(await r.say(DISCORD, '92', `link ${code}`, false)).toContain('already used');
    expect((await r.store.identityOf('discord:G1:92')).memberKeys).toEqual(['discord:G1:92']);
    // A second Discord account cannot join Sam's person, and a linked member cannot be taken by another person.
    const again = await linkCode(r, SLACK, 'U1');
    expect(await r.say(DISCORD, '92', `link ${again}`, false)).toContain('same workspace');
    const fromU3 = await linkCode(r, SLACK, 'U3');
    expect(await r.say(DISCORD, '91', `link ${fromU3}`, false)).toContain('linked to another already');
    // Expired after ten minutes.
    const late = await linkCode(r, SLACK, 'U3');
    r.clock.advance(10 * MINUTE + 1);
    expect(await r.say(DISCORD, '93', `link ${late}`, false)).toContain('expired');
    // Guessed: five refusals in ten minutes and even a good code waits; the throttle is the member's, wherever.
    const good = await linkCode(r, SLACK, 'U3');
    for (let i = 0; i < FAILURES_PER_10_MIN - 1; i++)
      expect(await r.say(DISCORD, '93', `link ${newJoinCode()}`, false)).toContain('not one this bot gave');
    expect(await r.say(DISCORD, '93', `link ${good}`, false)).toContain('Too many wrong codes');
    expect((await r.store.identityOf('discord:G1:93')).memberKeys).toHaveLength(1);
    r.clock.advance(10 * MINUTE + 1);
    const renewed = await linkCode(r, SLACK, 'U3');
    expect(await r.say(DISCORD, '93', `link ${renewed}`, false)).toContain('now count as one');
    // Codes are kept hashed: none is in the trail. A malformed code is a usage error, not a guess.
    const trail = JSON.stringify(await r.store.groupEvents(SLACK_KEY));
    expect(trail).not.toContain(good.replace('-', ''));
    expect(await r.say(DISCORD, '94', 'link <@U1>', false)).toContain('Unknown link option');
    // Six codes in an hour is one too many.
    r.clock.advance(HOUR);
    for (let i = 0; i < 5; i++) await linkCode(r, SLACK, 'U5');
    expect(await r.say(SLACK, 'U5', 'link', false)).toContain('5 link codes in the last hour');
  });
});
