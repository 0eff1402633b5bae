import { createInterface } from 'node:readline';
import { type Bot, choicesOf, type Reply } from '../../src/index.ts';
import { parseShift } from './clock.ts';
import { consoleChoice, parseConsoleLine } from './parse.ts';
import { renderConsole } from './render.ts';

/** Streams and settings the REPL runs with; tests hand in their own streams. */
export interface ReplOptions {
  bot: Bot;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  color: boolean;
  prompt?: boolean;
  now?: () => Date;
  /** Moves the clock forward, letting scheduled lessons arrive on the way (the /time command). */
  advance?: (ms: number) => Promise<void>;
  /** Receives the REPL's printer, so scheduled posts appear in the conversation with pressable buttons. */
  bindPrinter?: (show: (reply: Reply) => void) => void;
}

const EXIT_WORDS = new Set(['/quit', '/exit', 'quit', 'exit', '/q']);

/** One chat channel in the terminal: each line is a message to the bot, answered before the next prompt. */
export async function runRepl(options: ReplOptions): Promise<void> {
  const { bot, input, output, color } = options;
  const now = options.now ?? (() => new Date());
  const rl = createInterface({ input, terminal: false });
  const write = (text: string): void => {
    output.write(`${text}\n`);
  };
  const prompt = (): void => {
    if (options.prompt) output.write('orch> ');
  };
  // The buttons of the last message that had any: typing a number presses one.
  let buttons: ReturnType<typeof choicesOf> = [];
  const show = (replies: Reply[]): void => {
    for (const reply of replies) {
      write(`${renderConsole(reply, color)}\n`);
      const choices = choicesOf(reply);
      if (choices.length > 0) buttons = choices;
    }
  };
  options.bindPrinter?.((reply) => show([reply]));
  write(
    'orch console: try /orch istio, 이스티오, "istio vs linkerd", /orch roadmap, /orch help. /time +1d moves the clock; /quit leaves.',
  );
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (EXIT_WORDS.has(line.toLowerCase())) break;
    const button = /^\d{1,2}$/.test(line) ? buttons[Number(line) - 1] : undefined;
    if (button) {
      show(await bot.handle(consoleChoice(button.actionId, button.value, now())));
    } else if (/^\/time\b/.test(line)) {
      const arg = line.slice('/time'.length).trim();
      const ms = arg === '' ? 0 : parseShift(arg);
      if (ms === null || (ms > 0 && !options.advance)) write('usage: /time +30s | +30m | +3h | +1d | +1w');
      else if (ms > 0 && options.advance) await options.advance(ms);
      write(`time: ${now().toISOString()}`);
    } else if (line.length > 0) {
      show(await bot.handle(parseConsoleLine(line, now())));
    }
    prompt();
  }
  rl.close();
}
