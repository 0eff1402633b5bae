/**
 * A wire-level fake of Discord for adapter tests: the REST API under `/api/v10/…` and a JSON gateway
 * (WebSocket at `/gw`), both on one 127.0.0.1 server with an ephemeral port.
 *
 * Point the real client at it:
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
 *   await client.login('token');
 *
 * zlib-sync must not be installed, so the gateway speaks plain JSON text frames.
 * It speaks Discord's protocol only and imports nothing from src/ (see tests/architecture.test.ts).
 * The facts it follows are written up for readers in the chat-protocols reference of the project's shared folder,
 * which sits beside the repository and is not part of a clone. No file is read from there: the fake needs nothing
 * outside the repository.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

// ---------------------------------------------------------------------------------------------------------
// Types

export interface FakeDiscordOptions {
  /** The largest request with files the fake accepts; above it, 413 with code 40005, as Discord answers. Default 10 MiB. */
  maxUploadBytes?: number;
  /** The application id (also the bot user's id unless botUserId is given). Default '100000000000000001'. */
  applicationId?: string;
  /** The bot user's id. Default: applicationId. */
  botUserId?: string;
  /** The bot user's name. Default 'orch'. */
  botUsername?: string;
  /** Sent in HELLO. Default 45000 ms (Discord's usual value); use a short one to test zombie detection. */
  heartbeatIntervalMs?: number;
  /** Default guild id used by the interaction builders. Default '300000000000000001'. */
  guildId?: string;
  /** How long `interact` waits for the callback. Default 3000 ms (Discord's 3-second rule). */
  callbackTimeoutMs?: number;
  /** Whether the gateway sends HELLO on connect. Default true; false stands for a gateway that hangs. */
  hello?: boolean;
  /** Closes the socket with this code instead of answering IDENTIFY (4004 bad token, 4014 disallowed intents). */
  identifyCloseCode?: number;
  /**
   * The bot's permissions in every channel, as the invite granted them: posting needs View Channel and Send
   * Messages (Send Messages in Threads inside a thread), an embed Embed Links, starting a thread Create Public
   * Threads; a missing one is answered 403 Missing Permissions (50013). Default: every permission.
   */
  botPermissions?: bigint;
  /**
   * A network round trip added to every REST request (half before Discord applies it, half before its answer
   * leaves), as a real call across the internet costs. Default 0: loopback speed. The gateway is not delayed.
   */
  rttMs?: number;
  /** Rate limits enforced with 429, Retry-After and X-RateLimit-* headers, as Discord does; none by default. */
  rateLimits?: FakeDiscordRateLimits;
}

/**
 * Discord's two kinds of limit (https://discord.com/developers/docs/topics/rate-limits): a global one per bot (50
 * requests a second), which interaction callbacks and interaction webhooks (no bot token) are not bound by, and
 * per-route buckets, counted per top-level resource (the channel of `/channels/:id/messages`). A route limit's
 * answers carry X-RateLimit-Limit, -Remaining, -Reset-After and -Bucket, from which discord.js queues ahead.
 */
export interface FakeDiscordRateLimits {
  /** Requests a second with a bot token, over all routes. */
  globalPerSecond?: number;
  routes?: FakeDiscordRouteLimit[];
}

export interface FakeDiscordRouteLimit {
  /** As in `failNext`: `'POST /channels/:id/messages'`; each concrete route (each channel) has a window of its own. */
  route: string;
  limit: number;
  windowMs: number;
  /** The X-RateLimit-Bucket hash sent with the answers. */
  bucket: string;
}

/** One request refused with 429 by a rate limit (not by `failNext` or `rateLimit`). */
export interface FakeDiscordRateLimited {
  method: string;
  route: string;
  global: boolean;
  at: number;
}

/** One REST request, recorded before any failure injection is applied. */
export interface FakeDiscordCall {
  method: string;
  /** The path after `/api/v10`, as it arrived (percent-encoding kept), without the query string. */
  route: string;
  query: Record<string, string>;
  /** The JSON body, the raw text for non-JSON bodies, undefined when empty. */
  body: unknown;
  /** The Authorization header (`Bot <token>`), null when absent (callbacks and webhooks). */
  auth: string | null;
  at: number;
}

/** An interaction callback (`POST /interactions/:id/:token/callback`). */
export interface FakeDiscordCallback {
  interactionId: string;
  token: string;
  /** 4 reply, 5 deferred reply, 6 deferred update, 7 update message, 8 autocomplete result, 9 modal. */
  type: number;
  data: unknown;
  at: number;
}

/** A message as Discord puts it on the wire. */
export interface FakeDiscordWireMessage {
  id: string;
  channel_id: string;
  type: number;
  content: string;
  author: { id: string; username: string; discriminator: string; avatar: null; bot: boolean };
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: unknown[];
  attachments: unknown[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  flags: number;
  nonce?: string | number;
  webhook_id?: string;
  application_id?: string;
}

/** A message as the fake stores it: the current wire state plus every edit's request body. */
export interface FakeDiscordMessage {
  message: FakeDiscordWireMessage;
  /** The body of the creating request (`allowed_mentions`, `nonce`, … included). */
  body: Record<string, unknown>;
  /** Every PATCH applied, oldest first. */
  edits: Array<{ body: Record<string, unknown>; at: number }>;
  /** The files sent with the message (multipart `files[n]` parts), with the attachment entry that named each. */
  files?: FakeDiscordFile[];
}

/** A file part of a multipart message: its bytes, and what `payload_json`'s attachments said of it. */
export interface FakeDiscordFile {
  id: number;
  filename: string;
  description: string | null;
  contentType: string | null;
  bytes: Buffer;
}

/** An interaction webhook write: `editReply` (PATCH …/messages/@original) or `followUp` (POST). */
/** A public thread started from a message: its id is the message's, its parent the message's channel. */
export interface FakeDiscordThread {
  id: string;
  parentId: string;
  name: string;
  autoArchiveDuration: number;
  archived: boolean;
  /** Locked by a moderator: archived and locked, it refuses every message (50083). */
  locked: boolean;
  /** The body of the creating request. */
  body: Record<string, unknown>;
}

export interface FakeDiscordWebhookMessage {
  kind: 'edit' | 'followUp';
  applicationId: string;
  token: string;
  /** '@original' for editReply, the message id for other edits, the new id for a follow-up. */
  messageId: string;
  body: Record<string, unknown>;
  message: FakeDiscordWireMessage;
  at: number;
}

export interface FakeDiscordRegisteredCommands {
  applicationId: string;
  /** null for global commands. */
  guildId: string | null;
  commands: Array<Record<string, unknown>>;
  at: number;
}

/**
 * What the next matching request answers instead of its normal answer:
 * - `{ status: 429, retryAfter: 0.05 }` → 429 with `Retry-After` (seconds) and `{ message, retry_after, global: false }`;
 * - `{ status: 500 }` (any 5xx) → that status; discord.js retries 5xx three times;
 * - `{ status: 403, code: 50013, message: 'Missing Permissions' }` (any 4xx) → DiscordAPIError in the client.
 */
export type FakeDiscordFailure =
  | { status: 429; retryAfter?: number }
  | { status: number; code?: number; message?: string };

/** A raw application command option (Discord's wire shape). */
export interface FakeDiscordOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: FakeDiscordOption[];
}

/** Options as raw wire options, or a record (string → 3, integer → 4, boolean → 5, other number → 10). */
export type FakeDiscordOptionsInput = FakeDiscordOption[] | Record<string, string | number | boolean>;

export interface FakeDiscordUserInput {
  id?: string;
  username?: string;
  global_name?: string | null;
}

