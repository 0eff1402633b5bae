import { fileURLToPath } from 'node:url';
import type {
  Bot,
  Clock,
  Config,
  PlatformConnection,
  ProcessLogger,
  PrometheusMetrics,
} from '../../src/index.ts';

/**
 * The platform connections for the tokens that are set, built but not started: the core is built next, posting
 * through them, and `startPlatforms` then hands each its bot. Each platform's SDK is loaded only when its token is
 * set: a Slack-only replica never loads discord.js.
 */
export async function connectPlatforms(
  config: Config,
  context: {
    /** The resolved environment (process over dotenv file), handed on to shard processes. */
    env: Readonly<Record<string, string | undefined>>;
    logger: ProcessLogger;
    metrics: PrometheusMetrics;
    clock?: Clock;
    /** A platform that cannot go on (its token revoked) reports it here. */
    onFatal: (reason: string) => void;
  },
): Promise<PlatformConnection[]> {
  const { logger, clock } = context;
  const platforms: PlatformConnection[] = [];
  if (config.slack) {
    const { slackPlatform } = await import('../slack/platform.ts');
    platforms.push(
      slackPlatform({
        config: config.slack,
        logger: logger.child({ platform: 'slack' }),
        ...(clock ? { now: () => clock.now() } : {}),
      }),
    );
  }
  if (config.discord) {
    const discord = await import('../discord/platform.ts');
    platforms.push(
      config.discord.shards > 1
        ? discord.discordShardsPlatform({
            config: config.discord,
            logger: logger.child({ platform: 'discord' }),
            shards: { ...shardProcess(context.env), spawnDelayMs: config.discord.shardSpawnDelayMs },
          })
        : discord.discordPlatform({
            config: config.discord,
            logger: logger.child({ platform: 'discord' }),
            onFatal: context.onFatal,
            shardMetrics: { env: context.env, read: () => context.metrics.registry.getMetricsAsJSON() },
          }),
    );
  }
  return platforms;
}

/**
 * Starts every platform with the core's bot, one after another. When one fails, all are stopped again and the
 * failure is thrown: the process does not serve half its platforms.
 */
export async function startPlatforms(
  platforms: readonly PlatformConnection[],
  bot: Bot,
  context: { logger: ProcessLogger; metrics: PrometheusMetrics },
): Promise<void> {
  try {
    for (const platform of platforms) {
      await platform.start(bot);
      context.metrics.setConnected(platform.name, true);
    }
  } catch (error) {
    context.logger.error({ err: error }, 'a platform failed to start');
    for (const platform of platforms) await platform.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * How a shard process starts: the shard entry beside this file (dist/ or the sources, whichever is running), with
 * the server's environment minus Slack (this process serves Slack) and minus the shard count (a shard is one bot).
 * Shards have no operator port of their own: this process's /readyz reports them.
 */
function shardProcess(env: Readonly<Record<string, string | undefined>>) {
  const fromSources = import.meta.url.endsWith('.ts');
  const shardEnv: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (!name.startsWith('SLACK_')) shardEnv[name] = value;
  shardEnv.DISCORD_SHARDS = '1';
  shardEnv.ORCH_HEALTH_PORT = 'off';
  return {
    file: fileURLToPath(new URL(`./shard.${fromSources ? 'ts' : 'js'}`, import.meta.url)),
    execArgv: fromSources ? ['--import', 'tsx'] : [],
    env: shardEnv,
  };
}
