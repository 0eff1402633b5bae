import type { Incoming } from '../../src/index.ts';
import { decodeActionValue } from './render.ts';

/** The fields of a slash command this adapter reads. */
export interface SlashCommandBody {
  team_id: string;
  channel_id: string;
  user_id: string;
  user_name: string;
  text: string;
}

/** The fields of a block_actions payload this adapter reads. */
export interface BlockActionBody {
  user: { id: string; username?: string; name?: string; team_id?: string };
  team?: { id: string } | null;
  channel?: { id: string };
  /** `view` with the view's id for a button on a Home tab (which has no channel), `message` otherwise. */
  container?: {
    type?: string;
    channel_id?: string;
    message_ts?: string;
    is_ephemeral?: boolean;
    view_id?: string;
  };
  /** The message holding the button; absent for an ephemeral one. `thread_ts` names its thread's parent. */
  message?: { ts?: string; thread_ts?: string };
  view?: { type?: string };
  /** A button's `value`; a static select's pick in `selected_option.value` (same encoding as a button's value). */
  actions: { action_id: string; value?: string; selected_option?: { value?: string } | null }[];
}

/** The fields of an app_home_opened event this adapter reads. */
export interface HomeOpenedEvent {
  user: string;
  /** The member's direct-message channel with the app. */
  channel: string;
  tab?: string;
}

/**
 * The channel a press on the Home tab is filed under: the Home has none, and the buttons on it name the channel
 * they act on themselves. Its private answers go to the member's direct messages (see app.ts).
 */
export const HOME_CHANNEL = 'home';

/** True for a press on the member's Home tab rather than on a message. */
export function isHomePress(body: BlockActionBody): boolean {
  return body.container?.type === 'view' && body.view?.type === 'home';
}

/** The fields of an app_mention event this adapter reads. */
export interface MentionEvent {
  user?: string;
  bot_id?: string;
  text: string;
  channel: string;
  team?: string;
  ts?: string;
  /** The thread's parent when the mention was a reply in a thread. */
  thread_ts?: string;
}

/** A reply's thread parent: a message with a thread_ts other than its own ts sits inside that thread. */
function threadOf(ts: string | undefined, threadTs: string | undefined): { thread?: string } {
  return threadTs && threadTs !== ts ? { thread: threadTs } : {};
}

const where = (team: string, channel: string, thread: { thread?: string } = {}) => ({
  platform: 'slack',
  space: team,
  channel,
  ...thread,
});

/** `/orch <text>` as the core sees it. */
export function parseSlashCommand(body: SlashCommandBody, isAdmin: boolean, now: Date): Incoming {
  return {
    kind: 'command',
    text: body.text,
    who: { platform: 'slack', userId: body.user_id, displayName: body.user_name, isAdmin },
    where: where(body.team_id, body.channel_id),
    receivedAt: now,
  };
}

/** A button press; null for buttons that carry no core action (link buttons). */
export function parseBlockAction(body: BlockActionBody, isAdmin: boolean, now: Date): Incoming | null {
  const action = body.actions[0];
  const pressed = action?.value ?? action?.selected_option?.value;
  const decoded = pressed ? decodeActionValue(pressed) : null;
  const channel =
    body.channel?.id ?? body.container?.channel_id ?? (isHomePress(body) ? HOME_CHANNEL : undefined);
  const team = body.team?.id ?? body.user.team_id;
  if (!decoded || !channel || !team) return null;
  // An ephemeral message cannot hold a thread, so only a message the channel sees is named.
  const messageId = body.container?.is_ephemeral
    ? undefined
    : (body.message?.ts ?? body.container?.message_ts);
  return {
    kind: 'choice',
    actionId: decoded.actionId,
    value: decoded.value,
    ...(messageId ? { messageId } : {}),
    who: {
      platform: 'slack',
      userId: body.user.id,
      displayName: body.user.username ?? body.user.name ?? body.user.id,
      isAdmin,
    },
    where: where(team, channel, threadOf(body.message?.ts, body.message?.thread_ts)),
    receivedAt: now,
  };
}

/** The member opened the app's Home tab: the core answers with their personal view, published there. */
export function parseHomeOpened(event: HomeOpenedEvent, team: string, isAdmin: boolean, now: Date): Incoming {
  return {
    kind: 'home',
    who: { platform: 'slack', userId: event.user, displayName: event.user, isAdmin },
    where: where(team, event.channel),
    receivedAt: now,
  };
}

/** `@orch <question>`: the mention markup is left for the core's normaliser, which strips it. */
export function parseMention(event: MentionEvent, team: string, isAdmin: boolean, now: Date): Incoming {
  return {
    kind: 'command',
    text: event.text,
    who: {
      platform: 'slack',
      userId: event.user ?? 'unknown',
      displayName: event.user ?? 'unknown',
      isAdmin,
      isBot: event.bot_id !== undefined,
    },
    where: where(event.team ?? team, event.channel, threadOf(event.ts, event.thread_ts)),
    receivedAt: now,
  };
}

/** A message shortcut's callback id is this prefix and the core's shortcut id (adapters/slack/manifest.yaml). */
export const SHORTCUT_CALLBACK_PREFIX = 'orch.';

/** The fields of a message shortcut (`message_action`) this adapter reads. */
export interface MessageShortcutBody {
  callback_id: string;
  team?: { id?: string } | null;
  user: { id: string; username?: string; name?: string; team_id?: string };
  channel?: { id?: string };
  message?: { text?: string };
}

/** A message shortcut as the core sees it; null for a callback id that is not one of ours, or no channel. */
export function parseMessageShortcut(
  body: MessageShortcutBody,
  isAdmin: boolean,
  now: Date,
): Incoming | null {
  if (!body.callback_id.startsWith(SHORTCUT_CALLBACK_PREFIX)) return null;
  const team = body.team?.id ?? body.user.team_id;
  const channel = body.channel?.id;
  if (!team || !channel) return null;
  return {
    kind: 'shortcut',
    shortcut: body.callback_id.slice(SHORTCUT_CALLBACK_PREFIX.length),
    text: body.message?.text ?? '',
    who: {
      platform: 'slack',
      userId: body.user.id,
      displayName: body.user.username ?? body.user.name ?? body.user.id,
      isAdmin,
    },
    where: where(team, channel),
    receivedAt: now,
  };
}
