import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import {
  type Bot,
  type Incoming,
  InFlight,
  isKeptBeforeAck,
  type Logger,
  type Reply,
  type SlackConfig,
} from '../../src/index.ts';
import { boltLogger } from './bolt-logger.ts';
import { bolt } from './bolt-module.ts';
import { DELIVERY_CLAIM_MS, deliveryKey } from './deliveries.ts';
import {
  FORM_CALLBACK_ID,
  parseViewSubmission,
  renderSlackModal,
  renderSlackResultView,
  slackFieldErrors,
  type ViewSubmissionBody,
} from './form.ts';
import { slackHttpReceiver } from './http-intake.ts';
import { KeyedQueue } from './keyed-queue.ts';
import {
  type BlockActionBody,
  HOME_CHANNEL,
  type HomeOpenedEvent,
  type MentionEvent,
  type MessageShortcutBody,
  parseBlockAction,
  parseHomeOpened,
  parseMention,
  parseMessageShortcut,
  parseSlashCommand,
  SHORTCUT_CALLBACK_PREFIX,
} from './parse.ts';
import { slackChannelOf } from './poster.ts';
import { renderSlack, SLACK_LIMITS } from './render.ts';
import { guardSocketMode } from './socket-intake.ts';

/** What the Slack app needs: its settings and how to reach the Web API. The bot comes later, in `attach`. */
export interface SlackAppOptions {
  config: SlackConfig;
  logger: Logger;
  now?: () => Date;
  /** Web API retries for 429 and 5xx (default 5, backing off from one second). */
  retries?: number;
  retryMinTimeoutMs?: number;
  /**
   * How long after a member's press their Home tab is published again (default HOME_REFRESH_MS): presses in a row
   * (a review, answer after answer) publish once.
   */
  homeRefreshMs?: number;
}

/** The debounce of a Home refresh after a press. */
export const HOME_REFRESH_MS = 1_500;
/** Members whose Home this process republishes after their presses; the least recent are forgotten beyond it. */
const HOME_MEMBERS_LIMIT = 50_000;

const ADMIN_CACHE_MS = 5 * 60_000;
/**
 * Answers delivered at once. Each holds its slot for whole round trips to Slack (response_url or the Web API, 50-300
 * ms away), so the count is sized for waiting on the network, not for the 2 cores: at 250 ms a slot delivers 4
 * answers a second. What Slack allows is enforced by Slack (429 with Retry-After, which the Web API client waits
 * out and retries), not by this number: @slack/web-api itself lets 100 requests run at once
 * (maxRequestConcurrency), Tier 4 methods such as chat.postEphemeral allow 100+ a minute with generous bursts, and
 * chat.postMessage about one a second per channel (https://api.slack.com/docs/rate-limits).
 */
const WORK_CONCURRENCY = 64;
/** Answers waiting for a slot: far above any burst (50 answers a second at 250 ms keep about 13 in flight). */
const MAX_WAITING = 20_000;
/** How long an ack waits for a quiz answer to be stored: Slack's limit is 3 s, less the network both ways. */
export const ANSWER_BEFORE_ACK_MS = 2_000;

/**
 * The Bolt app: `/orch`, `@orch` mentions and button presses reach the core; replies are rendered as Block Kit.
 * Every request is acknowledged first (Slack's 3-second rule), and the answer follows through response_url or
 * the Web API. Private replies are ephemeral.
 *
 * The app comes before the bot, whose poster needs the app's Web API client; `attach(bot)` then routes the app's
 * requests to it, before `app.start()` lets any arrive.
 */
