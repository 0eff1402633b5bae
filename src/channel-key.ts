// The one place that writes and reads the keys the store files channels and members under, so every platform's
// rows sit in one store without colliding and no caller splits a key by hand.
import { DIRECT_SPACE, type Where } from './incoming.ts';

/** The store key of a channel: `platform:space:channel` (`slack:T1:C1`, `discord:<guild>:<channel>`). */
export function formatChannelKey(where: Where): string {
  return `${where.platform}:${where.space}:${where.channel}`;
}

/** The parts of a channel key, or null when `key` is not one `formatChannelKey` makes (three parts, none empty). */
export function parseChannelKey(key: string): Where | null {
  const parts = key.split(':');
  if (parts.length !== 3 || parts.some((part) => part === '')) return null;
  const [platform, space, channel] = parts as [string, string, string];
  return { platform, space, channel };
}

/** The platform's own channel id inside a key of that platform; anything else is a routing bug and throws. */
export function platformChannelOf(key: string, platform: string): string {
  const where = parseChannelKey(key);
  if (where?.platform !== platform) throw new Error(`not a ${platform} channel key: ${key}`);
  return where.channel;
}

/** The platform part of a channel key (`slack` of `slack:T1:C1`). */
export function platformOf(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

/** A member across the channels of one workspace or guild, `platform:space:user`: their review cards follow them. */
export function userKeyOf(channelKey: string, userId: string): string {
  const where = parseChannelKey(channelKey);
  if (!where) throw new Error(`not a channel key: ${channelKey}`);
  return `${where.platform}:${where.space}:${userId}`;
}

/** The platform's user id inside a member key (`U1` of `slack:T1:U1`). */
export function userIdOfKey(memberKey: string): string {
  return memberKey.slice(memberKey.lastIndexOf(':') + 1);
}

/** The `platform:space:` start of a member or channel key: which workspace or guild it is of. */
export function spaceOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf(':') + 1);
}

/** A member's key in one workspace or guild (`userKeyOf` for a space known by its id, not by a channel). */
export function memberKeyIn(platform: string, space: string, userId: string): string {
  return `${platform}:${space}:${userId}`;
}

/**
 * The start every channel key of one space has (`slack:T1:`), or of every space of the platform (`discord:`) when
 * `space` is null: what the store's per-member queries filter by.
 */
export function channelKeyPrefix(platform: string, space: string | null): string {
  return space === null ? `${platform}:` : `${platform}:${space}:`;
}

/**
 * The key of a channel a personal button names by space and channel id, when a press from `where` may act on it: a
 * channel of the same platform and the same space, or of any space of the platform from a direct message (whose
 * member studies across spaces). Null otherwise: a button cannot reach into another workspace or platform.
 */
export function reachableChannelKey(where: Where, space: string, channel: string): string | null {
  if (space !== where.space && where.space !== DIRECT_SPACE) return null;
  if (space === DIRECT_SPACE || space === '' || channel === '') return null;
  return formatChannelKey({ platform: where.platform, space, channel });
}

/**
 * A web address that opens the channel in its platform's app, for pages and calendar events outside the chat:
 * Slack's `app_redirect` (it picks the app or the browser), Discord's channel URL. Null for the console and for
 * direct messages, which have no address.
 */
export function channelLink(key: string): string | null {
  const where = parseChannelKey(key);
  if (!where || where.space === DIRECT_SPACE) return null;
  const id = (value: string) => encodeURIComponent(value);
  if (where.platform === 'slack')
    return `https://slack.com/app_redirect?team=${id(where.space)}&channel=${id(where.channel)}`;
  if (where.platform === 'discord')
    return `https://discord.com/channels/${id(where.space)}/${id(where.channel)}`;
  return null;
}
