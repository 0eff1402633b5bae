import {
  type FilesCompleteUploadExternalArguments,
  type FilesGetUploadURLExternalArguments,
  WebClient,
} from '@slack/web-api';
import {
  type Logger,
  type PostedMessage,
  type Poster,
  platformChannelOf,
  type Reply,
  type ReplyImage,
  type SlackConfig,
} from '../../src/index.ts';
import { boltLogger } from './bolt-logger.ts';
import { renderSlack } from './render.ts';

const METADATA_EVENT = 'orch_post';
// How far back a retried post looks for its first attempt; a retry comes within minutes, not days.
const HISTORY_LIMIT = 50;
// A thread is read from its start (Slack lists replies oldest first); a round's thread holds a post per question
// and the final board, and a lesson's a welcome and the members' talk.
const REPLIES_LIMIT = 200;

/**
 * A Web API client of the poster's own. The Web API client pauses its whole request queue for a 429's Retry-After,
 * and channel posts are what Slack rate-limits (about one per second per channel): a burst of reveals sharing the
 * app's client held every other call behind those pauses, so a `/orch settings` modal's views.open came after its
 * trigger id's 3 seconds had run out (tests/bench/acks.ts). On a client of their own, posts wait for each other
 * only; the retry policy is the app's (429s wait for Retry-After, then retry; 5xx back off).
 */
export function slackPostingClient(
  config: Pick<SlackConfig, 'botToken' | 'apiUrl'>,
  retry: { retries?: number | undefined; minTimeoutMs?: number | undefined } = {},
  /** Where the client's own warnings (a 429 it waits out) go; the app's log, not the console. */
  logger?: Logger,
): WebClient {
  return new WebClient(config.botToken, {
    ...(logger ? { logger: boltLogger(logger, 'web-api') } : {}),
    retryConfig: { retries: retry.retries ?? 5, factor: 2, minTimeout: retry.minTimeoutMs ?? 1000 },
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
  });
}

/** The Slack channel id of a core channel key (`slack:T123:C456`). */
export function slackChannelOf(channelKey: string): string {
  return platformChannelOf(channelKey, 'slack');
}

/** A rendered message: its text, blocks and (for a colour bar) attachments. */
type SlackMessage = Pick<ReturnType<typeof renderSlack>, 'text' | 'blocks'> & {
  attachments?: ReturnType<typeof renderSlack>['attachments'] | undefined;
};

/** A message as the duplicate checks read it back: its ts, the key in its metadata, the files it shares. */
interface RecentMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: unknown };
  files?: { name?: string }[];
}

/** The `error` of a Web API call Slack refused. */
function slackError(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === 'string' ? code : undefined;
}

/** files.getUploadURLExternal's refusals that no retry changes: the workspace does not take this file. */
const UPLOAD_REFUSALS = new Set([
  'file_uploads_disabled',
  'file_uploads_except_images_disabled',
  'file_upload_size_restricted',
  'file_type_not_allowed',
]);

/** Slack's answer to an edit of a message that no longer exists. */
function isMessageGone(error: unknown): boolean {
  return (error as { data?: { error?: unknown } } | null)?.data?.error === 'message_not_found';
}

/**
 * Scheduled lessons, quiz questions and reveals go out with chat.postMessage (a reveal edits its question with
 * chat.update, or posts it anew when the question was deleted); a post into a thread is a reply (thread_ts). Slack
 * has no idempotency key, so each post carries its key in message metadata and, before posting, the recent history
 * (or the thread's replies) is searched for it: a post retried after a crash finds its first attempt instead of
 * posting twice. Rate limits (429 with Retry-After) and 5xx are retried by the Web API client.
 *
 * With `historyCheck` off (SLACK_HISTORY_CHECK=off) that search is skipped: Slack limits conversations.history and
 * conversations.replies for commercially distributed non-Marketplace apps (May 2025) so hard that a check per post
 * would hold every post back behind a minute's Retry-After. The ledger still claims each post once and the key
 * still rides in the metadata; what is lost is only the repair of a crash (or a lost response) between Slack
 * accepting a post and the ledger recording it, whose retry then posts the message a second time.
 */
export class SlackPoster implements Poster {
  private readonly historyCheck: boolean;
  /**
   * Makes the history reads: a client of its own (createSlackApp's `reader`) keeps their Tier 3 429s from pausing
   * the posts, which the Web API client would otherwise hold back with them.
   */
  private readonly reader: WebClient;

  constructor(
    private readonly client: WebClient,
    options: { historyCheck?: boolean; reader?: WebClient } = {},
  ) {
    this.historyCheck = options.historyCheck ?? true;
    this.reader = options.reader ?? client;
  }

  async post(channelKey: string, reply: Reply, idempotencyKey: string): Promise<PostedMessage> {
    const channel = slackChannelOf(channelKey);
    const { text, blocks, attachments } = renderSlack(reply, { tables: true });
    if (reply.replaces) {
      try {
        await this.client.chat.update({
          channel,
          ts: reply.replaces.messageId,
          text,
          blocks,
          ...(attachments ? { attachments } : {}),
        });
        return { messageId: reply.replaces.messageId };
      } catch (error) {
        // A member deleted the message (a quiz question before its reveal): the update can never succeed, so the
        // content goes out as a new message, once per key like any other post.
        if (!isMessageGone(error)) throw error;
      }
    }
    const threadTs = reply.thread?.anchorId;
    if (reply.image) return this.postWithImage(channel, reply.image, { text, blocks }, threadTs);
    const earlier = this.historyCheck ? await this.findPosted(channel, idempotencyKey, threadTs) : undefined;
    if (earlier) return { messageId: earlier };
    return this.postMessage(channel, { text, blocks, attachments }, idempotencyKey, threadTs);
  }