export function createSlackApp(options: SlackAppOptions): {
  app: App;
  client: WebClient;
  /**
   * A second client, for the poster's history reads. @slack/web-api pauses a client's whole request queue while a
   * 429 waits out its Retry-After; conversations.history is Tier 3 (50+ a minute), so the checks of a burst of
   * scheduled lessons meet 429s, and on a shared client every answer, quiz question and reveal would wait with them.
   */
  reader: WebClient;
  /** Routes every request to `bot`: once, before `app.start()`. */
  attach(bot: Bot): void;
  /** Resolves when every event taken so far has been answered (a graceful shutdown waits for it). */
  idle(): Promise<void>;
} {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  // Always set the retry policy: Socket Mode otherwise rewrites these options to retry 100 times, and the client
  // handed to listeners would keep a failing call going for hours. 429s wait for Retry-After, then retry.
  const clientOptions = {
    retryConfig: { retries: options.retries ?? 5, factor: 2, minTimeout: options.retryMinTimeoutMs ?? 1000 },
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
  };
  const boltLog = boltLogger(logger);
  const app =
    config.mode === 'socket'
      ? new bolt.App({
          token: config.botToken,
          appToken: config.appToken ?? '',
          socketMode: true,
          signingSecret: config.signingSecret,
          clientOptions,
          logger: boltLog,
          // The default conversation store builds and throws away an Error with a stack on every request.
          convoStore: false,
        })
      : new bolt.App({
          token: config.botToken,
          receiver: slackHttpReceiver({ signingSecret: config.signingSecret, logger, boltLogger: boltLog }),
          clientOptions,
          logger: boltLog,
          convoStore: false,
        });

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

  // Work runs after the ack, a bounded number at a time: under a burst the acks keep flowing (Slack's 3-second
  // rule) while answers follow through response_url, which stays valid for many minutes. One member's answers in
  // one channel keep their order (a command's answer before the next one's); answers to different members, or in
  // different channels, do not wait for each other. The quiz's channel posts (question, reveal, board) go through
  // the poster in the core's per-round lane, which orders them; a reveal waits for the receipt it announces
  // through `delivered`.
  const queue = new KeyedQueue({
    concurrency: WORK_CONCURRENCY,
    maxWaiting: MAX_WAITING,
    // setImmediate lets pending network events (new requests to ack) go first.
    schedule: (start) => setImmediate(start),
  });
  // Every queued answer, from the ack to its delivery: what a graceful shutdown waits for.
  const inFlight = new InFlight();
  /**
   * Queues `replies` (once they are known) for delivery after the ack, and tells the core when they were delivered
   * (or failed): what a reply announces, such as the reveal a quiz receipt promises, waits for it.
   */
  const deliverLater = (
    incoming: Incoming,
    replies: () => Promise<Reply[]>,
    respond: RespondFn | undefined,
  ): void => {
    const delivered = trackDelivery(incoming);
    inFlight.begin();
    const key = `${incoming.where.channel}\u0000${incoming.who.userId}`;
    const queued = queue.push(key, async () => {
      try {
        for (const reply of await replies())
          await deliver(app.client, incoming.where, incoming.who.userId, reply, respond);
      } catch (error) {
        logger.error({ err: error }, 'slack request failed');
      } finally {
        delivered();
        inFlight.end();
      }
    });
    if (!queued) {
      // Twenty thousand answers behind: the process would only fall further behind. What is dropped is logged.
      logger.error(
        { channel: incoming.where.channel, user: incoming.who.userId },
        'answer queue full; dropped',
      );
      delivered();
      inFlight.end();
    }
  };
  // Whether a member is an admin costs a users.info call; the core asks only for commands that need it.
  const withAdminCheck = (incoming: Incoming): Incoming => {
    const userId = incoming.who.userId;
    incoming.who.checkAdmin = () => isAdmin(userId);
    return incoming;
  };
  const listed = (userId: string) => config.adminUsers.includes(userId);

  // The Home tab: published when a member opens it, and again (debounced, best-effort, after the ack and the
  // press's own answer) when a member who opened it presses a button, so it shows what they just did.
  const homeMembers = new Map<string, { team: string; user: string; channel: string }>();
  const homeTimers = new Map<string, NodeJS.Timeout>();
  const homeKey = (team: string, user: string) => `${team}:${user}`;
  const publishHome = async (bot: Bot, team: string, user: string, channel: string): Promise<void> => {
    const incoming = withAdminCheck(parseHomeOpened({ user, channel }, team, listed(user), now()));
    const replies = await bot.handle(incoming);
    const blocks = replies.flatMap((reply) => renderSlack(reply).blocks).slice(0, SLACK_LIMITS.viewBlocks);
    await app.client.views.publish({ user_id: user, view: { type: 'home', blocks } as never });
  };
  // One publish per member at a time: opens and presses arriving meanwhile ask for one more, with what is then new,
  // so a member (or a burst of events) cannot queue up reads and publishes.
  const publishing = new Map<string, boolean>();
  const publishHomeLogged = (bot: Bot, team: string, user: string, channel: string): void => {
    const key = homeKey(team, user);
    if (publishing.has(key)) {
      publishing.set(key, true);
      return;
    }
    publishing.set(key, false);
    inFlight.begin();
    publishHome(bot, team, user, channel)
      .catch((error: unknown) => logger.warn({ err: error, user }, 'could not publish the Home tab'))
      .finally(() => {
        const again = publishing.get(key) === true;
        publishing.delete(key);
        inFlight.end();
        if (again) publishHomeLogged(bot, team, user, channel);
      });
  };
  const refreshHome = (bot: Bot, incoming: Incoming): void => {
    const key = homeKey(incoming.where.space, incoming.who.userId);
    const member = homeMembers.get(key);
    if (!member) return;
    clearTimeout(homeTimers.get(key));
    const timer = setTimeout(() => {
      homeTimers.delete(key);
      publishHomeLogged(bot, member.team, member.user, member.channel);
    }, options.homeRefreshMs ?? HOME_REFRESH_MS);
    timer.unref();
    homeTimers.set(key, timer);
  };

  app.error(async (error) => {
    logger.error({ err: error }, 'slack app error');
  });

  // The middleware and listeners take each request to the bot, which is handed in after the app exists.
  let attached = false;
  const attach = (bot: Bot): void => {
    if (attached) throw new Error('the Slack app already has its bot');
    attached = true;
    if (config.mode === 'socket')
      guardSocketMode(app, { logger, claim: (key) => bot.claimDelivery(key, DELIVERY_CLAIM_MS) });
    /**
     * Opens each reply's form as a modal with the request's trigger id, and returns the replies still to deliver.
     * Slack honours a trigger for about 3 seconds and once: past that (a busy queue) the reply's text goes out
     * instead, with the form's note saying to run the command again.
     */
    const openForms = async (replies: Reply[], triggerId: string, channel: string): Promise<Reply[]> => {
      const rest: Reply[] = [];
      for (const reply of replies) {
        if (!reply.form) {
          rest.push(reply);
          continue;
        }
        try {
          await app.client.views.open({
            trigger_id: triggerId,
            view: renderSlackModal(reply.form, channel) as never,
          });
        } catch (error) {
          logger.warn({ err: error, channel }, 'views.open failed; answering with the settings as text');
          rest.push({
            visibility: 'private',
            blocks: [{ type: 'text', text: reply.form.fallbackNote }, ...reply.blocks],
          });
        }
      }
      return rest;
    };
    const answer = (incoming: Incoming | null, respond: RespondFn | undefined, triggerId?: string): void => {
      if (!incoming) return;
      const handled = (): Promise<Reply[]> => bot.handle(incoming);
      deliverLater(
        withAdminCheck(incoming),
        triggerId
          ? () => handled().then((replies) => openForms(replies, triggerId, incoming.where.channel))
          : handled,
        respond,
      );
    };

    // Before any listener: a retry, replay or redelivery of something already taken is acknowledged and dropped.
    // The claim is in the store, so it holds across replicas and restarts; when the store cannot answer, the
    // request runs (a rare double answer is better than a lost one).
    app.use(async (args) => {
      const key = deliveryKey(args.body);
      if (key) {
        const first = await bot.claimDelivery(key, DELIVERY_CLAIM_MS).catch((error: unknown) => {
          logger.warn({ err: error, key }, 'could not claim a Slack delivery; handling it anyway');
          return true;
        });
        if (!first) {
          logger.info({ key }, 'acknowledged a Slack retry or redelivery without running it again');
          await (args as { ack?: () => Promise<void> }).ack?.();
          return;
        }
      }
      await args.next();
    });

    app.command('/orch', async ({ command, ack, respond }) => {
      await ack();
      answer(parseSlashCommand(command, listed(command.user_id), now()), respond, command.trigger_id);
    });

    // A submitted form: answered in the ack itself (Slack's only way to show errors on the fields or to replace the
    // modal), so the core's answer is awaited first, within the same budget as a quiz answer.
    app.view(FORM_CALLBACK_ID, async ({ ack, body }) => {
      const submission = body as unknown as ViewSubmissionBody;
      const incoming = parseViewSubmission(submission, listed(submission.user.id), now());
      if (!incoming) {
        logger.warn({ user: submission.user.id }, 'a view_submission without readable metadata; closed it');
        await ack();
        return;
      }
      inFlight.begin();
      try {
        const handled = bot.answer(withAdminCheck(incoming));
        let timer: NodeJS.Timeout | undefined;
        const answered = await Promise.race([
          handled.catch(() => null),
          new Promise<null>((resolve) => {
            timer = setTimeout(() => resolve(null), ANSWER_BEFORE_ACK_MS);
          }),
        ]);
        clearTimeout(timer);
        if (!answered) {
          // Too slow for the ack (or failed): the modal closes and the answer follows as messages.
          await ack();
          deliverLater(incoming, async () => (await handled).replies, undefined);
          return;
        }
        if (answered.fieldErrors) {
          await ack({ response_action: 'errors', errors: slackFieldErrors(answered.fieldErrors) });
          return;
        }
        const mine = answered.replies.filter((reply) => reply.visibility === 'private');
        const others = answered.replies.filter((reply) => reply.visibility !== 'private');
        const title = submission.view.title?.text ?? 'orch';
        if (mine.length > 0)
          await ack({ response_action: 'update', view: renderSlackResultView(title, mine) as never });
        else await ack();
        if (others.length > 0) deliverLater(incoming, async () => others, undefined);
      } finally {
        inFlight.end();
      }
    });

    // A message shortcut (⋯ on a message): answered privately through its response_url.
    app.shortcut(
      new RegExp(`^${SHORTCUT_CALLBACK_PREFIX.replace('.', '\\.')}`),
      async ({ ack, body, respond }) => {
        await ack();
        const shortcut = body as unknown as MessageShortcutBody;
        answer(parseMessageShortcut(shortcut, listed(shortcut.user.id), now()), respond);
      },
    );

    // Once a press's own answer is out, the member's Home shows what it changed.
    const thenRefreshHome = (incoming: Incoming | null): void => {
      if (!incoming) return;
      void incoming.delivered?.then(() => refreshHome(bot, incoming));
    };

    app.action(/.*/, async ({ body, ack, respond }) => {
      const payload = body as unknown as BlockActionBody;
      const incoming = parseBlockAction(payload, listed(payload.user.id), now());
      if (incoming?.kind !== 'choice' || !isKeptBeforeAck(incoming.actionId)) {
        await ack();
        // A press may open a form (a settings button): its trigger id opens the modal.
        answer(incoming, respond, (body as { trigger_id?: string }).trigger_id);
        thenRefreshHome(incoming);
        return;
      }
      // A press whose receipt says it was kept (a quiz answer) is stored before the ack, so a 200 means it is on
      // disk: a crash right after loses nothing a member was told went through (the batcher commits a burst of
      // answers in one transaction, well within Slack's 3 seconds). Past the budget the ack goes anyway, and the
      // answer is stored and confirmed after it.
      inFlight.begin();
      // Set before the core sees the press: its receipt is delivered after the ack, and only then may the reveal it
      // announces follow.
      trackDelivery(incoming);
      const handled = bot.handle(withAdminCheck(incoming));
      let timer: NodeJS.Timeout | undefined;
      // A failure is logged by the delivery job below; here it only ends the wait.
      await Promise.race([
        handled.then(
          () => undefined,
          () => undefined,
        ),
        new Promise((resolve) => {
          timer = setTimeout(resolve, ANSWER_BEFORE_ACK_MS);
        }),
      ]);
      clearTimeout(timer);
      try {
        await ack();
      } finally {
        deliverLater(incoming, () => handled, respond);
        thenRefreshHome(incoming);
        inFlight.end();
      }
    });

    app.event('app_home_opened', async ({ event, context }) => {
      const opened = event as unknown as HomeOpenedEvent;
      // The Messages tab opens this event too; only the Home tab shows the view.
      if (opened.tab !== 'home' || !opened.user) return;
      const team = context.teamId ?? '';
      const key = homeKey(team, opened.user);
      homeMembers.delete(key);
      homeMembers.set(key, { team, user: opened.user, channel: opened.channel });
      if (homeMembers.size > HOME_MEMBERS_LIMIT)
        homeMembers.delete(homeMembers.keys().next().value as string);
      publishHomeLogged(bot, team, opened.user, opened.channel);
    });

    app.event('app_mention', async ({ event, context }) => {
      const mention = event as unknown as MentionEvent;
      answer(
        parseMention(mention, context.teamId ?? '', mention.user ? listed(mention.user) : false, now()),
        undefined,
      );
    });
  };

  const reader = new bolt.webApi.WebClient(config.botToken, { ...clientOptions, logger: boltLog });
  return { app, client: app.client, reader, attach, idle: () => inFlight.idle() };
}

