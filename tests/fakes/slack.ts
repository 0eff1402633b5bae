/**
 * A wire-level fake of Slack for adapter tests: the Web API (`POST /api/<method>`), `response_url`
 * endpoints and a Socket Mode WebSocket server, all on 127.0.0.1 with an ephemeral port.
 *
 * Point the real clients at it:
 *   new WebClient('xoxb-1', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } })
 *   new App({ token, appToken, socketMode: true, clientOptions: { slackApiUrl: fake.apiUrl } })
 *
 * It speaks Slack's protocol only and imports nothing from src/ (see tests/architecture.test.ts).
 * The facts it follows are written up for readers in the chat-protocols reference of the project's shared folder,
 * which sits beside the repository and is not part of a clone. No file is read from there: the fake needs nothing
 * outside the repository.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

// ---------------------------------------------------------------------------------------------------------
// Types

export interface FakeSlackOptions {
  /** Workspace id answered by auth.test and used in payload defaults. Default 'T1'. */
  teamId?: string;
  /** The bot's user id. Default 'UBOT'. */
  botUserId?: string;
  /** The bot id. Default 'BBOT'. */
  botId?: string;
  /** The app id sent in Socket Mode hello. Default 'A1'. */
  appId?: string;
  /** Users known to users.info (the bot user is always present). */
  users?: FakeSlackUserInput[];
  /** How long sendEnvelope waits for the client's ack. Default 3000 ms (Slack's 3-second rule). */
  ackTimeoutMs?: number;
  /** Whether the app's Home tab is turned on (views.publish answers `not_enabled` otherwise). Default true. */
  homeTabEnabled?: boolean;
  /**
   * A network round trip added to every Web API and response_url request (half before Slack applies it, half
   * before its answer leaves), as a real call across the internet costs. Default 0: loopback speed.
   */
  rttMs?: number;
  /** Rate limits enforced with 429 and Retry-After, as Slack does; none by default. See FakeSlackRateLimit. */
  rateLimits?: Record<string, FakeSlackRateLimit>;
  /** The largest upload files.getUploadURLExternal accepts (file_upload_size_restricted above). Default 1 GB. */
  maxUploadBytes?: number;
}

/** A view published to a member's Home tab, as views.publish stored it. */
export interface FakeSlackHomeView {
  id: string;
  user: string;
  hash: string;
  /** The view as sent (type, blocks, …). */
  view: Record<string, unknown>;
  /** Every view published to this member so far, oldest first (the last is `view`). */
  history: Record<string, unknown>[];
}

/**
 * A token bucket per method (key: the Web API method, or `response_url` for every response_url POST): `perMinute`
 * tokens come back evenly over a minute, up to `burst` (default `perMinute`). With `perChannel` each channel has a
 * bucket of its own, as chat.postMessage's "one message per second per channel" is
 * (https://api.slack.com/docs/rate-limits). A call finding its bucket empty gets 429 `ratelimited` with
 * `Retry-After` in whole seconds (Slack's format), until a token is back.
 */
export interface FakeSlackRateLimit {
  perMinute: number;
  burst?: number;
  perChannel?: boolean;
}

/** One request refused with 429 by a rate limit (not by `failNext`). */
export interface FakeSlackRateLimited {
  method: string;
  channel: string | null;
  at: number;
}

/** One Web API request, recorded before any failure injection is applied. */
export interface FakeSlackCall {
  method: string;
  /** From `Authorization: Bearer …`, else a `token` form field; null when absent. */
  token: string | null;
  /** Form fields / JSON body (plus query string); `blocks`, `metadata`, … JSON-decoded. */
  args: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface FakeSlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface FakeSlackEdit {
  /** The edit's own timestamp (Slack's `edited.ts`). */
  ts: string;
  text: string;
  blocks: unknown[] | undefined;
  metadata: FakeSlackMetadata | undefined;
  at: number;
}

/** A message as the fake stores it (current state). */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  /** Author: the bot user for chat.postMessage. */
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  metadata: FakeSlackMetadata | undefined;
  thread_ts: string | undefined;
  bot_id: string | undefined;
  /** Every chat.update applied to this message, oldest first, with the content it set. */
  edits: FakeSlackEdit[];
  /** Files shared with the message (files.completeUploadExternal). */
  files?: FakeSlackFile[];
}

/** A file uploaded through files.getUploadURLExternal, its upload URL and files.completeUploadExternal. */
export interface FakeSlackFile {
  id: string;
  name: string;
  title: string;
  /** The bytes POSTed to the upload URL; null until they arrive. */
  bytes: Buffer | null;
  /** The length announced to getUploadURLExternal. */
  length: number;
  /** The description for screen readers, and the argument name it arrived under (the docs say alt_txt). */
  alt: string | null;
  altField: 'alt_txt' | 'alt_text' | null;
  /** True once completeUploadExternal finished it. */
  completed: boolean;
}

export interface FakeSlackEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts: string | undefined;
  message_ts: string;
  at: number;
}

/** A modal opened with views.open, as the fake keeps it. */
export interface FakeSlackView {
  /** Slack's view id (`V…`). */
  id: string;
  /** The view object as sent (type, callback_id, private_metadata, title, submit, blocks). */
  view: Record<string, unknown>;
  trigger_id: string;
  at: number;
}

export interface FakeSlackResponse {
  /** The id given to fake.responseUrl(id). */
  id: string;
  /** The JSON body (or the raw text if it was not JSON). */
  body: unknown;
  at: number;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  real_name: string;
  display_name: string;
  is_admin: boolean;
  is_owner: boolean;
  is_bot: boolean;
  deleted: boolean;
  tz: string;
  /** Only returned when users.info is called with include_locale=true, as Slack does. */
  locale: string;
}

export type FakeSlackUserInput = Partial<FakeSlackUser> & { id: string };

/**
 * What the next call of a method does instead of its normal answer:
 * - `{ status: 429, retryAfter: 1 }` → 429 with `Retry-After: 1` (omit retryAfter for no header);
 * - `{ status: 500 }` (any non-200) → that status with a plain-text body;
 * - `{ error: 'channel_not_found' }` → 200 `{ ok: false, error }`.
 */
export type FakeSlackFailure = { status: number; retryAfter?: number } | { error: string };

/**
 * A held Web API call (see `holdNext`): Slack has applied it (a posted message is in the history) but its HTTP
 * answer is withheld, as when the network or the caller dies after Slack accepted a request.
 */
export interface FakeSlackHold {
  /** Resolves with the call once it arrived and was applied; its answer is then waiting for `release()`. */
  readonly arrived: Promise<FakeSlackCall>;
  /** Sends the withheld answer (a no-op when the caller is gone or the call never came). */
  release(): void;
}

export interface FakeSlackSeedMessage {
  channel: string;
  user: string;
  text: string;
  ts?: string;
  thread_ts?: string;
  blocks?: unknown[];
  metadata?: FakeSlackMetadata;
}

export type FakeSlackEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface FakeSlackEnvelope {
  envelope_id: string;
  type: FakeSlackEnvelopeType;
  accepts_response_payload: boolean;
  payload: unknown;
  retry_attempt: number;
  retry_reason: string;
}

export interface SendEnvelopeOptions {
  /** Default: true for slash_commands and for view_submission/block_suggestion interactions, else false. */
  acceptsResponsePayload?: boolean;
  retryAttempt?: number;
  retryReason?: string;
  /** Overrides the fake's ackTimeoutMs. */
  timeoutMs?: number;
}

/** What the Socket Mode client sent back for an envelope. */
export interface FakeSlackAck {
  envelope_id: string;
  payload?: unknown;
}

