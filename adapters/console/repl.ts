import { createInterface } from 'node:readline';
import type { Bot } from '../../src/index.ts';
import { parseConsoleLine } from './parse.ts';
import { renderConsole } from './render.ts';

/** Streams and settings the REPL runs with; tests hand in their own streams. */
export interface ReplOptions {
  bot: Bot;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  color: boolean;
  prompt?: boolean;
  now?: () => Date;
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
  write(
    'orch console: type /orch istio, 이스티오, isito, "istio vs linkerd", "service mesh" or /orch help. /quit leaves.',
  );
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (EXIT_WORDS.has(line.toLowerCase())) break;
    if (line.length > 0) {
      const replies = await bot.handle(parseConsoleLine(line, now()));
      for (const reply of replies) write(`${renderConsole(reply, color)}\n`);
    }
    prompt();
  }
  rl.close();
}
