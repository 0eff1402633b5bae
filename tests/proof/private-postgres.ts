/**
 * A PostgreSQL cluster of one test's own, so the test may stop and start it under the bot without touching the
 * machine's shared server (which other test files use at the same time). initdb into a temp dir, on a free port,
 * listening on 127.0.0.1 only; as the `postgres` user when the test runs as root (postgres refuses root).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The directory holding initdb and pg_ctl of the newest PostgreSQL installed, or null. */
export function postgresBinaries(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')) && existsSync(join(base, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

/** uid and gid of the `postgres` system user, from /etc/passwd. */
function postgresUser(): { uid: number; gid: number } | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running private cluster. */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly url: string;
  /** pg_ctl stop -m fast: sessions are terminated, the server checkpoints and exits. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it (immediately) and removes its files; safe to call twice. */
  destroy(): Promise<void>;
}

const live = new Set<() => void>();
// A test runner that exits without its clean-up (a crash, a timeout) must not leave clusters running.
process.once('exit', () => {
  for (const stop of live) stop();
});

/** initdb + start; the caller must destroy() it (Proof does so through onCleanup). */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql/*/bin (initdb, pg_ctl)');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : null;
  if (asRoot && !owner)
    throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  // Short: the Unix socket lives here too, and socket paths are limited to about 100 bytes.
  const dir = await mkdtemp(join(tmpdir(), 'orch-pg-'));
  if (owner) await chown(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();
  const command = (tool: string, args: string[]): [string, string[]] =>
    owner ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const pgCtl = async (args: string[]) => {
    const [file, argv] = command('pg_ctl', ['-D', data, ...args]);
    try {
      await run(file, argv, { timeout: 60_000 });
    } catch (error) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-4_000) : '';
      throw new Error(`pg_ctl ${args.join(' ')} failed: ${(error as Error).message}\n${tail}`);
    }
  };
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    // Durability against power loss is not what this test is about; a fast shutdown flushes everything anyway.
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=50',
  ].join(' ');

  let running = false;
  const stopNow = () => {
    if (!running) return;
    running = false;
    const [file, argv] = command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    try {
      execFileSync(file, argv, { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Already stopped.
    }
  };

  const [initdb, initArgs] = command('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ]);
  try {
    await run(initdb, initArgs, { timeout: 60_000 });
    const cluster: PrivatePostgres = {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async start() {
        await pgCtl(['-l', log, '-o', options, '-w', '-t', '60', 'start']);
        running = true;
      },
      async stop() {
        await pgCtl(['-m', 'fast', '-w', '-t', '60', 'stop']);
        running = false;
      },
      async destroy() {
        stopNow();
        live.delete(stopNow);
        await rm(dir, { recursive: true, force: true });
      },
    };
    live.add(stopNow);
    await cluster.start();
    return cluster;
  } catch (error) {
    stopNow();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
