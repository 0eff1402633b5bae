import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalog } from '../catalog/model.ts';
import { PAGE_TOKEN } from '../commands/calendar.ts';
import { isLang, type Lang } from '../i18n/messages.ts';
import { calendarFeed, FEED_POSTED_LIMIT, feedRevision } from '../lessons/calendar-feed.ts';
import type { Logger } from '../ports.ts';
import type { Store } from '../store/store.ts';
import { RateLimiter } from './rate-limit.ts';

export interface PageServerOptions {
  port: number;
  host?: string;
  store: Store;
  /** The catalog in service (a reload replaces it). */
  catalog: () => Catalog;
  /** A channel's language when it set none. */
  defaultLang: Lang;
  logger: Logger;
  /** Injected in tests; Date.now otherwise. */
  now?: () => number;
}

export interface PageServer {
  readonly port: number;
  close(): Promise<void>;
}

// Every response: nothing may be framed, sniffed, fetched or scripted from it, and a token in the address never goes
// out in a Referer.
const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
} as const;

/** The one answer for an unknown, rotated or malformed address: the same bytes whatever was wrong. */
const NOT_FOUND = 'Not found\n';

// The ledger rows a feed reads: enough to hold FEED_POSTED_LIMIT posts among missed and holiday rows.
const LEDGER_ROWS = FEED_POSTED_LIMIT * 4;

// A client address may send a burst of 120 and 30 a second after it; an address that asks for tokens that do not
// exist may do so 10 times, then once every 6 seconds: guessing a 192-bit token is hopeless anyway, and this keeps a
// scan from costing the store a lookup per try.
const REQUESTS = { burst: 120, perSecond: 30 };
const MISSES = { burst: 10, perSecond: 1 / 6 };

/** Feeds kept built (about 40 KB each at most). */
const MAX_CACHED_FEEDS = 500;

interface CachedFeed {
  key: string;
  body: string;
  etag: string;
}

/**
 * The channels' shared pages, on their own port (ORCH_WEB_PORT) for members outside the chat: today each channel's
 * lesson calendar at `/c/<token>/calendar.ics`, an address only `/orch calendar` gives out. Read-only, no cookies, no
 * login; a feed is rebuilt only when its channel's plan, language or the catalog changed (ETag, 304).
 */
export function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const now = options.now ?? Date.now;
  const requests = new RateLimiter(REQUESTS, now);
  const misses = new RateLimiter(MISSES, now);
  const feeds = new Map<string, CachedFeed>();
  let catalogSeen: Catalog | null = null;

  const send = (
    response: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
    head = false,
  ) => {
    response.writeHead(status, {
      ...BASE_HEADERS,
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
      'content-length': String(Buffer.byteLength(body)),
    });
    response.end(head ? undefined : body);
  };

  async function calendar(
    request: IncomingMessage,
    response: ServerResponse,
    token: string,
    lang: Lang | null,
  ) {
    const head = request.method === 'HEAD';
    const client = request.socket.remoteAddress ?? 'unknown';
    const channelKey = PAGE_TOKEN.test(token) ? await options.store.channelOfPageToken(token) : null;
    const channel = channelKey ? await options.store.getChannel(channelKey) : null;
    if (!channelKey) {
      if (!misses.take(client)) {
        send(
          response,
          429,
          'Too many requests\n',
          { 'retry-after': String(misses.retryAfterSeconds(client)) },
          head,
        );
        return;
      }
      send(response, 404, NOT_FOUND, {}, head);
      return;
    }
    const catalog = options.catalog();
    if (catalog !== catalogSeen) {
      feeds.clear();
      catalogSeen = catalog;
    }
    const ledger = await options.store.ledger(channelKey, LEDGER_ROWS);
    const feedLang = lang ?? channel?.lang ?? options.defaultLang;
    // The feed is a function of the channel's row, its ledger and the catalog: the cache key holds what changes it.
    const key = `${feedLang}|${channel?.updatedAt}|${channel?.position}|${channel?.nextFireAt}|${feedRevision(channel, ledger)}|${ledger.length}`;
    let feed = feeds.get(channelKey);
    if (feed?.key !== key) {
      const body = calendarFeed({ channelKey, channel, catalog, lang: feedLang, ledger });
      feed = { key, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      feeds.delete(channelKey);
      feeds.set(channelKey, feed);
      // The feeds of the channels asked for last are kept; the oldest go first.
      if (feeds.size > MAX_CACHED_FEEDS) feeds.delete(feeds.keys().next().value as string);
    }
    const headers = {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': 'inline; filename="orch-lessons.ics"',
      // Private: the address is a secret, so no shared cache may keep it; a calendar app may reuse it for 5 minutes.
      'cache-control': 'private, max-age=300',
      etag: feed.etag,
    };
    if (request.headers['if-none-match'] === feed.etag) {
      response.writeHead(304, { ...BASE_HEADERS, ...headers });
      response.end();
      return;
    }
    send(response, 200, feed.body, headers, head);
  }

  const server: Server = createServer((request, response) => {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) {
      send(response, 405, 'Method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    const client = request.socket.remoteAddress ?? 'unknown';
    if (!requests.take(client)) {
      send(
        response,
        429,
        'Too many requests\n',
        { 'retry-after': String(requests.retryAfterSeconds(client)) },
        head,
      );
      return;
    }
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://pages.invalid');
    } catch {
      send(response, 404, NOT_FOUND, {}, head);
      return;
    }
    const route = /^\/c\/([^/]+)\/calendar\.ics$/.exec(url.pathname);
    if (!route) {
      send(response, 404, NOT_FOUND, {}, head);
      return;
    }
    const asked = url.searchParams.get('lang');
    calendar(request, response, route[1] as string, asked !== null && isLang(asked) ? asked : null).catch(
      (error: unknown) => {
        options.logger.error({ err: error, component: 'pages' }, 'a page request failed');
        if (!response.headersSent) send(response, 503, 'Try again later\n', { 'retry-after': '30' }, head);
        else response.destroy();
      },
    );
  });
  // A slow or stalled client cannot hold sockets open for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