export interface InteractionCommon {
  /** The interaction id. Default: a fresh snowflake. */
  id?: string;
  /** Default: a random string. */
  token?: string;
  applicationId?: string;
  user?: FakeDiscordUserInput;
  /** Member permissions bitfield as a decimal string. Default '0'. */
  permissions?: string;
  roles?: string[];
  /** Default: the fake's guild id. */
  guildId?: string;
  /** Default '400000000000000001'. */
  channelId?: string;
  /** Default 'en-US'. */
  locale?: string;
  /** Default 'en-US'. */
  guildLocale?: string;
  /** The bot's permissions in the channel. Default '2248473465835073' (generous). */
  appPermissions?: string;
  /**
   * Sent outside any guild to the app as the member installed it for themselves (integration type 1):
   * `bot-dm` is their DM with the bot (context 1), `private-channel` another DM or group DM (context 2). The
   * payload then has `user` instead of `member`, no guild_id, and the member as the authorizing owner, as Discord
   * sends it.
   */
  direct?: 'bot-dm' | 'private-channel';
}

export interface SlashCommandInput extends InteractionCommon {
  /** Default 'orch'. */
  name?: string;
  /** The command id. Default '500000000000000001'. */
  commandId?: string;
  subcommand?: string;
  options?: FakeDiscordOptionsInput;
}

export interface ButtonInput extends InteractionCommon {
  customId: string;
  /** The message holding the button; when the fake stored it, its content and components are used. */
  messageId?: string;
  /** Overrides for the `message` the button sits on. */
  message?: Partial<FakeDiscordWireMessage>;
}

export interface SelectMenuInput extends ButtonInput {
  /** The values picked. Default ['1']. */
  values?: string[];
  /** 3 string, 5 user, 6 role, 7 mentionable, 8 channel select. Default 3. */
  componentType?: number;
}

export interface MessageCommandInput extends InteractionCommon {
  /** The context-menu command's name, as registered. */
  name: string;
  /** The target message's text. */
  content: string;
  /** Default '500000000000000002'. */
  commandId?: string;
}

export interface ModalSubmitInput extends InteractionCommon {
  customId: string;
  /** Text inputs in classic action rows, as custom_id → value. */
  fields?: Record<string, string>;
  /**
   * Components inside Label components (type 18), as custom_id → a text input's value (string) or a string
   * select's picked values (array).
   */
  labels?: Record<string, string | string[]>;
}

export interface AutocompleteInput extends InteractionCommon {
  name?: string;
  commandId?: string;
  subcommand?: string;
  /** The option being typed (marked focused). A string is a string option (type 3). */
  focused: { name: string; value: string; type?: number };
  /** Other options already filled in. */
  options?: FakeDiscordOptionsInput;
}

export interface FakeDiscordUserWire {
  id: string;
  username: string;
  discriminator: string;
  avatar: null;
  global_name: string | null;
}

export interface FakeDiscordInteraction {
  id: string;
  application_id: string;
  type: number;
  data: Record<string, unknown>;
  /** Absent outside a guild (a user-installed app in a DM). */
  guild_id?: string;
  /** In a thread: type 11 and the `parent_id` of the channel it belongs to. */
  channel: {
    id: string;
    type: number;
    guild_id?: string;
    parent_id?: string;
    recipients?: FakeDiscordUserWire[];
  };
  channel_id: string;
  /** In a guild; outside one the invoking user comes as `user`. */
  member?: {
    user: FakeDiscordUserWire;
    roles: string[];
    permissions: string;
    joined_at: string;
    deaf: boolean;
    mute: boolean;
    flags: number;
    nick: null;
    avatar: null;
    premium_since: null;
    pending: boolean;
  };
  user?: FakeDiscordUserWire;
  token: string;
  version: 1;
  app_permissions: string;
  locale: string;
  guild_locale?: string;
  entitlements: unknown[];
  authorizing_integration_owners: Record<string, string>;
  context: number;
  message?: FakeDiscordWireMessage;
}

export interface FakeDiscordDispatch {
  s: number;
  t: string;
  d: unknown;
}

