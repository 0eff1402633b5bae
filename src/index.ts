// The core's public surface: adapters import this module and nothing else from src.
export { quizAnswer } from './actions/quiz-answer.ts';
export { isKeptBeforeAck } from './actions/registry.ts';
export type { Bot } from './bot.ts';
export { compileCatalog, compiledCatalogPath, loadCatalog } from './catalog/compiled-catalog.ts';
export type { GamesSnapshot } from './catalog/games-snapshot.ts';
export { importLandscape, type LandscapeImport, type LandscapeSnapshot } from './catalog/landscape-import.ts';
export { type CatalogProblem, formatProblem } from './catalog/yaml-source.ts';
export { formatChannelKey, platformChannelOf } from './channel-key.ts';
export { COMMANDS, type Command } from './commands/index.ts';
export { MESSAGE_SHORTCUTS, type MessageShortcut } from './commands/message-shortcuts.ts';
export { type Config, type DiscordConfig, loadConfig, type SlackConfig } from './config.ts';
export { DEFAULT_LANG } from './defaults.ts';
export { formatDateTime } from './i18n/dates.ts';
export { type Lang, type MessageKey, SELF_NAME, t } from './i18n/messages.ts';
export { DIRECT_SPACE, type Incoming, langFromLocale, type Where, type Who } from './incoming.ts';
export { watchCatalog } from './ops/catalog-watch.ts';
export { withEnvFile } from './ops/env-file.ts';
export { type HealthServer, startHealthServer } from './ops/health-server.ts';
export { InFlight } from './ops/in-flight.ts';
export { createPinoLogger, type ProcessLogger } from './ops/logger.ts';
export { aggregatedMetricsText, createPrometheusMetrics, type PrometheusMetrics } from './ops/metrics.ts';
export { type PageServer, startPageServer } from './ops/page-server.ts';
export { routingPoster } from './ops/routing-poster.ts';
export type { PlatformConnection } from './platform-connection.ts';
export type { Clock, Logger, PostedMessage, Poster } from './ports.ts';
export { describeConfigProblems, describeRuntimeFailure, projectRootOf } from './process-support.ts';
export { importGames } from './quiz/games-import.ts';
export type { Timers } from './quiz/rounds.ts';
export {
  type Block,
  type Choice,
  type Form,
  type FormField,
  type FormOption,
  privateText,
  type Reply,
  type ReplyImage,
  type SelectOption,
  textReply,
} from './reply/model.ts';
export { choicesOf, markdownToPlain, progressBar, toPlainText } from './reply/plain-text.ts';
export { surrogateSafe, wordCut } from './reply/text-cut.ts';
export { createRuntime, type Runtime } from './runtime.ts';
export type { Store } from './store/store.ts';
