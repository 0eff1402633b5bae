// What tests need of the core beyond what the adapters use (src/index.ts): building a bot or a scheduler by hand,
// the store and catalog types a test reads back, the doubles. Adapters never import this file
// (tests/architecture.test.ts).
export { type BotOptions, createBot, MAX_INPUT_LENGTH, parseLine } from './bot.ts';
export { type CatalogOrigin, loadCompiledCatalog } from './catalog/compiled-catalog.ts';
export type { Catalog, Category, LandscapeTool, Tool } from './catalog/model.ts';
export { findCommand } from './commands/index.ts';
export { CONFIG_VARIABLES } from './config.ts';
export { UserError } from './errors.ts';
export { formatDuration } from './i18n/dates.ts';
export { LANGS } from './i18n/messages.ts';
export { calendarFeed } from './lessons/calendar-feed.ts';
export { comingLessons } from './lessons/coming-lessons.ts';
export { type FireStep, LessonScheduler, type TickReport } from './lessons/scheduler.ts';
export { maskSecrets } from './ops/logger.ts';
export { type CatalogReloadOutcome, noMetrics, silentLogger } from './ports.ts';
export { QueryEngine, type QueryResult } from './query/engine.ts';
export { openStore } from './store/open-store.ts';
export type {
  ChannelSettings,
  LeaderboardRow,
  LedgerEntry,
  QuizAnswer,
  QuizRound,
  Store,
} from './store/store.ts';
