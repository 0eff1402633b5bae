import { expect, it } from 'vitest';
import { FAILURES_PER_10_MIN, joinCodeHash, newJoinCode } from '../../src/commands/group.ts';
import { type Bot, type Store, toPlainText } from '../../src/index.ts';
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
const SLACK_KEY = 'slack:T1:C1';
const DISCORD_KEY = 'discord:G1:C2';

function person(platform: string, userId: string, isAdmin: boolean) {
  return { platform, userId, displayName: userId, isAdmin };
}

interface Rig {
  bot: Bot;
  clock: ManualClock;
  poster: RecordingPoster;
  store: Store;
  say(where: typeof SLACK, text: string, isAdmin?: boolean): Promise<string>;
  answer(where: typeof SLACK, text: string, isAdmin?: boolean): ReturnType<Bot['answer']>;
}

async function rig(db: TestDatabase): Promise<Rig> {
  const clock = new ManualClock(START);
  const poster = new RecordingPoster();
  const store = await db.connect();
  const bot = createBot({ catalog, store, poster, clock, defaultLang: 'en' });
  const answer = (where: typeof SLACK, text: string, isAdmin = true) =>
    bot.answer({
      where,
      receivedAt: clock.now(),
      kind: 'command',
      text,
      who: person(where.platform, where.platform === 'slack' ? 'U1' : '91', isAdmin),
    });
  return {
    bot,
    clock,
    poster,
    store,
    answer,
    say: async (where, text, isAdmin = true) =>
      (await answer(where, text, isAdmin)).replies.map(toPlainText).join('\n'),
  };
}

/** The code in a `/orch group code` answer. */
async function codeFrom(r: Rig): Promise<string> {
  const answered = await r.answer(SLACK, 'group code');
  expect(answered.data).toMatchObject({ action: 'code', issued: true });
  return answered.data.code as string;
}

