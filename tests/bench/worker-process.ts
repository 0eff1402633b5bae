import { type ChildProcess, fork } from 'node:child_process';

/** A request to the worker process and its answer, matched by `seq`. */
export type WorkerAnswer =
  | { seq: number; ok: true; value: unknown }
  | { seq: number; ok: false; error: string };

/** A bench's helper process (fakes, load generators): started, asked for jobs over IPC, stopped. */
export interface WorkerProcess<Ready, Job> {
  /** What the worker sent when it was ready (its servers' URLs). */
  ready: Ready;
  ask(job: Job): Promise<unknown>;
  /** Sends the stop job, then waits for the process to end (killing it after 5 s). */
  stop(stopJob: Job): Promise<void>;
}

/**
 * Forks `moduleUrl` again with `flag` set in its environment (the module then runs its worker side), waits for its
 * `{ ready: true, ...ready }` message, and returns a request/answer channel to it. `name` words the errors.
 */
export async function startWorkerProcess<Ready, Job>(
  moduleUrl: string,
  flag: string,
  name: string,
): Promise<WorkerProcess<Ready, Job>> {
  const child: ChildProcess = fork(new URL(moduleUrl), [], {
    execArgv: process.execArgv,
    env: { ...process.env, [flag]: '1' },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let seq = 0;
  let failed: Error | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => {
      failed = new Error(`the ${name} exited (code ${code})`);
      reject(failed);
      for (const p of pending.values()) p.reject(failed);
      pending.clear();
    });
    child.on('message', (message: WorkerAnswer | ({ ready: true } & Ready)) => {
      if ('ready' in message) return resolve(message);
      const p = pending.get(message.seq);
      pending.delete(message.seq);
      if (message.ok) p?.resolve(message.value);
      else p?.reject(new Error(`${name}: ${message.error}`));
    });
  });
  const ask = (job: Job): Promise<unknown> => {
    if (failed) return Promise.reject(failed);
    const id = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ seq: id, job });
    });
  };
  return {
    ready,
    ask,
    async stop(stopJob) {
      if (!failed) await ask(stopJob).catch(() => undefined);
      const timer = setTimeout(() => child.kill(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
