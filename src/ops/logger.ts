import { createRequire } from 'node:module';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

type Pino = typeof import('pino').default;

// pino on first use: the server logs through it, the console and `orch ask` never do.
let loaded: Pino | undefined;
const pinoLib = (): Pino => {
  loaded ??= createRequire(import.meta.url)('pino') as Pino;
  return loaded;
};

import type { Logger } from '../ports.ts';

/** Field paths whose values are never written: tokens, secrets, connection strings and auth headers, at any depth. */
export const REDACTED_PATHS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'password',
  'databaseUrl',
  'authorization',
  '*.token',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.secret',
  '*.password',
  '*.databaseUrl',
  '*.authorization',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
] as const;

/** A token-shaped string anywhere in a message or an error text: Slack tokens, Discord bot tokens, URL passwords. */
const SECRET_TEXT =
  /\b(xox[abposr]-[A-Za-z0-9-]{6,}|xapp-[A-Za-z0-9-]{6,}|[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40})\b|(?<=:\/\/[^/\s:@]+:)[^@\s/]+(?=@)/g;

/** Masks secrets that slipped into free text (an SDK's error message that quotes a token or a connection URL). */
export function maskSecrets(text: string): string {
  return text.replace(SECRET_TEXT, '[redacted]');
}

export interface PinoLoggerOptions {
  level?: string;
  /** Where lines go (default stdout); tests hand in a stream to read them. */
  destination?: DestinationStream;
  /** Fields on every line, e.g. the process's instance id. */
  base?: Record<string, unknown>;
  /** Called for every error line (the server counts them in orch_errors_total). */
  onError?: (fields: Record<string, unknown>) => void;
}

/**
 * The process logger: pino JSON lines with secrets redacted by path and by shape. `child` adds request-scoped
 * fields (platform, channel, command) to every line of one request.
 */
export function createPinoLogger(options: PinoLoggerOptions = {}): ProcessLogger {
  const pino = pinoLib();
  const root = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? { pid: process.pid },
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      serializers: {
        err: (error: unknown) => {
          const serialized = pino.stdSerializers.err(error as Error);
          if (!serialized || typeof serialized !== 'object') return { message: maskSecrets(String(error)) };
          return {
            type: serialized.type,
            message: maskSecrets(String(serialized.message ?? '')),
            stack: serialized.stack ? maskSecrets(serialized.stack) : undefined,
            ...('code' in serialized ? { code: (serialized as { code?: unknown }).code } : {}),
          };
        },
      },
      hooks: {
        logMethod(args, method) {
          // Messages are ours, but they may quote an SDK's text; mask token shapes there as well.
          const [first, second, ...rest] = args as unknown[];
          if (typeof second === 'string')
            return method.apply(this, [first, maskSecrets(second), ...rest] as never);
          if (typeof first === 'string')
            return method.apply(this, [maskSecrets(first), second, ...rest] as never);
          return method.apply(this, args);
        },
      },
    },
    // Synchronous: a line logged just before a crash (or a kill -9) is not lost in a buffer.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return wrap(root, options.onError);
}

/** The process's logger: the core's Logger port plus request-scoped children and a flush before exit. */
export interface ProcessLogger extends Logger {
  child(fields: Record<string, unknown>): ProcessLogger;
  flush(): void;
}

function wrap(instance: PinoLogger, onError?: (fields: Record<string, unknown>) => void): ProcessLogger {
  return {
    debug: (fields, message) => instance.debug(fields, message),
    info: (fields, message) => instance.info(fields, message),
    warn: (fields, message) => instance.warn(fields, message),
    error: (fields, message) => {
      onError?.({ ...instance.bindings(), ...fields });
      instance.error(fields, message);
    },
    child: (fields) => wrap(instance.child(fields), onError),
    flush: () => instance.flush(),
  };
}