export interface FakeDiscord {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/api` — pass as `rest: { api }`. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:<port>/gw` */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildId: string;
  readonly calls: FakeDiscordCall[];
  readonly callbacks: FakeDiscordCallback[];
  /** Requests refused by `rateLimits`, in order. */
  readonly rateLimited: FakeDiscordRateLimited[];
  /** Changes the added round trip (see FakeDiscordOptions.rttMs) from the next request on. */
  setRtt(ms: number): void;
  readonly webhookMessages: FakeDiscordWebhookMessage[];
  /** Channel id → messages posted there, oldest first (a thread's messages under the thread's id). */
  readonly messages: Map<string, FakeDiscordMessage[]>;
  /** Thread id → the thread, for every thread started from a message. */
  readonly threads: Map<string, FakeDiscordThread>;
  /**
   * Archives a thread, as its inactivity timer or a moderator does: a new message reopens it, an edit is refused
   * (50083); `locked` (a moderator's lock) refuses new messages too.
   */
  archiveThread(threadId: string, options?: { locked?: boolean }): void;
  /** The message an interaction's response created (type 4 or 5 callback, or the first edit), by its token. */
  originalMessage(token: string): FakeDiscordWireMessage | undefined;
  readonly registeredCommands: FakeDiscordRegisteredCommands[];
  /** Every dispatch of the current session, in sequence order (READY included). */
  readonly dispatches: FakeDiscordDispatch[];
  /** IDENTIFY payloads (`d`) received. */
  readonly identifies: unknown[];
  /** RESUME payloads (`d`) received. */
  readonly resumes: unknown[];
  /** Heartbeats (op 1) received. */
  readonly heartbeats: number;
  /** The current session id, undefined before the first IDENTIFY. */
  readonly sessionId: string | undefined;
  callsTo(method: string, routePattern: string | RegExp): FakeDiscordCall[];
  history(channelId: string): FakeDiscordMessage[];
  lastMessage(channelId: string): FakeDiscordMessage | undefined;
  /**
   * Queues a failure for the next request matching `routePattern` (queued failures apply in order).
   * A string pattern is `'[METHOD ]/route/with/:params'` (`:x` matches one segment), a RegExp is tested
   * against `'METHOD /route'`.
   */
  failNext(routePattern: string | RegExp, failure: FakeDiscordFailure): void;
  /**
   * Rate-limits every request matching `routePattern` (as in `failNext`) until `lift()`: each is answered 429 with
   * `retry_after` (seconds, default 0.5), as Discord answers a bucket that is used up, so the client keeps it
   * waiting and tries again. Requests that match no limit (interaction callbacks, say) go through meanwhile.
   */
  rateLimit(routePattern: string | RegExp, retryAfter?: number): { lift(): void };
  /** Resolves when a client has identified and been sent READY (at once if it already has). */
  ready(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves when `count` RESUMEs in all have been answered with RESUMED. Default count: resumes so far + 1. */
  resumed(options?: { count?: number; timeoutMs?: number }): Promise<void>;
  /**
   * From now on every REST request is answered 401 Unauthorized, as Discord does once the bot token is revoked
   * (the gateway session already open stays connected). Recorded in `calls` all the same.
   */
  rejectToken(): void;
  /**
   * The next RESUME replays every dispatch after `afterSeq` instead of after the sequence the client sent, as
   * Discord may: dispatches the client already handled arrive again.
   */
  replayOnNextResume(afterSeq: number): void;
  /** Sends a dispatch (op 0) with the next sequence number; kept for replay if no client is live. */
  dispatch(t: string, d: unknown): number;
  /** Closes the gateway socket abruptly (no close frame); resolves once it is closed. */
  dropConnection(): Promise<void>;
  /** Dispatches INTERACTION_CREATE; resolves with the first callback for that interaction. */
  interact(payload: FakeDiscordInteraction, options?: { timeoutMs?: number }): Promise<FakeDiscordCallback>;
  slashCommandInteraction(input?: SlashCommandInput): FakeDiscordInteraction;
  buttonInteraction(input: ButtonInput): FakeDiscordInteraction;
  autocompleteInteraction(input: AutocompleteInput): FakeDiscordInteraction;
  selectMenuInteraction(input: SelectMenuInput): FakeDiscordInteraction;
  /**
   * A message context-menu command (application command type 3) run on a member's message: `data` has the command's
   * `name`, `type: 3`, `target_id` and the message in `resolved.messages`, content included (Discord sends the
   * target's content to the app even without the message content intent).
   */
  messageCommandInteraction(input: MessageCommandInput): FakeDiscordInteraction;
  modalSubmitInteraction(input: ModalSubmitInput): FakeDiscordInteraction;
  /** The submission of a modal the bot showed (`shown`, a type-9 callback), with `values` over what it held. */
  submitModal(
    shown: FakeDiscordCallback,
    values: Record<string, string>,
    input?: InteractionCommon,
  ): FakeDiscordInteraction;
  /**
   * The interaction's token is past Discord's 3 seconds for a first response (without the test waiting them): its
   * callback is answered 404 Unknown interaction (10062).
   */
  expireInteraction(id: string): void;
  /** A new snowflake id (increasing). */
  snowflake(): string;
  /** Clears calls, callbacks, webhook messages, messages, registered commands and queued failures. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

type Json = Record<string, unknown>;

/** How long Discord waits for an interaction's first response. */
const INTERACTION_RESPONSE_MS = 3000;

/**
 * Discord's checks of a message's components (docs: component reference, select menus): at most five action rows;
 * a row holds one to five buttons or exactly one select; a string select has a custom id of 1–100 characters, a
 * placeholder of at most 150 and 1–25 options whose label and value are 1–100 characters and distinct in value.
 */
function messageComponentsError(data: unknown): string | undefined {
  if (!isRecord(data) || !Array.isArray(data.components)) return undefined;
  const rows = data.components as unknown[];
  if (rows.length > 5) return 'components: at most five rows';
  for (const row of rows) {
    if (!isRecord(row) || row.type !== 1 || !Array.isArray(row.components)) return 'row';
    const items = row.components as Json[];
    const selects = items.filter(
      (c) => c.type === 3 || (typeof c.type === 'number' && c.type >= 5 && c.type <= 8),
    );
    if (selects.length > 0) {
      if (items.length !== 1) return 'a select sits alone in its row';
      const select = selects[0] as Json;
      if (
        typeof select.custom_id !== 'string' ||
        select.custom_id.length === 0 ||
        select.custom_id.length > 100
      )
        return 'select custom_id';
      if (typeof select.placeholder === 'string' && select.placeholder.length > 150)
        return 'select placeholder';
      if (select.type === 3) {
        const options = Array.isArray(select.options) ? (select.options as Json[]) : [];
        if (options.length === 0 || options.length > 25) return 'select options: one to 25';
        const values = new Set<unknown>();
        for (const o of options) {
          if (typeof o.label !== 'string' || o.label.length === 0 || o.label.length > 100)
            return 'option label';
          if (typeof o.value !== 'string' || o.value.length === 0 || o.value.length > 100)
            return 'option value';
          if (values.has(o.value)) return 'option value: duplicate';
          values.add(o.value);
        }
      }
    } else if (items.length === 0 || items.length > 5) return 'row: one to five buttons';
  }
  return undefined;
}

/**
 * Discord's checks of a modal (type-9 callback data) that bite in practice: a custom id of 1–100 characters, a
 * title of 1–45, one to five top-level components, each a Label (label ≤ 45, description ≤ 100) holding a text input
 * or a string select, or a classic row holding one text input; option and value limits. A description of the problem,
 * or undefined when the modal is valid.
 */
function modalError(data: unknown): string | undefined {
  if (!isRecord(data)) return 'no data';
  const id = data.custom_id;
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) return 'custom_id';
  const title = data.title;
  if (typeof title !== 'string' || title.length === 0 || title.length > 45) return 'title';
  const components = Array.isArray(data.components) ? data.components : [];
  if (components.length === 0 || components.length > 5) return 'components: one to five';
  const ids = new Set<string>();
  const input = (c: Json, inLabel: boolean): string | undefined => {
    if (typeof c.custom_id !== 'string' || c.custom_id.length === 0 || c.custom_id.length > 100)
      return 'custom_id';
    if (ids.has(c.custom_id)) return 'custom_id: duplicate';
    ids.add(c.custom_id);
    if (c.type === 4) {
      if (inLabel && c.label !== undefined) return 'text input label inside a Label';
      if (!inLabel && (typeof c.label !== 'string' || c.label.length > 45)) return 'text input label';
      if (c.style !== 1 && c.style !== 2) return 'text input style';
      const max = typeof c.max_length === 'number' ? c.max_length : 4000;
      if (max < 1 || max > 4000) return 'max_length';
      if (typeof c.value === 'string' && c.value.length > max) return 'value longer than max_length';
      if (typeof c.placeholder === 'string' && c.placeholder.length > 100) return 'placeholder';
      return undefined;
    }
    if (c.type === 3 && inLabel) {
      const options = Array.isArray(c.options) ? (c.options as Json[]) : [];
      if (options.length === 0 || options.length > 25) return 'options: one to 25';
      for (const o of options) {
        if (typeof o.label !== 'string' || o.label.length === 0 || o.label.length > 100)
          return 'option label';
        if (typeof o.value !== 'string' || o.value.length === 0 || o.value.length > 100)
          return 'option value';
        if (typeof o.description === 'string' && o.description.length > 100) return 'option description';
      }
      return undefined;
    }
    return `component type ${String(c.type)}`;
  };
  for (const component of components) {
    if (!isRecord(component)) return 'component';
    if (component.type === 18) {
      if (typeof component.label !== 'string' || component.label.length === 0 || component.label.length > 45)
        return 'label';
      if (typeof component.description === 'string' && component.description.length > 100)
        return 'description';
      if (!isRecord(component.component)) return 'label component';
      const problem = input(component.component, true);
      if (problem) return problem;
    } else if (component.type === 1) {
      const row = Array.isArray(component.components) ? component.components : [];
      if (row.length !== 1 || !isRecord(row[0])) return 'action row';
      const problem = input(row[0], false);
      if (problem) return problem;
    } else return `component type ${String(component.type)}`;
  }
  return undefined;
}

const DISCORD_EPOCH = 1_420_070_400_000n;

/** The permission bits the fake checks (Discord's permission flags). */
export const PERMISSION = {
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  embedLinks: 1n << 14n,
  createPublicThreads: 1n << 35n,
  sendMessagesInThreads: 1n << 38n,
} as const;
const GATEWAY_PATH = '/gw';
const API_PREFIX = '/api/v10';

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The parts of a multipart/form-data body: each part's name, filename, type and bytes; null when malformed. */
function multipartParts(
  raw: Buffer,
  contentType: string,
): { name: string; filename: string | null; type: string | null; bytes: Buffer }[] | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return null;
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: { name: string; filename: string | null; type: string | null; bytes: Buffer }[] = [];
  let at = raw.indexOf(marker);
  while (at >= 0) {
    const start = at + marker.length;
    if (raw.subarray(start, start + 2).toString() === '--') return parts;
    const headersEnd = raw.indexOf('\r\n\r\n', start);
    const next = raw.indexOf(marker, headersEnd);
    if (headersEnd < 0 || next < 0) return null;
    const headers = raw.subarray(start + 2, headersEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) return null;
    parts.push({
      name,
      filename: /filename="([^"]*)"/i.exec(headers)?.[1] ?? null,
      type: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? null,
      bytes: raw.subarray(headersEnd + 4, next - 2),
    });
    at = next;
  }
  return null;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

