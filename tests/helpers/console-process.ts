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

/** Runs `npm start` (or `orch <args>`) as a real process on piped stdin in `data`; resolves once it has exited. */
export async function consoleProcess(
  data: string,
  lines: readonly string[],
  env: Record<string, string> = {},
  args: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: consoleEnv(data, env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(`${[...lines, '/quit'].join('\n')}\n`);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
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
