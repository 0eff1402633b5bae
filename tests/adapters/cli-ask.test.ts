import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/index.ts';
import { type ChannelSettings, findCommand, openStore } from '../../src/testing.ts';
import { ROOT } from '../helpers/catalog.ts';
import { type ConsoleRun, orchProcess } from '../helpers/console-process.ts';

// Every run is a real `orch` process (adapters/console/bin.mjs through tsx): about a second each on a quiet machine.
const PROCESS_TIMEOUT_MS = 120_000;

/** `orch ask …` as a user runs it, on the SQLite file in `data`, with none of the test's own environment. */
function orch(args: string[], data: string): Promise<ConsoleRun> {
  return orchProcess(args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ORCH_DATA_DIR: data },
    timeoutMs: PROCESS_TIMEOUT_MS,
  });
}

/** The example column of every command table in the README (a row's second cell, one `/orch …` in backticks). */
async function readmeExamples(): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const examples: string[] = [];
  for (const row of readme.split('\n')) {
    if (!row.startsWith('| `/orch')) continue;
    const cells = row.split(/(?<!\\)\|/).map((c) => c.trim());
    const example = /^`(\/orch [^`]+)`$/.exec(cells[2] ?? '')?.[1];
    if (example) examples.push(example);
  }
  return examples;
}

/** The command an example runs: its first word after `/orch`, or `ask` for a question. */
function commandOf(example: string): string {
  const word = example.split(' ')[1] ?? '';
  return findCommand(word)?.name ?? 'ask';
}

/** The facts a script needs, by command (and for `schedule`, `quiz` and `roadmap`, by what the line did). */
function expectFields(example: string, answer: Record<string, unknown>): void {
  const command = commandOf(example);
  expect(answer.command, example).toBe(command);
  expect(typeof answer.text, example).toBe('string');
  expect((answer.text as string).length, example).toBeGreaterThan(0);
  expect(['ko', 'en'], example).toContain(answer.lang);
  const has = (...keys: string[]) => {
    for (const key of keys) expect(answer, `${example}: ${key}`).toHaveProperty(key);
  };
  switch (command) {
    case 'ask':
    case 'tool':
    case 'compare':
    case 'search':
      has('toolIds', 'suggestions');
      expect((answer.toolIds as string[]).length, example).toBeGreaterThan(0);
      return;
    case 'category':
      expect(answer.intent).toBe('category');
      has('categoryId', 'toolIds');
      return;
    case 'roadmap':
      has('position', 'total', 'next');
      return;
    case 'lesson':
      has('number', 'id', 'track', 'stage');
      return;
    case 'progress':
      has('done', 'streak', 'reviewsDue');
      return;
    case 'schedule':
      has('action', 'rule', 'cron', 'timeZone', 'paused', 'nextFireAt', 'holidayCountry');
      return;
    case 'lang':
      has('channelLang');
      return;
    case 'settings':
      // `settings quiz <n> <s>` sets the quiz defaults; showing, or `settings threads on|off`, says the threads.
      if (/\bquiz\b|퀴즈/.test(example)) has('action', 'quizCount', 'quizSeconds');
      else has('action', 'threads');
      return;
    case 'quiz':
      if (answer.action === 'stop') has('roundId', 'scores');
      else {
        has('roundId', 'questions', 'seconds', 'posts');
        expect((answer.posts as string[]).length, example).toBeGreaterThan(0);
      }
      return;
    case 'leaderboard':
      has('period', 'rows');
      return;
    case 'review':
      has('due', 'question');
      return;
    case 'me':
      has('channels', 'reviews', 'recentQuizzes');
      return;
    case 'help':
      has('topic', 'syntax');
      return;
    case 'admin':
      if (answer.task === 'questions') has('held', 'reportedOnce');
      else has('task', 'reloaded');
      return;
    case 'pause':
      has('action', 'until');
      return;
    case 'pace':
      has('action', 'pace');
      return;
    case 'catchup':
      has('action', 'behind');
      return;
    case 'group':
      has('action', 'channels');
      return;
    case 'link':
      has('action', 'issued', 'linked');
      return;
    case 'digest':
      // Showing last week's (`week`, the Monday it began) or, for an admin, moving or stopping the weekly post.
      has('action');
      if (answer.action === 'show') has('week');
      else has('digest');
      return;
    case 'calendar':
      // The console serves no pages, so it says where they come from instead of giving an address.
      expect(answer.action, example).toBe('unavailable');
      return;
    default:
      throw new Error(`no expectations for ${command}`);
  }
}

/** What a bad line must leave alone: the channel's settings and its quiz round. */
async function channelState(data: string, key: string): Promise<[ChannelSettings | null, string | null]> {
  const store = await openStore({ sqlitePath: join(data, 'orch.db') });
  try {
    return [await store.getChannel(key), (await store.runningRound(key))?.id ?? null];
  } finally {
    await store.close();
  }
}

describe('orch ask --json for every command in the README (real processes, a SQLite file)', () => {
  it('the README tables show an example of every command', async () => {
    const shown = new Set((await readmeExamples()).map(commandOf));
    expect([...shown].sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it(
    'answers every example with one JSON object, exit 0, the intent and the fields a script needs',
    async () => {
      const data = await mkdtemp(join(tmpdir(), 'orch-ask-'));
      const examples = await readmeExamples();
      expect(examples.length).toBeGreaterThanOrEqual(20);
      let quizChannel = 'study';
      for (const [i, example] of examples.entries()) {
        // Rows run in order in one channel (the schedule is set before it is paused); a row starting a quiz round
        // gets a channel of its own, since a channel holds one round at a time, and `quiz stop` ends that round.
        const starts = commandOf(example) === 'quiz' && !example.endsWith(' stop');
        if (starts) quizChannel = `quiz-${i}`;
        const channel = commandOf(example) === 'quiz' ? quizChannel : 'study';
        const run = await orch(['ask', example, '--json', '--channel', channel], data);
        expect(run.stderr, example).toBe('');
        expect(run.code, `${example}: ${run.stderr}`).toBe(0);
        const lines = run.stdout.trim().split('\n');
        expect(lines, example).toHaveLength(1);
        const answer = JSON.parse(lines[0] as string) as Record<string, unknown>;
        expect(answer.refused, `${example}: ${answer.text}`).toBeUndefined();
        expect(answer.channel).toBe(channel);
        expectFields(example, answer);
        if (example === '/orch schedule weekdays 09:00 Asia/Seoul') {
          expect(answer).toMatchObject({ intent: 'schedule', cron: '0 9 * * 1-5', timeZone: 'Asia/Seoul' });
          expect(Date.parse(answer.nextFireAt as string)).toBeGreaterThan(Date.now());
        }
        if (example === '/orch lesson 3 answer')
          expect(answer).toMatchObject({ intent: 'lesson', number: 3, id: 'k8s-pods', answer: true });
        if (example === '/orch schedule pause')
          expect(answer).toMatchObject({ paused: true, nextFireAt: null });
        if (example === '/orch quiz stop') expect(answer).toMatchObject({ action: 'stop', scores: [] });
        if (example === '/orch settings threads off')
          expect(answer).toMatchObject({ action: 'set', threads: false });
      }
      // The changes were made in the channel named, and only there.
      const [study] = await channelState(data, 'console:local:study');
      expect(study).toMatchObject({ cron: '0 9 * * 1-5', paused: true, holidayCountry: 'KR', position: 5 });
      expect((await channelState(data, 'console:local:terminal'))[0]).toBeNull();
    },
    15 * 60_000,
  );

  it(
    'exits 2 for bad arguments, prints no JSON, names what was wrong, and changes nothing',
    async () => {
      const data = await mkdtemp(join(tmpdir(), 'orch-ask-bad-'));
      const set = await orch(['ask', 'schedule daily 21:30 Asia/Seoul', '--json'], data);
      expect(set.code).toBe(0);
      const key = 'console:local:terminal';
      const before = await channelState(data, key);
      const cases: [string[], string][] = [
        [['ask', 'quiz istio 21', '--json'], 'The number of questions must be 1 to 20, not 21'],
        [['ask', 'quiz istio 5 500', '--json'], 'The time per question must be 10 to 120 seconds, not 500'],
        [['ask', 'schedule weekdays 25:00', '--json'], 'could not read that schedule'],
        [['ask', 'lang fr', '--json'], 'Unknown language "fr"'],
        [['ask', 'roadmap set 999', '--json'], 'There is no lesson 999'],
        [['ask', 'lesson banana', '--json'], 'Unknown lesson "banana"'],
        [['ask', 'help nothing', '--json'], 'There is no command "nothing"'],
        [['ask', '--bogus'], 'unknown option "--bogus"; ask takes --json, --lang ko|en, --channel <name>'],
        [['ask', 'istio --bogus', '--json'], 'unknown option "--bogus"'],
        [['ask', 'istio', '--lang', 'fr'], '--lang must be ko or en'],
        [['ask', 'istio', '--channel', 'no such/channel'], '--channel must be a name'],
        [['ask', 'istio', '--channel'], '--channel needs a value'],
        [['ask'], 'ask needs a question'],
      ];
      for (const [args, message] of cases) {
        const run = await orch([...args, '--lang=en'], data);
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stdout, args.join(' ')).toBe('');
        expect(run.stderr, args.join(' ')).toContain(message);
        expect(run.stderr, args.join(' ')).toContain('orch ask "<text>"');
      }
      expect(await channelState(data, key)).toEqual(before);
    },
    10 * 60_000,
  );
});
