/**
 * Counts work in progress (events taken but not yet answered) and tells when none is left: what a graceful
 * shutdown waits for after it stopped taking new events.
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  begin(): void {
    this.count++;
  }

  /** Ends one piece of work begun with `begin`. */
  end(): void {
    if (--this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const done of waiters) done();
  }

  /** Resolves once nothing is in progress (at once when nothing is). */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
    });
  }
}
