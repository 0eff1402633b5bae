// The Slack part of `npm run bench -- faults` (issue 11): the real server process (adapters/server main, run by the
// proof harness in tests/proof with its manual clock) under three faults, each against its target.
//
//   (a) 100 concurrent unsigned 3.9 MB POSTs to /slack/events: the server's peak resident memory against the Slack
//       pod's 384 Mi limit, and whether every flooded socket was closed.
//   (b) kill -9 the moment a burst of 300 quiz clicks has been acknowledged: clicks acknowledged but not stored
//       (target 0), with the acks' latency (an answer is stored before its ack unless that takes over 2 s).
//   (c) Socket Mode, a 100-command burst whose socket stalls (acks lost) after 20 acks and then drops, with Slack's
//       redelivery of every un-acked envelope on the new socket: commands answered twice (target 0).
import { performance } from 'node:perf_hooks';
import type { QuizAnswer } from '../../src/testing.ts';
import { slashCommandPayload } from '../fakes/slack.ts';
import {
  answerTo,
  click,
  command,
  MONDAY_0800,
  Proof,
  postedQuestion,
  responseId,
  TEAM,
  until,
} from '../proof/rig.ts';
import { MB, POD_LIMIT_BYTES, sampleRss, unsignedFlood } from '../proof/slack-flood.ts';

const row = (cells: string[]) => `  ${cells[0]?.padEnd(58)}${cells[1]?.padEnd(24)}${cells[2] ?? ''}`;

async function floodFigures(proof: Proof): Promise<string[][]> {
  const fake = await proof.fakeSlack();
  const bot = await proof.bot('flood', fake, await proof.store('sqlite'), MONDAY_0800);
  const { before, stop } = await sampleRss(bot.pid);
  const { statuses, closed } = await unsignedFlood(bot.events, 100, 3.9 * MB);
  let closedCount = 0;
  for (const socket of closed) socket.then(() => closedCount++);
  await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  const peak = await stop();
  const refused = statuses.filter((s) => s === 413 || s === 503).length;
  return [
    [
      'unsigned flood: RSS before → peak',
      `${(before / MB).toFixed(0)} → ${(peak / MB).toFixed(0)} MB`,
      `< ${POD_LIMIT_BYTES / MB} MB (issue: 208 → 447)`,
    ],
    [
      'unsigned flood: refused unread (413/503) or reset',
      `${refused} / 100 (rest reset)`,
      '100 / 100 not read',
    ],
    [
      'unsigned flood: sockets closed within 10 s',
      `${closedCount} / ${closed.length}`,
      `${closed.length} (issue: kept alive)`,
    ],
  ];
}

async function clickCrashFigures(proof: Proof): Promise<string[][]> {
  const fake = await proof.fakeSlack();
  const store = await proof.store('sqlite');
  const bot = await proof.bot('clicks', fake, store, MONDAY_0800);
  await answerTo(fake, await command(bot, fake, 'quiz all 2 60', { user: 'U000' }));
  const question = await until(() => postedQuestion(fake, 'C1', 0), 'the quiz question');
  const members = Array.from({ length: 300 }, (_, i) => `UB${String(i).padStart(3, '0')}`);
  const acked: string[] = [];
  const latencies: number[] = [];
  await Promise.allSettled(
    members.map(async (member, i) => {
      const started = performance.now();
      await click(bot, fake, question, member, i % question.options.length);
      latencies.push(performance.now() - started);
      acked.push(member);
    }),
  );
  await bot.kill9();
  const reader = await store.open();
  const stored = new Set(((await reader.answers(question.roundId, 0)) as QuizAnswer[]).map((a) => a.userId));
  const lost = acked.filter((m) => !stored.has(m)).length;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return [
    [
      'kill -9 after 300 clicks: acknowledged, not stored',
      `${lost} of ${acked.length}`,
      '0 (issue: 80 of 80)',
    ],
    [
      '  click ack latency p50 / p99 / max',
      `${p(0.5).toFixed(0)} / ${p(0.99).toFixed(0)} / ${(latencies.at(-1) ?? 0).toFixed(0)} ms`,
      'under the 2,000 ms budget',
    ],
  ];
}

async function socketDropFigures(proof: Proof): Promise<string[][]> {
  const fake = await proof.fakeSlack();
  const bot = await proof.bot('socket', fake, await proof.store('sqlite'), MONDAY_0800, {
    SLACK_MODE: 'socket',
    SLACK_APP_TOKEN: 'xapp-bench',
  });
  await fake.socketConnected();
  const acksBefore = fake.acks.length;
  const burst = Array.from({ length: 100 }, (_, i) => {
    const id = responseId('bench-socket');
    const payload = slashCommandPayload({
      text: i % 2 ? 'help' : 'istio',
      team_id: TEAM,
      channel_id: 'CBENCH',
      response_url: fake.responseUrl(id),
    });
    return { id, acked: fake.sendEnvelope('slash_commands', payload, { timeoutMs: 60_000 }) };
  });
  await until(() => fake.acks.length - acksBefore >= 20, '20 acks');
  fake.stallAcks();
  await Promise.all(burst.map((c) => answerTo(fake, c.id, 60_000)));
  const redelivered = await fake.dropSocket();
  await Promise.all(burst.map((c) => c.acked));
  // Time for a second answer to show up.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const twice = burst.filter((c) => fake.responses.filter((r) => r.id === c.id).length > 1).length;
  if (!bot.alive) throw new Error('the Socket Mode server exited');
  return [
    ['Socket Mode drop in a 100-command burst: redelivered', `${redelivered}`, ''],
    ['  commands answered twice', `${twice} of 100`, '0 (issue: 44)'],
  ];
}

/** Runs the three faults against the real server process and prints their figures beside the targets. */
export async function benchSlackFaults(): Promise<void> {
  const started = performance.now();
  const rows: string[][] = [];
  for (const run of [floodFigures, clickCrashFigures, socketDropFigures]) {
    const proof = new Proof();
    try {
      rows.push(...(await run(proof)));
    } finally {
      await proof.close(false);
    }
  }
  console.log('\nfaults: Slack (the server process, tests/bench/faults-slack.ts)');
  console.log(row(['', 'measured', 'target']));
  for (const cells of rows) console.log(row(cells));
  console.log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