export interface FakeSlack {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/api/` — pass as `slackApiUrl`. */
  readonly apiUrl: string;
  readonly port: number;
  readonly calls: FakeSlackCall[];
  /** Files uploaded through the upload v2 methods, by id. */
  readonly files: Map<string, FakeSlackFile>;
  /** Per-channel history, oldest first (top-level messages and thread replies). */
  readonly messages: Map<string, FakeSlackMessage[]>;
  readonly ephemerals: FakeSlackEphemeral[];
  /** Each member's published Home tab, by user id. */
  readonly homeViews: Map<string, FakeSlackHomeView>;
  readonly responses: FakeSlackResponse[];
  /** Modals opened with views.open, oldest first. */
  readonly views: FakeSlackView[];
  /** Every ack received over Socket Mode, in arrival order. */
  readonly acks: FakeSlackAck[];
  /** Requests refused by `rateLimits`, in order. */
  readonly rateLimited: FakeSlackRateLimited[];
  /** Changes the added round trip (see FakeSlackOptions.rttMs) from the next request on. */
  setRtt(ms: number): void;
  /** Envelopes sent over Socket Mode, in order. */
  readonly envelopes: FakeSlackEnvelope[];
  /** Socket Mode connections that have received hello so far (reconnects count). */
  readonly socketConnections: number;
  callsTo(method: string): FakeSlackCall[];
  /**
   * The `app_home_opened` event Slack sends when `user` opens the app's Home tab: `view` (with its id and hash) is
   * there only once a view was published to them, as Slack leaves it out on a first open.
   */
  appHomeOpenedEvent(user: string, channel?: string): Record<string, unknown> & { type: string };
  history(channel: string): FakeSlackMessage[];
  lastMessage(channel: string): FakeSlackMessage | undefined;
  /** Seeds a message (e.g. a human's) into a channel's history; ts is allocated when omitted. */
  addMessage(seed: FakeSlackSeedMessage): FakeSlackMessage;
  setUser(user: FakeSlackUserInput): FakeSlackUser;
  /** Queues a failure for the next call of `method` (queued failures apply in order). */
  failNext(method: string, failure: FakeSlackFailure): void;
  /**
   * Holds the next call of `method` (a Web API method, or `response_url` for the next response_url POST): it is
   * applied as usual, but its HTTP answer waits for `release()` (or for `close()`). Queued holds apply in order,
   * after any queued failure.
   */
  holdNext(method: string): FakeSlackHold;
  /** `${url}/respond/<id>`; POSTs there are recorded in `responses`. */
  responseUrl(id?: string): string;
  /** Resolves once `count` (default 1) connections have been greeted and one is open. */
  socketConnected(options?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Sends an envelope to the connected client and resolves with its ack (rejects on timeout). */
  sendEnvelope(
    type: FakeSlackEnvelopeType,
    payload: unknown,
    options?: SendEnvelopeOptions,
  ): Promise<FakeSlackAck>;
  /** Sends `{type:'disconnect', reason}` to every open socket; resolves when they have closed. */
  disconnectSocket(reason?: string): Promise<void>;
  /** Sends one raw text frame (anything, malformed included) to the connected client. */
  sendFrame(frame: string): void;
  /**
   * From now on, acks arriving on the open sockets are lost (a network partition not yet noticed): envelopes keep
   * flowing to the client, which runs them, but the fake never learns they were acked.
   */
  stallAcks(): void;
  /**
   * Drops every open socket without a close handshake, as a network failure does: acks still on their way are
   * lost. Then, as Slack does, waits for the client's next connection and sends it every envelope not acked yet,
   * with the same envelope_id and `retry_attempt` one higher; resolves with how many were redelivered.
   */
  dropSocket(options?: { timeoutMs?: number }): Promise<number>;
  /** Clears calls, messages, ephemerals, responses, acks, envelopes, queued failures, holds and rate limits. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers

type Json = Record<string, unknown>;

const JSON_FORM_FIELDS = new Set([
  'files',
  'blocks',
  'attachments',
  'metadata',
  'view',
  'unfurls',
  'user_auth_blocks',
]);
const MAX_BLOCKS = 50;
/** A view (Home tab, modal) holds at most 100 blocks, twice a message's. */
const MAX_VIEW_BLOCKS = 100;
/** views.* refuse a view over 250 kB with `view_too_large`. */
const MAX_VIEW_BYTES = 250_000;
const MAX_SECTION_TEXT = 3000;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Slack timestamps as integer microseconds, so '1700000000.000100' compares exactly. */
function tsKey(ts: string): bigint {
  const [sec = '0', frac = ''] = ts.split('.');
  const secPart = /^\d+$/.test(sec) ? BigInt(sec) : 0n;
  const fracDigits = `${frac.replace(/\D/g, '')}000000`.slice(0, 6);
  return secPart * 1_000_000n + BigInt(fracDigits);
}

function compareTs(a: string, b: string): number {
  const ka = tsKey(a);
  const kb = tsKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

// Slack refuses a message whose blocks hold about this much text in all, even when each block is within its own
// limit (slackapi/bolt-js issues 2509 and 2867); the real cut-off is fuzzy, so the fake uses the round figure.
const MAX_BLOCKS_TEXT = 12_000;

/** The characters of every `text` string anywhere in a value, as Slack sums a message's blocks. */
function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textLength(v), 0);
  if (!isRecord(value)) return 0;
  let n = 0;
  for (const [key, v] of Object.entries(value))
    n += key === 'text' && typeof v === 'string' ? v.length : textLength(v);
  return n;
}

const TABLE_ALIGN = new Set(['left', 'center', 'right']);

/**
 * A table block as docs.slack.dev/reference/block-kit/blocks/table-block describes it: `rows` required, at most 100
 * rows of at most 20 cells, each cell `raw_text` with a text of at least one character (or `rich_text` with
 * elements); `column_settings` at most 20, each null or `{align: left|center|right, is_wrapped: boolean}`;
 * `block_id` at most 255. True when the block breaks any of that.
 */
function tableInvalid(block: Json): boolean {
  const { rows, column_settings: settings, block_id: blockId } = block;
  if (blockId !== undefined && (typeof blockId !== 'string' || blockId.length > 255)) return true;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > 100) return true;
  for (const row of rows) {
    if (!Array.isArray(row) || row.length === 0 || row.length > 20) return true;
    for (const cell of row) {
      if (!isRecord(cell)) return true;
      if (cell.type === 'raw_text') {
        if (typeof cell.text !== 'string' || cell.text.length === 0) return true;
      } else if (cell.type !== 'rich_text' || !Array.isArray(cell.elements)) return true;
    }
  }
  if (settings === undefined) return false;
  if (!Array.isArray(settings) || settings.length > 20) return true;
  return settings.some(
    (c) =>
      c !== null &&
      (!isRecord(c) ||
        (c.align !== undefined && !TABLE_ALIGN.has(String(c.align))) ||
        (c.is_wrapped !== undefined && typeof c.is_wrapped !== 'boolean')),
  );
}

/**
 * A message's legacy attachments, where the table block reference puts a message's table: an array of objects,
 * each block in them checked as a message's blocks are, and at most one table in the whole message (this last
 * limit is as third-party write-ups report it, unverified in Slack's own reference).
 */
function attachmentsError(attachments: unknown, blocks: unknown): string | undefined {
  if (attachments === undefined) return undefined;
  if (!Array.isArray(attachments) || attachments.some((a) => !isRecord(a))) return 'invalid_attachments';
  const inner = (attachments as Json[]).flatMap((a) => (Array.isArray(a.blocks) ? a.blocks : []));
  if ((attachments as Json[]).some((a) => a.blocks !== undefined && !Array.isArray(a.blocks)))
    return 'invalid_attachments';
  if (blocksError(inner) !== undefined) return 'invalid_attachments';
  const tables = [...inner, ...(Array.isArray(blocks) ? blocks : [])].filter(
    (b) => isRecord(b) && b.type === 'table',
  );
  return tables.length > 1 ? 'invalid_attachments' : undefined;
}

/**
 * Slack's own checks that bite in practice: at most 50 blocks, section text at most 3000 chars, and at most about
 * 12,000 characters of text across all blocks (msg_blocks_too_long); a table block keeps to its shape.
 */
function blocksError(blocks: unknown): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS) return 'invalid_blocks';
  for (const block of blocks) {
    if (!isRecord(block) || typeof block.type !== 'string') return 'invalid_blocks';
    if (block.type === 'actions') {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > 25) return 'invalid_blocks';
      if (elements.some((e) => isRecord(e) && e.type === 'static_select' && selectError(e)))
        return 'invalid_blocks';
    }
    if (block.type === 'table' && tableInvalid(block)) return 'invalid_blocks';
    if (block.type === 'section' && isRecord(block.text)) {
      const text = block.text.text;
      if (typeof text === 'string' && text.length > MAX_SECTION_TEXT) return 'invalid_blocks';
    }
  }
  if (textLength(blocks) > MAX_BLOCKS_TEXT) return 'msg_blocks_too_long';
  return undefined;
}

/**
 * A static select's limits (docs.slack.dev select menu element, option and option group objects): `options` or
 * `option_groups`, not both; at most 100 of either, 100 options a group; an option's text at most 75 characters and
 * its value 150; a group's label 75; the placeholder 150.
 */
function selectError(element: Record<string, unknown>): string | undefined {
  const plainText = (o: unknown, max: number) =>
    isRecord(o) &&
    o.type === 'plain_text' &&
    typeof o.text === 'string' &&
    o.text.length > 0 &&
    o.text.length <= max;
  const optionOk = (o: unknown) =>
    isRecord(o) &&
    plainText(o.text, 75) &&
    typeof o.value === 'string' &&
    o.value.length > 0 &&
    o.value.length <= 150;
  if (element.placeholder !== undefined && !plainText(element.placeholder, 150)) return 'placeholder';
  const { options, option_groups: groups } = element;
  if ((options === undefined) === (groups === undefined)) return 'options or option_groups';
  if (options !== undefined) {
    if (!Array.isArray(options) || options.length === 0 || options.length > 100) return 'options';
    if (!options.every(optionOk)) return 'option';
    return undefined;
  }
  if (!Array.isArray(groups) || groups.length === 0 || groups.length > 100) return 'option_groups';
  for (const group of groups) {
    if (!isRecord(group) || !plainText(group.label, 75)) return 'option group label';
    const inGroup = group.options;
    if (!Array.isArray(inGroup) || inGroup.length === 0 || inGroup.length > 100)
      return 'option group options';
    if (!inGroup.every(optionOk)) return 'option';
  }
  return undefined;
}

function metadataOf(value: unknown): FakeSlackMetadata | 'invalid' | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isRecord(value) || typeof value.event_type !== 'string' || !isRecord(value.event_payload))
    return 'invalid';
  return { event_type: value.event_type, event_payload: value.event_payload };
}

/** What fakeTriggerId makes: the issuing time in ms first, so the fake can tell an expired one. */
const TRIGGER_ID = /^(\d{13})\.\d+\.[0-9a-f]+$/;
const TRIGGER_LIFETIME_MS = 3000;

/** Block Kit's modal limits (views.open answers invalid_arguments when one is broken). */
function modalError(view: unknown): string | undefined {
  if (!isRecord(view) || view.type !== 'modal') return 'invalid_arguments';
  const title = isRecord(view.title) ? view.title.text : undefined;
  if (typeof title !== 'string' || title.length === 0 || title.length > 24) return 'invalid_arguments';
  const blocks = view.blocks;
  if (!Array.isArray(blocks) || blocks.length > 100) return 'invalid_arguments';
  const hasInput = blocks.some((b) => isRecord(b) && b.type === 'input');
  const submit = isRecord(view.submit) ? view.submit.text : undefined;
  if (hasInput && (typeof submit !== 'string' || submit.length === 0 || submit.length > 24))
    return 'invalid_arguments';
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000)
    return 'invalid_arguments';
  if (typeof view.callback_id === 'string' && view.callback_id.length > 255) return 'invalid_arguments';
  for (const block of blocks) {
    if (!isRecord(block) || block.type !== 'input') continue;
    const element = isRecord(block.element) ? block.element : {};
    const label = isRecord(block.label) ? block.label.text : undefined;
    if (typeof label !== 'string' || label.length > 2000 || typeof block.block_id !== 'string')
      return 'invalid_arguments';
    if (element.type === 'static_select') {
      const options = Array.isArray(element.options) ? element.options : [];
      if (options.length === 0 || options.length > 100) return 'invalid_arguments';
      const initial = isRecord(element.initial_option) ? element.initial_option.value : undefined;
      if (initial !== undefined && !options.some((o) => isRecord(o) && o.value === initial))
        return 'invalid_arguments';
    } else if (element.type === 'plain_text_input') {
      const max = typeof element.max_length === 'number' ? element.max_length : 3000;
      if (typeof element.initial_value === 'string' && element.initial_value.length > max)
        return 'invalid_arguments';
    } else return 'invalid_arguments';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The fake

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T1';
  const botUserId = options.botUserId ?? 'UBOT';
  const botId = options.botId ?? 'BBOT';
  const appId = options.appId ?? 'A1';
  const ackTimeoutMs = options.ackTimeoutMs ?? 3000;
  let rttMs = options.rttMs ?? 0;
  const maxUploadBytes = options.maxUploadBytes ?? 1024 ** 3;
  /** Uploaded files by id; their upload URLs point here, so set once the server listens. */
  const files = new Map<string, FakeSlackFile>();
  let baseUrl = '';

  const calls: FakeSlackCall[] = [];
  const rateLimited: FakeSlackRateLimited[] = [];
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** Seconds until the bucket has a token again (0: taken now), for the Retry-After of a 429. */
  const takeToken = (method: string, channel: string | null): number => {
    const limit = options.rateLimits?.[method];
    if (limit === undefined) return 0;
    const burst = limit.burst ?? limit.perMinute;
    const key = limit.perChannel ? `${method}\u0000${channel ?? ''}` : method;
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * limit.perMinute) / 60_000);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    rateLimited.push({ method, channel, at: now });
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / limit.perMinute));
  };
  const sendRateLimited = (res: ServerResponse, retryAfter: number): void =>
    sendJson(res, 429, fail('ratelimited'), { 'Retry-After': String(retryAfter) });
  const messages = new Map<string, FakeSlackMessage[]>();
  const ephemerals: FakeSlackEphemeral[] = [];
  const homeViews = new Map<string, FakeSlackHomeView>();
  let viewCounter = 0;
  const responses: FakeSlackResponse[] = [];
  const acks: FakeSlackAck[] = [];
  const envelopes: FakeSlackEnvelope[] = [];
  const users = new Map<string, FakeSlackUser>();
  const failures = new Map<string, FakeSlackFailure[]>();
  const holds = new Map<string, ((call: FakeSlackCall, send: () => void) => void)[]>();
  const held = new Set<() => void>();
  const tickets = new Set<string>();
  const views: FakeSlackView[] = [];
  const usedTriggers = new Set<string>();

  let tsCounter = 0;
  const nextTs = (): string => {
    tsCounter += 1;
    const micros = tsCounter * 100;
    const sec = 1_700_000_000 + Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };

  const setUser = (input: FakeSlackUserInput): FakeSlackUser => {
    const previous = users.get(input.id);
    const name = input.name ?? previous?.name ?? input.id.toLowerCase();
    const user: FakeSlackUser = {
      id: input.id,
      name,
      real_name: input.real_name ?? previous?.real_name ?? name,
      display_name: input.display_name ?? previous?.display_name ?? '',
      is_admin: input.is_admin ?? previous?.is_admin ?? false,
      is_owner: input.is_owner ?? previous?.is_owner ?? false,
      is_bot: input.is_bot ?? previous?.is_bot ?? false,
      deleted: input.deleted ?? previous?.deleted ?? false,
      tz: input.tz ?? previous?.tz ?? 'UTC',
      locale: input.locale ?? previous?.locale ?? 'en-US',
    };
    users.set(user.id, user);
    return user;
  };
  setUser({ id: botUserId, name: 'orch', real_name: 'orch', is_bot: true });
  for (const user of options.users ?? []) setUser(user);

  const channelHistory = (channel: string): FakeSlackMessage[] => {
    let list = messages.get(channel);
    if (list === undefined) {
      list = [];
      messages.set(channel, list);
    }
    return list;
  };

  const store = (message: FakeSlackMessage): FakeSlackMessage => {
    const list = channelHistory(message.channel);
    list.push(message);
    list.sort((a, b) => compareTs(a.ts, b.ts));
    return message;
  };

  const findMessage = (channel: string, ts: string): FakeSlackMessage | undefined =>
    messages.get(channel)?.find((m) => m.ts === ts);

  /** A message as Slack puts it on the wire (history, postMessage/update answers). */
  const wireFile = (f: FakeSlackFile): Json => ({
    id: f.id,
    name: f.name,
    title: f.title,
    mimetype: 'image/png',
    filetype: 'png',
    size: f.bytes?.length ?? 0,
    ...(f.alt !== null ? { alt_txt: f.alt } : {}),
  });

  const wireMessage = (m: FakeSlackMessage, includeMetadata: boolean): Json => {
    const out: Json = { type: 'message', user: m.user, text: m.text, ts: m.ts, team: teamId };
    if (m.bot_id !== undefined) {
      out.bot_id = m.bot_id;
      out.app_id = appId;
    }
    if (m.blocks !== undefined) out.blocks = m.blocks;
    if (m.files !== undefined) out.files = m.files.map(wireFile);
    if (m.thread_ts !== undefined) out.thread_ts = m.thread_ts;
    if (includeMetadata && m.metadata !== undefined) out.metadata = m.metadata;
    const lastEdit = m.edits.at(-1);
    if (lastEdit !== undefined) out.edited = { user: m.user, ts: lastEdit.ts };
    return out;
  };

  /** A stored Home view as Slack returns it (views.publish) and sends it (app_home_opened). */
  const wireView = (stored: FakeSlackHomeView): Json => ({
    id: stored.id,
    team_id: teamId,
    type: 'home',
    blocks: stored.view.blocks,
    private_metadata: str(stored.view.private_metadata) ?? '',
    callback_id: str(stored.view.callback_id) ?? '',
    state: { values: {} },
    hash: stored.hash,
    clear_on_close: false,
    notify_on_close: false,
    root_view_id: stored.id,
    previous_view_id: null,
    app_id: appId,
    external_id: str(stored.view.external_id) ?? '',
    app_installed_team_id: teamId,
    bot_id: botId,
  });

  // --- Web API methods --------------------------------------------------------------------------------

  const fail = (error: string): Json => ({ ok: false, error });

  const methods: Record<string, (args: Json, token: string) => Json> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://fake.slack/',
      team: 'Fake',
      user: 'orch',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const channel = str(args.channel);
      if (!channel) return fail('channel_not_found');
      const text = str(args.text) ?? '';
      const blocks = args.blocks;
      if (text === '' && blocks === undefined && args.attachments === undefined) return fail('no_text');
      const blockError = blocksError(blocks) ?? attachmentsError(args.attachments, blocks);
      if (blockError) return fail(blockError);
      const metadata = metadataOf(args.metadata);
      if (metadata === 'invalid') return fail('invalid_metadata_format');
      const threadTs = str(args.thread_ts);
      const message = store({
        channel,
        ts: nextTs(),
        user: botUserId,
        text,
        blocks: blocks as unknown[] | undefined,
        metadata,
        thread_ts: threadTs,
        bot_id: botId,
        edits: [],
      });
      // The first reply makes its parent a thread parent: Slack then reports the parent's own ts as its thread_ts.
      const parent = threadTs === undefined ? undefined : findMessage(channel, threadTs);
      if (parent !== undefined && parent.thread_ts === undefined) parent.thread_ts = parent.ts;
      return { ok: true, channel, ts: message.ts, message: wireMessage(message, true) };
    },

    // File upload v2: a URL to POST the bytes to, then completion, which shares the file in the channel as a
    // message of its own (with the blocks given, unless an initial_comment replaces them).
    'files.getUploadURLExternal': (args) => {
      const filename = str(args.filename);
      const length = Number(str(args.length) ?? Number.NaN);
      if (!filename || !Number.isInteger(length) || length <= 0) return fail('missing_argument');
      if (length > maxUploadBytes) return fail('file_upload_size_restricted');
      const altField =
        args.alt_txt !== undefined ? 'alt_txt' : args.alt_text !== undefined ? 'alt_text' : null;
      const alt = altField === null ? null : (str(args[altField]) ?? '');
      if (alt !== null && alt.length > 1000) return fail('alt_txt_too_large');
      const id = `F${String(files.size + 1).padStart(9, '0')}`;
      files.set(id, {
        id,
        name: filename,
        title: filename,
        bytes: null,
        length,
        alt,
        altField,
        completed: false,
      });
      return { ok: true, upload_url: `${baseUrl}/upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args) => {
      const list = args.files;
      if (!Array.isArray(list) || list.length === 0) return fail('invalid_arguments');
      const chosen: FakeSlackFile[] = [];
      for (const item of list) {
        const file = isRecord(item) ? files.get(str(item.id) ?? '') : undefined;
        if (file === undefined || file.bytes === null || file.completed) return fail('file_not_found');
        if (isRecord(item) && str(item.title)) file.title = str(item.title) as string;
        chosen.push(file);
      }
      const blockError = blocksError(args.blocks);
      if (blockError) return fail(blockError);
      for (const file of chosen) file.completed = true;
      const channel = str(args.channel_id);
      if (channel) {
        const comment = str(args.initial_comment);
        store({
          channel,
          ts: nextTs(),
          user: botUserId,
          text: comment ?? '',
          // Slack ignores the blocks when an initial comment is given.
          blocks: comment === undefined ? (args.blocks as unknown[] | undefined) : undefined,
          metadata: undefined,
          thread_ts: str(args.thread_ts),
          bot_id: botId,
          edits: [],
          files: chosen,
        });
      }
      return { ok: true, files: chosen.map(wireFile) };
    },

    'chat.update': (args) => {
      const channel = str(args.channel);
      if (!channel) return fail('channel_not_found');
      const ts = str(args.ts);
      const message = ts === undefined ? undefined : findMessage(channel, ts);
      if (message === undefined) return fail('message_not_found');
      if (message.user !== botUserId) return fail('cant_update_message');
      const blockError = blocksError(args.blocks) ?? attachmentsError(args.attachments, args.blocks);
      if (blockError) return fail(blockError);
      const metadata = metadataOf(args.metadata);
      if (metadata === 'invalid') return fail('invalid_metadata_format');
      const text = str(args.text);
      if (text === undefined && args.blocks === undefined && args.attachments === undefined)
        return fail('no_text');
      // Fields left out of an update are kept, as Slack does.
      if (text !== undefined) message.text = text;
      if (args.blocks !== undefined) message.blocks = args.blocks as unknown[];
      if (metadata !== undefined) message.metadata = metadata;
      message.edits.push({
        ts: nextTs(),
        text: message.text,
        blocks: message.blocks,
        metadata: message.metadata,
        at: Date.now(),
      });
      return { ok: true, channel, ts: message.ts, text: message.text, message: wireMessage(message, true) };
    },

    'chat.postEphemeral': (args) => {
      const channel = str(args.channel);
      if (!channel) return fail('channel_not_found');
      const user = str(args.user);
      if (!user) return fail('user_not_found');
      const text = str(args.text) ?? '';
      if (text === '' && args.blocks === undefined && args.attachments === undefined) return fail('no_text');
      const blockError = blocksError(args.blocks) ?? attachmentsError(args.attachments, args.blocks);
      if (blockError) return fail(blockError);
      const messageTs = nextTs();
      ephemerals.push({
        channel,
        user,
        text,
        blocks: args.blocks as unknown[] | undefined,
        thread_ts: str(args.thread_ts),
        message_ts: messageTs,
        at: Date.now(),
      });
      return { ok: true, message_ts: messageTs };
    },

    'conversations.history': (args) => {
      const channel = str(args.channel);
      if (!channel) return fail('channel_not_found');
      const requested = Number.parseInt(str(args.limit) ?? '100', 10);
      const limit = Number.isNaN(requested) || requested <= 0 ? 100 : Math.min(requested, 999);
      const oldest = str(args.oldest);
      const latest = str(args.latest);
      const inclusive = flag(args.inclusive);
      const includeMetadata = flag(args.include_all_metadata);
      const matching = (messages.get(channel) ?? [])
        // History lists top-level messages and thread parents, not replies.
        .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
        .filter((m) => {
          if (oldest !== undefined) {
            const c = compareTs(m.ts, oldest);
            if (inclusive ? c < 0 : c <= 0) return false;
          }
          if (latest !== undefined) {
            const c = compareTs(m.ts, latest);
            if (inclusive ? c > 0 : c >= 0) return false;
          }
          return true;
        })
        .sort((a, b) => compareTs(b.ts, a.ts));
      return {
        ok: true,
        messages: matching.slice(0, limit).map((m) => wireMessage(m, includeMetadata)),
        has_more: matching.length > limit,
        pin_count: 0,
        response_metadata: { next_cursor: '' },
      };
    },

    // A thread: its parent first, then the replies, oldest first (Slack's order for replies).
    'conversations.replies': (args) => {
      const channel = str(args.channel);
      if (!channel || !messages.has(channel)) return fail('channel_not_found');
      const ts = str(args.ts);
      if (ts === undefined) return fail('invalid_arguments');
      const parent = findMessage(channel, ts);
      if (parent === undefined) return fail('thread_not_found');
      const root = parent.thread_ts ?? parent.ts;
      const requested = Number.parseInt(str(args.limit) ?? '1000', 10);
      const limit = Number.isNaN(requested) || requested <= 0 ? 1000 : Math.min(requested, 1000);
      const includeMetadata = flag(args.include_all_metadata);
      const thread = (messages.get(channel) ?? [])
        .filter((m) => m.ts === root || m.thread_ts === root)
        .sort((a, b) => compareTs(a.ts, b.ts));
      return {
        ok: true,
        messages: thread.slice(0, limit).map((m) => wireMessage(m, includeMetadata)),
        has_more: thread.length > limit,
        response_metadata: { next_cursor: '' },
      };
    },
    'views.publish': (args) => {
      if (options.homeTabEnabled === false) return fail('not_enabled');
      const user = str(args.user_id);
      // Slack names the argument in response_metadata for a schema error; a user it does not know is one too.
      const invalid = (message: string): Json => ({
        ok: false,
        error: 'invalid_arguments',
        response_metadata: { messages: [message] },
      });
      if (!user || !users.has(user)) return invalid('[ERROR] invalid `user_id`');
      const view = args.view;
      if (!isRecord(view)) return invalid('[ERROR] missing required field: view');
      if (view.type !== 'home') return invalid('[ERROR] must be one of `home` [json-pointer:/view/type]');
      const blocks = view.blocks;
      if (!Array.isArray(blocks))
        return invalid('[ERROR] missing required field: blocks [json-pointer:/view]');
      if (blocks.length > MAX_VIEW_BLOCKS)
        return invalid(`[ERROR] no more than ${MAX_VIEW_BLOCKS} items allowed [json-pointer:/view/blocks]`);
      if (blocksError(blocks.slice(0, MAX_BLOCKS)) === 'invalid_blocks' || blocks.some((b) => !isRecord(b)))
        return fail('invalid_blocks');
      if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return fail('view_too_large');
      const previous = homeViews.get(user);
      const hash = str(args.hash);
      if (hash !== undefined && hash !== (previous?.hash ?? '')) return fail('hash_conflict');
      viewCounter += 1;
      const stored: FakeSlackHomeView = {
        id: previous?.id ?? `V${String(viewCounter).padStart(8, '0')}`,
        user,
        hash: `${Math.floor(Date.now() / 1000)}.${String(viewCounter).padStart(8, '0')}`,
        view,
        history: [...(previous?.history ?? []), view],
      };
      homeViews.set(user, stored);
      return { ok: true, view: wireView(stored) };
    },

    'users.info': (args) => {
      const id = str(args.user);
      const user = id === undefined ? undefined : users.get(id);
      if (user === undefined) return fail('user_not_found');
      const wire: Json = {
        id: user.id,
        team_id: teamId,
        name: user.name,
        real_name: user.real_name,
        deleted: user.deleted,
        is_admin: user.is_admin,
        is_owner: user.is_owner,
        is_bot: user.is_bot,
        tz: user.tz,
        profile: { display_name: user.display_name, real_name: user.real_name },
      };
      if (flag(args.include_locale)) wire.locale = user.locale;
      return { ok: true, user: wire };
    },

    // A modal: the trigger id must be well formed, fresh (Slack honours it for about 3 s) and unused; the view
    // within Block Kit's modal limits.
    'views.open': (args) => {
      const trigger = str(args.trigger_id);
      // Exactly one of trigger_id and interactivity_pointer; this fake knows only trigger ids.
      if (trigger === undefined || args.interactivity_pointer !== undefined) return fail('invalid_arguments');
      const issued = TRIGGER_ID.exec(trigger);
      if (!issued) return fail('invalid_trigger_id');
      if (usedTriggers.has(trigger)) return fail('exchanged_trigger_id');
      if (Date.now() - Number(issued[1]) > TRIGGER_LIFETIME_MS) return fail('expired_trigger_id');
      const problem = modalError(args.view);
      if (problem) return fail(problem);
      usedTriggers.add(trigger);
      const view = args.view as Json;
      const opened: FakeSlackView = {
        id: `V${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
        view,
        trigger_id: trigger,
        at: Date.now(),
      };
      views.push(opened);
      return {
        ok: true,
        view: {
          ...view,
          id: opened.id,
          team_id: teamId,
          state: { values: {} },
          hash: `${Date.now()}.abc`,
          root_view_id: opened.id,
          previous_view_id: null,
          app_id: appId,
          bot_id: botId,
        },
      };
    },

    'apps.connections.open': (_args, token) => {
      if (!token.startsWith('xapp-')) return fail('not_allowed_token_type');
      const ticket = randomUUID();
      tickets.add(ticket);
      return { ok: true, url: `ws://127.0.0.1:${port}/socket?ticket=${ticket}&app_id=${appId}` };
    },
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const raw = await readBody(req);
    const args: Json = {};
    for (const [key, value] of url.searchParams) args[key] = value;
    let badJson = false;
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    if (contentType.startsWith('application/json')) {
      if (raw.trim() !== '') {
        const parsed = tryJson(raw);
        if (isRecord(parsed)) Object.assign(args, parsed);
        else badJson = true;
      }
    } else {
      for (const [key, value] of new URLSearchParams(raw)) {
        args[key] = JSON_FORM_FIELDS.has(key) ? tryJson(value) : value;
      }
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? str(args.token) ?? null;
    calls.push({ method, token, args, at: Date.now() });

    const failure = failures.get(method)?.shift();
    if (failure !== undefined) {
      if ('error' in failure) {
        sendJson(res, 200, fail(failure.error));
      } else if (failure.status === 429) {
        const headers: Record<string, string> = {};
        if (failure.retryAfter !== undefined) headers['Retry-After'] = String(failure.retryAfter);
        sendJson(res, 429, fail('ratelimited'), headers);
      } else {
        sendText(res, failure.status, 'Internal Server Error');
      }
      return;
    }
    const retryAfter = takeToken(method, str(args.channel) ?? null);
    if (retryAfter > 0) return sendRateLimited(res, retryAfter);
    if (badJson) return sendJson(res, 200, fail('invalid_json'));
    if (token === null || token === '') return sendJson(res, 200, fail('not_authed'));
    const handler = methods[method];
    const answer = handler === undefined ? fail('unknown_method') : handler(args, token);
    const hold = holds.get(method)?.shift();
    if (hold === undefined) return sendJson(res, 200, answer);
    const call = calls.at(-1) as FakeSlackCall;
    const send = (): void => {
      if (!held.delete(send)) return;
      if (!res.destroyed && !res.headersSent) sendJson(res, 200, answer);
    };
    held.add(send);
    hold(call, send);
  };

  // The upload URL of files.getUploadURLExternal: the bytes, raw or as a multipart form's file part. Slack answers
  // 200 with a short text; an unknown or already used URL is refused.
  const handleUpload = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const file = files.get(url.pathname.slice('/upload/'.length));
    if (file === undefined || file.bytes !== null) return sendText(res, 404, 'upload url not found or used');
    let bytes = Buffer.concat(chunks);
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers['content-type'] ?? '');
    if (boundary) {
      const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
      const start = bytes.indexOf(marker);
      const headersEnd = bytes.indexOf('\r\n\r\n', start);
      const end = bytes.indexOf(marker, headersEnd);
      if (start < 0 || headersEnd < 0 || end < 0) return sendText(res, 400, 'bad multipart body');
      bytes = bytes.subarray(headersEnd + 4, end - 2);
    }
    file.bytes = bytes;
    calls.push({
      method: 'upload',
      token: null,
      args: { file: file.id, bytes: bytes.length },
      at: Date.now(),
    });
    sendText(res, 200, `OK - ${bytes.length}`);
  };

  const handleRespond = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const id = decodeURIComponent(url.pathname.slice('/respond/'.length));
    const raw = await readBody(req);
    const retryAfter = takeToken('response_url', null);
    if (retryAfter > 0) return sendRateLimited(res, retryAfter);
    const body = tryJson(raw);
    // A response_url message is refused as chat.postMessage refuses it when its table or attachments are broken,
    // and is then never shown.
    const refused = isRecord(body)
      ? (Array.isArray(body.blocks) &&
          body.blocks.some((b) => isRecord(b) && b.type === 'table' && tableInvalid(b)) &&
          'invalid_blocks') ||
        attachmentsError(body.attachments, body.blocks)
      : undefined;
    if (refused) {
      sendJson(res, 400, { ok: false, error: refused });
      return;
    }
    responses.push({ id, body, at: Date.now() });
    const hold = holds.get('response_url')?.shift();
    if (hold === undefined) return sendJson(res, 200, { ok: true });
    const send = (): void => {
      if (!held.delete(send)) return;
      if (!res.destroyed && !res.headersSent) sendJson(res, 200, { ok: true });
    };
    held.add(send);
    hold({ method: 'response_url', token: null, args: isRecord(body) ? body : {}, at: Date.now() }, send);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rtt = rttMs;
    if (rtt > 0) {
      // The answer's half of the round trip: whatever ends the response leaves that much later.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        setTimeout(() => end(...args), rtt / 2);
        return res;
      }) as typeof res.end;
    }
    // The request's half: Slack sees (and applies) the call that much after it was sent.
    const arrived =
      rtt > 0 ? new Promise<void>((resolve) => setTimeout(resolve, rtt / 2)) : Promise.resolve();
    let work: Promise<void>;
    if (req.method === 'POST' && url.pathname.startsWith('/api/'))
      work = arrived.then(() => handleApi(req, res, url));
    else if (req.method === 'GET' && url.pathname.startsWith('/api/'))
      work = arrived.then(() => handleApi(req, res, url));
    else if (req.method === 'POST' && url.pathname.startsWith('/upload/'))
      work = arrived.then(() => handleUpload(req, res, url));
    else if (req.method === 'POST' && url.pathname.startsWith('/respond/'))
      work = arrived.then(() => handleRespond(req, res, url));
    else work = Promise.resolve(sendText(res, 404, 'not found'));
    work.catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `fake slack error: ${String(error)}`);
      else res.end();
    });
  });

  // --- Socket Mode ------------------------------------------------------------------------------------

  const wss = new WebSocketServer({ server, path: '/socket' });
  const sockets = new Set<WebSocket>();
  let latestSocket: WebSocket | undefined;
  let helloCount = 0;
  const connectWaiters = new Set<{ count: number; resolve: () => void }>();
  const pendingAcks = new Map<
    string,
    {
      resolve: (ack: FakeSlackAck) => void;
      reject: (error: Error) => void;
      timer: NodeJS.Timeout;
      envelope: FakeSlackEnvelope;
    }
  >();

  const stalled = new WeakSet<WebSocket>();
  const openSocket = (): WebSocket | undefined => {
    if (latestSocket?.readyState === WebSocket.OPEN) return latestSocket;
    return [...sockets].find((s) => s.readyState === WebSocket.OPEN);
  };

  wss.on('connection', (ws, req) => {
    const ticket = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('ticket');
    // Like Slack, a ws URL is good for one connection: reconnecting needs a fresh apps.connections.open.
    if (ticket === null || !tickets.delete(ticket)) {
      ws.close(1008, 'invalid ticket');
      return;
    }
    sockets.add(ws);
    latestSocket = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary || stalled.has(ws)) return;
      const message = tryJson(rawToString(data));
      if (!isRecord(message) || typeof message.envelope_id !== 'string') return;
      const ack: FakeSlackAck =
        'payload' in message
          ? { envelope_id: message.envelope_id, payload: message.payload }
          : { envelope_id: message.envelope_id };
      acks.push(ack);
      const pending = pendingAcks.get(ack.envelope_id);
      if (pending !== undefined) {
        pendingAcks.delete(ack.envelope_id);
        clearTimeout(pending.timer);
        pending.resolve(ack);
      }
    });
    ws.on('close', () => {
      sockets.delete(ws);
      if (latestSocket === ws) latestSocket = undefined;
    });
    ws.send(
      JSON.stringify({ type: 'hello', num_connections: sockets.size, connection_info: { app_id: appId } }),
    );
    helloCount += 1;
    for (const waiter of connectWaiters) {
      if (helloCount >= waiter.count) waiter.resolve();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  baseUrl = url;

  const fake: FakeSlack = {
    url,
    apiUrl: `${url}/api/`,
    port,
    calls,
    files,
    messages,
    ephemerals,
    responses,
    views,
    acks,
    envelopes,
    get socketConnections() {
      return helloCount;
    },

    homeViews,
    callsTo: (method) => calls.filter((c) => c.method === method),
    appHomeOpenedEvent: (user, channel = `D${user}`) => {
      const stored = homeViews.get(user);
      return {
        type: 'app_home_opened',
        user,
        channel,
        tab: 'home',
        event_ts: (Date.now() / 1000).toFixed(6),
        ...(stored ? { view: wireView(stored) } : {}),
      };
    },
    history: (channel) => [...(messages.get(channel) ?? [])],
    lastMessage: (channel) => messages.get(channel)?.at(-1),

    addMessage: (seed) =>
      store({
        channel: seed.channel,
        ts: seed.ts ?? nextTs(),
        user: seed.user,
        text: seed.text,
        blocks: seed.blocks,
        metadata: seed.metadata,
        thread_ts: seed.thread_ts,
        bot_id: seed.user === botUserId ? botId : undefined,
        edits: [],
      }),

    setUser,

    failNext: (method, failure) => {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },

    holdNext: (method) => {
      let send: (() => void) | undefined;
      let released = false;
      let arrive: (call: FakeSlackCall) => void = () => undefined;
      const arrived = new Promise<FakeSlackCall>((resolve) => {
        arrive = resolve;
      });
      const queue = holds.get(method) ?? [];
      queue.push((call, sendAnswer) => {
        send = sendAnswer;
        arrive(call);
        if (released) sendAnswer();
      });
      holds.set(method, queue);
      return {
        arrived,
        release: () => {
          released = true;
          send?.();
        },
      };
    },

    rateLimited,
    setRtt: (ms) => {
      rttMs = ms;
    },
    responseUrl: (id = randomUUID()) => `${url}/respond/${encodeURIComponent(id)}`,

    socketConnected: ({ count = 1, timeoutMs = 5000 } = {}) => {
      if (helloCount >= count && openSocket() !== undefined) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            connectWaiters.delete(waiter);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          connectWaiters.delete(waiter);
          reject(new Error(`fake slack: no Socket Mode connection #${count} within ${timeoutMs} ms`));
        }, timeoutMs);
        connectWaiters.add(waiter);
      });
    },

    sendEnvelope: (type, payload, envelopeOptions = {}) => {
      const ws = openSocket();
      if (ws === undefined)
        return Promise.reject(new Error('fake slack: no Socket Mode client is connected'));
      const payloadType = isRecord(payload) ? payload.type : undefined;
      const acceptsDefault =
        type === 'slash_commands' ||
        (type === 'interactive' && (payloadType === 'view_submission' || payloadType === 'block_suggestion'));
      const envelope: FakeSlackEnvelope = {
        envelope_id: randomUUID(),
        type,
        accepts_response_payload: envelopeOptions.acceptsResponsePayload ?? acceptsDefault,
        payload,
        retry_attempt: envelopeOptions.retryAttempt ?? 0,
        retry_reason: envelopeOptions.retryReason ?? '',
      };
      const timeoutMs = envelopeOptions.timeoutMs ?? ackTimeoutMs;
      return new Promise<FakeSlackAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelope.envelope_id);
          reject(new Error(`fake slack: no ack for ${type} envelope within ${timeoutMs} ms`));
        }, timeoutMs);
        pendingAcks.set(envelope.envelope_id, { resolve, reject, timer, envelope });
        envelopes.push(envelope);
        ws.send(JSON.stringify(envelope));
      });
    },

    disconnectSocket: async (reason = 'refresh_requested') => {
      const open = [...sockets].filter((s) => s.readyState === WebSocket.OPEN);
      await Promise.all(
        open.map(
          (ws) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => ws.terminate(), 2000);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              ws.send(JSON.stringify({ type: 'disconnect', reason }));
            }),
        ),
      );
    },

    sendFrame: (frame) => {
      const ws = openSocket();
      if (ws === undefined) throw new Error('fake slack: no Socket Mode client is connected');
      ws.send(frame);
    },

    stallAcks: () => {
      for (const ws of sockets) stalled.add(ws);
    },

    dropSocket: async ({ timeoutMs = 10_000 } = {}) => {
      const next = helloCount + 1;
      const open = [...sockets];
      for (const ws of open) ws.terminate();
      await Promise.all(
        open.map((ws) =>
          ws.readyState === WebSocket.CLOSED
            ? undefined
            : new Promise((resolve) => ws.once('close', resolve)),
        ),
      );
      await fake.socketConnected({ count: next, timeoutMs });
      const ws = openSocket();
      let redelivered = 0;
      for (const pending of pendingAcks.values()) {
        pending.envelope.retry_attempt += 1;
        pending.envelope.retry_reason = 'timeout';
        ws?.send(JSON.stringify(pending.envelope));
        redelivered += 1;
      }
      return redelivered;
    },

    reset: () => {
      calls.length = 0;
      homeViews.clear();
      messages.clear();
      ephemerals.length = 0;
      responses.length = 0;
      views.length = 0;
      usedTriggers.clear();
      acks.length = 0;
      envelopes.length = 0;
      failures.clear();
      holds.clear();
      rateLimited.length = 0;
      buckets.clear();
    },

    close: async () => {
      for (const send of [...held]) send();
      for (const [id, pending] of pendingAcks) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`fake slack closed before envelope ${id} was acked`));
      }
      pendingAcks.clear();
      // Close handshakes first (a client stopping without awaiting its disconnect, as Bolt's
      // SocketModeReceiver.stop() does, would otherwise log a WebSocket error), then force.
      await Promise.all(
        [...sockets].map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              const timer = setTimeout(() => {
                ws.terminate();
                resolve();
              }, 500);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              if (ws.readyState === WebSocket.OPEN) ws.close(1001, 'fake slack closing');
            }),
        ),
      );
      sockets.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP-mode helpers (driving a Bolt HTTPReceiver app)

