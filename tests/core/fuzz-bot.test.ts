import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/actions/registry.ts';
import { COMMANDS, type Incoming, type Logger, type Reply, toPlainText } from '../../src/index.ts';
import { createBot, MAX_INPUT_LENGTH, openStore, parseLine, UserError } from '../../src/testing.ts';
import { realCatalog } from '../helpers/catalog.ts';
import { DAY, ManualClock, MINUTE } from '../helpers/clock.ts';
import {
  anyText,
  COMMAND_WORDS,
  domainText,
  fuzzParams,
  fuzzTimeout,
  KOREAN_WORDS,
  logSlowest,
  mention,
  PING,
  SCHEDULE_WORDS,
  slowest,
  timed,
  trickyChar,
} from '../helpers/fuzz.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';

// One dispatch reads and writes a few SQLite rows in about a millisecond; two seconds means something ran away.
const HANDLE_BOUND_MS = 2000;

const catalog = await realCatalog();
const COMMAND_NAMES = COMMANDS.flatMap((c) => [c.name, ...c.aliases]);
const TOOL_WORDS = catalog.tools.flatMap((t) =>
  t.source === 'curated' ? [t.id, t.name, ...t.aliases.slice(0, 3)] : [t.name],
);
const CATEGORY_WORDS = catalog.categories.flatMap((c) => [c.id, c.name.en, c.name.ko]);
const WORDS = [
  ...COMMAND_NAMES,
  ...COMMAND_WORDS,
  ...TOOL_WORDS,
  ...CATEGORY_WORDS,
  ...KOREAN_WORDS,
  ...SCHEDULE_WORDS,
];

/** What someone types: a command word and its arguments, or free text, or anything at all (over the limit too). */
const commandText = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', '', '/orch ', 'orch ', '/ORCH ', '  '),
        fc.constantFrom(...COMMAND_NAMES),
        domainText(WORDS, 6),
      )
      .map(([prefix, command, args]) => `${prefix}${command} ${args}`),
  },
  { weight: 2, arbitrary: domainText(WORDS) },
  { weight: 2, arbitrary: anyText(WORDS, MAX_INPUT_LENGTH + 40) },
);

const displayName = fc.oneof(
  fc.constantFrom('tester', '김철수', 'Ada'),
  mention,
  fc.tuple(mention, fc.string({ unit: 'grapheme', maxLength: 6 }), mention).map((p) => p.join('')),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.oneof(trickyChar, mention), maxLength: 6 }),
);

const who = fc.record({
  user: fc.integer({ min: 1, max: 3 }),
  name: displayName,
  admin: fc.boolean(),
  locale: fc.option(fc.constantFrom('ko', 'ko-KR', 'en-US', 'en', 'fr', '', 'x-'), { nil: undefined }),
});

const choiceValue = fc.oneof(
  fc.integer({ min: -2, max: 200 }).map(String),
  fc
    .tuple(fc.integer({ min: -1, max: 9 }), fc.integer({ min: -1, max: 25 }), fc.integer({ min: -1, max: 6 }))
    .map((p) => p.join(':')),
  fc.constantFrom('', ':', '::', '1e3', 'NaN', '-0', '0x1', ' 1', '1:2:3:4', 'k8s-why-self-healing:1'),
  fc.string({ unit: 'binary', maxLength: 30 }),
  domainText(WORDS, 3),
);

type Step =
  | { kind: 'command'; text: string; who: Who }
  | { kind: 'choice'; actionId: string; value: string; who: Who }
  /**
   * Presses the `pick`-th button the bot has shown so far in this run; `alter` forges its value, wholly or only
   * after the last colon (another option of a real question).
   */
  | { kind: 'press'; pick: number; alter: string | undefined; tail: boolean; who: Who }
  /** Lets time pass and closes whatever deadlines passed, as the quiz timer would. */
  | { kind: 'tick'; ms: number };
type Who = { user: number; name: string; admin: boolean; locale: string | undefined };

const commandStep: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant('command' as const),
  text: commandText,
  who,
});
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: commandStep },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('choice' as const),
      actionId: fc.oneof(
        fc.constantFrom(...ACTIONS.map((a) => a.id)),
        fc.string({ unit: 'grapheme', maxLength: 12 }),
      ),
      value: choiceValue,
      who,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('press' as const),
      pick: fc.nat(50),
      alter: fc.option(choiceValue, { nil: undefined, freq: 4 }),
      tail: fc.boolean(),
      who,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 5 * MINUTE }), fc.integer({ min: 0, max: 3 * DAY })),
    }),
  },
);

// ---------------------------------------------------------------------------------------------------------------
// One bot for the file, on a real SQLite store in a temporary directory; each run uses its own channels.

const dataDir = await mkdtemp(join(tmpdir(), 'orch-fuzz-bot-'));
const store = await openStore({ sqlitePath: join(dataDir, 'orch.db') });
const poster = new RecordingPoster();
const clock = new ManualClock(Date.parse('2026-11-25T09:00:00Z'));
const errors: unknown[] = [];
const logger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (fields, message) => errors.push({ fields, message }),
};
const bot = createBot({
  catalog,
  store,
  poster,
  clock,
  logger,
  defaultLang: 'en',
  // Deadlines are closed by the 'tick' step; real timers never fire.
  timers: { setTimeout: () => 0, clearTimeout: () => {} },
});
let runs = 0;

