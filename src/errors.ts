import type { MessageKey } from './i18n/messages.ts';
import { neutralizeMentions } from './reply/safe-text.ts';

/** An expected failure whose message is safe to show the user; the bot renders it in the caller's language. */
export class UserError extends Error {
  /** The message's variables; text is often echoed input ("unknown language <!here>"), so it cannot ping anyone. */
  readonly vars: Record<string, string | number>;

  constructor(
    readonly key: MessageKey,
    vars: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'UserError';
    this.vars = Object.fromEntries(
      Object.entries(vars).map(([name, value]) => [
        name,
        typeof value === 'string' ? neutralizeMentions(value) : value,
      ]),
    );
  }
}
