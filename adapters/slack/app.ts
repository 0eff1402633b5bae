import { App, type RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Bot, Incoming, Logger, Reply, SlackConfig } from '../../src/index.ts';
import {
  type BlockActionBody,
  type MentionEvent,
  parseBlockAction,
  parseMention,
  parseSlashCommand,
} from './parse.ts';
import { slackChannelOf } from './poster.ts';
import { renderSlack } from './render.ts';

/** What the Slack app needs: its settings, the bot, and how to reach the Web API. */
export interface SlackAppOptions {
  config: SlackConfig;
  /** The bot; built after the app because its poster needs the app's Web API client. */
  bot: () => Bot;
  logger: Logger;
  now?: () => Date;
  /** Web API retries for 429 and 5xx (default 5, backing off from one second). */
  retries?: number;
  retryMinTimeoutMs?: number;
}

const ADMIN_CACHE_MS = 5 * 60_000;

/**
 * The Bolt app: `/orch`, `@orch` mentions and button presses reach the core; replies are rendered as Block Kit.
 * Every request is acknowledged first (Slack's 3-second rule), and the answer follows through response_url or
 * the Web API. Private replies are ephemeral.
 */
export function createSlackApp(options: SlackAppOptions): { app: App; client: WebClient } {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  // Always set the retry policy: Socket Mode otherwise rewrites these options to retry 100 times, and the client
  // handed to listeners would keep a failing call going for hours. 429s wait for Retry-After, then retry.
  const clientOptions = {
    retryConfig: { retries: options.retries ?? 5, factor: 2, minTimeout: options.retryMinTimeoutMs ?? 1000 },
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
  };
  const app =
    config.mode === 'socket'
      ? new App({
          token: config.botToken,
          appToken: config.appToken ?? '',
          socketMode: true,
          signingSecret: config.signingSecret,
          clientOptions,
        })
      : new App({ token: config.botToken, signingSecret: config.signingSecret, clientOptions });

  // Workspace admins and owners, plus SLACK_ADMIN_USERS, may change schedules; looked up once per few minutes.
  const admins = new Map<string, { at: number; admin: boolean }>();
  const isAdmin = async (userId: string): Promise<boolean> => {
    if (config.adminUsers.includes(userId)) return true;
    const cached = admins.get(userId);
    if (cached && now().getTime() - cached.at < ADMIN_CACHE_MS) return cached.admin;
    try {
      const info = await app.client.users.info({ user: userId });
      const admin = info.user?.is_admin === true || info.user?.is_owner === true;
      admins.set(userId, { at: now().getTime(), admin });
      return admin;
    } catch (error) {
      logger.warn({ err: error, user: userId }, 'users.info failed; treating the member as not an admin');
      return false;
    }
  };

  const answer = async (incoming: Incoming, respond: RespondFn | undefined): Promise<void> => {
    const replies = await options.bot().handle(incoming);
    for (const reply of replies)
      await deliver(app.client, incoming.where.channel, incoming.who.userId, reply, respond);
  };

  app.command('/orch', async ({ command, ack, respond }) => {
    await ack();
    await answer(parseSlashCommand(command, await isAdmin(command.user_id), now()), respond);
  });

  app.action(/.*/, async ({ body, ack, respond }) => {
    await ack();
    const payload = body as unknown as BlockActionBody;
    const incoming = parseBlockAction(payload, await isAdmin(payload.user.id), now());
    if (incoming) await answer(incoming, respond);
  });

  app.event('app_mention', async ({ event, context }) => {
    const mention = event as unknown as MentionEvent;
    const incoming = parseMention(
      mention,
      context.teamId ?? '',
      mention.user ? await isAdmin(mention.user) : false,
      now(),
    );
    await answer(incoming, undefined);
  });

  app.error(async (error) => {
    logger.error({ err: error }, 'slack app error');
  });

  return { app, client: app.client };
}

/** Sends one reply where it belongs: ephemeral to the member, or into the channel. */
async function deliver(
  client: WebClient,
  channel: string,
  user: string,
  reply: Reply,
  respond: RespondFn | undefined,
): Promise<void> {
  const { text, blocks } = renderSlack(reply);
  if (reply.replaces) {
    await client.chat.update({
      channel: slackChannelOf(reply.replaces.channelKey),
      ts: reply.replaces.messageId,
      text,
      blocks,
    });
    return;
  }
  if (respond) {
    await respond({
      response_type: reply.visibility === 'private' ? 'ephemeral' : 'in_channel',
      replace_original: false,
      text,
      blocks,
    });
    return;
  }
  if (reply.visibility === 'private') await client.chat.postEphemeral({ channel, user, text, blocks });
  else await client.chat.postMessage({ channel, text, blocks });
}
