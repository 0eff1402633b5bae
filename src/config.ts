import { isAbsolute, join } from 'node:path';
import { DEFAULT_GRACE_HOURS, DEFAULT_LANG, DEFAULT_TIME_ZONE } from './defaults.ts';
import { isLang, type Lang } from './i18n/messages.ts';

/** The bot's settings, parsed from an environment object handed in (the adapters' main hands in the process environment). */
export interface Config {
  catalogDir: string;
  /** An imported landscape snapshot to merge under the curated catalog, if the file exists. */
  landscapeFile: string;
  /** True when the landscape file was named explicitly, so its absence is an error rather than "not imported yet". */
  landscapeRequired: boolean;
  defaultLang: Lang;
  dataDir: string;
  /** IANA zone for schedules that name none. */
  defaultTimeZone: string;
  /** PostgreSQL connection string; the embedded SQLite file is used when absent. */
  databaseUrl: string | undefined;
  sqlitePath: string;
  /** How long start-up keeps retrying a PostgreSQL server it cannot reach before it gives up. */
  storeConnectMs: number;
  /** How late a missed lesson may still be posted after a restart. */
  graceMs: number;
  /** An imported quiz question set (CNCF landscape games), used when present. */
  gamesFile: string;
  /** The Slack app, when SLACK_BOT_TOKEN is set. */
  slack: SlackConfig | null;
  /** The Discord bot, when DISCORD_TOKEN is set. */
  discord: DiscordConfig | null;
  /** How the server process runs: its operator port, logs, reloads and shutdown. */
  ops: OpsConfig;
  /** The channels' shared pages (calendar feeds) in the server process. */
  pages: PagesConfig;
  /** The share of players answering right (0–1) a quiz round prefers its questions to have. */
  quizTarget: { low: number; high: number };
}

/** Where the server serves each channel's calendar feed, and the address members reach it at. */
export interface PagesConfig {
  /** The port of the pages; null when off (ORCH_WEB_PORT=off, or no ORCH_PUBLIC_URL and no port named). */
  port: number | null;
  /**
   * The address members open the pages at (https://orch.example.org, the proxy in front of the port), without a
   * trailing slash; null when not set: `/orch calendar` then tells the admin the operator must set it.
   */
  publicUrl: string | null;
}

/** The server process's operational settings. */
export interface OpsConfig {
  /** Port of /healthz, /readyz and /metrics; null turns the server off (ORCH_HEALTH_PORT=off). */
  healthPort: number | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Reload the catalog when its files change. */
  catalogWatch: boolean;
  /** Longest a graceful shutdown may take before the process exits anyway. */
  shutdownMs: number;
}

/** How the Discord bot connects. */
export interface DiscordConfig {
  token: string;
  applicationId: string;
  /** REST base (`…/api`), for a proxy or a test fake; Discord's own when null. */
  apiUrl: string | null;
  /** Register commands to this guild only (instant, for development); globally when null. */
  guildId: string | null;
  /** A fixed shard count: more than 1 runs discord.js's ShardingManager, one process per shard. */
  shards: number;
  /** Wait between two shards' starts: Discord allows one IDENTIFY per 5 s per rate-limit bucket. */
  shardSpawnDelayMs: number;
}

/** How the Slack adapter connects. */
export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** Socket Mode (the default: no public URL) or HTTP with request signing. */
  mode: 'socket' | 'http';
  appToken: string | null;
  port: number;
  /** The Web API base (GovSlack, a proxy, a test fake); Slack's own when null. */
  apiUrl: string | null;
  /** Member ids treated as admins besides workspace admins and owners. */
  adminUsers: string[];
  /**
   * Whether a post first reads the channel's recent history (or its thread) for an earlier attempt under the same
   * key (SLACK_HISTORY_CHECK). Off drops the channels:history / groups:history reads, which Slack rate-limits hard
   * for commercially distributed non-Marketplace apps since May 2025; on when absent.
   */
  historyCheck?: boolean;
}

