import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Catalog } from '../catalog/model.ts';
import { PAGE_TOKEN } from '../commands/calendar.ts';
import { notoSansKrWoff, renderDigestCard } from '../digest/digest-card.ts';
import { gatherDigest } from '../digest/digest-data.ts';
import { isLang, type Lang } from '../i18n/messages.ts';
import { calendarFeed, feedRevision } from '../lessons/calendar-feed.ts';
import { gatherGroupPage, groupPageHtml, PAGE_LEDGER_ROWS, STYLE_HASH } from '../pages/group-page.ts';
import type { Logger } from '../ports.ts';
import type { Store } from '../store/store.ts';
import { type ListeningServer, listenOn } from './listen.ts';
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
  /** Other rate limits than the defaults below (the bench's load comes from one address). */
  limits?: { requests?: { burst: number; perSecond: number }; misses?: { burst: number; perSecond: number } };
}

export type PageServer = ListeningServer;

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

// A client address may send a burst of 120 and 30 a second after it; an address that asks for tokens that do not
// exist may do so 10 times, then once every 6 seconds: guessing a 192-bit token is hopeless anyway, and this keeps a
// scan from costing the store a lookup per try.
const REQUESTS = { burst: 120, perSecond: 30 };
const MISSES = { burst: 10, perSecond: 1 / 6 };

/** Bodies kept built: feeds and pages (tens of KB), cards (about 60 KB). */
const MAX_CACHED = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

interface CachedBody {
  version: string;
  body: string | Uint8Array;
  etag: string;
}

/**
 * The channels' shared pages, on their own port (ORCH_WEB_PORT) for members outside the chat, at addresses only
 * `/orch calendar` gives out: the group's page (`/c/<token>`), its lesson calendar (`/c/<token>/calendar.ics`) and
 * the cards of its posted digests (`/c/<token>/digest/<week>.png`). Read-only, no cookies, no login, no script; what
 * is built is kept until its channel, its language or the catalog changed (ETag, 304).
 */
