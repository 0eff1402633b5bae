/** What the queue does with a job it was handed. */
export interface KeyedQueueOptions {
  /** Jobs running at once, across all keys. */
  concurrency: number;
  /** Jobs waiting to start, across all keys; past it `push` refuses (a flood must not exhaust memory). */
  maxWaiting: number;
  /** Hands a job over to run (default: at once); the Slack app passes setImmediate so new acks go first. */
  schedule?: (start: () => void) => void;
  /** Told of a job that threw; the queue goes on with the next one. */
  onError?: (error: unknown) => void;
}

/**
 * Runs async jobs with per-key order and cross-key concurrency: jobs pushed under one key run one after another in
 * the order they came, jobs under different keys run side by side, at most `concurrency` at a time.
 *
 * Answers wait on the network, not on the CPU: each holds a slot for a whole round trip to the platform (50-300 ms
 * in production), so a small fixed worker count caps throughput at workers / RTT. The ordering key keeps in order
 * only what must be (one member's answers in one channel) and lets everything else overlap.
 */
export class KeyedQueue {
  /** Per key, its jobs in order: the first is running or next to run. A key is here while it has any job. */
  private readonly chains = new Map<string, (() => Promise<void>)[]>();
  /** Keys whose first job waits for a slot, oldest first. */
  private readonly ready: string[] = [];
  private readyHead = 0;
  private running = 0;
  private waitingCount = 0;

  constructor(private readonly options: KeyedQueueOptions) {}

  /** Jobs not yet started. */
  get waiting(): number {
    return this.waitingCount;
  }

  /** Jobs started and not yet finished. */
  get active(): number {
    return this.running;
  }

  /** Queues `job` after the jobs already queued under `key`. False (and nothing queued) when the queue is full. */
  push(key: string, job: () => Promise<void>): boolean {
    if (this.waitingCount >= this.options.maxWaiting) return false;
    this.waitingCount++;
    const chain = this.chains.get(key);
    if (chain) chain.push(job);
    else {
      this.chains.set(key, [job]);
      this.ready.push(key);
    }
    this.pump();
    return true;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.readyHead < this.ready.length) {
      const key = this.ready[this.readyHead++] as string;
      // Compacted now and then, so a long-running queue does not keep every key it ever saw.
      if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready.splice(0, this.readyHead);
        this.readyHead = 0;
      }
      const chain = this.chains.get(key) as (() => Promise<void>)[];
      const job = chain[0] as () => Promise<void>;
      this.running++;
      this.waitingCount--;
      const start = (): void => {
        let run: Promise<void>;
        try {
          run = job();
        } catch (error) {
          run = Promise.reject(error);
        }
        run
          .catch((error: unknown) => this.options.onError?.(error))
          .finally(() => {
            this.running--;
            chain.shift();
            if (chain.length > 0) this.ready.push(key);
            else this.chains.delete(key);
            this.pump();
          });
      };
      if (this.options.schedule) this.options.schedule(start);
      else start();
    }
  }
}