onEachBackend('a study group across Slack and Discord', (database) => {
  const fresh = async () => rig(await database());

  it('joins a Discord channel to a Slack channel with a one-time code: it takes the schedule, and later changes reach both', async () => {
    const r = await fresh();
    await r.say(SLACK, 'schedule weekdays 09:00 Asia/Seoul');
    await r.say(SLACK, 'roadmap set 5');
    expect(await r.say(DISCORD, 'group')).toContain('This channel is on its own.');
    const code = await codeFrom(r);
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    // Typed loosely in the other app: lower case, no dash.
    const joined = await r.say(DISCORD, `group join ${code.toLowerCase().replace('-', '')}`);
    expect(joined).toContain("Joined: this channel now follows the group's schedule and roadmap place.");
    expect(joined).toContain(`\`${DISCORD_KEY}\`, \`${SLACK_KEY}\``);
    const slack = await r.store.getChannel(SLACK_KEY);
    const discord = await r.store.getChannel(DISCORD_KEY);
    for (const field of ['cron', 'timeZone', 'position', 'nextFireAt', 'paused'] as const)
      expect(discord?.[field], field).toEqual(slack?.[field]);
    expect(discord?.groupKey).toBe(SLACK_KEY);
    // A change in either channel is the group's.
    await r.say(DISCORD, 'schedule daily 20:30');
    expect((await r.store.getChannel(SLACK_KEY))?.cron).toBe('30 20 * * *');
    await r.say(SLACK, 'pace 30%');
    expect((await r.store.getChannel(DISCORD_KEY))?.pace).toBe('30');
    // The language stays each channel's own.
    await r.say(DISCORD, 'lang ko');
    expect((await r.store.getChannel(SLACK_KEY))?.lang).toBeNull();
    // The trail: the code, the join, by whom.
    expect((await r.store.groupEvents(SLACK_KEY)).map((e) => [e.action, e.channelKey, e.actor])).toEqual([
      ['code', SLACK_KEY, 'slack:T1:U1'],
      ['joined', DISCORD_KEY, 'discord:G1:91'],
    ]);
    // Leaving keeps what the channel has; a group of one is no group.
    expect(await r.say(DISCORD, 'group leave')).toContain('그룹에서 나왔어요');
    expect((await r.store.getChannel(DISCORD_KEY))?.groupKey).toBeNull();
    expect((await r.store.getChannel(SLACK_KEY))?.groupKey).toBeNull();
    expect((await r.store.getChannel(DISCORD_KEY))?.cron).toBe('30 20 * * *');
  });

  it('refuses a replayed, expired, guessed or foreign-admin code, and slows a channel that keeps guessing', async () => {
    const r = await fresh();
    await r.say(SLACK, 'schedule weekdays 09:00 Asia/Seoul');
    // Only an admin of the channel gets a code, and only an admin of the joining channel hands one in.
    expect(await r.say(SLACK, 'group code', false)).toContain('only channel admins');
    const code = await codeFrom(r);
    expect(await r.say(DISCORD, `group join ${code}`, false)).toContain('only channel admins');
    expect((await r.store.getChannel(DISCORD_KEY))?.groupKey ?? null).toBeNull();
    // Used once: the second channel with the same code is refused.
    expect(await r.say(DISCORD, `group join ${code}`)).toContain('Joined');
    const other = { platform: 'discord', space: 'G9', channel: 'C9' };
    expect(await r.say(other, `group join ${code}`)).toContain('already used');
    expect((await r.store.getChannel('discord:G9:C9'))?.groupKey ?? null).toBeNull();
    // Expired after ten minutes.
    const late = await codeFrom(r);
    r.clock.advance(10 * MINUTE + 1);
    expect(await r.say(other, `group join ${late}`)).toContain('expired');
    // Guessed: refused, and after five refusals in ten minutes even a good code waits.
    const third = { platform: 'slack', space: 'T7', channel: 'C7' };
    const good = await codeFrom(r);
    for (let i = 0; i < FAILURES_PER_10_MIN; i++)
      expect(await r.say(third, `group join ${newJoinCode()}`)).toContain('not one this bot gave');
    expect(await r.say(third, `group join ${good}`)).toContain('Too many wrong codes');
    r.clock.advance(10 * MINUTE + 1);
    expect(await r.say(third, `group join ${newJoinCode()}`)).toContain('not one this bot gave');
    // Codes are kept hashed: the code itself is nowhere in the store's trail.
    const trail = JSON.stringify(await r.store.groupEvents(SLACK_KEY));
    expect(trail).not.toContain(good.replace('-', ''));
    expect(joinCodeHash(good)).toBe(joinCodeHash(` ${good.toLowerCase()} `));
    // Six codes in an hour is one too many.
    r.clock.advance(HOUR);
    for (let i = 0; i < 5; i++) await codeFrom(r);
    expect(await r.say(SLACK, 'group code')).toContain('5 codes in the last hour');
    expect(await r.say(SLACK, 'group join')).toContain('Unknown group option');
  });

  it('posts each lesson once on each side, the same lesson at the same fire, when each platform runs its own scheduler', async () => {
    const r = await fresh();
    await r.store.updateChannel(SLACK_KEY, dailyAtNineInSeoul(START), START);
    const code = await codeFrom(r);
    await r.say(DISCORD, `group join ${code}`);
    await r.store.updateChannel(DISCORD_KEY, { threads: false }, START);
    const scheduler = (platform: string) =>
      new LessonScheduler({
        store: r.store,
        catalog,
        poster: r.poster,
        clock: r.clock,
        logger: silentLogger,
        instanceId: platform,
        platforms: [platform],
        defaultLang: 'en',
      });
    const slack = scheduler('slack');
    const discord = scheduler('discord');
    for (let h = 0; h < 5 * 24; h++) {
      r.clock.advance(HOUR);
      // Slack's process posts (and moves the shared place) before Discord's even plans the same fire.
      await slack.tick();
      await discord.tick();
    }
    const posted = async (key: string) =>
      (await r.store.ledger(key, 100))
        .filter((e) => e.status === 'posted')
        .map((e) => [e.fireAt, e.lesson])
        .reverse();
    const slackLessons = await posted(SLACK_KEY);
    expect(slackLessons.map(([, lesson]) => lesson)).toEqual([1, 2, 3, 4, 5]);
    expect(await posted(DISCORD_KEY)).toEqual(slackLessons);
    const titles = (key: string) =>
      r.poster.messages.filter((m) => m.channelKey === key).map((m) => /Lesson (\d+)\//.exec(m.text)?.[1]);
    expect(titles(SLACK_KEY)).toEqual(['1', '2', '3', '4', '5']);
    expect(titles(DISCORD_KEY)).toEqual(['1', '2', '3', '4', '5']);
    expect((await r.store.getChannel(DISCORD_KEY))?.position).toBe(6);
  });
});

onEachBackend("a study group's leaderboards", (database) => {
  it("a round on one side counts on the other side's leaderboard and in its question results, and not after leaving", async () => {
    const r = await rig(await database());
    await r.store.updateChannel(SLACK_KEY, {}, START);
    const code = await codeFrom(r);
    await r.say(DISCORD, `group join ${code}`);
    await playRound(
      r.store,
      { id: 'round-d', channelKey: DISCORD_KEY, at: START, questions: [twoOptionQuestion('q-1')] },
      () => [{ userId: '91', displayName: 'Dana', correct: true, points: 140 }],
    );
    const board = await r.store.leaderboard(SLACK_KEY, START - 1, 10);
    expect(board.map((row) => [row.displayName, row.points])).toEqual([['Dana', 140]]);
    expect((await r.store.leaderboardBetween(SLACK_KEY, START - 1, START + HOUR, 10)).length).toBe(1);
    expect(
      (await r.store.questionResults(SLACK_KEY, START - 1, START + HOUR)).map((q) => q.answered),
    ).toEqual([1]);
    await r.say(DISCORD, 'group leave');
    expect(await r.store.leaderboard(SLACK_KEY, START - 1, 10)).toEqual([]);
    expect((await r.store.leaderboard(DISCORD_KEY, START - 1, 10)).length).toBe(1);
  });
});