function routeMatcher(pattern: string | RegExp): (method: string, route: string) => boolean {
  if (pattern instanceof RegExp) return (method, route) => pattern.test(`${method} ${route}`);
  const match = /^([A-Z]+)\s+(.*)$/.exec(pattern.trim());
  const wantMethod = match?.[1];
  const path = match?.[2] ?? pattern.trim();
  const escaped = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const regex = new RegExp(`^${escaped}$`);
  return (method, route) => (wantMethod === undefined || wantMethod === method) && regex.test(route);
}

function toOptions(input: FakeDiscordOptionsInput | undefined): FakeDiscordOption[] {
  if (input === undefined) return [];
  if (Array.isArray(input)) return input;
  return Object.entries(input).map(([name, value]) => {
    const type =
      typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : Number.isInteger(value) ? 4 : 10;
    return { name, type, value };
  });
}

function wrapSubcommand(subcommand: string | undefined, options: FakeDiscordOption[]): FakeDiscordOption[] {
  return subcommand === undefined ? options : [{ name: subcommand, type: 1, options }];
}

/** True when `value` is absent (or null, where allowed) or a non-empty list of distinct values from `allowed`. */
function enumList(value: unknown, allowed: readonly number[], nullable = false): boolean {
  if (value === undefined || (nullable && value === null)) return true;
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    new Set(value).size === value.length &&
    value.every((v) => typeof v === 'number' && allowed.includes(v))
  );
}

