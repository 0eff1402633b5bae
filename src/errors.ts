import type { MessageKey } from './i18n/messages.ts';

/** An expected failure whose message is safe to show the user; the bot renders it in the caller's language. */
export class UserError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly vars: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'UserError';
  }
}
