// The core's public surface: adapters import this module and nothing else from src.
export { type Bot, type BotAnswer, type BotOptions, createBot, MAX_INPUT_LENGTH, parseLine } from './bot.ts';
export type { CatalogLoad } from './catalog/assemble.ts';
export {
  type CatalogCompile,
  type CatalogOrigin,
  compileCatalog,
  compiledCatalogPath,
  loadCatalog,
  loadCompiledCatalog,
} from './catalog/compiled-catalog.ts';
export {
  importLandscape,
  type LandscapeImport,
  type LandscapeSnapshot,
} from './catalog/landscape-import.ts';
export type { Catalog, Category, LandscapeTool, Tool } from './catalog/model.ts';
export { loadConfiguredCatalog } from './catalog/sources.ts';
export { type CatalogProblem, formatProblem } from './catalog/yaml-source.ts';
export {
  COMMANDS,
  type Command,
  type CommandData,
  type CommandHelp,
  type CommandOption,
  findCommand,
  HELP_GROUPS,
  type HelpGroup,
} from './commands/index.ts';
export {
  CONFIG_VARIABLES,
  type Config,
  type ConfigLoad,
  type DiscordConfig,
  loadConfig,
  type OpsConfig,
  type SlackConfig,
} from './config.ts';
export { UserError } from './errors.ts';
export { formatDateTime, formatDuration } from './i18n/dates.ts';
export {
  displayNameIn,
  isLang,
  LANGS,
  type Lang,
  type MessageKey,
  SELF_NAME,
  t,
} from './i18n/messages.ts';
export { channelKey, type Incoming, langFromLocale, type Where, type Who } from './incoming.ts';
export { storeRunCoordinator } from './lessons/run-coordinator.ts';
export {
  type FireStep,
  LessonScheduler,
  lessonPostKey,
  type SchedulerOptions,
  type TickReport,
} from './lessons/scheduler.ts';
export { watchCatalog } from './ops/catalog-watch.ts';
export { withEnvFile } from './ops/env-file.ts';
export { type HealthServer, type ReadinessCheck, startHealthServer } from './ops/health-server.ts';
export { InFlight } from './ops/in-flight.ts';
export { createPinoLogger, maskSecrets, type ProcessLogger } from './ops/logger.ts';
export { aggregatedMetricsText, createPrometheusMetrics, type PrometheusMetrics } from './ops/metrics.ts';
export { routingPoster } from './ops/routing-poster.ts';
export {
  type CatalogReloadOutcome,
  type Clock,
  type Logger,
  type Metrics,
  noMetrics,
  type PlatformConnection,
  type PostedMessage,
  type Poster,
  silentLogger,
  systemClock,
} from './ports.ts';
export {
  describeConfigProblems,
  describeRuntimeFailure,
  projectRootOf,
} from './process-support.ts';
export { type Intent, QueryEngine, type QueryResult } from './query/engine.ts';
export { type GamesSnapshot, importGames } from './quiz/games-import.ts';
export { QUIZ_ANSWER_ACTION } from './quiz/quiz-replies.ts';
export type { Timers } from './quiz/rounds.ts';
export type { Block, Choice, MessageRef, Reply, ReplyMeta } from './reply/model.ts';
export { choicesOf, progressBar, toPlainText } from './reply/plain-text.ts';
export { surrogateSafe, wordCut } from './reply/text-cut.ts';
export { createRuntime, type Runtime, type RuntimeFailure } from './runtime.ts';
export { openStore } from './store/open-store.ts';
export type {
  ChannelSettings,
  LeaderboardRow,
  LedgerEntry,
  QuizAnswer,
  QuizRound,
  Store,
} from './store/store.ts';
