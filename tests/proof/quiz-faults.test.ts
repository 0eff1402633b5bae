/**
 * A quiz round must not freeze when one of its steps fails: a reveal, the next question or the final board that the
 * platform refused (Slack ok:false), that edits a message a member deleted, or that met the database stopped across
 * the deadline is retried with backoff until it goes through, or the round is abandoned with a message so the
 * channel can play again. The real Web API client and discord.js REST against the wire-level fakes, real SQLite
 * files and a private PostgreSQL cluster; deadlines and backoff run on injected timers moved with the clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel, WebClient } from '@slack/web-api';
import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordPoster } from '../../adapters/discord/poster.ts';
import { SlackPoster } from '../../adapters/slack/poster.ts';
import {
  type Bot,
  formatChannelKey,
  type Incoming,
  type Poster,
  type Store,
  toPlainText,
} from '../../src/index.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { createBot, openStore, silentLogger } from '../../src/testing.ts';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord.ts';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { ManualClock } from '../helpers/clock.ts';
import { POSTGRES_REQUIRED } from '../helpers/postgres.ts';
import { until } from '../helpers/until.ts';
import { postgresBinaries, startPrivatePostgres } from './private-postgres.ts';

const catalog = await realCatalog();
const T0 = Date.parse('2026-11-25T10:00:00Z');
const CHANNEL = 'C1';
const SLACK_WHERE = { platform: 'slack', space: 'T1', channel: CHANNEL };
const SLACK_KEY = 'slack:T1:C1';
/** The quiz service's default backoff, in order; after the last one fails the round is abandoned. */
const RETRY_DELAYS = [2_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000];

/** setTimeout on the test's clock: `advance()` moves the clock and runs what came due. */
class ClockTimers implements Timers {
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  constructor(private readonly clock: ManualClock) {}

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.clock.now().getTime() + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Whether a timer is set to fire `ms` from now (a retry's backoff, the sweep). */
  armedIn(ms: number): boolean {
    const at = this.clock.now().getTime() + ms;
    return [...this.pending.values()].some((p) => p.at === at);
  }

  advance(ms: number): void {
    this.clock.advance(ms);
    const now = this.clock.now().getTime();
    const due = [...this.pending.entries()].filter(([, p]) => p.at <= now).sort((a, b) => a[1].at - b[1].at);
    for (const [id, p] of due) {
      this.pending.delete(id);
      p.fn();
    }
  }
}

interface Rig {
  bot: Bot;
  store: Store;
  clock: ManualClock;
  timers: ClockTimers;
  say(text: string, user?: string): Promise<string>;
  /** The running round's current question as the store has it. */
  current(): Promise<{ roundId: string; index: number; posted: boolean; revealed: boolean } | null>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sqliteStore(): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), 'orch-quiz-faults-'));
  const store = await openStore({ sqlitePath: join(dir, 'orch.db') });
  cleanups.push(
    () => rm(dir, { recursive: true, force: true }),
    () => store.close(),
  );
  return store;
}

function rig(
  store: Store,
  poster: Poster,
  where = SLACK_WHERE,
  clock = new ManualClock(T0),
  timers = new ClockTimers(clock),
): Rig {
  const bot = createBot({ catalog, store, poster, clock, timers, logger: silentLogger, defaultLang: 'en' });
  cleanups.push(async () => bot.quiz.close());
  const channelKey = formatChannelKey(where);
  return {
    bot,
    store,
    clock,
    timers,
    async say(text, user = 'U1') {
      const incoming: Incoming = {
        kind: 'command',
        text,
        who: { platform: where.platform, userId: user, displayName: user, isAdmin: false },
        where,
        receivedAt: clock.now(),
      };
      return (await bot.handle(incoming)).map(toPlainText).join('\n');
    },
    async current() {
      const round = await store.runningRound(channelKey);
      if (!round) return null;
      const question = await store.roundQuestion(round.id, round.current);
      return {
        roundId: round.id,
        index: round.current,
        posted: question?.postedAt != null,
        revealed: question?.revealedAt != null,
      };
    },
  };
}

