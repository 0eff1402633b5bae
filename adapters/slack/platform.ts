import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import type { Bot, Logger, PlatformConnection, SlackConfig } from '../../src/index.ts';
import { createSlackApp } from './app.ts';
import { SlackPoster, slackPostingClient } from './poster.ts';

/** How long a shutdown waits for HTTP requests already arriving before it closes their connections. */
const CLOSE_GRACE_MS = 1_000;

/** The socket of Socket Mode, which Bolt keeps on its receiver; read only to say whether it is connected. */
interface SocketModeInternals {
  receiver?: { client?: { websocket?: { isActive(): boolean } } };
}

/**
 * Slack as the server process runs it. HTTP mode counts as connected while it listens; Socket Mode while its
 * WebSocket is open. Draining closes the listener (or the socket) first, then waits for every acked event's answer.
 */
export function slackPlatform(options: {
  config: SlackConfig;
  logger: Logger;
  /** Web API retries for 429 and 5xx (default 5); tests shorten them. */
  retries?: number;
  retryMinTimeoutMs?: number;
  /** Stamps each request's arrival (`receivedAt`), so quiz clicks are judged on the same clock as the core. */
  now?: () => Date;
}): PlatformConnection & { app: App; httpPort(): number | null } {
  const { config } = options;
  const { app, reader, attach, idle } = createSlackApp({
    config,
    logger: options.logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.retryMinTimeoutMs !== undefined ? { retryMinTimeoutMs: options.retryMinTimeoutMs } : {}),
  });
  let listening = false;
  let port: number | null = null;
  let stopped: Promise<void> | undefined;
  let server: Server | undefined;
  return {
    name: 'slack',
    app,
    // Posts on a client of their own, so their rate-limit pauses never hold an interaction's Web API calls; the
    // history reads on another (createSlackApp's `reader`), so their Tier 3 pauses never hold the posts.
    poster: new SlackPoster(
      slackPostingClient(
        config,
        { retries: options.retries, minTimeoutMs: options.retryMinTimeoutMs },
        options.logger,
      ),
      { historyCheck: config.historyCheck ?? true, reader },
    ),
    async start(bot: Bot) {
      attach(bot);
      if (config.mode === 'http') {
        // The receiver sets the server's limits and timeouts (adapters/slack/http-intake.ts).
        server = (await app.start(config.port)) as unknown as Server;
        const address = server.address();
        port = typeof address === 'object' && address ? address.port : config.port;
      } else await app.start();
      listening = true;
    },
    httpPort: () => port,
    connected() {
      if (!listening) return false;
      if (config.mode === 'http') return true;
      const socket = (app as unknown as SocketModeInternals).receiver?.client?.websocket;
      return socket?.isActive() ?? false;
    },
    async drain() {
      if (!stopped && listening && server) {
        // close() ends idle keep-alive sockets at once but waits for a request in progress, and a client that sent
        // half a request and stalled would hold it (and the whole drain) until the shutdown limit: after a short
        // grace for requests already arriving, every socket left is closed.
        const open = server;
        const grace = setTimeout(() => open.closeAllConnections(), CLOSE_GRACE_MS);
        stopped = app.stop().then(() => clearTimeout(grace));
      }
      stopped ??= listening ? app.stop().then(() => undefined) : Promise.resolve();
      listening = false;
      await stopped;
      await idle();
    },
    async stop() {
      await this.drain();
    },
  };
}
