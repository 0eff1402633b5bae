import type { PostedMessage, Poster, Reply, ReplyImage } from '../../src/index.ts';

/**
 * Scheduled posts in the terminal: the console is one channel, so every post is printed there. Keys already printed
 * in this process are not printed again; after a restart the ledger has the final word on what was posted.
 */
export class ConsolePoster implements Poster {
  private readonly posted = new Map<string, PostedMessage>();
  private counter = 0;

  constructor(
    private readonly print: (reply: Reply) => void,
    private readonly now: () => Date = () => new Date(),
    /** How a time is shown: the channel's zone and language in the REPL; ISO where nothing better is known. */
    private readonly when: (at: Date) => Promise<string> = async (at) => at.toISOString(),
    /**
     * Where a post's picture goes (the weekly digest's card): a terminal cannot show it, so it is saved as a file
     * whose path is printed with the post. Not saved without it.
     */
    private readonly saveImage?: (image: ReplyImage) => string,
  ) {}

  async post(_channelKey: string, reply: Reply, idempotencyKey: string): Promise<PostedMessage> {
    const earlier = this.posted.get(idempotencyKey);
    if (earlier) return earlier;
    // The console fast-forwards time, so each post says when it arrived.
    const stamp = await this.when(this.now());
    const saved = reply.image && this.saveImage ? this.saveImage(reply.image) : null;
    this.print({
      ...reply,
      blocks: [
        { type: 'context', text: `⏰ ${stamp}` },
        ...reply.blocks,
        ...(saved ? [{ type: 'context' as const, text: `🖼 ${saved}` }] : []),
      ],
    });
    const message = { messageId: `console-${++this.counter}` };
    this.posted.set(idempotencyKey, message);
    return message;
  }

  /** The terminal has no threads to open: a post into one is drawn indented under a bar (render.ts). */
  async startThread(): Promise<boolean> {
    return true;
  }
}
