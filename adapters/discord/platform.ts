import { type Client, GatewayCloseCodes, Routes } from 'discord.js';
import {
  type Bot,
  type DiscordConfig,
  InFlight,
  type Logger,
  type PlatformConnection,
} from '../../src/index.ts';
import { createDiscordApp } from './app.ts';
import { DiscordPoster } from './poster.ts';
import { answerShardMetrics } from './shard-metrics.ts';

/** Discord sends HELLO as soon as the socket opens; this long without it, the gateway (or a proxy) is broken. */
const HELLO_TIMEOUT_MS = 10_000;

const TOKEN_REJECTED =
  'Discord rejected the bot token (401 Unauthorized): DISCORD_TOKEN is wrong or was reset; put the current token from the Developer Portal (Bot > Reset Token) in DISCORD_TOKEN and restart';

/** What to do about each close after which discord.js gives up on the gateway for good. */
const FATAL_CLOSES: Record<number, string> = {
  [GatewayCloseCodes.AuthenticationFailed]:
    'Discord closed the gateway with 4004 (authentication failed): DISCORD_TOKEN is not a valid bot token; put the current token from the Developer Portal (Bot > Reset Token) in DISCORD_TOKEN and restart',
  [GatewayCloseCodes.DisallowedIntents]:
    'Discord closed the gateway with 4014 (disallowed intents): orch needs only the Guilds intent, which is not privileged; no privileged intent has to be enabled in the Developer Portal, so check that this build asks for Guilds alone',
  [GatewayCloseCodes.InvalidIntents]:
    'Discord closed the gateway with 4013 (invalid intents): orch needs only the Guilds intent',
  [GatewayCloseCodes.InvalidShard]:
    'Discord closed the gateway with 4010 (invalid shard): check DISCORD_SHARDS',
  [GatewayCloseCodes.ShardingRequired]:
    'Discord closed the gateway with 4011 (sharding required): the bot is in too many guilds for one session; set DISCORD_SHARDS',
  [GatewayCloseCodes.InvalidAPIVersion]:
    'Discord closed the gateway with 4012 (invalid API version): update discord.js',
};

/** The @discordjs/ws manager behind the client (private in the typings); it tells when a shard got HELLO. */
interface GatewayManager {
  on(event: 'hello', listener: () => void): void;
  strategy?: { shards?: Map<number, { emit(event: 'closed', payload: { code: number }): void }> };
}

/**
 * Discord as the server process runs it: connected while the gateway session is ready. Draining closes the gateway
 * (no new interactions arrive) and waits for the interactions already taken, answers included; REST keeps its
 * token until `stop`, so the scheduler's last posts still go out.
 *
 * A condition that no retry can fix (the token rejected by REST or by the gateway, intents refused) is logged with
 * what to do, makes the connection not ready, and is reported to `onFatal`, so that the process exits and its
 * orchestrator can act instead of a connected bot answering nothing.
 */
export function discordPlatform(options: {
  config: DiscordConfig;
  logger: Logger;
  /** Called once when the platform cannot go on; the server then shuts down with a non-zero exit. */
  onFatal?: (reason: string) => void;
  /**
   * This process's own metrics (prom-client JSON) and its environment: when the environment says the process is
   * one of a ShardingManager's shards, the metrics answer the supervisor's requests while the platform runs.
   */
  shardMetrics?: { env: Readonly<Record<string, string | undefined>>; read: () => Promise<object> };
  /** How long start-up waits for the gateway's HELLO before it fails (default 10 s). */
  helloTimeoutMs?: number;
}): PlatformConnection & { client: Client } {
  const { config, logger } = options;
  const inFlight = new InFlight();
  const { client, attach } = createDiscordApp({
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    logger,
    inFlight,
  });
  client.rest.setToken(config.token);

  let fatal: string | null = null;
  const fail = (reason: string, fields: Record<string, unknown> = {}): void => {
    if (fatal !== null) return;
    fatal = reason;
    logger.error(fields, reason);
    options.onFatal?.(reason);
  };

  // A 401 on a call made with the bot token means the token is gone. Interaction callbacks carry the interaction's
  // own token instead, so a 401 there is checked with one call that carries the bot token.
  let checking = false;
  const checkToken = async (): Promise<void> => {
    if (checking || fatal !== null) return;
    checking = true;
    // A 401 here reaches the response listener below; any other outcome says nothing about the token.
    await client.rest.get(Routes.user('@me')).catch(() => undefined);
    checking = false;
  };
  client.rest.on('response', (request, response) => {
    if (response.status !== 401) return;
    if (request.data.auth === false) void checkToken();
    else fail(TOKEN_REJECTED, { status: 401, route: request.route });
  });
  client.on('shardDisconnect', (event, shard) => {
    fail(
      FATAL_CLOSES[event.code] ??
        `Discord closed the gateway with ${event.code} and it cannot be resumed; restart after fixing the cause`,
      { closeCode: event.code, shard },
    );
  });

  let stopped: Promise<void> | undefined;
  let stopAnswering: (() => void) | null = null;
  return {
    name: 'discord',
    client,
    poster: new DiscordPoster(client.rest),
    async start(bot: Bot) {
      attach(bot);
      if (options.shardMetrics)
        stopAnswering = answerShardMetrics(options.shardMetrics.env, options.shardMetrics.read);
      const helloTimeoutMs = options.helloTimeoutMs ?? HELLO_TIMEOUT_MS;
      const login = client.login(config.token);
      // Without HELLO, discord.js waits 60 s, reconnects and waits again, forever, and start-up never ends.
      let timer: NodeJS.Timeout | undefined;
      const silent = new Promise<'silent'>((resolve) => {
        timer = setTimeout(() => resolve('silent'), helloTimeoutMs);
      });
      const manager = (client.ws as unknown as { _ws: GatewayManager | null })._ws;
      const hello = new Promise<'hello'>((resolve) => {
        manager?.on('hello', () => resolve('hello'));
      });
      try {
        const first = await Promise.race([login.then(() => 'ready' as const), hello, silent]);
        if (first === 'silent') {
          login.catch(() => undefined);
          fail(
            `The Discord gateway sent no HELLO within ${helloTimeoutMs} ms of start-up (gateway: ${client.ws.gateway ?? 'not reached'}); check DISCORD_API_URL, proxies and Discord's status`,
            { helloTimeoutMs },
          );
          // Destroying a shard that waits for HELLO makes @discordjs/ws reconnect and hang the destroy (the wait's
          // abort starts a second destroy, which takes over the socket's close handler). Ending the wait as if the
          // socket had closed first lets the destroy below close it once, for good.
          for (const shard of manager?.strategy?.shards?.values() ?? []) shard.emit('closed', { code: 1000 });
          await client.destroy();
        } else await login;
      } catch (error) {
        // A fatal close or a rejected token was logged with what to do; that is the reason start-up failed.
        throw fatal !== null ? new Error(fatal, { cause: error }) : error;
      } finally {
        clearTimeout(timer);
      }
      if (fatal !== null) throw new Error(fatal);
    },
    connected() {
      return fatal === null && client.isReady();
    },
    async drain() {
      // Private in the typings, public in the code: the gateway alone is closed, REST stays usable.
      await (client.ws as unknown as { destroy(): Promise<void> }).destroy();
      await inFlight.idle();
    },
    async stop() {
      await this.drain();
      stopAnswering?.();
      stopAnswering = null;
      stopped ??= client.destroy();
      await stopped;
    },
  };
}
export { discordShardsPlatform } from './shards.ts';
