import { UserError } from '../errors.ts';
import { type MessageKey, t } from '../i18n/messages.ts';
import { isAdminUser } from '../incoming.ts';
import type { CommandContext } from './command.ts';

/** Refuses politely unless the adapter said the caller is an admin of this channel. */
export async function requireAdmin(ctx: CommandContext, what: MessageKey, command: string): Promise<void> {
  if (await isAdminUser(ctx.incoming.who)) return;
  throw new UserError('error.adminOnly', { what: t(ctx.lang, what), command });
}