// A type alias (not an interface) so it is assignable to fetch's HeadersInit.
export type SlackSignedHeaders = {
  'Content-Type': 'application/x-www-form-urlencoded';
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
};

/** Headers Bolt's HTTPReceiver accepts: v0 HMAC-SHA256 of `v0:<ts>:<body>`; timestamp in unix seconds. */
export function signSlackRequest(
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignedHeaders {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': `v0=${signature}`,
  };
}

/**
 * A fresh trigger id: Slack gives each slash command and interaction its own (a retry or replay keeps it). It starts
 * with the time it was issued (`issuedAt`, default now), so views.open can refuse one older than 3 s.
 */
export function fakeTriggerId(issuedAt: number = Date.now()): string {
  return `${issuedAt}.1.${randomUUID().replace(/-/g, '')}`;
}

/** The fields of a slash command request (all strings, as Slack sends them). */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

/** A `/orch` slash command; the object is also the payload of a Socket Mode `slash_commands` envelope. */
export function slashCommandPayload(fields: Partial<SlashCommandFields> = {}): SlashCommandFields {
  return {
    token: 'verification-token',
    team_id: 'T1',
    team_domain: 'fake',
    channel_id: 'C1',
    channel_name: 'study',
    user_id: 'U1',
    user_name: 'user1',
    command: '/orch',
    text: '',
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.invalid/commands/T1/1/x',
    trigger_id: fakeTriggerId(),
    ...fields,
  };
}

