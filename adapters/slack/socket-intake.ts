import type { App } from '@slack/bolt';
import type { Logger } from '../../src/index.ts';

/** What this guard uses of @slack/socket-mode's client (Bolt keeps it on its receiver). */
interface SocketModeClientLike {
  listeners(event: 'ws_message'): ((data: unknown, isBinary: boolean) => Promise<void>)[];
  off(event: 'ws_message', listener: (...args: unknown[]) => unknown): unknown;
  on(event: 'ws_message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  send(envelopeId: string, body?: Record<string, unknown>): Promise<void>;
}

interface SocketModeInternals {
  receiver?: { client?: SocketModeClientLike };
}

const ENVELOPE_TYPES = new Set(['events_api', 'slash_commands', 'interactive']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const textOf = (data: unknown): string | null => {
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array))
    return new TextDecoder().decode(Buffer.concat(data));
  return null;
};

/** Why a frame cannot be handed to the SDK, or null when it can. */
function malformed(frame: unknown): string | null {
  if (!isRecord(frame)) return 'the frame is not a JSON object';
  if (typeof frame.type !== 'string') return 'the frame has no type';
  if (!ENVELOPE_TYPES.has(frame.type)) return null;
  if (typeof frame.envelope_id !== 'string' || frame.envelope_id === '')
    return 'the envelope has no envelope_id';
  if (!isRecord(frame.payload)) return 'the envelope payload is not an object';
  if (
    frame.type === 'events_api' &&
    !(isRecord(frame.payload.event) && typeof frame.payload.event.type === 'string')
  )
    return 'the events_api envelope has no event';
  return null;
}

/**
 * Guards @slack/socket-mode's frame handler, which runs as an un-awaited async listener: a frame that is just
 * `null`, or an `events_api` envelope without `event`, makes it throw, and the rejection ends the process. Frames are
 * checked first (a malformed envelope is acknowledged, so Slack does not send it again, and dropped); an envelope
 * already taken (redelivered after its ack was lost with a dropped socket) is acknowledged and dropped too; and
 * anything the handler still throws is logged instead of escaping.
 */
export function guardSocketMode(
  app: App,
  options: { logger: Logger; claim: (key: string) => Promise<boolean> },
): void {
  const { logger } = options;
  const client = (app as unknown as SocketModeInternals).receiver?.client;
  if (!client)
    throw new Error('Socket Mode guard: Bolt no longer keeps its SocketModeClient on receiver.client');
  const handlers = client.listeners('ws_message');
  for (const handler of handlers) client.off('ws_message', handler as (...args: unknown[]) => unknown);
  const handOn = (data: unknown, isBinary: boolean): void => {
    for (const handler of handlers)
      Promise.resolve()
        .then(() => handler(data, isBinary))
        .catch((error: unknown) => logger.error({ err: error }, 'the Socket Mode client failed on a frame'));
  };
  const ack = (envelopeId: string): void => {
    client
      .send(envelopeId)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not acknowledge an envelope'));
  };

  client.on('ws_message', (data, isBinary) => {
    const text = isBinary ? null : textOf(data);
    if (text === null) {
      handOn(data, isBinary);
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      // The SDK logs and ignores what is not JSON.
      handOn(data, isBinary);
      return;
    }
    const problem = malformed(frame);
    if (problem) {
      logger.warn({ frame: text.slice(0, 200) }, `dropped a malformed Socket Mode frame: ${problem}`);
      if (isRecord(frame) && typeof frame.envelope_id === 'string' && frame.envelope_id !== '')
        ack(frame.envelope_id);
      return;
    }
    const envelopeId =
      isRecord(frame) && ENVELOPE_TYPES.has(String(frame.type)) ? String(frame.envelope_id) : null;
    if (!envelopeId) {
      handOn(data, isBinary);
      return;
    }
    options
      .claim(`slack:envelope:${envelopeId}`)
      .catch((error: unknown) => {
        logger.warn({ err: error, envelopeId }, 'could not claim a Socket Mode envelope; handling it anyway');
        return true;
      })
      .then((first) => {
        if (first) handOn(data, isBinary);
        else {
          logger.info({ envelopeId }, 'acknowledged a redelivered envelope without running it again');
          ack(envelopeId);
        }
      });
  });
}
