import { UserError } from '../errors.ts';
import { type MessageKey, t } from '../i18n/messages.ts';
import type { CommandContext } from './command.ts';

/** Refuses politely unless the adapter said the caller is an admin of this channel. */
export function requireAdmin(ctx: CommandContext, what: MessageKey, command: string): void {
  if (ctx.incoming.who.isAdmin) return;
  throw new UserError('error.adminOnly', { what: t(ctx.lang, what), command });
}
