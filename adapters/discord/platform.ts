import type { Client } from 'discord.js';
import type { Bot, DiscordConfig, Logger, PlatformConnection } from '../../src/index.ts';
import { createDiscordApp } from './app.ts';
import { DiscordPoster } from './poster.ts';

/**
 * Discord as the server process runs it: connected while the gateway session is ready. Draining closes the gateway
 * (no new interactions arrive) and waits for the interactions already taken; REST keeps its token until `stop`, so
 * the scheduler's last posts and the interaction answers still go out.
 */
export function discordPlatform(options: {
  config: DiscordConfig;
  bot: () => Bot;
  logger: Logger;
}): PlatformConnection & { client: Client } {
  const { config } = options;
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  // Every interaction reaches the core through bot().handle: counting there is what a drain waits for.
  const tracked = (): Bot => {
    const bot = options.bot();
    return new Proxy(bot, {
      get(target, property, receiver) {
        if (property !== 'handle') return Reflect.get(target, property, receiver);
        return (incoming: Parameters<Bot['handle']>[0]) => {
          inFlight++;
          return target.handle(incoming).finally(() => {
            inFlight--;
            if (inFlight === 0) {
              const waiters = idleWaiters;
              idleWaiters = [];
              for (const done of waiters) done();
            }
          });
        };
      },
    });
  };
  const client = createDiscordApp({
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    logger: options.logger,
    bot: tracked,
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
      if (inFlight > 0)
        await new Promise<void>((resolve) => {
          idleWaiters.push(resolve);
        });
    },
    async stop() {
      await this.drain();
      stopped ??= client.destroy();
      await stopped;
    },
  };
}
export { discordShardsPlatform } from './shards.ts';
