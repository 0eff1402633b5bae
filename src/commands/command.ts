import type { Catalog, LocalText } from '../catalog/model.ts';
import type { Lang } from '../i18n/messages.ts';
import type { Incoming } from '../incoming.ts';
import type { CatalogReloadOutcome, Clock, Poster } from '../ports.ts';
import type { QueryEngine } from '../query/engine.ts';
import type { QuestionBank } from '../quiz/bank.ts';
import type { QuizService } from '../quiz/rounds.ts';
import type { Reply } from '../reply/model.ts';
import type { ChannelSettings, Store } from '../store/store.ts';

/** Everything a command may use; built once per dispatch by the bot. */
export interface CommandContext {
  incoming: Incoming;
  lang: Lang;
  catalog: Catalog;
  engine: QueryEngine;
  store: Store;
  clock: Clock;
  channelKey: string;
  /** The channel's stored settings, or null for a channel the bot has not seen configured. */
  channel: ChannelSettings | null;
  /** The zone a schedule uses when the admin names none. */
  defaultTimeZone: string;
  quiz: QuizService;
  bank: QuestionBank;
  /** Every command, for the help card. */
  commands: readonly Command[];
  /** Posts outside the reply (a "Done" receipt in a lesson's thread); the one the scheduler and quiz rounds use. */
  poster?: Poster;
  /** Reads the catalog files again (the server process); absent where the process cannot reload. */
  reloadCatalog?: () => Promise<CatalogReloadOutcome>;
  /** The channels' pages, when this process serves them (the server); absent in the console. */
  pages?: PagesAddress;
}

/** Where this process serves the channels' pages (calendar feeds). */
export interface PagesAddress {
  /** The address members open them at (ORCH_PUBLIC_URL, no trailing slash), or null when the operator set none. */
  publicUrl: string | null;
}

/** One typed option of a command; Discord builds its slash-command options from these. */
export interface CommandOption {
  name: string;
  description: LocalText;
  required: boolean;
  /**
   * What to offer as the user types (Discord autocomplete; src/commands/suggestions.ts): tool names (and concepts),
   * quiz topics that resolve to a round, lessons by number and title, or a schedule (examples, holiday countries, the
   * time zone a rule ends with).
   */
  autocomplete?: 'tool' | 'quizTopic' | 'lesson' | 'scheduleRule';
  /** A fixed list to pick from: `commands` offers every command's name (the topic of `help`). */
  choices?: 'commands';
}

/** The sections of the help card, in the order it shows them. */
export const HELP_GROUPS = ['lookup', 'study', 'quiz', 'settings'] as const;
export type HelpGroup = (typeof HELP_GROUPS)[number];

/** One form of a command: what to type (code, may differ by language) and what it does. */
export interface SyntaxLine {
  usage: LocalText;
  what: LocalText;
}

/**
 * What the help card and `help <command>` say about a command. It lives on the command, so a new command cannot
 * be missing from the card; `description` is its one-line summary.
 */
export interface CommandHelp {
  group: HelpGroup;
  /** One real line that works as typed (the card's example; tests run every one). */
  example: LocalText;
  /** Every form of the command, with its arguments and their ranges. */
  syntax: readonly SyntaxLine[];
  /** Who may use which form; absent when everyone may use all of it. */
  admin?: LocalText;
}

/** Facts about an answer that a script needs (the console's `ask --json`), beside the replies people read. */
export type CommandData = Record<string, unknown>;

/** A command's answer: the replies, optionally with `data` for scripts. */
export interface CommandAnswer {
  replies: Reply[];
  data: CommandData;
}

/** A command: its names, help text, options and what it does with the rest of the line. */
export interface Command {
  name: string;
  /** Other words that select it, in either language ("도움말" for help). */
  aliases: readonly string[];
  /**
   * True when the replies depend only on the catalog, the language and the text (a lookup): the bot may then answer
   * a repeated question from its reply cache, which a reload empties.
   */
  lookup?: boolean;
  /**
   * True when the command reads only the member's own study or the catalog, so it answers outside any channel too:
   * a direct message to a user-installed app (DIRECT_SPACE), where the others are refused.
   */
  personal?: boolean;
  /** The one-line summary, on the help card and in Discord's command list. */
  description: LocalText;
  help: CommandHelp;
  options: readonly CommandOption[];
  run(ctx: CommandContext, rest: string): Reply[] | CommandAnswer | Promise<Reply[] | CommandAnswer>;
}
