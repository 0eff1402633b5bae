import type { PostedMessage, Poster, Reply } from '../../src/index.ts';
import { toPlainText } from '../../src/index.ts';

/** One message as the platform holds it. */
export interface PlatformMessage {
  channelKey: string;
  key: string;
  text: string;
  lesson: number | null;
  messageId: string;
  /** The anchor of the thread it was posted into, if any. */
  thread: string | null;
}

/** Opens threads like Slack and Discord do: one per message (a second start is a no-op), counted. */
export interface ThreadStarts {
  /** Anchor → how often a start reached the platform, the repeats included. */
  starts: Map<string, number>;
  /** Anchor → the thread's name. */
  names: Map<string, string>;
}

/**
 * Stands in for a chat platform that honours idempotency keys (Discord's enforced nonce, Slack's metadata check):
 * it keeps every message it accepted, shared across scheduler "restarts", and can be told to fail.
 */
export class RecordingPoster implements Poster {
  readonly messages: PlatformMessage[] = [];
  /** The replies as posted, for tests that look at blocks, buttons and `replaces`. */
  readonly replies: Reply[] = [];
  /** Every call, including repeats of a key, to show that a retry reached the platform. */
  calls = 0;
  private failures: Error[] = [];

  failNext(count: number, error = new Error('platform unavailable (503)')): void {
    for (let i = 0; i < count; i++) this.failures.push(error);
  }

  async post(channelKey: string, reply: Reply, key: string): Promise<PostedMessage> {
    this.calls++;
    const failure = this.failures.shift();
    if (failure) throw failure;
    const earlier = this.messages.find((m) => m.key === key);
    if (earlier) return { messageId: earlier.messageId };
    const text = toPlainText(reply);
    const lesson = /== (?:Lesson )?(\d+)\/\d+/.exec(text)?.[1];
    const message = {
      channelKey,
      key,
      text,
      lesson: lesson ? Number(lesson) : null,
      messageId: `m${this.messages.length + 1}`,
      thread: reply.thread?.anchorId ?? null,
    };
    this.messages.push(message);
    this.replies.push(reply);
    return { messageId: message.messageId };
  }

  lessonsIn(channelKey: string): number[] {
    return this.messages
      .filter((m) => m.channelKey === channelKey && m.thread === null)
      .map((m) => m.lesson ?? -1);
  }

  /** The messages of a channel itself (not in its threads), in order. */
  inChannel(channelKey: string): PlatformMessage[] {
    return this.messages.filter((m) => m.channelKey === channelKey && m.thread === null);
  }

  /** The messages in the thread under `anchorId`, in order. */
  inThread(anchorId: string): PlatformMessage[] {
    return this.messages.filter((m) => m.thread === anchorId);
  }
}

/** A platform with threads (Slack, Discord): the core runs rounds and lesson talk in them. */
export class ThreadedRecordingPoster extends RecordingPoster {
  readonly threads: ThreadStarts = { starts: new Map(), names: new Map() };
  /** Throws once from the next thread start, as a platform refusing it (a missing permission) would. */
  failNextThread: Error | undefined;

  /** Refuses every thread from now on, as Discord does a bot invited without the thread permissions. */
  refuseThreads = false;

  async startThread(_channelKey: string, anchorId: string, name: string): Promise<boolean> {
    const failure = this.failNextThread;
    this.failNextThread = undefined;
    if (failure) throw failure;
    if (this.refuseThreads) return false;
    if (!this.messages.some((m) => m.messageId === anchorId)) throw new Error(`no message ${anchorId}`);
    this.threads.starts.set(anchorId, (this.threads.starts.get(anchorId) ?? 0) + 1);
    if (!this.threads.names.has(anchorId)) this.threads.names.set(anchorId, name);
    return true;
  }
}
