import type { Catalog, LocalText } from '../catalog/model.ts';
import type { Lang } from '../i18n/messages.ts';
import type { Incoming } from '../incoming.ts';
import type { CatalogReloadOutcome, Clock } from '../ports.ts';
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
  /** Reads the catalog files again (the server process); absent where the process cannot reload. */
  reloadCatalog?: () => Promise<CatalogReloadOutcome>;
}

/** One typed option of a command; Discord builds its slash-command options from these. */
export interface CommandOption {
  name: string;
  description: LocalText;
  required: boolean;
  /** Offer tool names as the user types (Discord autocomplete). */
  autocomplete?: 'tool';
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
  description: LocalText;
  options: readonly CommandOption[];
  run(ctx: CommandContext, rest: string): Reply[] | Promise<Reply[]>;
}