const deliveries = new WeakMap<Incoming, () => void>();

/** Gives `incoming` its `delivered` promise (once) and returns what resolves it. */
function trackDelivery(incoming: Incoming): () => void {
  const known = deliveries.get(incoming);
  if (known) return known;
  let resolve = (): void => undefined;
  incoming.delivered = new Promise<void>((done) => {
    resolve = done;
  });
  deliveries.set(incoming, resolve);
  return resolve;
}

/** Sends one reply where it belongs: ephemeral to the member, or into the channel. */
async function deliver(
  client: WebClient,
  where: Incoming['where'],
  user: string,
  reply: Reply,
  respond: RespondFn | undefined,
): Promise<void> {
  const channel = where.channel;
  // An answer to something said inside a thread (an @orch mention in a lesson's discussion) stays in that thread.
  const thread = reply.thread?.anchorId ?? where.thread;
  const inThread = thread === undefined ? {} : { thread_ts: thread };
  // `message` is text and blocks, plus the attachment holding a comparison's table.
  const message = renderSlack(reply, { tables: true });
  // A press on the Home tab has no channel nor response_url: its answers go to the member's direct messages with
  // the app (posting to a user id opens that conversation), so a review started there runs privately.
  if (channel === HOME_CHANNEL && !reply.replaces) {
    await client.chat.postMessage({ channel: user, ...message });
    return;
  }
  if (reply.replaces) {
    await client.chat.update({
      channel: slackChannelOf(reply.replaces.channelKey),
      ts: reply.replaces.messageId,
      ...message,
    });
    return;
  }
  if (respond) {
    await respond({
      response_type: reply.visibility === 'private' ? 'ephemeral' : 'in_channel',
      replace_original: false,
      ...message,
    });
    return;
  }
  if (reply.visibility === 'private')
    await client.chat.postEphemeral({ channel, user, ...inThread, ...message });
  else await client.chat.postMessage({ channel, ...inThread, ...message });
}
