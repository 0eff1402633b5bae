import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { until } from './until.ts';

const BIN = join(import.meta.dirname, '../../adapters/console/bin.mjs');

/** The test's own environment with the SQLite data in `data` and a fixed language and zone, so output is stable. */
function consoleEnv(data: string, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ORCH_DATA_DIR: data,
    ORCH_DEFAULT_LANG: 'en',
    ORCH_DEFAULT_TIMEZONE: 'UTC',
    NO_COLOR: '',
    ...env,
  };
}

export interface ConsoleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `orch <args>` as a real process (adapters/console/bin.mjs) with exactly `env`, `input` piped to its stdin (none
 * when absent); resolves with all it printed once it has exited, after a SIGKILL if it outlives `timeoutMs`.
 */
export function orchProcess(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number },
): Promise<ConsoleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs `npm start` (or `orch <args>`) as a real process on piped stdin in `data`; resolves once it has exited. */
export function consoleProcess(
  data: string,
  lines: readonly string[],
  env: Record<string, string> = {},
  args: readonly string[] = [],
): Promise<ConsoleRun> {
  return orchProcess(args, { env: consoleEnv(data, env), input: `${[...lines, '/quit'].join('\n')}\n` });
}

/** util-linux `script`, which gives a child a pseudo-terminal (macOS's BSD `script` takes other arguments). */
export const HAS_PTY_SCRIPT = /util-linux/.test(
  spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout ?? '',
);

/**
 * Runs `npm start` in a pseudo-terminal (util-linux `script`) of `columns` columns, as a person at a terminal
 * would: stdout is a TTY, so the console colours, wraps and prompts. Resolves with everything the terminal showed.
 */
export async function consoleInTerminal(
  data: string,
  lines: readonly string[],
  columns: number,
  env: Record<string, string> = {},
  /** What is typed last, once the screen shows `after` (Ctrl-C means something only once the console is up). */
  last: { send: string; after: string } = { send: '/quit\n', after: '' },
): Promise<{ code: number | null; screen: string }> {
  const child = spawn(
    'script',
    ['-qec', `stty cols ${columns} rows 50; exec "${process.execPath}" "${BIN}"`, '/dev/null'],
    {
      env: consoleEnv(data, env),
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.write(lines.map((l) => `${l}\n`).join(''));
  await until(() => screen.includes(last.after), `the console to show ${last.after}`, 60_000);
  child.stdin.end(last.send);
  const code = await closed;
  return { code, screen: screen.replace(/\r/g, '') };
}
