import { isAbsolute, join } from 'node:path';
import { isLang, type Lang } from './i18n/messages.ts';

/** The bot's settings, parsed from an environment object handed in (the adapters' main hands in the process environment). */
export interface Config {
  catalogDir: string;
  /** An imported landscape snapshot to merge under the curated catalog, if the file exists. */
  landscapeFile: string;
  /** True when the landscape file was named explicitly, so its absence is an error rather than "not imported yet". */
  landscapeRequired: boolean;
  defaultLang: Lang;
  dataDir: string;
}

/** Either a config, or every problem with the environment at once. */
export type ConfigLoad = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Documented variables, for .env.example and the problem messages. */
export const CONFIG_VARIABLES = {
  ORCH_CATALOG_DIR: 'folder of the curated catalog (default: ./catalog)',
  ORCH_DATA_DIR: 'folder for local data: the SQLite file, the imported landscape (default: ./data)',
  ORCH_LANDSCAPE_FILE: 'imported landscape snapshot (default: <data dir>/landscape.json, used when present)',
  ORCH_DEFAULT_LANG: 'answer language when nothing else decides: ko or en (default: ko)',
} as const;

/** Parses the environment; `root` resolves relative paths (the project folder). */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, root: string): ConfigLoad {
  const problems: string[] = [];
  const path = (value: string): string => (isAbsolute(value) ? value : join(root, value));
  const nonEmpty = (name: keyof typeof CONFIG_VARIABLES): string | undefined => {
    const value = env[name];
    if (value === undefined) return undefined;
    if (value.trim() === '') {
      problems.push(`${name} is set but empty: ${CONFIG_VARIABLES[name]}`);
      return undefined;
    }
    return value.trim();
  };

  const lang = nonEmpty('ORCH_DEFAULT_LANG') ?? 'ko';
  if (!isLang(lang)) problems.push(`ORCH_DEFAULT_LANG must be ko or en, not "${lang}"`);
  const dataDir = path(nonEmpty('ORCH_DATA_DIR') ?? 'data');
  const landscape = nonEmpty('ORCH_LANDSCAPE_FILE');

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      catalogDir: path(nonEmpty('ORCH_CATALOG_DIR') ?? 'catalog'),
      dataDir,
      landscapeFile: landscape ? path(landscape) : join(dataDir, 'landscape.json'),
      landscapeRequired: landscape !== undefined,
      defaultLang: isLang(lang) ? lang : 'ko',
    },
  };
}