/** The form-urlencoded body of a slash command request. */
export function slashCommandBody(fields: Partial<SlashCommandFields> = {}): string {
  return new URLSearchParams({ ...slashCommandPayload(fields) }).toString();
}

export interface BlockActionsInput {
  action_id: string;
  value?: string;
  block_id?: string;
  /** The clicking user's id. Default 'U1'. */
  user?: string;
  user_name?: string;
  team_id?: string;
  /** The channel id. Default 'C1'. */
  channel?: string;
  channel_name?: string;
  /** The ts of the message holding the button. */
  message_ts?: string;
  /** The parent's ts when the message holding the button is a reply in a thread. */
  thread_ts?: string;
  message_text?: string;
  message_blocks?: unknown[];
  response_url?: string;
  trigger_id?: string;
  /**
   * The button sits on the member's Home tab (this view id) rather than on a message: the payload then has a
   * `view` container and the view, and no channel, message nor response_url, as Slack sends it.
   */
  home_view_id?: string;
  /**
   * A pick from a static select instead of a button press: the option as the message rendered it (its text and
   * value). The action is then `{type: 'static_select', action_id, block_id, selected_option, action_ts}`, with no
   * `value` of its own, as Slack sends it.
   */
  selected_option?: { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string };
}

export interface BlockActionsPayload {
  type: 'block_actions';
  user: { id: string; username: string; name: string; team_id: string };
  api_app_id: string;
  token: string;
  container:
    | { type: 'message'; message_ts: string; channel_id: string; is_ephemeral: boolean; thread_ts?: string }
    | { type: 'view'; view_id: string };
  trigger_id: string;
  team: { id: string; domain: string };
  enterprise: null;
  is_enterprise_install: boolean;
  channel?: { id: string; name: string };
  message?: Record<string, unknown>;
  view?: Record<string, unknown>;
  state: { values: Record<string, unknown> };
  response_url?: string;
  actions: Array<
    | {
        type: 'button';
        action_id: string;
        block_id: string;
        text: { type: 'plain_text'; text: string };
        value: string;
        action_ts: string;
      }
    | {
        type: 'static_select';
        action_id: string;
        block_id: string;
        selected_option: { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string };
        action_ts: string;
      }
  >;
}

