// The late-click burst of `npm run bench`'s faults section: 600 members click in the last 1.4 s before a question's
// deadline; every click is stamped on arrival (the ack), then waits in a queue like Slack's (two at a time) before
// the bot handles it, so most are processed after the deadline, and the deadline reveal fires in the middle of the
// burst. Each job also spends 15 ms delivering its answer, as a response_url round trip does. Real SQLite file, the real bot and quiz service; the clock runs in real time from 100 ms before the deadline.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Poster } from '../../src/index.ts';
import type { Timers } from '../../src/quiz/rounds.ts';
import { pointsFor } from '../../src/quiz/scoring.ts';
import { createBot, openStore, silentLogger } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';

const CLICKS = 600;
const ARRIVAL_SPREAD_MS = 1_400;
const SECONDS = 20;
/** Slack's adapter runs this many requests at a time after the ack (adapters/slack/app.ts). */
const QUEUE_CONCURRENCY = 2;
/** What each queued job spends delivering its answer (a response_url round trip), which is what makes the queue slow. */
const DELIVERY_MS = 15;
/** Where the clock is when the queue starts draining: just before the deadline, so the deadline passes mid-burst. */
const START_BEFORE_DEADLINE_MS = 100;

/** Timers on the bench's clock, checked every millisecond, so the deadline reveal fires when the clock passes it. */
function clockTimers(now: () => number): Timers & { stop(): void } {
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const poll = setInterval(() => {
    for (const [id, timer] of pending)
      if (timer.at <= now()) {
        pending.delete(id);
        timer.fn();
      }
  }, 1);
  return {
    setTimeout(fn, ms) {
      pending.set(next, { at: now() + ms, fn });
      return next++;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    stop: () => clearInterval(poll),
  };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs the late-click burst and prints its table. */
export async function benchLateClicks(): Promise<void> {
  const catalog = await realCatalog();
  const dir = await mkdtemp(join(tmpdir(), 'orch-bench-late-'));
  const store = await openStore({ sqlitePath: join(dir, 'orch.db') });
  const posted: string[] = [];
  const poster: Poster = {
    async post(_channel, _reply, key) {
      if (key.endsWith(':reveal')) posted.push(key);
      return { messageId: key };
    },
  };
  const postedAt = Date.parse('2026-11-25T10:00:00Z');
  const deadline = postedAt + SECONDS * 1000;
  // Frozen at the question's posting until the queue starts draining, then real time.
  let runningSince: number | null = null;
  let base = postedAt;
  const now = () => (runningSince === null ? base : base + (performance.now() - runningSince));
  const timers = clockTimers(now);
  const bot = createBot({
    catalog,
    store,
    poster,
    clock: { now: () => new Date(now()) },
    timers,
    logger: silentLogger,
    defaultLang: 'en',
  });
  const where = { platform: 'bench', space: 'T', channel: 'C' };
  const who = (id: string) => ({ platform: 'bench', userId: id, displayName: id, isAdmin: false });
  await bot.handle({
    kind: 'command',
    text: `quiz kubernetes 1 ${SECONDS}`,
    who: who('host'),
    where,
    receivedAt: new Date(now()),
  });
  const round = await store.runningRound('bench:T:C');
  if (!round) throw new Error('no round started');
  const question = await store.roundQuestion(round.id, 0);
  if (!question) throw new Error('no question');
  const right = question.question.answer;

  // Every click arrives (is acknowledged) in the last 1.4 s before the deadline.
  const arrivals = Array.from(
    { length: CLICKS },
    (_, i) => deadline - ARRIVAL_SPREAD_MS + Math.floor((i * ARRIVAL_SPREAD_MS) / CLICKS),
  );
  const processedAt: number[] = [];
  const replies: string[] = [];
  let revealedAtClick = -1;
  base = deadline - START_BEFORE_DEADLINE_MS;
  runningSince = performance.now();
  const started = performance.now();
  let nextClick = 0;
  const worker = async () => {
    for (let i = nextClick++; i < CLICKS; i = nextClick++) {
      // The adapter's queue hands work over one turn later, letting new acks go first.
      await new Promise((resolve) => setImmediate(resolve));
      processedAt[i] = now();
      const [reply] = await bot.handle({
        kind: 'choice',
        actionId: 'quiz.answer',
        value: `${round.id}:0:${right}`,
        who: who(`m${i}`),
        where,
        receivedAt: new Date(arrivals[i] as number),
      });
      const text = reply?.blocks.map((b) => ('text' in b ? b.text : '')).join(' ') ?? '';
      replies[i] = text;
      await new Promise((resolve) => setTimeout(resolve, DELIVERY_MS));
      if (revealedAtClick < 0 && posted.length > 0) revealedAtClick = i;
    }
  };
  await Promise.all(Array.from({ length: QUEUE_CONCURRENCY }, worker));
  const burstMs = performance.now() - started;
  // Let the deadline reveal finish if the burst ended first.
  for (let waited = 0; posted.length === 0 && waited < 5_000; waited += 10)
    await new Promise((resolve) => setTimeout(resolve, 10));

  const accepted = replies.filter((r) => r.startsWith('Got it')).length;
  const closed = replies.filter((r) => r.includes('closed')).length;
  const afterDeadline = processedAt.filter((t) => t >= deadline).length;
  const answers = await store.answers(round.id, 0);
  const points = answers.map((a) => a.points);
  const byProcessing = processedAt.map((t) => pointsFor(true, t, postedAt, deadline));
  const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  const judged = answers.map((a) => a.answeredAt);

  console.log(
    `\nfaults: late clicks: ${CLICKS} clicks arriving in the last ${fmt(ARRIVAL_SPREAD_MS)} before the deadline, ` +
      `handled ${QUEUE_CONCURRENCY} at a time after the ack (SQLite file)`,
  );
  const rows: [string, string, string][] = [
    ['burst handled in', fmt(burstMs), ''],
    ['clicks processed after the deadline (refused before)', `${afterDeadline} of ${CLICKS}`, ''],
    [
      'reveal posted during the burst',
      posted.length > 0
        ? revealedAtClick >= 0
          ? `after click ${revealedAtClick}`
          : 'after the burst'
        : 'not yet',
      '',
    ],
    [
      'on-time clicks accepted',
      `${((100 * accepted) / CLICKS).toFixed(1)}% (${accepted}; ${closed} told closed)`,
      '100%',
    ],
    ['stored answers', `${answers.length}`, `${CLICKS}`],
    ['time span the points are judged over', fmt(spread(judged)), `<= ${fmt(ARRIVAL_SPREAD_MS)}`],
    ['time span had they been judged when processed', fmt(spread(processedAt)), ''],
    ['speed points (by arrival)', `${Math.min(...points)}..${Math.max(...points)}`, ''],
    [
      'speed points had they been judged when processed',
      `${Math.min(...byProcessing)}..${Math.max(...byProcessing)}`,
      '',
    ],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [label, value, target] of rows)
    console.log(`  ${label.padEnd(width)}  ${value.padEnd(34)}${target ? `target ${target}` : ''}`);

  timers.stop();
  bot.quiz.close();
  await bot.quiz.drain();
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
