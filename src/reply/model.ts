import type { MaturityLevel } from '../maturity.ts';

/** One visual element of a reply; each platform renders it natively and the console as plain text. */
export type Block =
  | { type: 'heading'; text: string }
  /** A small markdown subset: **bold**, _italic_, `code`, [label](https://url). */
  | { type: 'text'; text: string }
  /**
   * Label/value pairs. `maturity` marks the fields of one tool's card with its CNCF maturity (`none` outside the
   * CNCF), so a renderer can colour the card; the label and value already say it in words for everyone else.
   */
  | { type: 'fields'; fields: { label: string; value: string }[]; maturity?: MaturityLevel }
  /** Buttons that come back as a `choice` Incoming with the button's action id and value. */
  | { type: 'choices'; choices: Choice[] }
  /**
   * A menu of choices picked from a message (a Slack static select, a Discord string select, the console's numbered
   * list): a pick comes back as a `choice` Incoming, exactly as a button with that option's action id and value.
   * Options are in order of importance: a platform that holds fewer (Discord: 25) shows the first ones. Unlike a
   * form's select, it is answered at once, with no form around it.
   */
  | { type: 'select'; placeholder: string; options: SelectOption[] }
  /** Outbound links, rendered as link buttons where the platform has them. */
  | { type: 'links'; links: { label: string; url: string }[] }
  | { type: 'progress'; label: string; done: number; total: number }
  | { type: 'divider' }
  | { type: 'context'; text: string };

/** A button. */
export interface Choice {
  actionId: string;
  value: string;
  label: string;
  style?: 'primary' | 'danger';
}

/** One option of a message's select menu: a button's action and value, a label, and the group it is listed under. */
export interface SelectOption {
  actionId: string;
  value: string;
  label: string;
  /** A heading the option is listed under where the platform groups options (Slack option groups). */
  group?: string;
}

/** Where a message sits on its platform, so a later reply can replace it (a quiz reveal edits the question). */
export interface MessageRef {
  channelKey: string;
  messageId: string;
}

/**
 * The thread a post goes into: the one under the channel message `anchorId` (a quiz round's announcement, a
 * scheduled lesson). Slack replies under the message (thread_ts); Discord posts into the thread started from it,
 * whose id is the message's. Absent: the channel itself.
 */
export interface ThreadRef {
  anchorId: string;
}

/** Machine-readable facts about a query answer: what the console's --json prints and what tests assert. */
export interface ReplyMeta {
  intent: string;
  toolIds: string[];
  categoryId: string | null;
  suggestions: string[];
  /** Names asked about that the catalog does not hold. */
  missing?: string[];
  /** The glossary concept a `concept` answer explains. */
  conceptId?: string;
  lang: 'ko' | 'en';
}

/** One choice of a form's select field. */
export interface FormOption {
  value: string;
  label: string;
}

/**
 * One field of a form. `value` is what it holds now (the form opens filled in); `hint` says what it takes, in the
 * reader's language. A text field's value comes back as typed; a select's as the `value` of the option picked.
 */
export type FormField =
  | {
      kind: 'text';
      id: string;
      label: string;
      value: string;
      hint: string;
      placeholder?: string;
      maxLength: number;
    }
  | { kind: 'select'; id: string; label: string; value: string; hint: string; options: FormOption[] };

/**
 * A form to fill in (a Slack modal, a Discord modal). It comes back as a `submit` Incoming with the form's `id`,
 * its `state` (the core's own note, carried through the platform untouched) and the fields' values by field id.
 * Fields are in order of importance: a platform that holds fewer (Discord: 5) shows the first ones, and a field
 * that does not come back is left as it is.
 */
export interface Form {
  id: string;
  /** Opaque to adapters, at most 200 characters: what the core needs to read the submission (what was shown). */
  state: string;
  title: string;
  submitLabel: string;
  /** Read-only blocks shown above the fields where the platform can (the next posts); the reply's blocks say it too. */
  notes: Block[];
  /** Put above the reply's blocks when the platform refused to open the form (Slack's trigger expired). */
  fallbackNote: string;
  fields: FormField[];
}

/** What the core answers with; adapters render it and nothing else. */
export interface Reply {
  visibility: 'channel' | 'private';
  /**
   * What the reply says. With a `form`, the same as text: what a platform without forms (the console) shows, and
   * what a platform that failed to open the form falls back to.
   */
  blocks: Block[];
  /** A form to open for the member instead of showing the blocks, where the platform has forms. */
  form?: Form;
  replaces?: MessageRef;
  /** Post (or edit, with `replaces`) inside this thread of the channel rather than in the channel. */
  thread?: ThreadRef;
  meta?: ReplyMeta;
  /**
   * `home`: the member's personal view. A platform with a personal page shows it there (Slack publishes it as the
   * App Home); the others show it as the private reply it also is.
   */
  surface?: 'home';
  /**
   * A picture posted with the message (the weekly digest's card), uploaded through the platform's file API. The
   * blocks say everything it shows, for screen readers and for a platform that cannot post it.
   */
  image?: ReplyImage;
}

/** A PNG attached to a reply, with the text a screen reader reads for it. */
export interface ReplyImage {
  png: Uint8Array;
  /** The file's name as members see it (`orch-digest-2026-12-07.png`). */
  filename: string;
  /** Alt text (Slack's alt_txt, Discord's attachment description): at most 1,000 characters. */
  alt: string;
}

/** A reply of one text block: a confirmation the channel reads, or (`private`) one only the member who asked sees. */
export function textReply(text: string, visibility: Reply['visibility'] = 'channel'): Reply {
  return { visibility, blocks: [{ type: 'text', text }] };
}

/** A reply of one line of text that only the member who asked sees: a receipt, a refusal. */
export function privateText(text: string): Reply {
  return textReply(text, 'private');
}