export function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const now = options.now ?? Date.now;
  const requests = new RateLimiter(options.limits?.requests ?? REQUESTS, now);
  const misses = new RateLimiter(options.limits?.misses ?? MISSES, now);
  const built = new Map<string, CachedBody>();
  let catalogSeen: Catalog | null = null;

  const send = (
    response: ServerResponse,
    status: number,
    body: string | Uint8Array,
    headers: Record<string, string> = {},
    head = false,
  ) => {
    response.writeHead(status, {
      ...BASE_HEADERS,
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
      'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
    });
    response.end(head ? undefined : body);
  };

  /** A body built by `build` for `key`, kept (a few hundred of them, the oldest go first) while `version` holds. */
  const cached = (key: string, version: string, build: () => string | Uint8Array): CachedBody => {
    const catalog = options.catalog();
    if (catalog !== catalogSeen) {
      built.clear();
      catalogSeen = catalog;
    }
    let entry = built.get(key);
    if (entry?.version !== version) {
      const body = build();
      entry = {
        version,
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      };
      built.delete(key);
      built.set(key, entry);
      if (built.size > MAX_CACHED) built.delete(built.keys().next().value as string);
    }
    return entry;
  };

  const answer = (
    request: IncomingMessage,
    response: ServerResponse,
    entry: CachedBody,
    headers: Record<string, string>,
  ) => {
    const all = { ...headers, etag: entry.etag };
    if (request.headers['if-none-match'] === entry.etag) {
      response.writeHead(304, { ...BASE_HEADERS, ...all });
      response.end();
      return;
    }
    send(response, 200, entry.body, all, request.method === 'HEAD');
  };

  async function serve(request: IncomingMessage, response: ServerResponse, route: Route, lang: Lang | null) {
    const head = request.method === 'HEAD';
    if (route.kind === 'font') {
      // The page's Korean font, the one the card uses, from the npm package: no font from another origin, and
      // Hangul renders on a machine without a Korean font of its own. Public and unchanging.
      const font = cached(`font|${route.weight}`, 'package', () =>
        readFileSync(notoSansKrWoff(route.weight)),
      );
      answer(request, response, font, {
        'content-type': 'font/woff',
        'cache-control': 'public, max-age=604800',
      });
      return;
    }
    const client = request.socket.remoteAddress ?? 'unknown';
    const channelKey = PAGE_TOKEN.test(route.token)
      ? await options.store.channelOfPageToken(route.token)
      : null;
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
    const channel = await options.store.getChannel(channelKey);
    const pageLang = lang ?? channel?.lang ?? options.defaultLang;
    const catalog = options.catalog();
    // Read once per request: the version below, the feed (its latest posts) and the page (every post) all use it.
    const ledger = await options.store.ledger(channelKey, PAGE_LEDGER_ROWS);
    // What changes the channel's pages: its row, its ledger (posts, misses) and the catalog (checked in cached()).
    const version = `${pageLang}|${channel?.updatedAt}|${channel?.position}|${channel?.nextFireAt}|${feedRevision(channel, ledger)}|${ledger.length}`;

    if (route.kind === 'calendar') {
      const feed = cached(`ics|${channelKey}`, version, () =>
        calendarFeed({ channelKey, channel, catalog, lang: pageLang, ledger }),
      );
      answer(request, response, feed, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': 'inline; filename="orch-lessons.ics"',
        // Private: the address is a secret, so no shared cache may keep it; a calendar app may reuse it for 5 minutes.
        'cache-control': 'private, max-age=300',
      });
      return;
    }

    if (route.kind === 'digest') {
      // Only the card of a digest that was posted: the address names its week, and nothing else is drawn on request.
      const week = route.week;
      const posted = (await options.store.digests(channelKey, 60)).find(
        (d) => d.weekStart === week && d.status === 'posted',
      );
      if (!posted || !channel) {
        send(response, 404, NOT_FOUND, {}, head);
        return;
      }
      const data = await gatherDigest(options.store, catalog, channel, week + DAY_MS, pageLang);
      // A week's card never changes once the week is over; it is drawn once per language and catalog.
      const card = cached(`png|${channelKey}|${week}|${pageLang}`, 'final', () => renderDigestCard(data));
      answer(request, response, card, {
        'content-type': 'image/png',
        'cache-control': 'private, max-age=86400',
      });
      return;
    }

    const now = options.now?.() ?? Date.now();
    const data = await gatherGroupPage(options.store, channelKey, channel, ledger, pageLang, now);
    // The page shows this week's board and the time it was made, so it is rebuilt at most once a minute.
    const minute = Math.floor(now / 60_000);
    const page = cached(
      `html|${channelKey}`,
      `${version}|${minute}|${data.weekBoard.length}|${data.allBoard.map((r) => r.points).join(',')}|${data.digests.length}`,
      () => groupPageHtml(data, catalog, route.token),
    );
    answer(request, response, page, {
      'content-type': 'text/html; charset=utf-8',
      // Strict: nothing from elsewhere, no script at all, the one inline stylesheet by its hash, images from here.
      'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
      'cache-control': 'private, max-age=60',
    });
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
    const route = routeOf(url.pathname);
    if (!route) {
      send(response, 404, NOT_FOUND, {}, head);
      return;
    }
    const asked = url.searchParams.get('lang');
    serve(request, response, route, asked !== null && isLang(asked) ? asked : null).catch(
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
  return listenOn(server, options.port, options.host);
}

type Route =
  | { kind: 'font'; weight: 400 | 700 }
  | { kind: 'page'; token: string }
  | { kind: 'calendar'; token: string }
  | { kind: 'digest'; token: string; week: number };

/** The route of a path, or null for anything the server does not serve. */
function routeOf(path: string): Route | null {
  const font = /^\/fonts\/noto-sans-kr-(400|700)\.woff$/.exec(path);
  if (font) return { kind: 'font', weight: Number(font[1]) as 400 | 700 };
  const match = /^\/c\/([^/]+)(?:\/(calendar\.ics|digest\/(\d{1,15})\.png))?\/?$/.exec(path);
  if (!match) return null;
  const token = match[1] as string;
  if (match[2] === undefined) return { kind: 'page', token };
  if (match[2] === 'calendar.ics') return { kind: 'calendar', token };
  return { kind: 'digest', token, week: Number(match[3]) };
}
