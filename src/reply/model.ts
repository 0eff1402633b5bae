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

/** Where a message sits on its platform, so a later reply can replace it (a quiz reveal edits the question). */
export interface MessageRef {
  channelKey: string;
  messageId: string;
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

/** What the core answers with; adapters render it and nothing else. */
export interface Reply {
  visibility: 'channel' | 'private';
  blocks: Block[];
  replaces?: MessageRef;
  meta?: ReplyMeta;
  /**
   * `home`: the member's personal view. A platform with a personal page shows it there (Slack publishes it as the
   * App Home); the others show it as the private reply it also is.
   */
  surface?: 'home';
}

/** A reply of one text block: a confirmation the channel reads, or (`private`) one only the member who asked sees. */
export function textReply(text: string, visibility: Reply['visibility'] = 'channel'): Reply {
  return { visibility, blocks: [{ type: 'text', text }] };
}

/** A reply of one line of text that only the member who asked sees: a receipt, a refusal. */
export function privateText(text: string): Reply {
  return textReply(text, 'private');
}
