import { DIRECT_SPACE, type Incoming } from '../../src/index.ts';
import { decodeCustomId } from './render.ts';

/** Manage Server (0x20) or Manage Channels (0x10): who may change a channel's schedule and language. */
const MANAGE_GUILD = 1n << 5n;
const MANAGE_CHANNELS = 1n << 4n;

/** True when the member's permission bits (a decimal string from Discord) include either manage permission. */
export function canManage(permissions: string | null | undefined): boolean {
  if (!permissions || !/^\d+$/.test(permissions)) return false;
  const bits = BigInt(permissions);
  return (bits & MANAGE_GUILD) !== 0n || (bits & MANAGE_CHANNELS) !== 0n;
}

/** What this adapter reads of an interaction; discord.js objects and raw payloads both fit. */
export interface InteractionFacts {
  guildId: string | null;
  /** The channel; for an interaction inside a thread, the channel the thread belongs to. */
  channelId: string | null;
  /** The thread the interaction came from, if any: its id is the message it was started from (the anchor). */
  threadId?: string | null;
  /** The non-ephemeral message holding a pressed button. */
  messageId?: string | null;
  userId: string;
  displayName: string;
  isBot: boolean;
  /** The member's permissions in the channel, as Discord sends them (computed by Discord, not by the client). */
  permissions: string | null;
  locale: string | null;
  receivedAt: Date;
}

function base(facts: InteractionFacts) {
  return {
    who: {
      platform: 'discord',
      userId: facts.userId,
      displayName: facts.displayName,
      isAdmin: canManage(facts.permissions),
      isBot: facts.isBot,
    },
    // Outside a guild (a DM with the app a member installed for themselves) there is no space: the core answers
    // the personal commands there and refuses the rest.
    where: {
      platform: 'discord',
      space: facts.guildId ?? DIRECT_SPACE,
      channel: facts.channelId ?? DIRECT_SPACE,
      ...(facts.threadId ? { thread: facts.threadId } : {}),
    },
    ...(facts.locale ? { locale: facts.locale } : {}),
    receivedAt: facts.receivedAt,
  };
}

/** Who and where of a submitted modal, for adapters/discord/form.ts. */
export function parseModalFacts(facts: InteractionFacts): ReturnType<typeof base> {
  return base(facts);
}

/** `/orch <subcommand> <options…>` as the line the core parses: the subcommand name, then the option values. */
export function parseSlashCommand(
  facts: InteractionFacts,
  subcommand: string,
  values: readonly string[],
): Incoming {
  const text = subcommand === 'ask' ? values.join(' ') : [subcommand, ...values].join(' ');
  return { kind: 'command', text, ...base(facts) };
}

/** A button press; null for buttons this bot did not make. */
export function parseButton(facts: InteractionFacts, customId: string): Incoming | null {
  const decoded = decodeCustomId(customId);
  if (!decoded) return null;
  return {
    kind: 'choice',
    actionId: decoded.actionId,
    value: decoded.value,
    ...(facts.messageId ? { messageId: facts.messageId } : {}),
    ...base(facts),
  };
}

/** Discord's thread channel types: announcement, public and private threads. */
const THREAD_TYPES = new Set([10, 11, 12]);

/**
 * The thread an interaction came from, read off its raw `channel` (which carries the type and the parent): the core
 * keys a thread's events by the channel it belongs to, so a press on a quiz question in a round's thread is a press in
 * the round's channel.
 */
export function threadOfRawChannel(channel: unknown): { threadId: string; parentId: string } | null {
  if (typeof channel !== 'object' || channel === null) return null;
  const { id, type, parent_id: parentId } = channel as { id?: unknown; type?: unknown; parent_id?: unknown };
  if (typeof id !== 'string' || typeof parentId !== 'string' || typeof type !== 'number') return null;
  return THREAD_TYPES.has(type) ? { threadId: id, parentId } : null;
}

/** A message context-menu command on a message: the core's shortcut id and the message's text. */
export function parseMessageShortcut(facts: InteractionFacts, shortcut: string, text: string): Incoming {
  return { kind: 'shortcut', shortcut, text, ...base(facts) };
}
