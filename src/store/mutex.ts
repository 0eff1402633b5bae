/** Runs async tasks one at a time, in the order they were queued. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every task queued before it has settled; its result or error is passed through. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The chain must survive a failed task, or every later task would be rejected with its error.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