/** Either a config, or every problem with the environment at once. */
export type ConfigLoad = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Documented variables, for .env.example and the problem messages. */
export const CONFIG_VARIABLES = {
  ORCH_CATALOG_DIR: 'folder of the curated catalog (default: ./catalog)',
  ORCH_DATA_DIR: 'folder for local data: the SQLite file, the imported landscape (default: ./data)',
  ORCH_LANDSCAPE_FILE: 'imported landscape snapshot (default: <data dir>/landscape.json, used when present)',
  ORCH_DEFAULT_LANG: `answer language when nothing else decides: ko or en (default: ${DEFAULT_LANG})`,
  ORCH_DEFAULT_TIMEZONE: `IANA time zone for schedules that name none (default: ${DEFAULT_TIME_ZONE})`,
  DATABASE_URL:
    'PostgreSQL connection string, e.g. postgres://user@host:5432/db (default: the embedded SQLite file)',
  ORCH_SQLITE_PATH: 'the SQLite file when DATABASE_URL is not set (default: <data dir>/orch.db)',
  ORCH_STORE_CONNECT_SECONDS:
    'how long start-up keeps retrying an unreachable PostgreSQL (not ready meanwhile) before it exits (default: 60)',
  ORCH_GRACE_HOURS: `how many hours late a lesson missed while the bot was down is still posted (default: ${DEFAULT_GRACE_HOURS})`,
  ORCH_GAMES_FILE: 'imported quiz question set (default: <data dir>/games.json, used when present)',
  SLACK_BOT_TOKEN: 'Slack bot token (xoxb-...); setting it enables the Slack app',
  SLACK_SIGNING_SECRET: 'Slack signing secret, checked on every HTTP request',
  SLACK_APP_TOKEN: 'Slack app-level token (xapp-...) for Socket Mode, the default',
  SLACK_MODE: 'socket (default) or http',
  PORT: 'HTTP port for SLACK_MODE=http (default: 3000)',
  SLACK_API_URL: 'Slack Web API base URL, e.g. for GovSlack or a proxy (default: https://slack.com/api/)',
  SLACK_ADMIN_USERS: 'comma-separated Slack member ids who may change schedules besides workspace admins',
  SLACK_HISTORY_CHECK:
    'on (default) or off: before a post, look in the recent history for an earlier attempt of it (needs channels:history, groups:history)',
  DISCORD_TOKEN: 'Discord bot token; setting it enables the Discord bot',
  DISCORD_APPLICATION_ID: 'Discord application id (for registering the /orch command)',
  DISCORD_API_URL: 'Discord REST base URL ending in /api, e.g. a REST proxy (default: Discord)',
  DISCORD_GUILD_ID: 'register /orch to this guild only (instant, for development) instead of globally',
  DISCORD_SHARDS:
    'fixed number of Discord gateway shards; more than 1 runs one process per shard and needs DATABASE_URL (default: 1)',
  DISCORD_SHARD_SPAWN_DELAY_MS:
    'milliseconds between two shard starts; Discord allows one IDENTIFY per 5 s per bucket (default: 5500)',
  ORCH_HEALTH_PORT: 'port of /healthz, /readyz and /metrics in the server process, or off (default: 8080)',
  ORCH_WEB_PORT:
    "port of the channels' calendar feeds in the server process, or off (default: 8090 when ORCH_PUBLIC_URL is set, else off)",
  ORCH_PUBLIC_URL:
    'the https address members reach ORCH_WEB_PORT at (your proxy), e.g. https://orch.example.org; /orch calendar links start with it',
  ORCH_QUIZ_TARGET:
    "the share of a channel's players answering right, in percent, that rounds prefer their questions to have (default: 60-80)",
  ORCH_LOG_LEVEL: 'fatal, error, warn, info, debug, trace or silent (default: info)',
  ORCH_CATALOG_WATCH: 'reload the catalog when its files change: on or off (default: on)',
  ORCH_SHUTDOWN_SECONDS: 'longest a graceful shutdown may take before the process exits anyway (default: 10)',
  ORCH_ENV_FILE: 'a dotenv file read at start-up; variables already set win (default: .env when present)',
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The server's operational settings; every problem is added to `problems`. */
function opsConfig(env: Readonly<Record<string, string | undefined>>, problems: string[]): OpsConfig {
  const value = (name: string) => env[name]?.trim() || undefined;
  const healthPort = portOrOff('ORCH_HEALTH_PORT', value('ORCH_HEALTH_PORT') ?? '8080', problems);
  const level = (value('ORCH_LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    problems.push(`ORCH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${level}"`);
  const watchText = (value('ORCH_CATALOG_WATCH') ?? 'on').toLowerCase();
  const watch = ['on', 'true', '1', 'yes'].includes(watchText);
  if (!watch && !['off', 'false', '0', 'no'].includes(watchText))
    problems.push(`ORCH_CATALOG_WATCH must be on or off, not "${watchText}"`);
  const shutdownText = value('ORCH_SHUTDOWN_SECONDS') ?? '10';
  const shutdownSeconds = Number(shutdownText);
  if (!Number.isFinite(shutdownSeconds) || shutdownSeconds < 1 || shutdownSeconds > 300)
    problems.push(`ORCH_SHUTDOWN_SECONDS must be a number of seconds from 1 to 300, not "${shutdownText}"`);
  return {
    healthPort,
    logLevel: (LOG_LEVELS as readonly string[]).includes(level) ? (level as OpsConfig['logLevel']) : 'info',
    catalogWatch: watch,
    shutdownMs: (Number.isFinite(shutdownSeconds) ? shutdownSeconds : 10) * 1000,
  };
}

/** A port variable: a number, or null for `off`; a problem otherwise. */
function portOrOff(name: string, text: string, problems: string[]): number | null {
  if (text.toLowerCase() === 'off') return null;
  const port = Number(text);
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  problems.push(`${name} must be a port number or off, not "${text}"`);
  return null;
}

/** The pages' port and public address. */
function pagesConfig(env: Readonly<Record<string, string | undefined>>, problems: string[]): PagesConfig {
  const value = (name: string) => env[name]?.trim() || undefined;
  const url = value('ORCH_PUBLIC_URL');
  // Without a public address nobody can be given a page's link, so the port stays closed unless it is asked for.
  const port = portOrOff('ORCH_WEB_PORT', value('ORCH_WEB_PORT') ?? (url ? '8090' : 'off'), problems);
  let publicUrl: string | null = null;
  if (url !== undefined) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (
      !parsed ||
      (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
      parsed.search ||
      parsed.hash
    )
      problems.push(
        `ORCH_PUBLIC_URL must be an http(s) address such as https://orch.example.org, not "${url}"`,
      );
    else publicUrl = `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  }
  return { port, publicUrl };
}

/** The Slack settings, or null without a bot token; problems name variables, never their secret values. */
function slackConfig(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): SlackConfig | null {
  const value = (name: string) => env[name]?.trim() || undefined;
  const botToken = value('SLACK_BOT_TOKEN');
  if (!botToken) return null;
  if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
  const mode = value('SLACK_MODE') ?? 'socket';
  if (mode !== 'socket' && mode !== 'http') problems.push(`SLACK_MODE must be socket or http, not "${mode}"`);
  const signingSecret = value('SLACK_SIGNING_SECRET');
  if (!signingSecret) problems.push('SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN');
  const appToken = value('SLACK_APP_TOKEN') ?? null;
  if (mode === 'socket' && !appToken)
    problems.push('SLACK_APP_TOKEN (xapp-...) is required for Socket Mode, or set SLACK_MODE=http');
  if (appToken && !appToken.startsWith('xapp-'))
    problems.push('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    problems.push(`PORT must be a port number, not "${portText}"`);
  const apiUrl = value('SLACK_API_URL') ?? null;
  if (apiUrl && !/^https?:\/\/\S+\/$/.test(apiUrl))
    problems.push('SLACK_API_URL must be an http(s) URL ending in /');
  const adminUsers = (value('SLACK_ADMIN_USERS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  const checkText = (value('SLACK_HISTORY_CHECK') ?? 'on').toLowerCase();
  const historyCheck = ['on', 'true', '1', 'yes'].includes(checkText);
  if (!historyCheck && !['off', 'false', '0', 'no'].includes(checkText))
    problems.push(`SLACK_HISTORY_CHECK must be on or off, not "${checkText}"`);
  return {
    botToken,
    signingSecret: signingSecret ?? '',
    mode: mode === 'http' ? 'http' : 'socket',
    appToken,
    port,
    apiUrl,
    adminUsers,
    historyCheck,
  };
}

/** The Discord settings, or null without a token. */
function discordConfig(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): DiscordConfig | null {
  const value = (name: string) => env[name]?.trim() || undefined;
  const token = value('DISCORD_TOKEN');
  if (!token) return null;
  const applicationId = value('DISCORD_APPLICATION_ID');
  if (!applicationId || !/^\d{5,25}$/.test(applicationId))
    problems.push('DISCORD_APPLICATION_ID must be the application id (digits) with DISCORD_TOKEN');
  const apiUrl = value('DISCORD_API_URL') ?? null;
  if (apiUrl && !/^https?:\/\/\S+\/api$/.test(apiUrl))
    problems.push('DISCORD_API_URL must be an http(s) URL ending in /api');
  const guildId = value('DISCORD_GUILD_ID') ?? null;
  if (guildId && !/^\d{5,25}$/.test(guildId)) problems.push('DISCORD_GUILD_ID must be a guild id (digits)');
  const shardsText = value('DISCORD_SHARDS') ?? '1';
  const shards = Number(shardsText);
  if (!Number.isInteger(shards) || shards < 1 || shards > 1024)
    problems.push(`DISCORD_SHARDS must be a whole number from 1 to 1024, not "${shardsText}"`);
  else if (shards > 1 && !value('DATABASE_URL'))
    problems.push(
      'DISCORD_SHARDS above 1 runs one process per shard, which must share DATABASE_URL (PostgreSQL)',
    );
  const delayText = value('DISCORD_SHARD_SPAWN_DELAY_MS') ?? '5500';
  const shardSpawnDelayMs = Number(delayText);
  if (!Number.isInteger(shardSpawnDelayMs) || shardSpawnDelayMs < 0 || shardSpawnDelayMs > 60_000)
    problems.push(`DISCORD_SHARD_SPAWN_DELAY_MS must be milliseconds from 0 to 60000, not "${delayText}"`);
  return {
    token,
    applicationId: applicationId ?? '',
    apiUrl,
    guildId,
    shards: Number.isInteger(shards) ? shards : 1,
    shardSpawnDelayMs,
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses the environment; `root` resolves relative paths (the project folder). */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, root: string): ConfigLoad {
  const problems: string[] = [];
  const path = (value: string): string => (isAbsolute(value) ? value : join(root, value));
  const nonEmpty = (name: keyof typeof CONFIG_VARIABLES): string | undefined => {
    const value = env[name];
    if (value === undefined) return undefined;
    if (value.trim() === '') {
      problems.push(`${name} is set but empty: ${CONFIG_VARIABLES[name]}`);
      return undefined;
    }
    return value.trim();
  };

  const lang = nonEmpty('ORCH_DEFAULT_LANG') ?? DEFAULT_LANG;
  if (!isLang(lang)) problems.push(`ORCH_DEFAULT_LANG must be ko or en, not "${lang}"`);
  const dataDir = path(nonEmpty('ORCH_DATA_DIR') ?? 'data');
  const landscape = nonEmpty('ORCH_LANDSCAPE_FILE');
  const timeZone = nonEmpty('ORCH_DEFAULT_TIMEZONE') ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone))
    problems.push(`ORCH_DEFAULT_TIMEZONE "${timeZone}" is not an IANA time zone such as Asia/Seoul`);
  const databaseUrl = nonEmpty('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const graceText = nonEmpty('ORCH_GRACE_HOURS') ?? String(DEFAULT_GRACE_HOURS);
  const graceHours = Number(graceText);
  if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > 168) {
    problems.push(`ORCH_GRACE_HOURS must be a number of hours from 0 to 168, not "${graceText}"`);
  }
  const connectText = nonEmpty('ORCH_STORE_CONNECT_SECONDS') ?? '60';
  const connectSeconds = Number(connectText);
  if (!Number.isFinite(connectSeconds) || connectSeconds < 0 || connectSeconds > 3600) {
    problems.push(
      `ORCH_STORE_CONNECT_SECONDS must be a number of seconds from 0 to 3600, not "${connectText}"`,
    );
  }
  const targetText = nonEmpty('ORCH_QUIZ_TARGET') ?? '60-80';
  const [, lowText, highText] = /^(\d{1,3})\s*-\s*(\d{1,3})$/.exec(targetText) ?? [];
  const quizTarget = { low: Number(lowText) / 100, high: Number(highText) / 100 };
  if (!lowText || !highText || !(quizTarget.low < quizTarget.high) || quizTarget.high > 1)
    problems.push(`ORCH_QUIZ_TARGET must be two percentages, low-high, such as 60-80, not "${targetText}"`);
  const sqlite = nonEmpty('ORCH_SQLITE_PATH');
  const games = nonEmpty('ORCH_GAMES_FILE');

  const slack = slackConfig(env, problems);
  const discord = discordConfig(env, problems);
  const ops = opsConfig(env, problems);
  const pages = pagesConfig(env, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      catalogDir: path(nonEmpty('ORCH_CATALOG_DIR') ?? 'catalog'),
      dataDir,
      landscapeFile: landscape ? path(landscape) : join(dataDir, 'landscape.json'),
      landscapeRequired: landscape !== undefined,
      defaultLang: isLang(lang) ? lang : DEFAULT_LANG,
      defaultTimeZone: timeZone,
      databaseUrl,
      sqlitePath: sqlite ? path(sqlite) : join(dataDir, 'orch.db'),
      storeConnectMs: connectSeconds * 1000,
      graceMs: graceHours * 3_600_000,
      gamesFile: games ? path(games) : join(dataDir, 'games.json'),
      slack,
      discord,
      ops,
      pages,
      quizTarget,
    },
  };
}
