import type { Client } from 'discord.js';
import {
  type Bot,
  type DiscordConfig,
  InFlight,
  type Logger,
  type PlatformConnection,
} from '../../src/index.ts';
import { createDiscordApp } from './app.ts';
import { DiscordPoster } from './poster.ts';

/**
 * Discord as the server process runs it: connected while the gateway session is ready. Draining closes the gateway
 * (no new interactions arrive) and waits for the interactions already taken, answers included; REST keeps its
 * token until `stop`, so the scheduler's last posts still go out.
 */
export function discordPlatform(options: {
  config: DiscordConfig;
  bot: () => Bot;
  logger: Logger;
}): PlatformConnection & { client: Client } {
  const { config } = options;
  const inFlight = new InFlight();
  const client = createDiscordApp({
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    logger: options.logger,
    bot: options.bot,
    inFlight,
  });
  client.rest.setToken(config.token);
  let stopped: Promise<void> | undefined;
  return {
    name: 'discord',
    client,
    poster: new DiscordPoster(client.rest),
    async start() {
      await client.login(config.token);
    },
    connected() {
      return client.isReady();
    },
    async drain() {
      // Private in the typings, public in the code: the gateway alone is closed, REST stays usable.
      await (client.ws as unknown as { destroy(): Promise<void> }).destroy();
      await inFlight.idle();
    },
    async stop() {
      await this.drain();
      stopped ??= client.destroy();
      await stopped;
    },
  };
}
export { discordShardsPlatform } from './shards.ts';
