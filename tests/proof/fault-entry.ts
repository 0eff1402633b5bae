/**
 * The production entry (`main` of adapters/server) with a few faults a test can set off over IPC, so the process-level
 * handlers are tested against the real process without a backdoor in production code:
 * - `reject`: a promise rejected and never awaited;
 * - `throw`: an exception thrown from a callback, outside any try;
 * - `cron-fails`: the store's due-channel scan fails, then node-cron runs the lesson scheduler's task as if its minute
 *   had come (time is not waited for).
 * Unlike tests/proof/harness.ts it keeps the real clock and timers: what these tests look at is the process itself.
 */
import cron from 'node-cron';
import { main, type RunningServer } from '../../adapters/server/main.ts';

export type FaultRequest = 'reject' | 'throw' | 'cron-fails';
export type FaultStatus =
  | { type: 'ready'; slackPort: number; healthPort: number }
  | { type: 'done'; what: FaultRequest }
  | { type: 'failed'; code: number };

const send = (message: FaultStatus) => process.send?.(message);
process.on('disconnect', () => process.exit(70));

let server: RunningServer | undefined;

process.on('message', async (what: FaultRequest) => {
  if (what === 'reject') void Promise.reject(new Error('a rejection nobody awaited'));
  else if (what === 'throw')
    setImmediate(() => {
      throw new Error('an exception out of a callback');
    });
  else if (what === 'cron-fails' && server) {
    const store = server.runtime.store;
    // A token-shaped text in the error: the log line must carry the error, masked.
    store.dueChannels = () => Promise.reject(new Error('store unavailable (xoxb-1234567890-abcdefghij)'));
    const task = [...cron.getTasks().values()].find((t) => t.name === 'orch-lesson-scheduler');
    await task?.execute().catch(() => undefined);
  }
  send({ type: 'done', what });
});

const code = await main(process.env, {
  onReady: (ready) => {
    server = ready;
    const slack = ready.platforms.find((p) => p.httpPort);
    send({ type: 'ready', slackPort: slack?.httpPort?.() ?? 0, healthPort: ready.health?.port ?? 0 });
  },
});
if (code !== 0) {
  const failed: FaultStatus = { type: 'failed', code };
  if (process.send) process.send(failed, () => process.exit(code));
  else process.exit(code);
}