/** A button click; the object is also the payload of a Socket Mode `interactive` envelope. */
export function blockActionsPayload(input: BlockActionsInput): BlockActionsPayload {
  const user = input.user ?? 'U1';
  const teamId = input.team_id ?? 'T1';
  const channel = input.channel ?? 'C1';
  const messageTs = input.message_ts ?? '1700000000.000100';
  const value = input.value ?? '';
  const message: Record<string, unknown> = {
    type: 'message',
    user: 'UBOT',
    bot_id: 'BBOT',
    ts: messageTs,
    text: input.message_text ?? '',
  };
  if (input.message_blocks !== undefined) message.blocks = input.message_blocks;
  if (input.thread_ts !== undefined) message.thread_ts = input.thread_ts;
  const nowSeconds = (Date.now() / 1000).toFixed(6);
  // Where the button sits: on a message in a channel, or on the member's Home tab.
  const where: Pick<BlockActionsPayload, 'container' | 'channel' | 'message' | 'view' | 'response_url'> =
    input.home_view_id === undefined
      ? {
          container: {
            type: 'message',
            message_ts: messageTs,
            channel_id: channel,
            is_ephemeral: false,
            ...(input.thread_ts === undefined ? {} : { thread_ts: input.thread_ts }),
          },
          channel: { id: channel, name: input.channel_name ?? 'study' },
          message,
          response_url: input.response_url ?? 'https://hooks.slack.invalid/actions/T1/1/x',
        }
      : {
          container: { type: 'view', view_id: input.home_view_id },
          view: { id: input.home_view_id, team_id: teamId, type: 'home', blocks: input.message_blocks ?? [] },
        };
  return {
    type: 'block_actions',
    user: {
      id: user,
      username: input.user_name ?? user.toLowerCase(),
      name: input.user_name ?? user.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: 'A1',
    token: 'verification-token',
    trigger_id: input.trigger_id ?? fakeTriggerId(),
    team: { id: teamId, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    ...where,
    state: { values: {} },
    actions: [
      input.selected_option
        ? {
            type: 'static_select',
            action_id: input.action_id,
            block_id: input.block_id ?? 'b1',
            selected_option: input.selected_option,
            action_ts: nowSeconds,
          }
        : {
            type: 'button',
            action_id: input.action_id,
            block_id: input.block_id ?? 'b1',
            text: { type: 'plain_text', text: value },
            value,
            action_ts: nowSeconds,
          },
    ],
  };
}

/** The form body of a button click: one field, `payload=<json>` (no top-level command or name). */
export function blockActionsBody(input: BlockActionsInput): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(input)) }).toString();
}

