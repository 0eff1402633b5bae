import type { AnswerWriteResult, QuizAnswer, Store } from '../store/store.ts';

/**
 * Collects the answers that arrive while a write is being prepared and stores them together: a thousand clicks in
 * one burst become a few transactions instead of a thousand, which is what keeps each click's wait short.
 */
export class AnswerBatcher {
  private pending: {
    answer: QuizAnswer;
    settle: (outcome: AnswerWriteResult) => void;
    fail: (error: unknown) => void;
  }[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;

  constructor(private readonly store: Store) {}

  /** Writes what is pending after the current turn, so the answers arriving meanwhile join the same write. */
  private schedule(): void {
    this.scheduled = true;
    setImmediate(() => {
      this.flushing = this.flush();
    });
  }

  /** Resolves once every answer added so far is written (or failed): shutdown waits for it. */
  async idle(): Promise<void> {
    while (this.scheduled || this.flushing) {
      await (this.flushing ?? new Promise((resolve) => setImmediate(resolve)));
    }
  }

  add(answer: QuizAnswer): Promise<AnswerWriteResult> {
    return new Promise((settle, fail) => {
      this.pending.push({ answer, settle, fail });
      if (!this.scheduled) this.schedule();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const outcomes = await this.store.recordAnswers(batch.map((b) => b.answer));
      batch.forEach((b, i) => {
        b.settle(outcomes[i] ?? 'closed');
      });
    } catch (error) {
      for (const b of batch) b.fail(error);
    } finally {
      this.flushing = null;
      this.scheduled = false;
      if (this.pending.length > 0) this.schedule();
    }
  }
}
