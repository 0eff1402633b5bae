import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { CONFIG_VARIABLES } from '../../src/config.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** This process's environment without any orch setting a developer may have exported (nor vitest's own). */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key in CONFIG_VARIABLES || key.startsWith('VITEST')) continue;
    env[key] = value;
  }
  return env;
}

/**
 * Forks the TypeScript file `entry` through tsx from the repo root, with `env` on top of the clean base, stdout and
 * stderr piped and an IPC channel open; `user` runs it as another user (whom file permissions stop, unlike root).
 */
export function forkEntry(
  entry: string,
  env: Record<string, string>,
  options: { args?: readonly string[]; user?: { uid: number; gid: number } | null } = {},
): ChildProcess {
  return fork(entry, options.args ?? [], {
    ...(options.user ?? {}),
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}
