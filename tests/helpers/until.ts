// Waiting in real time for what processes and servers do on their own: a child starting, an answer arriving, a file
// change noticed. Never for a schedule or a quiz deadline: those are clock moves.

/** Polls `probe` until it returns something other than undefined/false. */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
