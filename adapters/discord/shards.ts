import { type Shard, ShardingManager } from 'discord.js';
import type { DiscordConfig, Logger, PlatformConnection } from '../../src/index.ts';
import { askShardMetrics } from './shard-metrics.ts';

/** What discord.js sets for a shard process: which shard it is, of how many, and the token. */
const SHARDING_VARIABLES = new Set([
  'SHARDING_MANAGER',
  'SHARDING_MANAGER_MODE',
  'SHARDS',
  'SHARD_COUNT',
  'DISCORD_TOKEN',
]);

/** How the manager starts a shard process. */
export interface ShardProcessOptions {
  /** The shard's entry file (the server's shard entry, from dist/ or from the sources). */
  file: string;
  /** Node flags for the shard processes (`--import tsx` when running from the sources). */
  execArgv: readonly string[];
  /** The environment each shard process starts with (the server's, without other platforms' secrets). */
  env: Readonly<Record<string, string | undefined>>;
  /** Wait between two shards' starts; Discord allows one IDENTIFY per 5 seconds per bucket (default 5.5 s). */
  spawnDelayMs?: number;
}

/**
 * Discord with a fixed shard count: discord.js's ShardingManager runs one process per shard, each a full bot on the
 * shared PostgreSQL store (its own core, its own gateway session for its guilds). This process only supervises:
 * it is ready when every shard is, respawns a shard that dies, and on drain asks each to shut down gracefully.
 */
export function discordShardsPlatform(options: {
  config: DiscordConfig;
  logger: Logger;
  shards: ShardProcessOptions;
}): PlatformConnection & {
  manager: ShardingManager;
  readyShards(): number;
  /** Every live shard's metrics (prom-client JSON), asked over the shard's IPC channel (shard-metrics.ts). */
  collectMetrics(): Promise<object[]>;
} {
  const { config, logger } = options;
  const manager = new ShardingManager(options.shards.file, {
    totalShards: config.shards,
    token: config.token,
    mode: 'process',
    respawn: true,
    execArgv: [...options.shards.execArgv],
  });
  const ready = new Set<number>();
  let stopping = false;
  manager.on('shardCreate', (shard: Shard) => {
    // Shard#env starts as this process's environment plus the sharding variables; the shard gets the server's
    // resolved environment instead (a test's, or one read from a dotenv file), keeping the sharding variables.
    const env = shard.env as Record<string, string | undefined>;
    for (const name of Object.keys(env))
      if (!SHARDING_VARIABLES.has(name) && !(name in options.shards.env)) delete env[name];
    for (const [name, value] of Object.entries(options.shards.env))
      if (value !== undefined && !SHARDING_VARIABLES.has(name)) env[name] = value;
    shard.on('ready', () => {
      ready.add(shard.id);
      logger.info({ shard: shard.id, of: config.shards }, 'discord shard ready');
    });
    shard.on('disconnect', () => ready.delete(shard.id));
    shard.on('reconnecting', () => ready.delete(shard.id));
    shard.on('resume', () => ready.add(shard.id));
    shard.on('death', (child) => {
      ready.delete(shard.id);
      if (!stopping)
        logger.error(
          { shard: shard.id, exitCode: (child as { exitCode?: number | null }).exitCode ?? null },
          'discord shard died; respawning',
        );
    });
  });

  const stopShards = async (): Promise<void> => {
    stopping = true;
    manager.respawn = false;
    // SIGTERM: each shard drains itself (closes its gateway, finishes interactions, writes answers) and exits.
    await Promise.all(
      [...manager.shards.values()].map(
        (shard) =>
          new Promise<void>((resolve) => {
            const child = shard.process;
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };

  return {
    name: 'discord',
    poster: null,
    manager,
    readyShards: () => ready.size,
    async collectMetrics() {
      const live = [...manager.shards.values()].filter((s) => s.process?.connected);
      const answers = await Promise.all(live.map(askShardMetrics));
      return answers.filter((a): a is object => a !== null);
    },
    // No bot here: each shard process builds its own core and bot.
    async start() {
      await manager.spawn({
        amount: config.shards,
        delay: options.shards.spawnDelayMs ?? 5_500,
        timeout: -1,
      });
    },
    connected: () => ready.size === config.shards,
    drain: stopShards,
    stop: stopShards,
  };
}