export interface EventCallbackPayload {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown> & { type: string };
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: Array<{
    team_id: string;
    user_id: string;
    is_bot: boolean;
    is_enterprise_install: boolean;
  }>;
  is_ext_shared_channel: boolean;
}

/** The payload of a Socket Mode `events_api` envelope (or an Events API POST body). */
export function eventCallbackPayload(
  event: Record<string, unknown> & { type: string },
  ids: { team_id?: string; bot_user_id?: string } = {},
): EventCallbackPayload {
  const teamId = ids.team_id ?? 'T1';
  return {
    token: 'verification-token',
    team_id: teamId,
    api_app_id: 'A1',
    event,
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { team_id: teamId, user_id: ids.bot_user_id ?? 'UBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

export interface ViewSubmissionInput {
  /** The modal as views.open opened it. */
  view: FakeSlackView;
  /** What the member left in each input block, by block id: a text input's text, a select's option value. */
  values?: Record<string, string>;
  user?: string;
  user_name?: string;
  team_id?: string;
  trigger_id?: string;
}

/**
 * The member pressed Submit on a modal: the payload of a Socket Mode `interactive` envelope (or of the form POST).
 * Each input block is in `view.state.values[block_id][action_id]`: a text input as `{type, value}` (null when
 * empty), a select as `{type, selected_option}` (an option of the element, null when none is picked).
 */
export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const user = input.user ?? 'U1';
  const teamId = input.team_id ?? 'T1';
  const values: Record<string, Record<string, unknown>> = {};
  const blocks = Array.isArray(input.view.view.blocks) ? (input.view.view.blocks as unknown[]) : [];
  for (const block of blocks) {
    if (!isRecord(block) || block.type !== 'input' || typeof block.block_id !== 'string') continue;
    const element = isRecord(block.element) ? block.element : {};
    const actionId = String(element.action_id ?? '');
    const given = input.values?.[block.block_id];
    if (element.type === 'static_select') {
      const options = (Array.isArray(element.options) ? element.options : []) as Record<string, unknown>[];
      const initial = isRecord(element.initial_option) ? element.initial_option : null;
      // Slack's menu offers only the element's options: a value outside them cannot be submitted.
      const picked = given === undefined ? initial : (options.find((o) => o.value === given) ?? null);
      if (given !== undefined && picked === null)
        throw new Error(`fake slack: ${given} is not an option of ${block.block_id}`);
      values[block.block_id] = { [actionId]: { type: 'static_select', selected_option: picked } };
    } else {
      const text = given ?? (typeof element.initial_value === 'string' ? element.initial_value : '');
      values[block.block_id] = { [actionId]: { type: 'plain_text_input', value: text === '' ? null : text } };
    }
  }
  const view = input.view.view;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'fake' },
    user: {
      id: user,
      username: input.user_name ?? user.toLowerCase(),
      name: input.user_name ?? user.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: 'A1',
    token: 'verification-token',
    trigger_id: input.trigger_id ?? fakeTriggerId(),
    view: {
      id: input.view.id,
      team_id: teamId,
      type: 'modal',
      callback_id: view.callback_id ?? '',
      private_metadata: view.private_metadata ?? '',
      title: view.title,
      submit: view.submit,
      blocks: view.blocks,
      state: { values },
      hash: `${input.view.at}.abc`,
      root_view_id: input.view.id,
      app_id: 'A1',
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The form body of a view submission: one field, `payload=<json>`. */
export function viewSubmissionBody(input: ViewSubmissionInput): string {
  return new URLSearchParams({ payload: JSON.stringify(viewSubmissionPayload(input)) }).toString();
}

export interface MessageShortcutInput {
  callback_id: string;
  /** The text of the message the shortcut was run on. */
  message_text: string;
  user?: string;
  team_id?: string;
  channel?: string;
  message_ts?: string;
  response_url?: string;
  trigger_id?: string;
}

/**
 * A message shortcut run from a message's ⋯ menu (`type: message_action`), as Slack sends it: the callback id, the
 * message and its channel, a response_url and a trigger_id (docs: shortcuts payload). Also a Socket Mode
 * `interactive` envelope's payload.
 */
export function messageShortcutPayload(input: MessageShortcutInput): Record<string, unknown> {
  const user = input.user ?? 'U1';
  const teamId = input.team_id ?? 'T1';
  const channel = input.channel ?? 'C1';
  const ts = input.message_ts ?? '1700000000.000200';
  return {
    type: 'message_action',
    token: 'verification-token',
    action_ts: (Date.now() / 1000).toFixed(6),
    team: { id: teamId, domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: teamId },
    channel: { id: channel, name: 'study' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callback_id,
    trigger_id: input.trigger_id ?? fakeTriggerId(),
    response_url: input.response_url ?? 'https://hooks.slack.invalid/actions/T1/2/y',
    message_ts: ts,
    message: { type: 'message', user: 'U2', ts, text: input.message_text },
  };
}

/** The same as a form-encoded interactivity POST body. */
export function messageShortcutBody(input: MessageShortcutInput): string {
  return new URLSearchParams({ payload: JSON.stringify(messageShortcutPayload(input)) }).toString();
}
