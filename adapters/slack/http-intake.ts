import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Logger as BoltLogger, BufferedIncomingMessage, HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../../src/index.ts';
import { bolt } from './bolt-module.ts';

/**
 * The largest request body taken from Slack. Slash commands are about 1 KB and Events API bodies a few KB; the
 * largest real payloads are an `app_mention` carrying a full 40,000-character message twice (its `text` and its
 * rich_text `blocks`, up to ~240 KB of Korean in UTF-8) and a `block_actions` payload carrying the clicked
 * message's blocks (ours stay under 20 KB; Slack's own cap of 50 blocks is about 150 KB of text plus markup).
 * 512 KB keeps double margin over the largest; Bolt's own default is 4 MB.
 */
export const BODY_LIMIT_BYTES = 512 * 1024;
/**
 * What all requests together may hold in memory while their bodies arrive. Each is capped at BODY_LIMIT_BYTES,
 * but MAX_CONNECTIONS of them would still be 256 MB; past this total, bodies are refused (503) until some finish.
 * Real Slack traffic holds a few KB per request, so only a flood reaches it.
 */
export const BUFFERED_LIMIT_BYTES = 32 * 1024 * 1024;
/** Bolt refuses timestamps five minutes old; one from the future beyond clock skew is as much a replay. */
export const FUTURE_SKEW_SECONDS = 60;
export const MAX_CONNECTIONS = 512;
export const MAX_REQUESTS_PER_SOCKET = 1_000;
/**
 * Slack sends a whole request within a second; a client that dribbles its headers or body holds a socket and
 * memory, so both are cut off early. The check runs every second, not Node's default 30.
 */
const SERVER_OPTIONS: ServerOptions = {
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  connectionsCheckingInterval: 1_000,
};
/**
 * Longer than a load balancer's idle timeout (60 s on common ones), so the server never closes a kept-alive socket
 * just as the balancer sends a request on it (a reset the user sees as an error).
 */
const KEEP_ALIVE_MS = 65_000;

const EVENTS_PATH = '/slack/events';

/**
 * Bolt's HTTP receiver with a guard in front of it. Bolt buffers up to 4 MB of any body before it checks the
 * signature, and throws outside any handler on a signed body that is not an object (`null`, `payload=null`), which
 * ends the process. The guard reads the body itself within the limits above (413 or 503 with `Connection: close`
 * past them), refuses timestamps from the future (401), refuses signed bodies that are not a JSON object (400),
 * and hands Bolt the buffered request, which Bolt then reads instead of the socket.
 */
export function slackHttpReceiver(options: {
  signingSecret: string;
  logger: Logger;
  boltLogger: BoltLogger;
}): HTTPReceiver {
  const { signingSecret, logger } = options;
  const receiver = new bolt.HTTPReceiver({
    signingSecret,
    logger: options.boltLogger,
    bodyLimit: BODY_LIMIT_BYTES,
  });
  const boltListener = receiver.requestListener;
  let buffered = 0;

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, message: string): void => {
    req.removeAllListeners('data');
    // Whatever is still on the wire is discarded; the socket closes once the answer is out, so a flood of large
    // bodies cannot keep its connections open and send again.
    req.resume();
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    res.writeHead(status, { Connection: 'close', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${message}\n`);
  };

  const checked = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(timestamp) && timestamp > Date.now() / 1000 + FUTURE_SKEW_SECONDS) {
      logger.warn({ timestamp }, 'refused a Slack request with a timestamp in the future');
      refuse(req, res, 401, 'x-slack-request-timestamp is in the future');
      return;
    }
    const signature = req.headers['x-slack-signature'];
    const buffer = Object.assign(req, { rawBody: raw }) as BufferedIncomingMessage;
    // Unsigned and forged requests go to Bolt as they are: it answers them 401 and logs why.
    if (
      typeof signature === 'string' &&
      bolt.isValidSlackRequest({
        signingSecret,
        body: raw.toString(),
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      })
    ) {
      let body: unknown;
      try {
        body = bolt.HTTPModuleFunctions.parseHTTPRequestBody(buffer);
      } catch {
        refuse(req, res, 400, 'the body is neither JSON nor a form with a JSON payload');
        return;
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        logger.warn(
          { type: body === null ? 'null' : typeof body },
          'refused a signed Slack body that is not an object',
        );
        refuse(req, res, 400, 'the body (or its payload field) must be a JSON object');
        return;
      }
    }
    boltListener(buffer, res);
  };

  receiver.requestListener = (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith(EVENTS_PATH)) {
      boltListener(req, res);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > BODY_LIMIT_BYTES) {
      refuse(req, res, 413, `the body is larger than ${BODY_LIMIT_BYTES} bytes`);
      return;
    }
    const chunks: Buffer[] = [];
    let held = 0;
    let done = false;
    const release = () => {
      buffered -= held;
      held = 0;
      done = true;
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      held += chunk.length;
      buffered += chunk.length;
      if (held > BODY_LIMIT_BYTES) {
        release();
        refuse(req, res, 413, `the body is larger than ${BODY_LIMIT_BYTES} bytes`);
      } else if (buffered > BUFFERED_LIMIT_BYTES) {
        release();
        refuse(req, res, 503, 'too many request bodies in flight; try again');
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      release();
      try {
        checked(req, res, Buffer.concat(chunks));
      } catch (error) {
        logger.error({ err: error }, 'the Slack request guard failed');
        refuse(req, res, 500, 'internal error');
      }
    });
    req.on('close', () => {
      if (!done) release();
    });
  };

  const start = receiver.start.bind(receiver) as (
    listen: Parameters<HTTPReceiver['start']>[0],
    serverOptions?: ServerOptions,
  ) => Promise<Server>;
  receiver.start = (async (listen: Parameters<HTTPReceiver['start']>[0], serverOptions?: ServerOptions) => {
    const server = await start(listen, { ...SERVER_OPTIONS, ...serverOptions });
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.maxConnections = MAX_CONNECTIONS;
    server.maxRequestsPerSocket = MAX_REQUESTS_PER_SOCKET;
    return server;
  }) as HTTPReceiver['start'];
  return receiver;
}