  /** chat.postMessage, carrying the key in metadata (when there is one) for a retry's history search. */
  private async postMessage(
    channel: string,
    message: SlackMessage,
    idempotencyKey: string | undefined,
    threadTs: string | undefined,
  ): Promise<PostedMessage> {
    const posted = await this.client.chat.postMessage({
      channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(idempotencyKey
        ? { metadata: { event_type: METADATA_EVENT, event_payload: { key: idempotencyKey } } }
        : {}),
    });
    if (!posted.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return { messageId: posted.ts };
  }

  /**
   * A message with a picture (the weekly digest and its card), through file upload v2: files.getUploadURLExternal
   * (name, size, alt text), the bytes POSTed to the URL it gave, then files.completeUploadExternal, which shares the
   * file in the channel as one message carrying our blocks. Such a message has no metadata, so a retry looks for its
   * first attempt by the file's name, which the caller makes unique per channel (a digest's holds its week).
   */
  private async postWithImage(
    channel: string,
    image: ReplyImage,
    message: SlackMessage,
    threadTs: string | undefined,
  ): Promise<PostedMessage> {
    const earlier = this.historyCheck ? await this.findFileMessage(channel, image.filename) : undefined;
    if (earlier) return { messageId: earlier };
    let target: { upload_url?: string; file_id?: string };
    try {
      // alt_txt is the method's documented argument (the SDK's type calls it alt_text); at most 1,000 characters.
      target = (await this.client.files.getUploadURLExternal({
        filename: image.filename,
        length: image.png.byteLength,
        alt_txt: image.alt.slice(0, 1000),
      } as FilesGetUploadURLExternalArguments)) as { upload_url?: string; file_id?: string };
    } catch (error) {
      // A workspace that refuses the file for good still gets the message: its blocks say what the picture shows.
      if (!UPLOAD_REFUSALS.has(slackError(error) ?? '')) throw error;
      return this.postMessage(channel, message, undefined, threadTs);
    }
    if (!target.upload_url || !target.file_id)
      throw new Error('files.getUploadURLExternal returned no upload URL');
    const uploaded = await fetch(target.upload_url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: image.png,
    });
    if (!uploaded.ok) throw new Error(`the file upload to Slack failed with HTTP ${uploaded.status}`);
    await this.client.files.completeUploadExternal({
      files: [{ id: target.file_id, title: image.filename }],
      channel_id: channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      // Slack takes blocks here (unless an initial comment is given); the text is the notification's fallback.
      ...(message.blocks ? { blocks: message.blocks } : { initial_comment: message.text }),
    } as FilesCompleteUploadExternalArguments);
    // Slack shares the file asynchronously: the message's ts is read back when it is already there, else the file
    // stands for it (a digest's message id is only recorded, never edited).
    return { messageId: (await this.findFileMessage(channel, image.filename)) ?? target.file_id };
  }

  /** The message in the channel's recent history that shares a file named `filename`. */
  private async findFileMessage(channel: string, filename: string): Promise<string | undefined> {
    const messages = await this.recentMessages(channel);
    return messages.find((m) => m.files?.some((f) => f.name === filename))?.ts;
  }

  /**
   * A Slack thread is the replies carrying the parent's ts as thread_ts; the first reply opens it, so there is
   * nothing to create and nothing that could be created twice.
   */
  async startThread(): Promise<boolean> {
    return true;
  }

  /** The message posted earlier under `key`: in the channel's history, or in the thread under `threadTs`. */
  private async findPosted(channel: string, key: string, threadTs?: string): Promise<string | undefined> {
    const found = (await this.recentMessages(channel, threadTs)).find(
      (m) =>
        m.metadata?.event_type === METADATA_EVENT &&
        (m.metadata.event_payload as { key?: string } | undefined)?.key === key,
    );
    return found?.ts;
  }

  /**
   * The channel's recent messages, or the thread's under `threadTs` (history lists no thread replies), with their
   * metadata and files: what a retried post is looked for among. None when the channel cannot be read.
   */
  private async recentMessages(channel: string, threadTs?: string): Promise<RecentMessage[]> {
    try {
      const page = threadTs
        ? await this.reader.conversations.replies({
            channel,
            ts: threadTs,
            limit: REPLIES_LIMIT,
            include_all_metadata: true,
          })
        : await this.reader.conversations.history({
            channel,
            limit: HISTORY_LIMIT,
            include_all_metadata: true,
          });
      return (page as { messages?: RecentMessage[] }).messages ?? [];
    } catch {
      // A public channel the bot was never invited to can be posted to (chat:write.public) but not read
      // (not_in_channel): then the post still goes out, without the duplicate check a member channel gets.
      return [];
    }
  }
}
