import type { Bot } from './bot.ts';
import type { Poster } from './ports.ts';

/**
 * A chat platform as the server process runs it: Slack, or Discord. The server builds each connection first (the
 * core posts through its poster), then the core, then starts each connection with the core's bot, the way Bolt
 * hands a receiver its app in `init(app)`. It routes scheduled posts to a connection by channel key (`<name>:...`),
 * asks it for readiness, and on shutdown first drains it (refuse new events, finish the ones in flight) and then
 * stops it.
 */
export interface PlatformConnection {
  /** The platform part of the channel keys it owns: `slack`, `discord`. */
  readonly name: string;
  /** Null when this process only supervises the platform (Discord shards run in processes of their own). */
  readonly poster: Poster | null;
  /** Routes the platform's events to `bot` and starts taking them; called once, after the core is built. */
  start(bot: Bot): Promise<void>;
  /** Whether events can arrive now (HTTP listening, socket or gateway connected). */
  connected(): boolean;
  /** Stops taking new events and resolves when every event already taken has been answered. */
  drain(): Promise<void>;
  /** Closes the connection. */
  stop(): Promise<void>;
  /** The port it takes events on over HTTP, once listening (Slack's HTTP mode); absent otherwise. */
  httpPort?(): number | null;
  /** Metrics of processes it supervises (Discord shards, prom-client JSON), to sum into this process's own. */
  collectMetrics?(): Promise<object[]>;
}
