import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { forkEntry } from '../helpers/fork-entry.ts';
import { type ChildReply, type ChildRequest, type ChildStatus, CLOCK_ENV } from './protocol.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const HARNESS = join(ROOT, 'tests', 'proof', 'harness.ts');
// Start-up compiles the sources with tsx; on a busy 2-core CI runner that can take several seconds.
const READY_TIMEOUT_MS = 30_000;
const CALL_TIMEOUT_MS = 30_000;
const OUTPUT_LIMIT = 1_000_000;

type Request = ChildRequest extends infer R ? (R extends ChildRequest ? Omit<R, 'id'> : never) : never;

/** How a bot process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One bot process (adapters/server main under tests/proof/harness.ts), driven over IPC and HTTP. */
export class BotProcess {
  /** The Slack request URL (`/slack/events`) of this process. */
  readonly events: string;
  /** Base URL of /healthz, /readyz and /metrics. */
  readonly health: string;
  readonly pid: number;
  readonly exited: Promise<Exit>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private gone: Exit | null = null;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    ready: Extract<ChildStatus, { type: 'ready' }>,
    private readonly output: string[],
  ) {
    this.events = `http://127.0.0.1:${ready.slackPort}/slack/events`;
    this.health = `http://127.0.0.1:${ready.healthPort}`;
    this.pid = ready.pid;
    this.exited = new Promise<Exit>((done) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        this.gone ??= { code, signal };
        for (const call of this.pending.values())
          call.reject(new Error(`${name} exited (${signal ?? code}) before answering`));
        this.pending.clear();
        done(this.gone);
      };
      if (child.exitCode !== null || child.signalCode !== null) finish(child.exitCode, child.signalCode);
      else child.once('exit', finish);
    });
    child.on('message', (message: ChildReply) => {
      if (typeof message !== 'object' || message === null || !('id' in message)) return;
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new Error(`${name}: ${message.error}`));
    });
  }

  get alive(): boolean {
    return this.gone === null;
  }

  /** Sends a request over IPC and resolves with the child's answer. */
  call<T = unknown>(request: Request): Promise<T> {
    if (!this.alive) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} did not answer ${request.cmd} within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ ...request, id } as ChildRequest, (error) => {
        if (error) this.pending.get(id)?.reject(error);
      });
    });
  }

  /** `kill -9`: no shutdown code runs, nothing is flushed. Resolves once the process is gone. */
  async kill9(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (the graceful shutdown of the real process); resolves with how it ended. */
  async terminate(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Everything the process wrote on stdout and stderr (pino JSON lines), for a failing test's report. */
  log(): string {
    return this.output.join('');
  }
}

/**
 * Starts a bot process with `env` (on top of a clean base) and its manual clock at `clockMs`; resolves when it is
 * ready (Slack listening, health server up), rejects with its output when it fails to start.
 */
export async function startBot(
  name: string,
  env: Record<string, string>,
  clockMs: number,
): Promise<BotProcess> {
  const child = forkEntry(HARNESS, { ...env, [CLOCK_ENV]: String(clockMs) });
  const output: string[] = [];
  let size = 0;
  const keep = (chunk: Buffer) => {
    if (size > OUTPUT_LIMIT) return;
    size += chunk.length;
    output.push(chunk.toString('utf8'));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const listeners: { exit?: () => void; message?: (m: ChildStatus) => void } = {};
  const ready = await new Promise<Extract<ChildStatus, { type: 'ready' }>>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start: ${why}\n${output.join('')}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    listeners.message = (message) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (message?.type === 'failed') fail(`main() returned ${message.code}`);
    };
    listeners.exit = () => fail(`exited (${child.signalCode ?? child.exitCode})`);
    child.on('message', listeners.message);
    child.once('exit', listeners.exit);
    child.once('error', (error) => fail(error.message));
  });
  if (listeners.exit) child.off('exit', listeners.exit);
  if (listeners.message) child.off('message', listeners.message);
  return new BotProcess(name, child, ready, output);
}
