import type { PostedMessage, Poster, Reply } from '../../src/index.ts';
import { toPlainText } from '../../src/index.ts';

/** One message as the platform holds it. */
export interface PlatformMessage {
  channelKey: string;
  key: string;
  text: string;
  lesson: number | null;
  messageId: string;
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
    };
    this.messages.push(message);
    this.replies.push(reply);
    return { messageId: message.messageId };
  }

  lessonsIn(channelKey: string): number[] {
    return this.messages.filter((m) => m.channelKey === channelKey).map((m) => m.lesson ?? -1);
  }
}
