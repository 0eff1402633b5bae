import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment a process should configure itself from: its own variables over those of a dotenv file
 * (`ORCH_ENV_FILE`, or `.env` in `root` when present), so a value set by the container or the shell always wins.
 * A named file that is missing is a problem; a missing default `.env` is not.
 */
export function withEnvFile(
  env: Readonly<Record<string, string | undefined>>,
  root: string,
): { env: Record<string, string | undefined>; file: string | null; problem: string | null } {
  const named = env.ORCH_ENV_FILE?.trim();
  const file = named ? (isAbsolute(named) ? named : join(root, named)) : join(root, '.env');
  if (!existsSync(file)) {
    return {
      env: { ...env },
      file: null,
      problem: named ? `ORCH_ENV_FILE names ${named}, which does not exist` : null,
    };
  }
  let parsed: Record<string, string>;
  try {
    parsed = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    return { env: { ...env }, file, problem: `cannot read ${file}: ${(error as Error).message}` };
  }
  return { env: { ...parsed, ...definedOnly(env) }, file, problem: null };
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}
