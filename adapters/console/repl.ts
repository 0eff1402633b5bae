import { clearLine, createInterface, cursorTo } from 'node:readline';
import {
  type Bot,
  choicesOf,
  DEFAULT_LANG,
  type Lang,
  quizAnswer,
  type Reply,
  t,
  textReply,
} from '../../src/index.ts';
import type { ConsoleChannel } from './channel-state.ts';
import { parseShift } from './clock.ts';
import { wrapLine } from './display-width.ts';
import { consoleChoice, parseConsoleLine } from './parse.ts';
import { renderConsole } from './render.ts';

/** Streams and settings the REPL runs with; tests hand in their own streams. */
export interface ReplOptions {
  bot: Bot;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  color: boolean;
  /** Terminal columns to wrap to, asked for each reply so a resized window is followed; none for a pipe. */
  width?: () => number | undefined;
  /** An interactive terminal: a prompt, line editing, and posts printed above the line being typed. */
  prompt?: boolean;
  now?: () => Date;
  /** How far /time has moved the console clock ahead of real time, told at start. */
  clockAheadMs?: number;
  /** Moves the clock forward, letting scheduled lessons arrive on the way (the /time command). */
  advance?: (ms: number) => Promise<void>;
  /** Receives the REPL's printer, so scheduled posts appear in the conversation with pressable buttons. */
  bindPrinter?: (show: (reply: Reply) => void) => void;
  /** The channel in the store: the open quiz question (after a restart too) and the channel's language. */
  channel?: ConsoleChannel;
  defaultLang?: Lang;
  /** Shows a time as the channel reads it (the /time command's answer); ISO when absent. */
  when?: (at: Date) => Promise<string>;
}

const EXIT_WORDS = new Set(['/quit', '/exit', 'quit', 'exit', '/q']);
const PROMPT = 'orch> ';
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/;

type Button = { actionId: string; value: string };

/** "7 d 3 h", "7일 3시간": how far ahead the clock runs, to the minute. */
function aheadText(ms: number, lang: Lang): string {
  const minutes = Math.floor(ms / 60_000);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  const units = lang === 'ko' ? ['일', '시간', '분'] : [' d', ' h', ' min'];
  const parts = [d, h, m].flatMap((n, i) => (n > 0 ? [`${n}${units[i]}`] : []));
  return parts.length > 0 ? parts.join(' ') : lang === 'ko' ? '1분 미만' : 'less than a minute';
}

/** One chat channel in the terminal: each line is a message to the bot, answered before the next prompt. */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { bot, input, output, color } = options;
  const now = options.now ?? (() => new Date());
  const interactive = options.prompt === true;
  const rl = interactive
    ? createInterface({ input, output, terminal: true, prompt: PROMPT })
    : createInterface({ input, terminal: false });
  // In raw mode Ctrl-C reaches readline as a key, not as a signal; unhandled, it would only pause the input.
  rl.on('SIGINT', () => rl.close());
  // While a line is being answered no prompt is on screen, so output goes straight out; between lines the prompt
  // and whatever the user has typed so far are on the last line, and a post arriving then goes above them.
  let answering = true;
  const write = (text: string): void => {
    if (!interactive || answering) {
      output.write(`${text}\n`);
      return;
    }
    clearLine(output, 0);
    cursorTo(output, 0);
    output.write(`${text}\n`);
    rl.prompt(true);
  };
  const prompt = (): void => {
    answering = false;
    if (interactive) rl.prompt();
  };
  // The buttons of the last message that had any: typing a number presses one.
  let buttons: Button[] = [];
  // The answer buttons of the last question shown: a letter answers it.
  let question: Button[] = [];
  let typedHangul = false;
  const show = (replies: Reply[]): void => {
    for (const reply of replies) {
      write(`${renderConsole(reply, { color, width: options.width?.() })}\n`);
      const choices = choicesOf(reply);
      if (choices.length > 0) buttons = choices;
      if (choices.some((c) => c.actionId === quizAnswer.id)) question = choices;
    }
  };
  const lang = async (): Promise<Lang> =>
    (await options.channel?.lang()) ?? (typedHangul ? 'ko' : (options.defaultLang ?? DEFAULT_LANG));
  const say = (text: string): void => {
    const width = options.width?.();
    write(width && width >= 20 ? wrapLine(text, width).join('\n') : text);
  };
  const note = async (key: Parameters<typeof t>[1], vars: Record<string, string | number> = {}) =>
    say(`${t(await lang(), key, vars)}\n`);
  const press = async (button: Button): Promise<void> =>
    show(await bot.handle(consoleChoice(button.actionId, button.value, now())));
  // The question open in the store wins over the one on screen: it may have been revealed since, or asked by the
  // previous run of the console.
  const openQuestion = async (): Promise<Button[]> =>
    options.channel ? ((await options.channel.openQuestion())?.choices ?? []) : question;

  options.bindPrinter?.((reply) => show([reply]));
  // Lines are taken from here on: piped input arrives at once, and a line emitted while the greeting awaits the
  // channel's language would be lost without an iterator already listening.
  const lines = rl[Symbol.asyncIterator]();
  const greeting = await lang();
  // Rendered like a reply, so its commands show as code rather than between backticks.
  const welcome = textReply(t(greeting, 'console.welcome'));
  // Already wrapped by the renderer; `say` would wrap it a second time.
  write(renderConsole(welcome, { color: options.color, width: options.width?.() }));
  if ((options.clockAheadMs ?? 0) >= 60_000)
    say(t(greeting, 'console.clockAhead', { ahead: aheadText(options.clockAheadMs ?? 0, greeting) }));
  prompt();
  for await (const raw of { [Symbol.asyncIterator]: () => lines }) {
    answering = true;
    const line = raw.trim();
    if (EXIT_WORDS.has(line.toLowerCase())) break;
    if (HANGUL.test(line)) typedHangul = true;
    const number = /^\d{1,2}$/.test(line) ? Number(line) : null;
    const letter = /^[a-e]$/i.test(line) ? line.toUpperCase() : null;
    if (number !== null) {
      const choices = buttons.length > 0 ? buttons : await openQuestion();
      const button = choices[number - 1];
      if (button) await press(button);
      else if (choices.length === 0) await note('console.nothingToPress');
      else await note('console.noSuchButton', { number, last: choices.length });
    } else if (letter !== null) {
      const choices = await openQuestion();
      const button = choices[letter.charCodeAt(0) - 65];
      if (button) await press(button);
      else if (choices.length === 0) await note('console.noQuestion', { letter });
      else await note('console.noSuchOption', { letter, last: String.fromCharCode(64 + choices.length) });
    } else if (/^\/time\b/.test(line)) {
      const arg = line.slice('/time'.length).trim();
      const ms = arg === '' ? 0 : parseShift(arg);
      if (ms === null || (ms > 0 && !options.advance)) write('usage: /time +30s | +30m | +3h | +1d | +1w');
      else if (ms > 0 && options.advance) await options.advance(ms);
      const at = now();
      write(`⏰ ${options.when ? await options.when(at) : at.toISOString()}`);
    } else if (line.length > 0) {
      show(await bot.handle(parseConsoleLine(line, now())));
    }
    prompt();
  }
  rl.close();
}
