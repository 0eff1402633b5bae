/**
 * The server process for the tests of its own behaviour (faults, shutdown, readiness, start-up): tests/proof/
 * fault-entry.ts forked with the given environment, every line of its output kept. The operator port is chosen
 * before the start, so /healthz and /readyz can be probed while the process is still waiting for its store.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { forkEntry } from '../helpers/fork-entry.ts';
import { until } from '../helpers/until.ts';
import type { Exit } from './child.ts';
import type { FaultRequest, FaultStatus } from './fault-entry.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'tests', 'proof', 'fault-entry.ts');

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export class ServerProcess {
  readonly exited: Promise<Exit>;
  readonly health: string;
  private readonly chunks: string[] = [];
  private readonly statuses: FaultStatus[] = [];
  private gone: Exit | null = null;

  constructor(
    private readonly child: ChildProcess,
    healthPort: number,
  ) {
    this.health = `http://127.0.0.1:${healthPort}`;
    const keep = (chunk: Buffer) => this.chunks.push(chunk.toString('utf8'));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (message: FaultStatus) => this.statuses.push(message));
    this.exited = new Promise((done) =>
      child.once('exit', (code, signal) => {
        this.gone = { code, signal };
        done(this.gone);
      }),
    );
  }

  get alive(): boolean {
    return this.gone === null;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Everything written on stdout and stderr. */
  output(): string {
    return this.chunks.join('');
  }

  /** The JSON log lines written so far. */
  logs(): Record<string, unknown>[] {
    return this.lines().flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Output lines that are not JSON objects (anything printed outside pino). */
  notJson(): string[] {
    return this.lines().filter((line) => {
      try {
        const value = JSON.parse(line) as unknown;
        return typeof value !== 'object' || value === null;
      } catch {
        return true;
      }
    });
  }

  private lines(): string[] {
    return this.output()
      .split('\n')
      .filter((line) => line.trim() !== '');
  }

  /** Resolves with the ready message (ports), or rejects with the output when the process fails or exits first. */
  async ready(timeoutMs = 30_000): Promise<Extract<FaultStatus, { type: 'ready' }>> {
    return until(
      () => {
        const failed = this.statuses.find((s) => s.type === 'failed');
        if (failed || !this.alive) throw new Error(`the server did not start:\n${this.output()}`);
        return this.statuses.find((s) => s.type === 'ready') as Extract<FaultStatus, { type: 'ready' }>;
      },
      'the server to be ready',
      timeoutMs,
    );
  }

  /** Sets off a fault in the process and resolves once it did so. */
  async fault(what: FaultRequest): Promise<void> {
    const before = this.statuses.filter((s) => s.type === 'done' && s.what === what).length;
    this.child.send(what);
    await until(
      () => this.statuses.filter((s) => s.type === 'done' && s.what === what).length > before,
      `the fault ${what}`,
    );
  }

  /** A log line whose message matches. */
  logLine(message: RegExp): Record<string, unknown> | undefined {
    return this.logs().find((l) => message.test(String(l.message)));
  }

  /**
   * Waits for a log line whose message matches: the process writes its log through its own stream, which can reach
   * this side after the IPC message that said the fault was set off.
   */
  async awaitLogLine(message: RegExp): Promise<Record<string, unknown> | undefined> {
    await until(() => this.logLine(message) !== undefined, `a log line matching ${message}`).catch(
      () => undefined,
    );
    return this.logLine(message);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  async kill(): Promise<Exit> {
    this.signal('SIGKILL');
    return this.exited;
  }
}

/** Forks the server with `env` on top of a clean base and ORCH_HEALTH_PORT on a free port; does not wait. */
export async function spawnServer(
  env: Record<string, string>,
  /** Another user to run as (a test running as root, whom file permissions do not stop). */
  user: { uid: number; gid: number } | null = null,
): Promise<ServerProcess> {
  const healthPort = await freePort();
  const child = forkEntry(ENTRY, { ORCH_HEALTH_PORT: String(healthPort), ...env }, { user });
  return new ServerProcess(child, healthPort);
}

/** The HTTP status of a GET on the operator port (0 when nothing answers). */
export async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** The environment of a server in Slack HTTP mode against a fake Slack at `apiUrl`, its data in `dataDir`. */
export function slackServerEnv(apiUrl: string, dataDir: string, extra: Record<string, string> = {}) {
  return {
    SLACK_BOT_TOKEN: 'xoxb-server-process',
    SLACK_SIGNING_SECRET: 'server-process-secret',
    SLACK_MODE: 'http',
    SLACK_API_URL: apiUrl,
    PORT: '0',
    ORCH_CATALOG_WATCH: 'off',
    ORCH_LOG_LEVEL: 'info',
    ORCH_DEFAULT_LANG: 'en',
    ORCH_DATA_DIR: dataDir,
    // No dotenv file: a developer's own .env cannot change the test.
    ORCH_ENV_FILE: '/dev/null',
    ...extra,
  };
}
