import { createHash } from 'node:crypto';
import type { REST } from 'discord.js';
import { DiscordAPIError, RESTJSONErrorCodes, Routes } from 'discord.js';
import { type PostedMessage, type Poster, platformChannelOf, type Reply } from '../../src/index.ts';
import { renderDiscord } from './render.ts';

/** The Discord channel id of a core channel key (`discord:<guild>:<channel>`). */
export function discordChannelOf(channelKey: string): string {
  return platformChannelOf(channelKey, 'discord');
}

/** Discord nonces are at most 25 characters: a digest of the idempotency key fits and stays unique in practice. */
export function nonceFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 25);
}

/**
 * Scheduled lessons and quiz posts go to the channel through REST, with the idempotency key as an enforced
 * nonce: Discord returns the first message for a repeated nonce instead of posting again, which is what keeps a
 * retry after a crash from doubling a lesson. Rate limits and 5xx are retried by discord.js's REST client.
 */
export class DiscordPoster implements Poster {
  constructor(private readonly rest: REST) {}

  async post(channelKey: string, reply: Reply, idempotencyKey: string): Promise<PostedMessage> {
    const channel = discordChannelOf(channelKey);
    const { flags: _ephemeralOnlyForInteractions, ...body } = renderDiscord(reply);
    if (reply.replaces) {
      try {
        await this.rest.patch(
          Routes.channelMessage(discordChannelOf(reply.replaces.channelKey), reply.replaces.messageId),
          { body },
        );
        return { messageId: reply.replaces.messageId };
      } catch (error) {
        // A member deleted the message (a quiz question before its reveal): the edit can never succeed, so the
        // content goes out as a new message, under the key's nonce like any other post.
        if (!(error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage))
          throw error;
      }
    }
    const message = (await this.rest.post(Routes.channelMessages(channel), {
      body: { ...body, nonce: nonceFor(idempotencyKey), enforce_nonce: true },
    })) as { id: string };
    return { messageId: message.id };
  }
}