afterAll(async () => {
  logSlowest('command parser and bot');
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function expectSafeReplies(replies: Reply[], context: string): void {
  expect(Array.isArray(replies), context).toBe(true);
  for (const reply of replies) {
    expect(['channel', 'private'], context).toContain(reply.visibility);
    expect(Array.isArray(reply.blocks), context).toBe(true);
    const plain = toPlainText(reply);
    expect(plain, `${context}\nanswered:\n${plain}`).not.toMatch(PING);
  }
}

function incoming(s: Exclude<Step, { kind: 'tick' | 'press' }>, channel: string): Incoming {
  const base = {
    who: {
      platform: 'test',
      userId: `U${s.who.user}`,
      displayName: s.who.name,
      isAdmin: s.who.admin,
    },
    where: { platform: 'test', space: 'T1', channel },
    receivedAt: clock.now(),
    ...(s.who.locale === undefined ? {} : { locale: s.who.locale }),
  };
  return s.kind === 'command'
    ? { ...base, kind: 'command', text: s.text }
    : { ...base, kind: 'choice', actionId: s.actionId, value: s.value };
}

function forge(value: string, alter: string | undefined, tail: boolean): string {
  if (alter === undefined) return value;
  return tail ? `${value.slice(0, value.lastIndexOf(':') + 1)}${alter}` : alter;
}

async function runSteps(steps: Step[]): Promise<void> {
  const channel = `C${++runs}`;
  const buttons: { actionId: string; value: string }[] = [];
  let posted = poster.replies.length;
  const seen = (replies: Reply[]): void => {
    for (const reply of replies)
      for (const block of reply.blocks) if (block.type === 'choices') buttons.push(...block.choices);
  };
  const log: string[] = [];
  errors.length = 0;
  for (const s of steps) {
    clock.advance(1000);
    let replies: Reply[] = [];
    if (s.kind === 'tick') {
      clock.advance(s.ms);
      log.push(`tick ${s.ms}`);
      await bot.quiz.tick();
      expect(errors, `after ${log.join(' → ')}\nthe quiz timer logged an error`).toEqual([]);
    } else {
      let event: Incoming;
      if (s.kind === 'press') {
        const button = buttons[s.pick % Math.max(1, buttons.length)];
        if (!button) continue;
        event = incoming(
          {
            kind: 'choice',
            actionId: button.actionId,
            value: forge(button.value, s.alter, s.tail),
            who: s.who,
          },
          channel,
        );
      } else {
        event = incoming(s, channel);
      }
      log.push(
        JSON.stringify(
          event.kind === 'command'
            ? event.text
            : event.kind === 'choice'
              ? [event.actionId, event.value]
              : event.kind === 'submit'
                ? [event.formId, event.values]
                : 'home',
        ),
      );
      const context = `after ${log.join(' → ')} by ${JSON.stringify(event.who.displayName)}`;
      const start = performance.now();
      replies = await bot.handle(event);
      const ms = performance.now() - start;
      if (ms > slowest.ms) Object.assign(slowest, { ms, label: `handle ${log.at(-1)}` });
      expect(ms, context).toBeLessThan(HANDLE_BOUND_MS);
      expectSafeReplies(replies, context);
      expect(errors, `${context}\nan unexpected error was answered with an apology`).toEqual([]);
    }
    seen(replies);
    const fresh = poster.replies.slice(posted);
    posted = poster.replies.length;
    seen(fresh);
    expectSafeReplies(fresh, `posted to the channel after ${log.join(' → ')}`);
  }
}

// Mention-shaped display names through a whole round: start, answer, stop, scores.
const member = (user: number, name: string): Who => ({ user, name, admin: false, locale: undefined });
const QUIZ_WITH_MENTIONS: Step[] = [
  { kind: 'command', text: 'quiz kubernetes 2 10', who: member(1, '<!channel>') },
  { kind: 'press', pick: 0, alter: undefined, tail: false, who: member(2, '@everyone') },
  { kind: 'tick', ms: 15_000 },
  { kind: 'press', pick: 5, alter: undefined, tail: false, who: member(3, '<@&1>') },
  { kind: 'command', text: 'quiz stop', who: member(1, '<@&1> @here') },
  { kind: 'command', text: 'leaderboard all', who: member(3, 'x') },
];

describe('the command parser', () => {
  it(
    'splits any line into a known command or none and single-spaced words, or refuses with a UserError',
    () => {
      fc.assert(
        fc.property(commandText, (text) => {
          let line: ReturnType<typeof parseLine>;
          try {
            line = timed(`parseLine(${JSON.stringify(text)})`, () => parseLine(text));
          } catch (error) {
            expect(error).toBeInstanceOf(UserError);
            return;
          }
          if (line.command !== undefined) expect(COMMAND_NAMES).toContain(line.command.toLowerCase());
          expect(line.rest).toMatch(/^(?:\S+(?: \S+)*)?$/);
          expect([undefined, 'ko', 'en']).toContain(line.lang);
        }),
        fuzzParams(1000),
      );
    },
    fuzzTimeout(20_000),
  );
});

describe('the bot on arbitrary events', () => {
  it(
    'answers every command with replies that ping nobody, and never with an apology',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(commandStep, { minLength: 1, maxLength: 3 }), runSteps),
        fuzzParams(300),
      );
    },
    fuzzTimeout(20_000),
  );

  it(
    'survives sequences of commands, button presses (real and forged) and passing time',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), runSteps),
        fuzzParams<[Step[]]>(300, [[QUIZ_WITH_MENTIONS]]),
      );
    },
    fuzzTimeout(20_000),
  );
});