// ---------------------------------------------------------------------------------------------------------
// The fake

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? '100000000000000001';
  const botUserId = options.botUserId ?? applicationId;
  const botUsername = options.botUsername ?? 'orch';
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 45_000;
  const maxUploadBytes = options.maxUploadBytes ?? 10 * 1024 * 1024;
  const defaultGuildId = options.guildId ?? '300000000000000001';
  const callbackTimeoutMs = options.callbackTimeoutMs ?? 3000;
  const sendHello = options.hello ?? true;
  let tokenRejected = false;
  let resumeReplayFrom: number | undefined;
  const defaultChannelId = '400000000000000001';

  const calls: FakeDiscordCall[] = [];
  const callbacks: FakeDiscordCallback[] = [];
  const webhookMessages: FakeDiscordWebhookMessage[] = [];
  const messages = new Map<string, FakeDiscordMessage[]>();
  const registeredCommands: FakeDiscordRegisteredCommands[] = [];
  const failures: Array<{
    matches: (method: string, route: string) => boolean;
    failure: FakeDiscordFailure;
  }> = [];
  const limits: Array<{ matches: (method: string, route: string) => boolean; retryAfter: number }> = [];
  const rateLimited = (res: ServerResponse, retryAfter: number): void =>
    sendJson(
      res,
      429,
      { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
      { 'Retry-After': String(retryAfter), 'X-RateLimit-Scope': 'user' },
    );
  let rttMs = options.rttMs ?? 0;
  const rateLimitedLog: FakeDiscordRateLimited[] = [];
  const routeLimits = (options.rateLimits?.routes ?? []).map((limit) => ({
    ...limit,
    matches: routeMatcher(limit.route),
  }));
  const windows = new Map<string, { count: number; resetAt: number }>();
  let globalWindow = { count: 0, resetAt: 0 };
  /** Applies the configured limits to a request; true when it was answered 429 (and must go no further). */
  const limitedByRules = (res: ServerResponse, method: string, route: string, botAuth: boolean): boolean => {
    const now = Date.now();
    const perSecond = options.rateLimits?.globalPerSecond;
    if (perSecond !== undefined && botAuth) {
      if (now >= globalWindow.resetAt) globalWindow = { count: 0, resetAt: now + 1000 };
      if (globalWindow.count >= perSecond) {
        const retryAfter = (globalWindow.resetAt - now) / 1000;
        rateLimitedLog.push({ method, route, global: true, at: now });
        sendJson(
          res,
          429,
          { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
          { 'Retry-After': String(retryAfter), 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
        );
        return true;
      }
      globalWindow.count++;
    }
    const limit = routeLimits.find((l) => l.matches(method, route));
    if (limit === undefined) return false;
    const key = `${method} ${route}`;
    let window = windows.get(key);
    if (window === undefined || now >= window.resetAt) {
      window = { count: 0, resetAt: now + limit.windowMs };
      windows.set(key, window);
    }
    const resetAfter = (window.resetAt - now) / 1000;
    const headers = {
      'X-RateLimit-Limit': String(limit.limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit.limit - window.count - 1)),
      'X-RateLimit-Reset': String(window.resetAt / 1000),
      'X-RateLimit-Reset-After': String(resetAfter),
      'X-RateLimit-Bucket': limit.bucket,
    };
    if (window.count >= limit.limit) {
      rateLimitedLog.push({ method, route, global: false, at: now });
      sendJson(
        res,
        429,
        { message: 'You are being rate limited.', retry_after: resetAfter, global: false },
        {
          ...headers,
          'X-RateLimit-Remaining': '0',
          'Retry-After': String(resetAfter),
          'X-RateLimit-Scope': 'user',
        },
      );
      return true;
    }
    window.count++;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    return false;
  };
  const nonces = new Map<string, FakeDiscordMessage>();
  const threads = new Map<string, FakeDiscordThread>();
  const granted = options.botPermissions ?? -1n;
  /** 403 Missing Permissions unless the bot holds every bit of `needed`. */
  const lacks = (res: ServerResponse, needed: bigint): boolean => {
    if ((granted & needed) === needed) return false;
    sendJson(res, 403, { message: 'Missing Permissions', code: 50013 });
    return true;
  };
  const callbackWaiters = new Map<string, (callback: FakeDiscordCallback) => void>();

  let snowflakeCounter = 0n;
  const snowflake = (): string => {
    snowflakeCounter += 1n;
    return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (snowflakeCounter & 0x3fffffn));
  };

  const botAuthor = () => ({
    id: botUserId,
    username: botUsername,
    discriminator: '0',
    avatar: null,
    bot: true,
  });

  const buildMessage = (channelId: string, body: Json, id: string = snowflake()): FakeDiscordWireMessage => {
    const message: FakeDiscordWireMessage = {
      id,
      channel_id: channelId,
      type: 0,
      content: typeof body.content === 'string' ? body.content : '',
      author: botAuthor(),
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: Array.isArray(body.embeds) ? body.embeds : [],
      components: Array.isArray(body.components) ? body.components : [],
      pinned: false,
      flags: typeof body.flags === 'number' ? body.flags : 0,
    };
    if (typeof body.nonce === 'string' || typeof body.nonce === 'number') message.nonce = body.nonce;
    return message;
  };

  const applyEdit = (message: FakeDiscordWireMessage, body: Json): void => {
    if (typeof body.content === 'string' || body.content === null) message.content = body.content ?? '';
    if (Array.isArray(body.embeds)) message.embeds = body.embeds;
    if (Array.isArray(body.components)) message.components = body.components;
    if (typeof body.flags === 'number') message.flags = body.flags;
    message.edited_timestamp = new Date().toISOString();
  };

  const channelHistory = (channelId: string): FakeDiscordMessage[] => {
    let list = messages.get(channelId);
    if (list === undefined) {
      list = [];
      messages.set(channelId, list);
    }
    return list;
  };

  const findMessage = (messageId: string): FakeDiscordMessage | undefined => {
    for (const list of messages.values()) {
      const found = list.find((m) => m.message.id === messageId);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const threadChannel = (thread: FakeDiscordThread): Json => ({
    id: thread.id,
    type: 11,
    guild_id: defaultGuildId,
    name: thread.name,
    parent_id: thread.parentId,
    owner_id: botUserId,
    last_message_id: messages.get(thread.id)?.at(-1)?.message.id ?? null,
    rate_limit_per_user: 0,
    message_count: messages.get(thread.id)?.length ?? 0,
    member_count: 1,
    thread_metadata: {
      archived: thread.archived,
      auto_archive_duration: thread.autoArchiveDuration,
      archive_timestamp: new Date().toISOString(),
      locked: thread.locked,
    },
    total_message_sent: messages.get(thread.id)?.length ?? 0,
    flags: 0,
  });
  const archivedError = (res: ServerResponse) =>
    sendJson(res, 400, { message: 'Thread is archived', code: 50083 });

  /** Interaction id → its channel, so webhook messages get a plausible channel_id. */
  const interactionChannels = new Map<string, string>();
  /** Interaction id → when it was dispatched and its type: a first response must come within 3 s, and only once. */
  const interactionsSent = new Map<string, { at: number; type: number }>();
  const acknowledged = new Set<string>();
  const expiredInteractions = new Set<string>();
  /** Interaction token → the @original message (created by a type-4/5 callback or the first edit). */
  const originals = new Map<string, FakeDiscordWireMessage>();
  const tokenChannels = new Map<string, string>();

  const unknown = (res: ServerResponse, what: string, code: number) =>
    sendJson(res, 404, { message: `Unknown ${what}`, code });

  // --- REST -------------------------------------------------------------------------------------------

  const handleRest = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    route: string,
    url: URL,
  ): Promise<void> => {
    const bytes = await readBytes(req);
    const raw = bytes.toString('utf8');
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    let body: unknown;
    if (raw !== '') body = contentType.startsWith('application/json') ? tryJson(raw) : raw;
    // A message with files: the JSON is the payload_json part, each files[n] part a file.
    let uploaded: FakeDiscordFile[] | undefined;
    if (contentType.startsWith('multipart/form-data')) {
      if (bytes.length > maxUploadBytes)
        return sendJson(res, 413, { message: 'Request entity too large', code: 40005 });
      const parts = multipartParts(bytes, req.headers['content-type'] ?? '');
      const payload = parts?.find((p) => p.name === 'payload_json');
      if (!parts || !payload) return sendJson(res, 400, { message: 'Invalid Form Body', code: 50035 });
      body = tryJson(payload.bytes.toString('utf8'));
      const named =
        isRecord(body) && Array.isArray(body.attachments) ? body.attachments.filter(isRecord) : [];
      uploaded = [];
      for (const part of parts) {
        const index = /^files\[(\d+)\]$/.exec(part.name)?.[1];
        if (index === undefined) continue;
        const entry = named.find((a) => String(a.id) === index);
        // Every file part needs its attachment entry, as payload_json's attachments[].id names files[n].
        if (!entry) return sendJson(res, 400, { message: 'Invalid Form Body', code: 50035 });
        uploaded.push({
          id: Number(index),
          filename: typeof entry.filename === 'string' ? entry.filename : (part.filename ?? ''),
          description: typeof entry.description === 'string' ? entry.description : null,
          contentType: part.type,
          bytes: part.bytes,
        });
      }
      if (uploaded.some((f) => (f.description ?? '').length > 1024))
        return sendJson(res, 400, { message: 'Invalid Form Body', code: 50035 });
    }
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) query[key] = value;
    calls.push({ method, route, query, body, auth: req.headers.authorization ?? null, at: Date.now() });
    if (tokenRejected) return sendJson(res, 401, { message: '401: Unauthorized', code: 0 });

    const limit = limits.find((l) => l.matches(method, route));
    if (limit) return rateLimited(res, limit.retryAfter);
    if (limitedByRules(res, method, route, (req.headers.authorization ?? '').startsWith('Bot '))) return;

    const failureIndex = failures.findIndex((f) => f.matches(method, route));
    if (failureIndex >= 0) {
      const [entry] = failures.splice(failureIndex, 1);
      const failure = entry?.failure;
      if (failure !== undefined) {
        if (failure.status === 429) {
          rateLimited(
            res,
            'retryAfter' in failure && failure.retryAfter !== undefined ? failure.retryAfter : 0.05,
          );
        } else {
          const code = 'code' in failure && failure.code !== undefined ? failure.code : 0;
          const message =
            'message' in failure && failure.message !== undefined
              ? failure.message
              : `${failure.status}: Error`;
          sendJson(res, failure.status, { message, code });
        }
        return;
      }
    }

    const b: Json = isRecord(body) ? body : {};
    const seg = route.split('/').slice(1).map(decodeURIComponent);
    const [s0, s1, s2, s3, s4] = seg;
    const n = seg.length;

    // GET /gateway/bot, GET /gateway
    if (method === 'GET' && s0 === 'gateway' && n <= 2) {
      if (n === 1) return sendJson(res, 200, { url: gatewayUrl });
      if (s1 === 'bot')
        return sendJson(res, 200, {
          url: gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        });
    }

    // POST /interactions/:id/:token/callback
    if (method === 'POST' && s0 === 'interactions' && n === 4 && s3 === 'callback' && s1 && s2) {
      const type = typeof b.type === 'number' ? b.type : -1;
      const sent = interactionsSent.get(s1);
      // Discord's real refusals: a token past its 3 seconds is unknown, and an interaction takes one response.
      if (
        expiredInteractions.has(s1) ||
        (sent !== undefined && Date.now() - sent.at > INTERACTION_RESPONSE_MS)
      )
        return unknown(res, 'interaction', 10062);
      if (acknowledged.has(s1))
        return sendJson(res, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      if (type === 9) {
        // A modal answers a command or a component, never a modal submit (nor an autocomplete).
        const problem =
          sent !== undefined && (sent.type === 5 || sent.type === 4)
            ? 'a modal cannot answer this'
            : modalError(b.data);
        if (problem)
          return sendJson(res, 400, { message: 'Invalid Form Body', code: 50035, errors: { data: problem } });
      }
      if (type === 4 || type === 7) {
        const problem = messageComponentsError(b.data);
        if (problem)
          return sendJson(res, 400, { message: 'Invalid Form Body', code: 50035, errors: { data: problem } });
      }
      acknowledged.add(s1);
      const callback: FakeDiscordCallback = {
        interactionId: s1,
        token: s2,
        type,
        data: b.data,
        at: Date.now(),
      };
      callbacks.push(callback);
      const channelId = interactionChannels.get(s1) ?? defaultChannelId;
      tokenChannels.set(s2, channelId);
      let original: FakeDiscordWireMessage | undefined;
      if (type === 4 || type === 5) {
        original = buildMessage(channelId, isRecord(b.data) ? b.data : {});
        original.webhook_id = applicationId;
        original.application_id = applicationId;
        originals.set(s2, original);
      }
      const waiter = callbackWaiters.get(s1);
      if (waiter !== undefined) {
        callbackWaiters.delete(s1);
        waiter(callback);
      }
      if (query.with_response === 'true') {
        const response: Json = {
          interaction: {
            id: s1,
            type: 2,
            activity_instance_id: null,
            response_message_id: original?.id ?? null,
            response_message_loading: type === 5,
            response_message_ephemeral: original !== undefined && (original.flags & 64) !== 0,
          },
        };
        if (original !== undefined) response.resource = { type, message: original };
        return sendJson(res, 200, response);
      }
      return sendEmpty(res, 204);
    }

    // Interaction webhooks: PATCH /webhooks/:app/:token/messages/:id, POST /webhooks/:app/:token
    if (s0 === 'webhooks' && s1 && s2) {
      const channelId = tokenChannels.get(s2) ?? defaultChannelId;
      if (method === 'PATCH' && n === 5 && s3 === 'messages' && s4) {
        let message = s4 === '@original' ? originals.get(s2) : undefined;
        if (message === undefined && s4 !== '@original') {
          message = webhookMessages.find((w) => w.token === s2 && w.message.id === s4)?.message;
        }
        if (message === undefined) {
          message = buildMessage(channelId, b);
          message.webhook_id = applicationId;
          message.application_id = applicationId;
          if (s4 === '@original') originals.set(s2, message);
        }
        applyEdit(message, b);
        webhookMessages.push({
          kind: 'edit',
          applicationId: s1,
          token: s2,
          messageId: s4,
          body: b,
          message: { ...message },
          at: Date.now(),
        });
        return sendJson(res, 200, message);
      }
      if (method === 'POST' && n === 3) {
        const message = buildMessage(channelId, b);
        message.webhook_id = applicationId;
        message.application_id = applicationId;
        webhookMessages.push({
          kind: 'followUp',
          applicationId: s1,
          token: s2,
          messageId: message.id,
          body: b,
          message,
          at: Date.now(),
        });
        return sendJson(res, 200, message);
      }
      if (method === 'GET' && n === 5 && s3 === 'messages' && s4 === '@original') {
        const message = originals.get(s2);
        return message === undefined ? unknown(res, 'Message', 10008) : sendJson(res, 200, message);
      }
      if (method === 'DELETE' && n === 5 && s3 === 'messages') return sendEmpty(res, 204);
    }

    // Channels
    if (s0 === 'channels' && s1) {
      const thread = threads.get(s1);
      if (method === 'GET' && n === 2 && thread) return sendJson(res, 200, threadChannel(thread));
      // Start a thread from a message: one per message; the thread takes the message's id.
      if (method === 'POST' && n === 5 && s2 === 'messages' && s3 && s4 === 'threads') {
        if (lacks(res, PERMISSION.viewChannel | PERMISSION.createPublicThreads)) return;
        if (thread)
          return sendJson(res, 400, { message: 'Cannot execute action on this channel type', code: 50024 });
        const exists =
          messages.get(s1)?.some((m) => m.message.id === s3) === true ||
          [...originals.values(), ...webhookMessages.map((w) => w.message)].some(
            (m) => m.id === s3 && m.channel_id === s1 && (m.flags & 64) === 0,
          );
        if (!exists) return unknown(res, 'Message', 10008);
        if (threads.has(s3))
          return sendJson(res, 400, {
            message: 'A thread has already been created for this message',
            code: 160004,
          });
        const name = typeof b.name === 'string' ? b.name : '';
        const duration = b.auto_archive_duration === undefined ? 4320 : b.auto_archive_duration;
        const problems: Json = {};
        if (name.length < 1 || name.length > 100)
          problems.name = {
            _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
          };
        if (typeof duration !== 'number' || ![60, 1440, 4320, 10080].includes(duration))
          problems.auto_archive_duration = {
            _errors: [
              { code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {60, 1440, 4320, 10080}.' },
            ],
          };
        if (Object.keys(problems).length > 0)
          return sendJson(res, 400, { message: 'Invalid Form Body', code: 50035, errors: problems });
        const created: FakeDiscordThread = {
          id: s3,
          parentId: s1,
          name,
          autoArchiveDuration: duration as number,
          archived: false,
          locked: false,
          body: b,
        };
        threads.set(s3, created);
        return sendJson(res, 201, threadChannel(created));
      }
      if (method === 'GET' && n === 2)
        return sendJson(res, 200, {
          id: s1,
          type: 0,
          guild_id: defaultGuildId,
          name: 'study',
          position: 0,
          permission_overwrites: [],
          nsfw: false,
          parent_id: null,
          topic: null,
          last_message_id: messages.get(s1)?.at(-1)?.message.id ?? null,
          rate_limit_per_user: 0,
        });
      if (method === 'POST' && n === 3 && s2 === 'messages') {
        const send = thread ? PERMISSION.sendMessagesInThreads : PERMISSION.sendMessages;
        const embeds = Array.isArray(b.embeds) && b.embeds.length > 0 ? PERMISSION.embedLinks : 0n;
        if (lacks(res, PERMISSION.viewChannel | send | embeds)) return;
        // Sending into an archived thread reopens it, unless a moderator locked it.
        if (thread?.archived && thread.locked) return archivedError(res);
        if (thread?.archived) thread.archived = false;
        const nonce = b.nonce;
        const nonceKey =
          b.enforce_nonce === true && (typeof nonce === 'string' || typeof nonce === 'number')
            ? `${s1}:${String(nonce)}`
            : undefined;
        const existing = nonceKey === undefined ? undefined : nonces.get(nonceKey);
        if (existing !== undefined) return sendJson(res, 200, existing.message);
        const content = typeof b.content === 'string' ? b.content : '';
        const hasPayload =
          content !== '' ||
          (uploaded !== undefined && uploaded.length > 0) ||
          (Array.isArray(b.embeds) && b.embeds.length > 0) ||
          (Array.isArray(b.components) && b.components.length > 0) ||
          b.sticker_ids !== undefined ||
          b.poll !== undefined;
        if (!hasPayload) return sendJson(res, 400, { message: 'Cannot send an empty message', code: 50006 });
        if (content.length > 2000)
          return sendJson(res, 400, {
            message: 'Invalid Form Body',
            code: 50035,
            errors: {
              content: {
                _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
              },
            },
          });
        const stored: FakeDiscordMessage = { message: buildMessage(s1, b), body: b, edits: [] };
        if (uploaded && uploaded.length > 0) {
          stored.files = uploaded;
          stored.message.attachments = uploaded.map((f) => ({
            id: snowflake(),
            filename: f.filename,
            description: f.description ?? undefined,
            content_type: f.contentType ?? undefined,
            size: f.bytes.length,
            url: `https://cdn.discordapp.invalid/attachments/${s1}/${encodeURIComponent(f.filename)}`,
          }));
        }
        channelHistory(s1).push(stored);
        if (nonceKey !== undefined) nonces.set(nonceKey, stored);
        return sendJson(res, 200, stored.message);
      }
      if (n === 4 && s2 === 'messages' && s3) {
        const stored = messages.get(s1)?.find((m) => m.message.id === s3);
        if (stored === undefined) return unknown(res, 'Message', 10008);
        if (method === 'GET') return sendJson(res, 200, stored.message);
        if (method === 'PATCH') {
          if (thread?.archived) return archivedError(res);
          applyEdit(stored.message, b);
          stored.edits.push({ body: b, at: Date.now() });
          return sendJson(res, 200, stored.message);
        }
        if (method === 'DELETE') {
          const list = channelHistory(s1);
          list.splice(list.indexOf(stored), 1);
          return sendEmpty(res, 204);
        }
      }
    }

    // Bulk overwrite of application commands
    if (method === 'PUT' && s0 === 'applications' && s1 && Array.isArray(body)) {
      const guildId = n === 5 && s2 === 'guilds' && s4 === 'commands' ? (s3 ?? null) : null;
      if ((n === 3 && s2 === 'commands') || guildId !== null) {
        // Where a command may be installed (0 guild, 1 user) and used (0 guild, 1 bot DM, 2 private channel):
        // any other value is refused as Discord refuses a malformed form.
        const invalid = body
          .filter(isRecord)
          .findIndex(
            (command) =>
              !enumList(command.integration_types, [0, 1]) || !enumList(command.contexts, [0, 1, 2], true),
          );
        if (invalid >= 0)
          return sendJson(res, 400, {
            code: 50035,
            message: 'Invalid Form Body',
            errors: {
              [String(invalid)]: {
                _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {0, 1, 2}.' }],
              },
            },
          });
        const commands = body.filter(isRecord).map((command) => ({
          id: snowflake(),
          application_id: s1,
          ...(guildId === null ? {} : { guild_id: guildId }),
          type: 1,
          version: snowflake(),
          default_member_permissions: null,
          dm_permission: true,
          nsfw: false,
          // Discord's defaults for a command that says nothing: installable in guilds, usable everywhere.
          integration_types: [0],
          contexts: null,
          ...command,
        }));
        registeredCommands.push({ applicationId: s1, guildId, commands, at: Date.now() });
        return sendJson(res, 200, commands);
      }
    }

    if (method === 'GET' && s0 === 'users' && s1 === '@me' && n === 2) return sendJson(res, 200, botAuthor());
    return sendJson(res, 404, { message: '404: Not Found', code: 0 });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Keep the path as it arrived (`%40original` stays encoded), minus the query string.
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const rtt = rttMs;
    if (rtt > 0) {
      // The answer's half of the round trip: whatever ends the response leaves that much later.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        setTimeout(() => end(...args), rtt / 2);
        return res;
      }) as typeof res.end;
    }
    let work: Promise<void>;
    if (rawPath.startsWith(`${API_PREFIX}/`)) {
      const route = rawPath.slice(API_PREFIX.length);
      // The request's half: Discord sees (and applies) the call that much after it was sent.
      work =
        rtt > 0
          ? new Promise((resolve) => setTimeout(resolve, rtt / 2)).then(() =>
              handleRest(req, res, method, route, url),
            )
          : handleRest(req, res, method, route, url);
    } else work = Promise.resolve(sendJson(res, 404, { message: '404: Not Found', code: 0 }));
    work.catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `fake discord error: ${String(error)}`, code: 0 });
      else res.end();
    });
  });

  // --- Gateway ----------------------------------------------------------------------------------------

  const wss = new WebSocketServer({ server, path: GATEWAY_PATH });
  const sockets = new Set<WebSocket>();
  /** The socket that has identified or resumed and receives live dispatches. */
  let live: WebSocket | undefined;
  let sessionId: string | undefined;
  let seq = 0;
  const dispatches: FakeDiscordDispatch[] = [];
  const identifies: unknown[] = [];
  const resumes: unknown[] = [];
  let heartbeats = 0;
  let readyCount = 0;
  let resumedCount = 0;
  const readyWaiters = new Set<() => void>();
  const resumeWaiters = new Set<{ count: number; resolve: () => void }>();

  const sendOp = (ws: WebSocket, payload: Json): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  };

  const record = (t: string, d: unknown): FakeDiscordDispatch => {
    seq += 1;
    const entry = { s: seq, t, d };
    dispatches.push(entry);
    return entry;
  };

  const sendDispatch = (ws: WebSocket, entry: FakeDiscordDispatch): void =>
    sendOp(ws, { op: 0, t: entry.t, s: entry.s, d: entry.d });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const payload = tryJson(rawToString(data));
      if (!isRecord(payload)) return;
      switch (payload.op) {
        case 1: {
          heartbeats += 1;
          sendOp(ws, { op: 11 });
          break;
        }
        case 2: {
          identifies.push(payload.d);
          if (options.identifyCloseCode !== undefined) {
            ws.close(options.identifyCloseCode, 'closed by the fake');
            break;
          }
          sessionId = randomBytes(16).toString('hex');
          seq = 0;
          dispatches.length = 0;
          live = ws;
          const entry = record('READY', {
            v: 10,
            user: { ...botAuthor(), global_name: null, flags: 0, verified: true, mfa_enabled: false },
            guilds: [],
            session_id: sessionId,
            resume_gateway_url: gatewayUrl,
            shard: [0, 1],
            application: { id: applicationId, flags: 0 },
            private_channels: [],
            relationships: [],
            presences: [],
            user_settings: {},
            guild_join_requests: [],
            geo_ordered_rtc_regions: [],
          });
          sendDispatch(ws, entry);
          readyCount += 1;
          for (const resolve of readyWaiters) resolve();
          readyWaiters.clear();
          break;
        }
        case 6: {
          resumes.push(payload.d);
          const d = isRecord(payload.d) ? payload.d : {};
          if (sessionId === undefined || d.session_id !== sessionId || typeof d.seq !== 'number') {
            sendOp(ws, { op: 9, d: false });
            break;
          }
          const after = resumeReplayFrom ?? d.seq;
          resumeReplayFrom = undefined;
          for (const entry of dispatches) if (entry.s > after) sendDispatch(ws, entry);
          live = ws;
          sendDispatch(ws, record('RESUMED', null));
          resumedCount += 1;
          for (const waiter of resumeWaiters) {
            if (resumedCount >= waiter.count) {
              resumeWaiters.delete(waiter);
              waiter.resolve();
            }
          }
          break;
        }
        default:
          break;
      }
    });
    ws.on('close', () => {
      sockets.delete(ws);
      if (live === ws) live = undefined;
    });
    ws.on('error', () => {});
    if (sendHello) sendOp(ws, { op: 10, d: { heartbeat_interval: heartbeatIntervalMs } });
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
  const gatewayUrl = `ws://127.0.0.1:${port}${GATEWAY_PATH}`;

  // --- Interaction builders ---------------------------------------------------------------------------

  const base = (type: number, input: InteractionCommon, data: Json): FakeDiscordInteraction => {
    const id = input.id ?? snowflake();
    const guildId = input.guildId ?? defaultGuildId;
    const channelId = input.channelId ?? defaultChannelId;
    const userId = input.user?.id ?? '600000000000000001';
    const user: FakeDiscordUserWire = {
      id: userId,
      username: input.user?.username ?? `user${userId.slice(-1)}`,
      discriminator: '0',
      avatar: null,
      global_name: input.user?.global_name ?? null,
    };
    const common = {
      id,
      application_id: input.applicationId ?? applicationId,
      type,
      data,
      channel_id: channelId,
      token: input.token ?? randomBytes(24).toString('base64url'),
      version: 1 as const,
      app_permissions: input.appPermissions ?? '2248473465835073',
      locale: input.locale ?? 'en-US',
      entitlements: [],
    };
    if (input.direct !== undefined) {
      // A user install answers outside guilds: the DM channel (type 1) or a group DM (type 3), no member, and the
      // app's permissions there are the ones Discord grants an app in a DM it is not part of.
      return {
        ...common,
        channel: { id: channelId, type: input.direct === 'bot-dm' ? 1 : 3, recipients: [user] },
        user,
        authorizing_integration_owners: { '1': userId },
        context: input.direct === 'bot-dm' ? 1 : 2,
      };
    }
    return {
      ...common,
      guild_id: guildId,
      channel: threads.has(channelId)
        ? { id: channelId, type: 11, guild_id: guildId, parent_id: threads.get(channelId)?.parentId ?? '' }
        : { id: channelId, type: 0, guild_id: guildId },
      channel_id: channelId,
      member: {
        user,
        roles: input.roles ?? [],
        permissions: input.permissions ?? '0',
        joined_at: '2024-01-01T00:00:00.000000+00:00',
        deaf: false,
        mute: false,
        flags: 0,
        nick: null,
        avatar: null,
        premium_since: null,
        pending: false,
      },
      guild_locale: input.guildLocale ?? 'en-US',
      authorizing_integration_owners: { '0': guildId },
      context: 0,
    };
  };

  const slashCommandInteraction = (input: SlashCommandInput = {}): FakeDiscordInteraction =>
    base(2, input, {
      id: input.commandId ?? '500000000000000001',
      name: input.name ?? 'orch',
      type: 1,
      options: wrapSubcommand(input.subcommand, toOptions(input.options)),
    });

  const autocompleteInteraction = (input: AutocompleteInput): FakeDiscordInteraction => {
    const focused: FakeDiscordOption = {
      name: input.focused.name,
      type: input.focused.type ?? 3,
      value: input.focused.value,
      focused: true,
    };
    return base(4, input, {
      id: input.commandId ?? '500000000000000001',
      name: input.name ?? 'orch',
      type: 1,
      options: wrapSubcommand(input.subcommand, [...toOptions(input.options), focused]),
    });
  };

  const buttonInteraction = (input: ButtonInput): FakeDiscordInteraction => {
    const channelId = input.channelId ?? defaultChannelId;
    const stored = input.messageId === undefined ? undefined : findMessage(input.messageId);
    const message: FakeDiscordWireMessage = {
      ...(stored?.message ?? buildMessage(channelId, {}, input.messageId ?? snowflake())),
      ...input.message,
    };
    const payload = base(3, input, { custom_id: input.customId, component_type: 2 });
    payload.message = message;
    return payload;
  };

  const selectMenuInteraction = (input: SelectMenuInput): FakeDiscordInteraction => {
    const payload = buttonInteraction(input);
    payload.data = {
      custom_id: input.customId,
      component_type: input.componentType ?? 3,
      values: input.values ?? ['1'],
    };
    return payload;
  };

  const messageCommandInteraction = (input: MessageCommandInput): FakeDiscordInteraction => {
    const channelId = input.channelId ?? defaultChannelId;
    // A member's message, not the bot's.
    const target: FakeDiscordWireMessage = {
      ...buildMessage(channelId, { content: input.content }),
      author: { id: '600000000000000009', username: 'someone', discriminator: '0', avatar: null, bot: false },
    };
    return base(2, input, {
      id: input.commandId ?? '500000000000000002',
      name: input.name,
      type: 3,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    });
  };

  const modalSubmitInteraction = (input: ModalSubmitInput): FakeDiscordInteraction =>
    base(5, input, {
      custom_id: input.customId,
      components: [
        ...Object.entries(input.fields ?? {}).map(([customId, value]) => ({
          type: 1,
          components: [{ type: 4, custom_id: customId, value }],
        })),
        ...Object.entries(input.labels ?? {}).map(([customId, value]) => ({
          type: 18,
          component:
            typeof value === 'string'
              ? { type: 4, custom_id: customId, value }
              : { type: 3, custom_id: customId, values: value },
        })),
      ],
    });

  /**
   * The member fills in a modal the bot showed (a type-9 callback) and submits it: each Label's component comes back
   * with what `values` gives for its custom id, else what it was shown with (a text input's `value`, a select's
   * default options). Discord's menu offers only the select's options, so another value is a mistake in the test.
   */
  const submitModal = (
    shown: FakeDiscordCallback,
    values: Record<string, string>,
    input: InteractionCommon = {},
  ): FakeDiscordInteraction => {
    const data = isRecord(shown.data) ? shown.data : {};
    const labels: Record<string, string | string[]> = {};
    for (const label of Array.isArray(data.components) ? data.components : []) {
      const component = isRecord(label) && isRecord(label.component) ? label.component : null;
      if (!component || typeof component.custom_id !== 'string') continue;
      const given = values[component.custom_id];
      if (component.type === 4) {
        labels[component.custom_id] = given ?? (typeof component.value === 'string' ? component.value : '');
      } else if (component.type === 3) {
        const options = (Array.isArray(component.options) ? component.options : []) as Json[];
        if (given !== undefined && !options.some((o) => o.value === given))
          throw new Error(`fake discord: ${given} is not an option of ${component.custom_id}`);
        labels[component.custom_id] =
          given !== undefined
            ? [given]
            : options.filter((o) => o.default === true).map((o) => String(o.value));
      }
    }
    return modalSubmitInteraction({ ...input, customId: String(data.custom_id ?? ''), labels });
  };

  // --- The handle -------------------------------------------------------------------------------------

  const fake: FakeDiscord = {
    url,
    apiUrl: `${url}/api`,
    gatewayUrl,
    port,
    applicationId,
    botUserId,
    guildId: defaultGuildId,
    calls,
    callbacks,
    webhookMessages,
    messages,
    registeredCommands,
    dispatches,
    identifies,
    resumes,
    get heartbeats() {
      return heartbeats;
    },
    get sessionId() {
      return sessionId;
    },

    callsTo: (method, routePattern) => {
      const matches = routeMatcher(routePattern);
      return calls.filter((c) => c.method === method && matches(c.method, c.route));
    },
    history: (channelId) => [...(messages.get(channelId) ?? [])],
    lastMessage: (channelId) => messages.get(channelId)?.at(-1),

    failNext: (routePattern, failure) => {
      failures.push({ matches: routeMatcher(routePattern), failure });
    },

    rateLimit: (routePattern, retryAfter = 0.5) => {
      const limit = { matches: routeMatcher(routePattern), retryAfter };
      limits.push(limit);
      return {
        lift: () => {
          const at = limits.indexOf(limit);
          if (at >= 0) limits.splice(at, 1);
        },
      };
    },

    ready: ({ timeoutMs = 5000 } = {}) => {
      if (readyCount > 0 && live !== undefined) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          readyWaiters.delete(done);
          reject(new Error(`fake discord: no client became READY within ${timeoutMs} ms`));
        }, timeoutMs);
        readyWaiters.add(done);
      });
    },

    resumed: ({ count = resumedCount + 1, timeoutMs = 5000 } = {}) => {
      if (resumedCount >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          resumeWaiters.delete(waiter);
          reject(new Error(`fake discord: no RESUME #${count} within ${timeoutMs} ms`));
        }, timeoutMs);
        resumeWaiters.add(waiter);
      });
    },

    rejectToken: () => {
      tokenRejected = true;
    },

    replayOnNextResume: (afterSeq) => {
      resumeReplayFrom = afterSeq;
    },

    dispatch: (t, d) => {
      const entry = record(t, d);
      if (live !== undefined) sendDispatch(live, entry);
      return entry.s;
    },

    dropConnection: async () => {
      const open = [...sockets];
      live = undefined;
      await Promise.all(
        open.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.terminate();
            }),
        ),
      );
    },

    interact: (payload, { timeoutMs = callbackTimeoutMs } = {}) => {
      interactionChannels.set(payload.id, payload.channel_id);
      interactionsSent.set(payload.id, { at: Date.now(), type: payload.type });
      return new Promise<FakeDiscordCallback>((resolve, reject) => {
        const timer = setTimeout(() => {
          callbackWaiters.delete(payload.id);
          reject(new Error(`fake discord: no callback for interaction ${payload.id} within ${timeoutMs} ms`));
        }, timeoutMs);
        callbackWaiters.set(payload.id, (callback) => {
          clearTimeout(timer);
          resolve(callback);
        });
        fake.dispatch('INTERACTION_CREATE', payload);
      });
    },

    threads,
    originalMessage: (token) => originals.get(token),
    archiveThread(threadId, options = {}) {
      const thread = threads.get(threadId);
      if (!thread) throw new Error(`fake discord: no thread ${threadId}`);
      thread.archived = true;
      thread.locked = options.locked ?? false;
    },

    slashCommandInteraction,
    buttonInteraction,
    autocompleteInteraction,
    selectMenuInteraction,
    messageCommandInteraction,
    modalSubmitInteraction,
    submitModal,
    expireInteraction: (id) => {
      expiredInteractions.add(id);
    },
    snowflake,

    rateLimited: rateLimitedLog,
    setRtt: (ms) => {
      rttMs = ms;
    },
    reset: () => {
      rateLimitedLog.length = 0;
      windows.clear();
      calls.length = 0;
      callbacks.length = 0;
      webhookMessages.length = 0;
      messages.clear();
      registeredCommands.length = 0;
      failures.length = 0;
      limits.length = 0;
      nonces.clear();
      threads.clear();
    },

    close: async () => {
      callbackWaiters.clear();
      interactionsSent.clear();
      acknowledged.clear();
      expiredInteractions.clear();
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      live = undefined;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
