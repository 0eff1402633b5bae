/**
 * The bot as a real process for the proof tests: `node --import tsx tests/proof/harness.ts`, forked with IPC.
 *
 * It runs the production entry (`main` of adapters/server) with the environment it was given, a manual clock and
 * inert quiz timers: time only moves when the parent says so, and deadlines pass only when the parent moves the
 * clock and asks for `quiz.tick`. Everything else is real: Bolt over HTTP, the store, signals, `kill -9`.
 */
import { main, type RunningServer } from '../../adapters/server/main.ts';
import type { Timers } from '../../src/index.ts';
import { ManualClock } from '../helpers/clock.ts';
import { type ChildReply, type ChildRequest, type ChildStatus, CLOCK_ENV, STORE_READS } from './protocol.ts';

const send = (message: ChildReply | ChildStatus): void => {
  process.send?.(message);
};

// A bot whose test runner died must not outlive it: losing the IPC channel ends the process.
process.on('disconnect', () => process.exit(70));

const clock = new ManualClock(Number(process.env[CLOCK_ENV] ?? Date.parse('2026-01-05T08:00:00Z')));
/** Quiz deadlines never fire by themselves; the parent moves the clock and asks for `quiz.tick`. */
const inertTimers: Timers = { setTimeout: () => ({}), clearTimeout: () => undefined };

let server: RunningServer | undefined;

async function run(request: ChildRequest): Promise<unknown> {
  if (!server) throw new Error('the server is not ready');
  const { runtime } = server;
  switch (request.cmd) {
    case 'clock.set':
      clock.set(request.ms);
      return clock.now().getTime();
    case 'clock.advance':
      clock.advance(request.ms);
      return clock.now().getTime();
    case 'clock.now':
      return clock.now().getTime();
    case 'scheduler.tick':
      return await runtime.scheduler.tick();
    case 'digests.settled':
      await runtime.scheduler.digestsSettled();
      return null;
    case 'quiz.tick':
      await runtime.bot.quiz.tick();
      return null;
    case 'store': {
      if (!(STORE_READS as readonly string[]).includes(request.method))
        throw new Error(`not a store read: ${request.method}`);
      const read = runtime.store[request.method] as (...args: unknown[]) => Promise<unknown>;
      return await read.apply(runtime.store, request.args);
    }
    case 'shutdown': {
      const code = await server.shutdown('asked by the test');
      // Exit after the reply has left, like the signal path's process.exit.
      setImmediate(() => process.exit(code));
      return code;
    }
  }
}

process.on('message', (message: ChildRequest) => {
  run(message).then(
    (value) => send({ id: message.id, ok: true, value: value ?? null }),
    (error: unknown) => send({ id: message.id, ok: false, error: String((error as Error)?.stack ?? error) }),
  );
});

const code = await main(process.env, {
  clock,
  timers: inertTimers,
  signals: true,
  onReady: (ready) => {
    server = ready;
    const slack = ready.platforms.find((p) => p.name === 'slack') as unknown as
      | { httpPort(): number | null }
      | undefined;
    send({
      type: 'ready',
      slackPort: slack?.httpPort() ?? 0,
      healthPort: ready.health?.port ?? 0,
      pid: process.pid,
    });
  },
});
if (code !== 0) {
  const failed: ChildStatus = { type: 'failed', code };
  if (process.send) process.send(failed, () => process.exit(code));
  else process.exit(code);
}
