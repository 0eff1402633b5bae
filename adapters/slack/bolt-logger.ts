import type { Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../src/index.ts';
import { bolt } from './bolt-module.ts';

const RANK: Record<LogLevel, number> = {
  [bolt.LogLevel.DEBUG]: 0,
  [bolt.LogLevel.INFO]: 1,
  [bolt.LogLevel.WARN]: 2,
  [bolt.LogLevel.ERROR]: 3,
};

/**
 * Bolt's, the Web API client's and the Socket Mode client's logging, routed through our logger: their default
 * console logger prints coloured text outside the JSON log, unredacted and not counted in orch_errors_total.
 * Their calls pass loose arguments (strings, errors, objects); the first error becomes `err`, the rest the message.
 */
export function boltLogger(logger: Logger, name = 'bolt'): BoltLogger {
  let level = bolt.LogLevel.INFO;
  let component = name;
  const write =
    (at: LogLevel, out: (fields: Record<string, unknown>, message: string) => void) =>
    (...parts: unknown[]): void => {
      if (RANK[at] < RANK[level]) return;
      const err = parts.find((part) => part instanceof Error);
      const message = parts
        .filter((part) => part !== err)
        .map((part) => (typeof part === 'string' ? part : safeJson(part)))
        .join(' ');
      out(err ? { component, err } : { component }, message);
    };
  return {
    debug: write(bolt.LogLevel.DEBUG, (f, m) => logger.debug(f, m)),
    info: write(bolt.LogLevel.INFO, (f, m) => logger.info(f, m)),
    warn: write(bolt.LogLevel.WARN, (f, m) => logger.warn(f, m)),
    error: write(bolt.LogLevel.ERROR, (f, m) => logger.error(f, m)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      component = next;
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
