import { type Incoming, SELF_NAME, type Where, type Who } from '../../src/index.ts';

/** The console is one chat channel with one user, who is its admin. */
export const CONSOLE_WHERE: Where = { platform: 'console', space: 'local', channel: 'terminal' };

export const CONSOLE_USER: Who = {
  platform: 'console',
  userId: 'you',
  displayName: SELF_NAME,
  isAdmin: true,
};

/** A typed line as the core sees it. */
export function parseConsoleLine(line: string, now: Date): Incoming {
  return { kind: 'command', text: line, who: CONSOLE_USER, where: CONSOLE_WHERE, receivedAt: now };
}

/** A button pressed by typing its number. */
export function consoleChoice(actionId: string, value: string, now: Date): Incoming {
  return { kind: 'choice', actionId, value, who: CONSOLE_USER, where: CONSOLE_WHERE, receivedAt: now };
}
