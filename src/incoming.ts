import type { Lang } from './i18n/messages.ts';

/** Who sent an event, as the adapter knows them. */
export interface Who {
  platform: string;
  userId: string;
  displayName: string;
  /** The adapter decides: Slack workspace admins, Discord Manage Server, the console user. */
  isAdmin: boolean;
  /**
   * When finding out costs a platform call (Slack's users.info), the adapter passes false above and this check,
   * which the core runs only for the few commands that need an admin.
   */
  checkAdmin?: () => Promise<boolean>;
  isBot?: boolean;
}

/**
 * The space of an event outside any workspace or guild: a direct message to a user-installed Discord app. Only the
 * member's personal commands answer there, and they read the member's study across every space of the platform.
 */
export const DIRECT_SPACE = 'dm';

/** Where an event happened. */
export interface Where {
  platform: string;
  /** Slack team id, Discord guild id (DIRECT_SPACE outside any guild), "local" for the console. */
  space: string;
  /** The channel; for an event inside a thread, the channel the thread belongs to. */
  channel: string;
  /** The thread's anchor (the channel message it hangs under) when the event came from inside a thread. */
  thread?: string;
}

interface IncomingBase {
  who: Who;
  where: Where;
  /** The user's locale when the platform says (Discord), used when nothing else decides the language. */
  locale?: string;
  receivedAt: Date;
  /**
   * Set by an adapter that can tell: resolves once this event's replies were delivered. Work a reply announces
   * (the quiz reveal a receipt promises) waits for it, so the member reads the reply first.
   */
  delivered?: Promise<void>;
}

/** A platform event turned neutral: a typed command, a button press or a submitted form. */
export type Incoming =
  | (IncomingBase & { kind: 'command'; text: string })
  | (IncomingBase & {
      kind: 'choice';
      actionId: string;
      value: string;
      /** The posted message holding the pressed button, when the platform says (a lesson's "quiz me" threads under it). */
      messageId?: string;
    })
  | (IncomingBase & {
      kind: 'submit';
      /** The form's id, as the core made it (`settings`). */
      formId: string;
      /** The form's `state`, as the core made it; the platform carried it (Slack private_metadata, a Discord custom id). */
      state: string;
      /** Every field that came back, by field id: a text as typed, a select as its option's value. */
      values: Record<string, string>;
    })
  /** The member opened their personal page (Slack's App Home): answered with their personal view. */
  | (IncomingBase & { kind: 'home' })
  /**
   * The member ran a shortcut on a posted message (a Slack message shortcut, a Discord message context-menu command):
   * the shortcut's id (src/commands/message-shortcuts.ts) and the message's text, as the platform sent it.
   */
  | (IncomingBase & { kind: 'shortcut'; shortcut: string; text: string });

/** Picks a supported language out of a platform locale such as "ko", "ko-KR" or "en-US". */
export function langFromLocale(locale: string | undefined): Lang | null {
  if (!locale) return null;
  const base = locale.toLowerCase().split(/[-_]/)[0];
  return base === 'ko' || base === 'en' ? base : null;
}

/** Whether the sender may change channel settings, asking the platform only if the adapter deferred it. */
export async function isAdminUser(who: Who): Promise<boolean> {
  return who.isAdmin || ((await who.checkAdmin?.()) ?? false);
}
