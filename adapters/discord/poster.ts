import { createHash } from 'node:crypto';
import type { REST } from 'discord.js';
import { DiscordAPIError, RESTJSONErrorCodes, Routes, ThreadAutoArchiveDuration } from 'discord.js';
import {
  type PostedMessage,
  type Poster,
  platformChannelOf,
  type Reply,
  surrogateSafe,
} from '../../src/index.ts';
import { renderDiscord } from './render.ts';

/** The Discord channel id of a core channel key (`discord:<guild>:<channel>`). */
export function discordChannelOf(channelKey: string): string {
  return platformChannelOf(channelKey, 'discord');
}

/** Discord nonces are at most 25 characters: a digest of the idempotency key fits and stays unique in practice. */
export function nonceFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 25);
}

/** Discord's longest thread name. */
const THREAD_NAME_MAX = 100;

function hasCode(error: unknown, code: number): boolean {
  return error instanceof DiscordAPIError && error.code === code;
}

/**
 * Scheduled lessons and quiz posts go to the channel through REST, with the idempotency key as an enforced
 * nonce: Discord returns the first message for a repeated nonce instead of posting again, which is what keeps a
 * retry after a crash from doubling a lesson. Rate limits and 5xx are retried by discord.js's REST client.
 *
 * A thread is started from its anchor message (POST /channels/{channel}/messages/{message}/threads) and has the
 * message's id, so a post into it goes to that id as a channel. Sending into an archived thread reopens it; one a
 * moderator locked refuses everything (50083), and the post then goes to the channel instead of being lost.
 */
export class DiscordPoster implements Poster {
  constructor(private readonly rest: REST) {}

  async post(channelKey: string, reply: Reply, idempotencyKey: string): Promise<PostedMessage> {
    const parent = discordChannelOf(channelKey);
    const channel = reply.thread?.anchorId ?? parent;
    const { flags: _ephemeralOnlyForInteractions, ...body } = renderDiscord(reply);
    if (reply.replaces) {
      try {
        await this.rest.patch(
          Routes.channelMessage(
            reply.thread?.anchorId ?? discordChannelOf(reply.replaces.channelKey),
            reply.replaces.messageId,
          ),
          { body },
        );
        return { messageId: reply.replaces.messageId };
      } catch (error) {
        // A member deleted the message (a quiz question before its reveal), or its thread was archived (an edit does
        // not reopen it, a new message does): the edit can never succeed, so the content goes out as a new message,
        // under the key's nonce like any other post.
        if (
          !hasCode(error, RESTJSONErrorCodes.UnknownMessage) &&
          !hasCode(error, RESTJSONErrorCodes.InvalidActionOnArchivedThread)
        )
          throw error;
      }
    }
    let { image } = reply;
    // A picture goes in the same request, as a multipart form (payload_json and files[0]); its description is the
    // alt text Discord shows screen readers. The nonce keeps a retry from posting it twice, as for any post.
    const once = async (to: string) =>
      (await this.rest.post(Routes.channelMessages(to), {
        body: {
          ...body,
          nonce: nonceFor(idempotencyKey),
          enforce_nonce: true,
          ...(image
            ? { attachments: [{ id: 0, filename: image.filename, description: image.alt.slice(0, 1024) }] }
            : {}),
        },
        ...(image
          ? { files: [{ name: image.filename, data: Buffer.from(image.png), contentType: 'image/png' }] }
          : {}),
      })) as { id: string };
    const send = async (to: string) => {
      try {
        return await once(to);
      } catch (error) {
        // Too large for this server's upload limit: the message goes without the picture, whose text it carries.
        if (!image || !hasCode(error, RESTJSONErrorCodes.RequestEntityTooLarge)) throw error;
        image = undefined;
        return once(to);
      }
    };
    try {
      return { messageId: (await send(channel)).id };
    } catch (error) {
      if (channel === parent || !hasCode(error, RESTJSONErrorCodes.InvalidActionOnArchivedThread))
        throw error;
      return { messageId: (await send(parent)).id };
    }
  }

  /**
   * Starts the public thread of a posted message, archived after a day without messages. Discord allows one thread
   * per message and refuses a second (160004), which is the answer a retry after a crash gets: the thread is there.
   * Needs Create Public Threads, and Send Messages in Threads to post into it; a bot invited without them (50013)
   * keeps posting in the channel, as before threads.
   */
  async startThread(channelKey: string, anchorId: string, name: string): Promise<boolean> {
    const trimmed = name.trim() || '…';
    const cut = trimmed.length > THREAD_NAME_MAX ? surrogateSafe(trimmed, THREAD_NAME_MAX) : trimmed.length;
    try {
      await this.rest.post(Routes.threads(discordChannelOf(channelKey), anchorId), {
        body: { name: trimmed.slice(0, cut), auto_archive_duration: ThreadAutoArchiveDuration.OneDay },
      });
      return true;
    } catch (error) {
      if (hasCode(error, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage)) return true;
      // No permission (a bot invited before threads), or a channel that cannot hold threads (a DM, a thread itself).
      if (
        hasCode(error, RESTJSONErrorCodes.MissingPermissions) ||
        hasCode(error, RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType)
      )
        return false;
      // A round asked for inside a thread that was not started from a message (no message has its id): the thread
      // is there already, and posts go into it by its id all the same.
      if (hasCode(error, RESTJSONErrorCodes.UnknownMessage) && (await this.isThreadOf(anchorId, channelKey)))
        return true;
      throw error;
    }
  }

  private async isThreadOf(threadId: string, channelKey: string): Promise<boolean> {
    const channel = (await this.rest.get(Routes.channel(threadId)).catch(() => null)) as {
      type?: number;
      parent_id?: string | null;
    } | null;
    return (
      channel !== null &&
      [10, 11, 12].includes(channel.type ?? -1) &&
      channel.parent_id === discordChannelOf(channelKey)
    );
  }
}