async function fakeSlack(): Promise<{ fake: FakeSlack; poster: SlackPoster }> {
  const fake = await startFakeSlack({});
  cleanups.push(() => fake.close());
  const client = new WebClient('xoxb-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
  return { fake, poster: new SlackPoster(client) };
}

const questions = (fake: FakeSlack) =>
  fake.history(CHANNEL).filter((m) => /Question \d+\/\d+/.test(m.text) && m.edits.length === 0);
const reveals = (fake: FakeSlack) => fake.history(CHANNEL).filter((m) => m.text.includes('Answer: '));

describe('a quiz round whose step fails', () => {
  it('retries a reveal (chat.update ok:false) and a final board (HTTP 500) Slack refused once, then frees the channel', async () => {
    const { fake, poster } = await fakeSlack();
    const r = rig(await sqliteStore(), poster);
    expect(await r.say('quiz istio 2 20')).toBe('Round started.');
    expect(questions(fake)).toHaveLength(1);
    fake.failNext('chat.update', { error: 'fatal_error' });

    r.timers.advance(20_000);
    await until(() => r.timers.armedIn(RETRY_DELAYS[0] as number), 'the first retry to be armed');
    expect(fake.callsTo('chat.update')).toHaveLength(1);
    expect(reveals(fake)).toHaveLength(0);
    expect(await r.current()).toMatchObject({ index: 0, revealed: true });

    r.timers.advance(RETRY_DELAYS[0] as number);
    await until(async () => (await r.current())?.posted && (await r.current())?.index === 1, 'question 2');
    expect(reveals(fake)).toHaveLength(1);
    expect(questions(fake)).toHaveLength(1);

    // The final board is refused too: the round stays running until it is posted.
    fake.failNext('chat.postMessage', { status: 500 });
    r.timers.advance(20_000);
    await until(() => r.timers.armedIn(RETRY_DELAYS[0] as number), 'the retry of the final board');
    expect(await r.current()).toMatchObject({ index: 2 });
    r.timers.advance(RETRY_DELAYS[0] as number);
    await until(() => fake.history(CHANNEL).some((m) => m.text.includes('Round over: scores')), 'the final');
    await until(async () => (await r.current()) === null, 'the round to end');
    r.clock.advance(60_000);
    expect(await r.say('quiz istio 1 20')).toBe('Round started.');
  });

  it('abandons a round whose reveal keeps failing after the last retry, with a message, freeing the channel', async () => {
    const { fake, poster } = await fakeSlack();
    const r = rig(await sqliteStore(), poster);
    await r.say('quiz istio 2 20');
    for (let i = 0; i <= RETRY_DELAYS.length; i++) fake.failNext('chat.update', { error: 'fatal_error' });
    r.timers.advance(20_000);
    for (const delay of RETRY_DELAYS) {
      await until(() => r.timers.armedIn(delay), `a retry in ${delay} ms`);
      expect(await r.current()).not.toBeNull();
      expect(await r.say('quiz envoy', 'U2')).toContain('A round is already running');
      r.timers.advance(delay);
    }
    const abandoned = await until(
      () => fake.history(CHANNEL).find((m) => m.text.includes('had to be abandoned')),
      'the abandonment message',
    );
    expect(abandoned.text).toContain('Scores so far');
    expect(fake.callsTo('chat.update')).toHaveLength(RETRY_DELAYS.length + 1);
    expect(await r.current()).toBeNull();
    expect(await r.say('quiz envoy', 'U2')).toBe('Round started.');
  });

  it('posts the reveal of a question a member deleted as a new message (Slack message_not_found)', async () => {
    const { fake, poster } = await fakeSlack();
    const r = rig(await sqliteStore(), poster);
    await r.say('quiz istio 2 20');
    const history = fake.messages.get(CHANNEL) ?? [];
    const question = questions(fake)[0];
    history.splice(history.indexOf(question as (typeof history)[number]), 1);

    r.timers.advance(20_000);
    await until(async () => (await r.current())?.index === 1 && (await r.current())?.posted, 'question 2');
    const [reveal] = reveals(fake);
    expect(reveal?.ts).not.toBe(question?.ts);
    expect(reveal?.text).toContain('Question 1/2');
    expect(fake.callsTo('chat.update')).toHaveLength(1);
  });

  it('posts the reveal of a question a member deleted as a new message (Discord Unknown Message 10008)', async () => {
    const fake: FakeDiscord = await startFakeDiscord();
    cleanups.push(() => fake.close());
    const rest = new REST({ api: fake.apiUrl, retries: 0 }).setToken('test-token');
    const channel = '900000000000000001';
    const where = { platform: 'discord', space: fake.guildId, channel };
    const r = rig(await sqliteStore(), new DiscordPoster(rest), where);
    await r.say('quiz istio 2 20');
    // The round runs in the thread started from its announcement, a channel of its own with the message's id.
    const thread = fake.history(channel)[0]?.message.id ?? '';
    const question = fake.history(thread)[0];
    expect(JSON.stringify(question?.body)).toContain('Question 1/2');
    const deleted = await fetch(`${fake.apiUrl}/v10/channels/${thread}/messages/${question?.message.id}`, {
      method: 'DELETE',
      headers: { authorization: 'Bot test-token' },
    });
    expect(deleted.status).toBe(204);

    r.timers.advance(20_000);
    await until(async () => (await r.current())?.index === 1 && (await r.current())?.posted, 'question 2');
    const texts = fake.history(thread).map((m) => JSON.stringify(m.body));
    expect(texts.filter((t) => t.includes('Answer: '))).toHaveLength(1);
    expect(fake.callsTo('PATCH', '/channels/:channel/messages/:message')).toHaveLength(1);
  });

  it('is carried on by the periodic sweep of another process when the one running it died after a failure', async () => {
    const { fake, poster } = await fakeSlack();
    const dir = await mkdtemp(join(tmpdir(), 'orch-quiz-faults-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const open = async () => {
      const store = await openStore({ sqlitePath: join(dir, 'orch.db') });
      cleanups.push(() => store.close());
      return store;
    };
    const clock = new ManualClock(T0);
    const survivor = rig(await open(), poster, SLACK_WHERE, clock);
    await survivor.bot.quiz.resume();
    expect(survivor.timers.armedIn(60_000)).toBe(true);

    const doomed = rig(await open(), poster, SLACK_WHERE, clock);
    await doomed.say('quiz istio 2 20');
    fake.failNext('chat.update', { error: 'fatal_error' });
    doomed.timers.advance(20_000);
    await until(() => doomed.timers.armedIn(RETRY_DELAYS[0] as number), 'the failed reveal');
    doomed.bot.quiz.close();

    survivor.timers.advance(40_000);
    await until(async () => (await survivor.current())?.index === 1, 'question 2, posted by the survivor');
    await until(async () => (await survivor.current())?.posted, 'question 2 posted');
    expect(reveals(fake)).toHaveLength(1);
    // The sweep goes on every minute.
    expect(survivor.timers.armedIn(60_000)).toBe(true);
  });
});

const BINARIES = postgresBinaries();
const SKIP = BINARIES === null && !POSTGRES_REQUIRED;

describe.skipIf(SKIP)('a quiz round across a PostgreSQL outage', () => {
  it('reveals a deadline that passed while the database was stopped once it is back, and plays on', async () => {
    const server = await startPrivatePostgres();
    cleanups.push(() => server.destroy());
    const store = await openStore({ databaseUrl: server.url, sqlitePath: '' });
    cleanups.push(() => store.close());
    const { fake, poster } = await fakeSlack();
    const r = rig(store, poster);
    expect(await r.say('quiz istio 2 20')).toBe('Round started.');

    await server.stop();
    r.timers.advance(20_000);
    await until(() => r.timers.armedIn(RETRY_DELAYS[0] as number), 'the first retry', 30_000);
    r.timers.advance(RETRY_DELAYS[0] as number);
    await until(() => r.timers.armedIn(RETRY_DELAYS[1] as number), 'the second retry', 30_000);
    expect(reveals(fake)).toHaveLength(0);

    await server.start();
    r.timers.advance(RETRY_DELAYS[1] as number);
    await until(
      async () => (await r.current())?.index === 1 && (await r.current())?.posted,
      'question 2',
      30_000,
    );
    expect(reveals(fake)).toHaveLength(1);
    r.timers.advance(20_000);
    // The pool may still hand out a connection the restart killed: any step (the final board's post, or ending the
    // round after it) fails once and is retried after its backoff, so the clock keeps moving (a retry a few seconds
    // on) until the board is there and the round has ended.
    const finals = () => fake.history(CHANNEL).filter((m) => m.text.includes('Round over: scores'));
    await until(
      async () => {
        if (finals().length > 0 && (await store.runningRound(SLACK_KEY)) === null) return true;
        r.timers.advance(RETRY_DELAYS[1] as number);
        return false;
      },
      'the final board and the end of the round',
      30_000,
    );
    // A retried end does not post the board twice: the post is keyed by the round.
    expect(finals()).toHaveLength(1);
  }, 90_000);
});
