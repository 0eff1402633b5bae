import { platformOf } from '../channel-key.ts';
import type { PostedMessage, Poster } from '../ports.ts';
import type { Reply } from '../reply/model.ts';

/**
 * One Poster over several platforms: a channel key `slack:T1:C1` goes to Slack's poster. A key for a platform this
 * process does not run fails the post (the scheduler retries it with backoff and never advances the lesson), which
 * is what happens when one replica runs only Slack and another only Discord against one store.
 */
export function routingPoster(platforms: readonly { name: string; poster: Poster | null }[]): Poster {
  const byName = new Map(platforms.flatMap((p) => (p.poster ? [[p.name, p.poster] as const] : [])));
  return {
    post(channelKey: string, reply: Reply, idempotencyKey: string): Promise<PostedMessage> {
      const name = platformOf(channelKey);
      const poster = byName.get(name);
      if (!poster) return Promise.reject(new Error(`this process does not run ${name || 'that platform'}`));
      return poster.post(channelKey, reply, idempotencyKey);
    },
    // Threads are offered when every platform's poster opens them, so a round never threads on one platform and
    // then finds the next post unable to follow it (the console, Slack and Discord all do).
    ...([...byName.values()].every((p) => p.startThread)
      ? {
          startThread(channelKey: string, anchorId: string, name: string): Promise<boolean> {
            const platform = platformOf(channelKey);
            const poster = byName.get(platform);
            if (!poster?.startThread)
              return Promise.reject(new Error(`this process does not run ${platform || 'that platform'}`));
            return poster.startThread(channelKey, anchorId, name);
          },
        }
      : {}),
  };
}
